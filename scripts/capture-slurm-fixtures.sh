#!/usr/bin/env bash
# Captures, from the test bed's real Slurm, the scheduler output the Slurm golden tests read
# (Tests/SlurmTests/Fixtures): how jobs ended, in the finalize command's own sacct form, and what
# sbatch, squeue and sacct print while slurmctld is down. Runs the commands as tapis-alice over
# the test bed's sshd, as tapisd does. Needs `scripts/testbed.sh start` and `slurm-start`; takes
# about five minutes (one job must hit its one-minute limit, and squeue retries a missing controller); stops and restarts slurmctld.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=Tests/SlurmTests/Fixtures
# shellcheck disable=SC1091
source <(scripts/testbed.sh env)
remote() {
    ssh -p "$TAPISD_TESTBED_SSH_PORT" -i "$TAPISD_TESTBED_DIR/keys/alice_ed25519" -o BatchMode=yes \
        -o UserKnownHostsFile="$TAPISD_TESTBED_KNOWN_HOSTS" tapis-alice@127.0.0.1 "$1"
}
capture() {  # capture NAME COMMAND: its stdout, stderr and exit status, as the fixture NAME
    set +e
    remote "$2" > "$fixtures/$1.stdout" 2> "$fixtures/$1.stderr"
    echo $? > "$fixtures/$1.status"
    set -e
}
submit() {  # submit NAME SBATCH-OPTIONS BODY: the job id
    remote "cd /tmp && sbatch --parsable --job-name=tapis-capture-$1 $2 --output=/dev/null --wrap=$(printf %q "$3")"
}

ok=$(submit ok "" "true")
exit3=$(submit exit3 "" "sleep 2; exit 3")
timeout=$(submit timeout "--time=1" "sleep 300")
pending=$(submit pending "--begin=now+1hour" "true")
running=$(submit running "" "sleep 300")
for _ in $(seq 60); do
    [ "$(remote "squeue --noheader --jobs=$running --format=%t")" = R ] && break
    sleep 1
done
remote "scancel $pending $running"
echo "waiting for job $timeout to reach its time limit" >&2
for _ in $(seq 240); do
    [ -z "$(remote "squeue --noheader --me --format=%i")" ] && break
    sleep 2
done
ids="$ok,$exit3,$timeout,$pending,$running"
echo "ok=$ok exit3=$exit3 timeout=$timeout cancelledPending=$pending cancelledRunning=$running" > "$fixtures/final-ids.txt"
capture sacct-by-ids "sacct -X -P --duplicates --noheader --starttime=now-30days --jobs=$ids --format=JobID,State,ExitCode,End"

controller=$(cat /run/slurmctld.pid)
kill "$controller"
for _ in $(seq 150); do kill -0 "$controller" 2>/dev/null || break; sleep 0.2; done
# squeue keeps trying the controller for about a minute before it gives up.
capture sbatch-controller-down "cd /tmp && sbatch --parsable --job-name=tapis-capture-down --output=/dev/null --wrap=true"
capture squeue-controller-down "squeue --noheader --me --states=all --format='%i|%t|%T|%r'"
capture squeue-by-name-controller-down "squeue --noheader --me --states=all --name=tapis-capture-ok --format=%i"
scripts/testbed.sh slurm-start >&2
echo "captured into $fixtures: sacct-by-ids (jobs $ids), and *-controller-down" >&2
