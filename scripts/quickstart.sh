#!/usr/bin/env bash
# The quick start: installs what is needed, builds, starts tapisd on a temporary socket and state
# dir, registers the example app, submits the example job to the built-in `local` system, waits
# for it and prints its output. tapisd is stopped (by its pid) on the way out.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build
bin=$(swift build --show-bin-path)
work=$(mktemp -d /tmp/tapisd-quickstart.XXXXXX)
chmod 0755 "$work"
app=$(etc/apps/hello/build.sh "$work/apps")
"$bin/tapisd" --socket "$work/tapisd.sock" --state-dir "$work/state" --systems "$work/none" --apps "$work/none" \
    > "$work/tapisd.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true' EXIT
export TAPIS_SOCKET="$work/tapisd.sock"
for _ in $(seq 100); do [ -S "$TAPIS_SOCKET" ] && break; sleep 0.1; done
"$bin/tapis" apps create "$app"
uuid=$("$bin/tapis" jobs submit etc/apps/hello/job.json)
echo "submitted job $uuid"
"$bin/tapis" jobs wait "$uuid"
"$bin/tapis" jobs history "$uuid"
echo "--- tapisjob.out of job $uuid ---"
"$bin/tapis" jobs download "$uuid" tapisjob.out
echo "(daemon log: $work/tapisd.log)"
