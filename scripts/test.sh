#!/usr/bin/env bash
# The test command: installs what is needed, creates the two test users, builds everything
# (the integration tests run the real tapisd and tapis binaries) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for user in tapis-alice tapis-bob; do
    id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
done
swift build --build-tests
TAPISD_BIN_DIR=$(swift build --show-bin-path) swift test --skip-build "$@"
