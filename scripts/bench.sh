#!/usr/bin/env bash
# The gateway-scale benchmark, one command: durable submits from 64 clients against SQLite's own
# commit rate, trivial FORK jobs through the engine, a backlog of 100,000 jobs admitted, listings
# over a store of 100,000+ jobs, the daemon's RSS, SSH commands per Slurm submission and SFTP
# against OpenSSH. Every anchor is measured in the same run, on the same disk. Release build.
#   scripts/bench.sh [--backlog 100000] [--submits 20000] [--jobs 1000] [--skip-slurm] [--skip-sftp]
set -euo pipefail
cd "$(dirname "$0")/.."
backlog=100000 submits=20000 jobs=1000 slurm=1 sftp=1
while [ $# -gt 0 ]; do
    case "$1" in
        --backlog) backlog=$2; shift 2 ;;
        --submits) submits=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --skip-slurm) slurm=0; shift ;;
        --skip-sftp) sftp=0; shift ;;
        *) echo "usage: $0 [--backlog N] [--submits N] [--jobs N] [--skip-slurm] [--skip-sftp]" >&2; exit 2 ;;
    esac
done
scripts/setup.sh > /dev/null
swift build -c release --product tapisd
swift build -c release --product tapisd-load
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/tapisd-bench.XXXXXX)
chmod 0755 "$work"
export TAPIS_SOCKET="$work/tapisd.sock"
daemon=
start_daemon() {
    "$bin/tapisd" --socket "$TAPIS_SOCKET" --state-dir "$work/state" --systems "$work/none" --apps "$work/none" \
        >> "$work/tapisd.log" 2>&1 &
    daemon=$!
    for _ in $(seq 200); do [ -S "$TAPIS_SOCKET" ] && return; sleep 0.05; done
    echo "tapisd did not start; see $work/tapisd.log" >&2; exit 1
}
stop_daemon() { kill "$daemon" && wait "$daemon" || true; daemon=; }
trap '[ -z "$daemon" ] || stop_daemon; echo "(work dir and daemon log: $work)"' EXIT
api() { curl -sf --unix-socket "$TAPIS_SOCKET" -H 'Content-Type: application/json' "$@"; }
load() { "$bin/tapisd-load" "$@" --socket "$TAPIS_SOCKET"; }
figure() { sed -n "s|^$1: ||p" <<< "$2"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
hz=$(getconf CLK_TCK)

echo "== anchor: SQLite's single-row durable commits (sqlite3, WAL, synchronous=FULL, same disk)"
anchor_db="$work/anchor.sqlite"
sqlite3 "$anchor_db" 'PRAGMA journal_mode=WAL; CREATE TABLE t (x TEXT);' > /dev/null
commits=5000
{ echo 'PRAGMA synchronous=FULL;'; for i in $(seq $commits); do echo "INSERT INTO t VALUES ('row $i');"; done; } > "$work/anchor.sql"
t0=$(date +%s.%N); sqlite3 "$anchor_db" < "$work/anchor.sql"; t1=$(date +%s.%N)
sqlite_rate=$(echo "$commits / ($t1 - $t0)" | bc -l)
printf 'sqlite3 commits/s: %.0f\n' "$sqlite_rate"

start_daemon
app=$(etc/apps/hello/build.sh "$work/apps")
api -X POST --data-binary @"$app" http://localhost/v3/apps > /dev/null
jq '.id = "backlog" | .maxJobs = 1' "$app" > "$work/backlog-app.json"
api -X POST --data-binary @"$work/backlog-app.json" http://localhost/v3/apps > /dev/null
echo '{"name": "trivial", "appId": "hello", "appVersion": "1.0"}' > "$work/trivial.json"
echo '{"name": "queued", "appId": "backlog", "appVersion": "1.0"}' > "$work/backlog.json"

echo "== $jobs trivial FORK jobs, submit to FINISHED, default configuration"
c0=$(cpu_ticks)
t0=$(date +%s.%N)
load submit --body "$work/trivial.json" --clients 64 --count "$jobs" > /dev/null
load wait --search "appId.eq=hello&status.eq=FINISHED" --count "$jobs" > /dev/null
t1=$(date +%s.%N)
c1=$(cpu_ticks)
job_rate=$(echo "$jobs / ($t1 - $t0)" | bc -l)
job_cpu=$(echo "1000 * ($c1 - $c0) / $hz / $jobs" | bc -l)
printf 'jobs/s: %.0f\ndaemon CPU ms per job: %.1f\n' "$job_rate" "$job_cpu"

# Before the submits: their backlog keeps the engine busy admitting for minutes afterwards.
echo "== the request ceiling: the same 64 clients on the health probe (one store read, no write), engine idle"
c0=$(cpu_ticks)
out=$(load submit --path /v3/jobs/healthcheck --clients 64 --count "$submits")
c1=$(cpu_ticks)
echo "$out"
probe_rate=$(figure 'requests/s' "$out") probe_p99=$(figure 'p99 ms' "$out")
probe_cpu=$(echo "1000 * ($c1 - $c0) / $hz / $submits" | bc -l)
printf 'daemon CPU ms per probe: %.2f\n' "$probe_cpu"

echo "== $submits durable submits from 64 clients (jobs queue behind a quota of one)"
c0=$(cpu_ticks)
out=$(load submit --body "$work/backlog.json" --clients 64 --count "$submits")
c1=$(cpu_ticks)
echo "$out"
submit_rate=$(figure 'requests/s' "$out") submit_p50=$(figure 'p50 ms' "$out") submit_p99=$(figure 'p99 ms' "$out")
submit_cpu=$(echo "1000 * ($c1 - $c0) / $hz / $submits" | bc -l)
printf 'daemon CPU ms per submit: %.2f\n' "$submit_cpu"

one=$(api "http://localhost/v3/jobs/search?appId.eq=backlog&limit=1&select=uuid" | jq -r '.result[0].uuid')
api "http://localhost/v3/jobs/$one" > "$work/template.json"
stop_daemon

echo "== a backlog of $backlog PENDING jobs admitted (to a run or BLOCKED)"
"$bin/tapisd-load" seed --database "$work/state/db/tapisd.sqlite" --template "$work/template.json" --jobs "$backlog"
start_daemon
out=$(load wait --search "status.eq=PENDING" --count 0)
backlog_rate=$(echo "$backlog / $(figure seconds "$out")" | bc -l)
printf 'admitted/s: %.0f\n' "$backlog_rate"

stored=$(api "http://localhost/v3/jobs/list?limit=1&computeTotal=true&listType=ALL_JOBS" | jq '.metadata.totalCount')
echo "== listings over $stored stored jobs (median of 15, ms)"
listings=$(load listings --depth 90000)
echo "$listings"
rss=$(awk '/VmRSS/ {print $2 / 1024}' "/proc/$daemon/status")
active=$(api "http://localhost/v3/jobs/search?status.nin=FINISHED,FAILED,CANCELLED&limit=1&computeTotal=true&listType=ALL_JOBS" | jq '.metadata.totalCount')
store_mb=$(du -sm "$work/state/db" | cut -f1)
printf 'daemon RSS MB: %.0f (%s jobs stored, %s not ended)\nstore MB: %s (%.1f KB a job)\n' "$rss" "$stored" "$active" "$store_mb" \
    "$(echo "$store_mb * 1024 / $stored" | bc -l)"
stop_daemon

slurm_line="| SSH commands per Slurm submission without an earlier attempt | (skipped) | 1 |"
if [ "$slurm" = 1 ]; then
    echo "== Slurm submissions"
    # tee -a: standard error may be this script's own log file, which tee must not truncate.
    out=$(scripts/bench-slurm.sh --jobs 50 --window 10 | tee -a /dev/stderr)
    per=$(sed -n 's/^SSH commands per submission *//p' <<< "$out" | cut -d' ' -f1)
    slurm_line="| SSH commands per Slurm submission without an earlier attempt | $per | 1 |"
fi
sftp_rows=
if [ "$sftp" = 1 ]; then
    echo "== SFTP"
    out=$(scripts/bench-sftp.sh | tee -a /dev/stderr)
    sftp_rows=$(grep '^| SFTP' <<< "$out" || true)
fi

ms() { figure "$1 ms" "$listings"; }
echo
echo "## tapisd at gateway scale ($(nproc) cores, $(date -u +%Y-%m-%d))"
echo
echo "| Figure | Measured | Target |"
echo "|---|---|---|"
printf '| durable submits/s, 64 clients (SQLite anchor: %.0f commits/s) | %.0f (ratio %.2f) | ratio ≥ 1.0 |\n' "$sqlite_rate" "$submit_rate" "$(echo "$submit_rate / $sqlite_rate" | bc -l)"
printf '| submit p50 / p99, 64 clients | %s / %s ms | p99 ≤ 20 ms |\n' "$submit_p50" "$submit_p99"
printf '| daemon CPU per submit | %.2f ms | — |\n' "$submit_cpu"
printf '| ceiling: health probes/s, same 64 clients (p99; daemon CPU each) | %.0f (%s ms; %.2f ms) | — |\n' "$probe_rate" "$probe_p99" "$probe_cpu"
printf '| trivial FORK jobs submit→FINISHED, default config | %.0f jobs/s | ≥ 100 jobs/s |\n' "$job_rate"
printf '| daemon CPU per trivial job | %.1f ms | ≤ 3 ms |\n' "$job_cpu"
printf '| backlog of %s PENDING admitted | %.0f/s | ≥ 1,000/s |\n' "$backlog" "$backlog_rate"
for probe in "list (default order)" "search status" "search app" "search system" "search date range" "search name like, created desc" \
    "orderBy created asc" "orderBy name" "orderBy status" "orderBy ended" "orderBy appId"; do
    printf '| first page, %s, %s jobs | %s ms | ≤ 10 ms |\n' "$probe" "$stored" "$(ms "$probe")"
done
printf '| a page 90,000 deep, startAfter (skip: %s ms) | %s ms | ≤ 10 ms |\n' "$(ms 'page 90000 deep, skip')" "$(ms 'page 90000 deep, startAfter')"
printf '| computeTotal over %s (list / status search) | %s / %s ms | ≤ 50 ms |\n' "$stored" "$(ms 'list computeTotal')" "$(ms 'search status computeTotal')"
printf '| one job | %s ms | — |\n' "$(ms 'one job')"
echo "$slurm_line"
[ -z "$sftp_rows" ] || echo "$sftp_rows"
printf '| daemon RSS, %s jobs stored, %s not ended | %.0f MB | ≤ 64 MB |\n' "$stored" "$active" "$rss"
printf '| store size | %.1f KB a job | — |\n' "$(echo "$store_mb * 1024 / $stored" | bc -l)"
