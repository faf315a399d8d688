#!/usr/bin/env bash
# The web page's benchmark, one command: server time to render the jobs dashboard (and filtered
# views) and a job's page with 100,000 jobs stored, against the API's answers for the same data
# measured in the same run (the first page of /v3/jobs/list, one job). Release build; median of 15.
#   scripts/bench-web.sh [--jobs 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=100000
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) jobs=$2; shift 2 ;;
        *) echo "usage: $0 [--jobs N]" >&2; exit 2 ;;
    esac
done
scripts/setup.sh > /dev/null
swift build -c release --product tapisd
swift build -c release --product tapisd-load
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/tapisd-bench-web.XXXXXX)
chmod 0755 "$work"
socket="$work/tapisd.sock"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'tcpPort: %s\nlogLevel: warning\n' "$port" > "$work/tapisd.yaml"
daemon=
start_daemon() {
    "$bin/tapisd" --config "$work/tapisd.yaml" --socket "$socket" --state-dir "$work/state" --systems "$work/none" --apps "$work/none" \
        >> "$work/tapisd.log" 2>&1 &
    daemon=$!
    for _ in $(seq 200); do [ -S "$socket" ] && curl -sf "http://127.0.0.1:$port/v3/jobs/healthcheck" > /dev/null && return; sleep 0.05; done
    echo "tapisd did not start; see $work/tapisd.log" >&2; exit 1
}
stop_daemon() { kill "$daemon" && wait "$daemon" || true; daemon=; }
trap '[ -z "$daemon" ] || stop_daemon; echo "(work dir and daemon log: $work)"' EXIT
api() { curl -sf --unix-socket "$socket" -H 'Content-Type: application/json' "$@"; }
# The median of 15 server times (curl's time to the last byte, on loopback), in ms.
median() {
    for _ in $(seq 15); do curl -s -o /dev/null -w '%{time_total}\n' "$@"; done | sort -n | sed -n 8p | awk '{printf "%.1f", $1 * 1000}'
}

start_daemon
app=$(etc/apps/hello/build.sh "$work/apps")
api -X POST --data-binary @"$app" http://localhost/v3/apps > /dev/null
uuid=$(api -X POST -d '{"name": "sim-template", "appId": "hello", "appVersion": "1.0"}' http://localhost/v3/jobs/submit | jq -r .result.uuid)
for _ in $(seq 300); do [ "$(api "http://localhost/v3/jobs/$uuid/status" | jq -r .result.status)" = FINISHED ] && break; sleep 0.1; done
api "http://localhost/v3/jobs/$uuid" > "$work/template.json"
stop_daemon
echo "== seeding $jobs ended jobs"
"$bin/tapisd-load" seed --database "$work/state/db/tapisd.sqlite" --template "$work/template.json" --jobs "$jobs" --status ENDED
start_daemon
token=$(api -X POST "http://localhost/v3/tokens?ttl=3600" | jq -r .result.access_token)
cookie="tapisd_session=$token"
base="http://127.0.0.1:$port"
stored=$(curl -sf -H "X-Tapis-Token: $token" "$base/v3/jobs/list?limit=1&computeTotal=true" | jq .metadata.totalCount)

api_list=$(median -H "X-Tapis-Token: $token" "$base/v3/jobs/list?limit=50&orderBy=created(desc)")
api_job=$(median -H "X-Tapis-Token: $token" "$base/v3/jobs/$uuid")
dashboard=$(median -b "$cookie" "$base/")
failed=$(median -b "$cookie" "$base/?status=failed")
week=$(median -b "$cookie" "$base/?range=7d&sort=name&dir=asc")
text=$(median -b "$cookie" "$base/?q=calibration-run")
job=$(median -b "$cookie" "$base/jobs/$uuid")
echo
echo "## The web page over $stored stored jobs ($(nproc) cores, $(date -u +%Y-%m-%d); median of 15, ms)"
echo
echo "| Page | Server time | Anchor (API, same data) | Ratio |"
echo "|---|---|---|---|"
for row in "dashboard (6 tile counts, 50 rows)|$dashboard" "dashboard, failed only|$failed" "dashboard, last 7 days by name|$week" \
    "dashboard, text search that matches nothing (every job's name, UUID and tags)|$text"; do
    printf '| %s | %s ms | list, 50 rows: %s ms | %.1f |\n' "${row%%|*}" "${row##*|}" "$api_list" "$(echo "${row##*|} / $api_list" | bc -l)"
done
printf '| a job page (history, output tail, outputs) | %s ms | one job: %s ms | %.1f |\n' "$job" "$api_job" "$(echo "$job / $api_job" | bc -l)"
