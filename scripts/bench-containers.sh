#!/usr/bin/env bash
# The container runtime's benchmark, one command: a trivial DOCKER app (busybox `echo` in Podman,
# FORK on the built-in local system) against the same trivial work as a ZIP app, submit to
# FINISHED (the job's own created and ended times), one job at a time and 20 at once; anchored on
# Podman running the same container by hand and on the shell running the ZIP app's script, in
# the same run. Release build; pollIntervalSeconds 1.
#   scripts/bench-containers.sh [--jobs 10]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=10
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) jobs=$2; shift 2 ;;
        *) echo "usage: $0 [--jobs N]" >&2; exit 2 ;;
    esac
done
scripts/setup.sh > /dev/null
scripts/testbed.sh start > /dev/null
swift build -c release --product tapisd
bin=$(swift build -c release --show-bin-path)
image=localhost/tapisd-test:1
options='--network=none --ulimit=nofile=1024:1024 --ulimit=nproc=1024:1024'
work=$(mktemp -d /tmp/tapisd-bench-containers.XXXXXX)
chmod 0755 "$work"
socket="$work/tapisd.sock"
cat > "$work/tapisd.yaml" <<CONFIG
logLevel: warning
pollIntervalSeconds: 1
maxConcurrentJobs: 32
localContainerEngine: podman
localContainerEngineOptions: [${options// /, }]
CONFIG
"$bin/tapisd" --config "$work/tapisd.yaml" --socket "$socket" --state-dir "$work/state" --systems "$work/none" --apps "$work/none" \
    >> "$work/tapisd.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; echo "(work dir and daemon log: $work)"' EXIT
for _ in $(seq 200); do [ -S "$socket" ] && break; sleep 0.05; done
api() { curl -sf --unix-socket "$socket" -H 'Content-Type: application/json' "$@"; }

mkdir -p "$work/zip"
printf '#!/bin/sh\necho hello > "$_tapisExecSystemOutputDir/greeting.txt"\n' > "$work/zip/tapisjob_app.sh"
chmod 0755 "$work/zip/tapisjob_app.sh"
tar -czf "$work/trivial.tgz" -C "$work/zip" tapisjob_app.sh
api -X POST -d "{\"id\": \"trivial-zip\", \"version\": \"1\", \"runtime\": \"ZIP\", \"containerImage\": \"$work/trivial.tgz\", \"jobType\": \"FORK\",
    \"jobAttributes\": {\"execSystemId\": \"local\"}}" \
    http://localhost/v3/apps > /dev/null
api -X POST -d "{\"id\": \"trivial-docker\", \"version\": \"1\", \"runtime\": \"DOCKER\", \"containerImage\": \"$image\", \"jobType\": \"FORK\",
    \"jobAttributes\": {\"execSystemId\": \"local\", \"parameterSet\": {\"appArgs\": [{\"name\": \"work\", \"inputMode\": \"INCLUDE_BY_DEFAULT\", \"arg\": \"sh -c 'echo hello > /TapisOutput/greeting.txt'\"}]}}}" \
    http://localhost/v3/apps > /dev/null

submit() {
    answer=$(curl -s --unix-socket "$socket" -H 'Content-Type: application/json' -X POST -d "{\"name\": \"bench\", \"appId\": \"$1\", \"appVersion\": \"1\"}" http://localhost/v3/jobs/submit)
    jq -e -r .result.uuid <<< "$answer" || { echo "submit of $1 refused: $answer" >&2; exit 1; }
}
# Waits for each job and prints its seconds from created to ended.
durations() {
    for uuid in "$@"; do
        while :; do
            job=$(api "http://localhost/v3/jobs/$uuid")
            case $(jq -r .result.status <<< "$job") in
                FINISHED) break ;;
                FAILED|CANCELLED) echo "job $uuid ended $(jq -r .result.status <<< "$job"): $(jq -r .result.lastMessage <<< "$job")" >&2; exit 1 ;;
            esac
            sleep 0.05
        done
        jq -r '.result | ((.ended | sub("\\.[0-9]+Z$"; "Z") | fromdate) + (.ended | capture("(?<f>\\.[0-9]+)Z$").f | tonumber)
            - (.created | sub("\\.[0-9]+Z$"; "Z") | fromdate) - (.created | capture("(?<f>\\.[0-9]+)Z$").f | tonumber))' <<< "$job"
    done
}
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
one_at_a_time() { for _ in $(seq "$jobs"); do durations "$(submit "$1")"; done | median; }
# Seconds for 20 jobs submitted at once, from the first submit to the last one ended.
twenty_at_once() {
    start=$(date +%s.%N)
    uuids=()
    for _ in $(seq 20); do uuids+=("$(submit "$1")"); done
    durations "${uuids[@]}" > /dev/null
    echo "$(date +%s.%N) - $start" | bc -l | xargs printf '%.2f'
}
by_hand() { for _ in $(seq "$jobs"); do /usr/bin/time -f %e "$@" 2>&1 > /dev/null | tail -1; done | median; }

zip_one=$(one_at_a_time trivial-zip)
docker_one=$(one_at_a_time trivial-docker)
zip_twenty=$(twenty_at_once trivial-zip)
docker_twenty=$(twenty_at_once trivial-docker)
# shellcheck disable=SC2086
podman_alone=$(by_hand podman run --rm $options "$image" sh -c 'echo hello > /dev/null')
shell_alone=$(by_hand sh "$work/zip/tapisjob_app.sh")
echo
echo "## A trivial container job against the same work as a ZIP job ($(nproc) cores, $(date -u +%Y-%m-%d); Podman $(podman --version | awk '{print $3}'), runc; poll 1 s)"
echo
echo "| Figure | ZIP | DOCKER | DOCKER − ZIP |"
echo "|---|---|---|---|"
printf '| submit → FINISHED, one job at a time (median of %s) | %s s | %s s | %+.2f s |\n' "$jobs" "$zip_one" "$docker_one" "$(echo "$docker_one - $zip_one" | bc -l)"
printf '| 20 jobs at once, first submit → last FINISHED | %s s | %s s | %+.2f s |\n' "$zip_twenty" "$docker_twenty" "$(echo "$docker_twenty - $zip_twenty" | bc -l)"
printf '| anchor: the work by hand (shell; podman run --rm) | %s s | %s s | %+.2f s |\n' "$shell_alone" "$podman_alone" "$(echo "$podman_alone - $shell_alone" | bc -l)"
