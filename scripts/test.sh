#!/usr/bin/env bash
# The test command: installs what is needed, starts the test bed (a private sshd on loopback, with
# the two test users tapis-alice and tapis-bob, a single-node Slurm, and a Debian 12 booted with
# systemd in nspawn), builds everything (the integration tests run the real tapisd and tapis
# binaries, and install the Debian package scripts/package.sh builds) and runs every test: Swift's,
# then the tapipy suite (Tests/python);
# arguments, if any, go to swift test instead.
# The test bed keeps running afterwards;
# scripts/testbed.sh stop stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/testbed.sh start
scripts/testbed.sh slurm-start
scripts/testbed.sh systemd-start
scripts/package.sh
swift build --build-tests
export TAPISD_BIN_DIR; TAPISD_BIN_DIR=$(swift build --show-bin-path)
if [ $# -gt 0 ]; then exec swift test --skip-build "$@"; fi
swift test --skip-build --skip SlurmAccountingOffTests
# tapipy, the official Tapis Python client from PyPI, unchanged, against tapisd over TCP.
scripts/test-python.sh
# The same Slurm without accounting (a real site state), for the suite that needs it; then back.
scripts/testbed.sh slurm-start --no-accounting
swift test --skip-build --filter SlurmAccountingOffTests
scripts/testbed.sh slurm-start
