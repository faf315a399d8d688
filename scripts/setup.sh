#!/usr/bin/env bash
# Installs the Debian packages tapisd needs to build, run and test. Idempotent; apt only runs
# when something is missing.
set -euo pipefail
packages=(libsqlite3-dev sqlite3 libssh2-1-dev zip unzip curl util-linux procps passwd jq bc)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: run as root (or install these packages): ${missing[*]}" >&2
        exit 1
    fi
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (expected at /opt/swift)" >&2; exit 1; }
