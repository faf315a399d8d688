#!/usr/bin/env bash
# The SFTP benchmark: a large file and a tree of small files through tapisd's SSH transport, side by
# side with OpenSSH's sftp and scp on the same loopback sshd (the test bed), directly and through a
# proxy adding 10 ms each way. Prints MB/s and ratios, ending with a markdown table.
#   scripts/bench-sftp.sh [--size-mib 1024] [--files 1000] [--delay-ms 10]
# TAPISD_BUILD_PATH: the build directory (swift build --scratch-path); .build by default.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/testbed.sh start > /dev/null
. "${TAPISD_TESTBED_DIR:-/tmp/tapisd-testbed}/env"
build=(swift build -c release --scratch-path "${TAPISD_BUILD_PATH:-.build}")
"${build[@]}" --product tapisd-bench
"$("${build[@]}" --show-bin-path)/tapisd-bench" \
    --port "$TAPISD_TESTBED_SSH_PORT" --user tapis-alice --key "$TAPISD_TESTBED_DIR/keys/alice_ed25519" \
    --known-hosts "$TAPISD_TESTBED_KNOWN_HOSTS" --remote-directory "/home/tapis-alice/tapisd-bench-$$" "$@"
