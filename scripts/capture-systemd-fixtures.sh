#!/usr/bin/env bash
# Captures, from the real systemd of the test bed's booted Debian 12 (`scripts/testbed.sh
# systemd-start`), the output the systemd scheduler's golden tests read
# (Tests/LocalProcessTests/Fixtures): `systemctl show` for job units that run, ended well, exited 3,
# reached RuntimeMaxSec, went past MemoryMax, were killed, were never started; a second `systemd-run` of a loaded unit;
# `systemctl stop` of a unit not loaded. Runs the commands as root in the container, as tapisd
# does. Takes about ten seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=Tests/LocalProcessTests/Fixtures
mkdir -p "$fixtures"
# shellcheck disable=SC1091
source <(scripts/testbed.sh systemd-start)
inside() { nsenter -t "$TAPISD_SYSTEMD_PID" -a -- /bin/sh -c "$1"; }
capture() {  # capture NAME COMMAND: its stdout, stderr and exit status, as the fixture NAME
    set +e
    inside "$2" > "$fixtures/$1.stdout" 2> "$fixtures/$1.stderr"
    echo $? > "$fixtures/$1.status"
    set -e
}
inside 'id tapis-capture > /dev/null 2>&1 || useradd --create-home tapis-capture'
start() {  # start NAME COMMAND [PROPERTY...]: a job-like unit tapis-capture-NAME.service
    local name=$1 command=$2; shift 2
    local properties=""
    for property in "$@"; do properties="$properties --property=$property"; done
    inside "systemctl stop tapis-capture-$name.service 2>/dev/null; systemctl reset-failed tapis-capture-$name.service 2>/dev/null
        systemd-run --quiet --unit=tapis-capture-$name.service --slice=tapisd-jobs.slice --uid=tapis-capture \
        --property=RemainAfterExit=yes --property=TimeoutStopSec=2 $properties -- /bin/sh -c '$command'"
}
start ok "true"
start exit3 "exit 3"
start timeout "sleep 300" RuntimeMaxSec=2
start killed "sleep 300"
start running "sleep 300"
start oom "head -c 300M /dev/zero | tail -c 200M > /dev/null" MemoryMax=20M
sleep 0.5
inside 'systemctl kill --signal=KILL tapis-capture-killed.service'
sleep 3
units="tapis-capture-oom.service tapis-capture-ok.service tapis-capture-exit3.service tapis-capture-timeout.service tapis-capture-killed.service tapis-capture-running.service tapis-capture-never.service"
capture systemctl-show "systemctl show --property=Id,LoadState,ActiveState,SubState,Result -- $units"
capture systemd-run-again "systemd-run --quiet --unit=tapis-capture-running.service --uid=tapis-capture -- /bin/true"
capture systemctl-stop-not-loaded "systemctl stop -- tapis-capture-never.service"
inside "systemctl stop $units 2>/dev/null; systemctl reset-failed $units 2>/dev/null; true"
