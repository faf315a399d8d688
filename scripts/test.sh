#!/usr/bin/env bash
# The test command: installs what is needed, starts the test bed (a private sshd on loopback, with
# the two test users tapis-alice and tapis-bob, and a single-node Slurm), builds everything (the integration tests run the
# real tapisd and tapis binaries) and runs every test. The test bed keeps running afterwards;
# scripts/testbed.sh stop stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/testbed.sh start
scripts/testbed.sh slurm-start
swift build --build-tests
TAPISD_BIN_DIR=$(swift build --show-bin-path) swift test --skip-build "$@"
