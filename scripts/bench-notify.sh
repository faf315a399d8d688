#!/usr/bin/env bash
# The notification benchmark, one command: latency from a job event to a webhook receiver on
# loopback (median and p99 over 1,000 events) and deliveries per second, against the receiver's
# answers to direct POSTs measured in the same run. Release build.
#   scripts/bench-notify.sh [--events 1000] [--jobs 200] [--clients 16]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh > /dev/null
swift build -c release --product tapisd
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/tapisd-bench-notify.XXXXXX)
chmod 0755 "$work"
trap 'echo "(work dir and daemon log: $work)"' EXIT
python3 scripts/bench_notify.py --bin "$bin" --work "$work" "$@"
