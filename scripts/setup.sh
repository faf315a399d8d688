#!/usr/bin/env bash
# Installs the Debian packages tapisd needs to build, run and test. Idempotent; apt only runs
# when something is missing.
set -euo pipefail
# podman, runc and uidmap run the DOCKER apps of the tests (rootless for the test users);
# busybox-static fills their test image; systemd brings systemd-socket-activate, which passes the
# socket-activation tests their socket as systemd does.
packages=(libsqlite3-dev sqlite3 libssh2-1-dev libpam0g-dev zip unzip curl util-linux procps passwd jq bc podman runc uidmap busybox-static systemd)
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
# tapisd's PAM service (password logins): installed when missing or changed, as root only.
pam_service="$(dirname "$0")/../etc/pam.d/tapisd"
if [ "$(id -u)" -eq 0 ] && ! cmp -s "$pam_service" /etc/pam.d/tapisd; then
    install -m 0644 "$pam_service" /etc/pam.d/tapisd
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (expected at /opt/swift)" >&2; exit 1; }
