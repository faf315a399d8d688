#!/usr/bin/env bash
# Writes the store fixture the upgrade test opens (Tests/TapisIntegrationTests/Fixtures): a job
# store written by an earlier release of tapisd, built from its commit in a scratch worktree.
# Usage: scripts/capture-store-fixture.sh COMMIT NAME   (writes Fixtures/NAME.sqlite and
# NAME.json, what the store holds). Needs root (the jobs run as root on the built-in system);
# takes a first build of that commit (about ten minutes here).
set -euo pipefail
cd "$(dirname "$0")/.."
commit=$1
name=$2
fixtures=$PWD/Tests/TapisIntegrationTests/Fixtures
tree=${TAPISD_FIXTURE_TREE:-/tmp/tapisd-fixture-tree}
scratch=${TAPISD_FIXTURE_SCRATCH:-/tmp/tapisd-fixture-build}
cli=$(swift build --show-bin-path)/tapis
[ -x "$cli" ] || { echo "capture-store-fixture: build the current tree first (swift build)" >&2; exit 1; }
git worktree remove --force "$tree" 2>/dev/null || true
git worktree add -f "$tree" "$commit" -q
(cd "$tree" && swift build --product tapisd --scratch-path "$scratch" >&2)
work=$(mktemp -d /tmp/tapisd-fixture.XXXXXX)
trap 'kill "$(cat "$work/pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"; git worktree remove --force "$tree" 2>/dev/null || true' EXIT
printf 'pollIntervalSeconds: 1\n' > "$work/tapisd.yaml"
"$scratch/debug/tapisd" --config "$work/tapisd.yaml" --socket "$work/tapisd.sock" --state-dir "$work/state" \
    --systems "$work/systems.d" --apps "$work/apps.d" > "$work/tapisd.log" 2>&1 &
echo $! > "$work/pid"
for _ in $(seq 100); do [ -S "$work/tapisd.sock" ] && break; sleep 0.1; done
tapis() { "$cli" "$@" --socket "$work/tapisd.sock"; }
app=$(etc/apps/hello/build.sh "$work/app")
tapis apps create "$app" > /dev/null
submit() {  # submit NAME EXIT_CODE SLEEP: the job's uuid
    printf '{"name": "%s", "appId": "hello", "appVersion": "1.0", "tags": ["fixture"], "parameterSet": {"envVariables": [{"key": "EXIT_CODE", "value": "%s"}, {"key": "SLEEP_SECONDS", "value": "%s"}]}}' "$1" "$2" "$3" \
        | tapis jobs submit -
}
finished=$(submit finished 0 0)
failed=$(submit failed 3 0)
cancelled=$(submit cancelled 0 300)
tapis jobs wait "$finished" > /dev/null || true
tapis jobs wait "$failed" > /dev/null || true
for _ in $(seq 100); do tapis jobs status "$cancelled" | grep -q RUNNING && break; sleep 0.2; done
tapis jobs cancel "$cancelled" > /dev/null
tapis jobs wait "$cancelled" > /dev/null || true
kill "$(cat "$work/pid")"
for _ in $(seq 100); do kill -0 "$(cat "$work/pid")" 2>/dev/null || break; sleep 0.1; done
mkdir -p "$fixtures"
cp "$work/state/db/tapisd.sqlite" "$fixtures/$name.sqlite"
printf '{"commit": "%s", "jobs": {"%s": "FINISHED", "%s": "FAILED", "%s": "CANCELLED"}}\n' \
    "$(git rev-parse "$commit")" "$finished" "$failed" "$cancelled" > "$fixtures/$name.json"
echo "wrote $fixtures/$name.sqlite and $name.json" >&2
