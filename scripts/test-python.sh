#!/usr/bin/env bash
# The tapipy acceptance suite: the official Tapis Python client (tapipy, from PyPI, unchanged)
# against a real tapisd. Creates (or reuses) a virtualenv, installs Tests/python/requirements.txt
# into it and runs pytest on Tests/python; exits with pytest's status (no test collected is a
# failure). Runs as root: the suite acts as the test users of scripts/testbed.sh (started here if
# it is not running) with setpriv, and logs in with their passwords. Arguments go to pytest.
#   TAPISD_PYTHON_VENV  the virtualenv (default /tmp/tapisd-python-venv)
#   TAPISD_PYTHON       the Python that creates it (default python3)
#   TAPISD_BIN_DIR      where the built tapisd and tapis are (default: swift build --show-bin-path;
#                       the suite copies both before starting the daemon)
#   TAPISD_KEEP_WORK    when set, the daemon's work directory is kept even if every test passed
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "test-python: run as root (the suite acts as the test users with setpriv)" >&2; exit 1; }

apt_updated=
install_packages() {
    [ -n "$apt_updated" ] || { apt-get update -q; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# What the suite runs besides Python: curl (tokens are minted over the Unix socket), setpriv, and
# a browser.
missing=()
command -v curl >/dev/null || missing+=(curl)
command -v setpriv >/dev/null || missing+=(util-linux)
command -v python3 >/dev/null || [ -n "${TAPISD_PYTHON:-}" ] || missing+=(python3 python3-venv)
# The web page's tests drive Debian's headless Chromium through its driver.
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
[ "${#missing[@]}" -eq 0 ] || install_packages "${missing[@]}"
# The test users and their passwords (the login tests read them from the test bed's env file).
scripts/testbed.sh start > /dev/null

venv=${TAPISD_PYTHON_VENV:-/tmp/tapisd-python-venv}
python=${TAPISD_PYTHON:-python3}
if ! "$venv/bin/python" -c 'import pip' >/dev/null 2>&1; then
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
        # Debian's python3 makes virtualenvs only with python3-venv (ensurepip) installed.
        rm -rf "$venv"
        install_packages python3-venv
        python=/usr/bin/python3
        "$python" -m venv "$venv"
    fi
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r Tests/python/requirements.txt

if [ -z "${TAPISD_BIN_DIR:-}" ]; then TAPISD_BIN_DIR=$(swift build --show-bin-path); fi
export TAPISD_BIN_DIR
for binary in tapisd tapis; do
    [ -x "$TAPISD_BIN_DIR/$binary" ] || { echo "test-python: $TAPISD_BIN_DIR/$binary is missing; run swift build first" >&2; exit 1; }
done

export PYTHONDONTWRITEBYTECODE=1
status=0
"$venv/bin/python" -m pytest -q -p no:cacheprovider Tests/python "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "test-python: pytest collected no test" >&2
    status=1
fi
exit "$status"
