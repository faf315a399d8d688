#!/usr/bin/env bash
# The monitoring benchmark: many queued-and-running BATCH jobs on the test bed's Slurm, watched by
# one tapisd over one SSH connection. Prints the scheduler commands per submission (sbatch, plus a
# lookup only after an earlier attempt; target 1), the status commands per poll cycle (target 1) and
# the daemon's CPU while it monitors, from tapisd's own metrics and /proc.
#   scripts/bench-slurm.sh [--jobs 500] [--poll 5] [--window 60]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=500 poll=5 window=60
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) jobs=$2; shift 2 ;;
        --poll) poll=$2; shift 2 ;;
        --window) window=$2; shift 2 ;;
        *) echo "usage: $0 [--jobs N] [--poll SECONDS] [--window SECONDS]" >&2; exit 2 ;;
    esac
done
scripts/setup.sh
scripts/testbed.sh start > /dev/null
scripts/testbed.sh slurm-start > /dev/null
. "${TAPISD_TESTBED_DIR:-/tmp/tapisd-testbed}/env"
swift build -c release --product tapisd
swift build -c release --product tapis
bin=$(swift build -c release --show-bin-path)

work=$(mktemp -d /tmp/tapisd-bench-slurm.XXXXXX)
chmod 0755 "$work"
remote=/home/tapis-alice/tapisd-bench-slurm-$$
cat > "$work/tapisd.yaml" <<EOF
pollIntervalSeconds: $poll
maxConcurrentJobs: 16
leaseSeconds: 60
logLevel: info
knownHostsFile: $TAPISD_TESTBED_KNOWN_HOSTS
EOF
"$bin/tapisd" --config "$work/tapisd.yaml" --socket "$work/tapisd.sock" --state-dir "$work/state" \
    --systems "$work/none" --apps "$work/none" > "$work/tapisd.log" 2>&1 &
daemon=$!
ssh_alice() {
    ssh -p "$TAPISD_TESTBED_SSH_PORT" -i "$TAPISD_TESTBED_DIR/keys/alice_ed25519" -o BatchMode=yes \
        -o UserKnownHostsFile="$TAPISD_TESTBED_KNOWN_HOSTS" tapis-alice@127.0.0.1 "$@"
}
cleanup() {
    kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
    ssh_alice "scancel --me; rm -rf $remote" || true
    echo "(daemon log: $work/tapisd.log)"
}
trap cleanup EXIT
export TAPIS_SOCKET="$work/tapisd.sock"
for _ in $(seq 100); do [ -S "$TAPIS_SOCKET" ] && break; sleep 0.1; done

jq -n --rawfile key "$TAPISD_TESTBED_DIR/keys/alice_ed25519" --argjson port "$TAPISD_TESTBED_SSH_PORT" --arg work "$remote" '{
    id: "cluster", host: "127.0.0.1", port: $port, effectiveUserId: "tapis-alice", defaultAuthnMethod: "PKI_KEYS",
    authnCredential: {privateKey: $key}, rootDir: "/", jobWorkingDir: $work, canExec: true, canRunBatch: true,
    batchScheduler: "SLURM", batchDefaultLogicalQueue: "normal",
    batchLogicalQueues: [{name: "normal", hpcQueueName: "debug", maxMinutes: 600}]}' > "$work/cluster.json"
"$bin/tapis" systems create "$work/cluster.json" > /dev/null
app=$(etc/apps/hello/build.sh "$work/apps")
jq '.jobType = "BATCH" | .jobAttributes.execSystemId = "cluster"' "$app" > "$work/app.json"
"$bin/tapis" apps create "$work/app.json" > /dev/null
echo '{"name": "bench", "appId": "hello", "appVersion": "1.0", "maxMinutes": 600,
       "parameterSet": {"envVariables": [{"key": "SLEEP_SECONDS", "value": "36000"}]}}' > "$work/job.json"

echo "submitting $jobs jobs"
start=$(date +%s.%N)
for _ in $(seq "$jobs"); do "$bin/tapis" jobs submit "$work/job.json" > /dev/null; done
echo "waiting until Slurm holds all of them"
count_in_slurm() { "$bin/tapis" jobs list --limit 100000 --json | jq '[.[] | select(.status == "QUEUED" or .status == "RUNNING")] | length'; }
while [ "$(count_in_slurm)" -lt "$jobs" ]; do
    if "$bin/tapis" jobs list --status FAILED --json | jq -e "length > 0" > /dev/null; then
        echo "a job failed before reaching Slurm; see $work/tapisd.log" >&2
        exit 1
    fi
    sleep 2
done
submitted=$(echo "$(date +%s.%N) - $start" | bc)
squeue_states=$(ssh_alice "squeue --me -h -o %t | sort | uniq -c | tr -s ' ' | paste -sd,")

command_count() { "$bin/tapis" metrics --json | jq ".schedulerCommands.cluster.$1.count // 0"; }
submit_commands=$(( $(command_count submit) + $(command_count lookup) ))
status_count() { command_count status; }
cycle_count() { "$bin/tapis" metrics --json | jq '.pollCycles.cluster // 0'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
echo "measuring for $window s"
c0=$(status_count) y0=$(cycle_count) t0=$(cpu_ticks) s0=$(date +%s.%N)
sleep "$window"
c1=$(status_count) y1=$(cycle_count) t1=$(cpu_ticks) s1=$(date +%s.%N)
elapsed=$(echo "$s1 - $s0" | bc -l)
hz=$(getconf CLK_TCK)
"$bin/tapis" metrics
echo
printf 'jobs in Slurm                  %d (squeue: %s), all submitted in %.0f s\n' "$jobs" "$squeue_states" "$submitted"
printf 'SSH commands per submission    %.2f (%d sbatch and lookup commands for %d jobs, counted by tapisd; target 1)\n' \
    "$(echo "$submit_commands / $jobs" | bc -l)" "$submit_commands" "$jobs"
printf 'poll interval                  %d s, measured over %.1f s\n' "$poll" "$elapsed"
printf 'status commands per poll cycle %.2f (%d commands in %d cycles, counted by tapisd; target 1)\n' \
    "$(echo "($c1 - $c0) / ($y1 - $y0)" | bc -l)" "$((c1 - c0))" "$((y1 - y0))"
printf 'daemon CPU while monitoring    %.2f %% of one core\n' "$(echo "100 * ($t1 - $t0) / $hz / $elapsed" | bc -l)"
