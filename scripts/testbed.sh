#!/usr/bin/env bash
# The test bed: a private sshd on 127.0.0.1 (a free port, its own config, host key, authorized
# keys and log in one directory; /etc/ssh is never touched), reached by the test users
# tapis-alice (keys: ed25519 and RSA) and tapis-bob (password), and a 1 MiB file system at
# full/ for disk-full tests. Idempotent; stopped by its pid.
#   scripts/testbed.sh start   # starts it (or keeps the running one) and prints how to reach it
#   scripts/testbed.sh stop
#   scripts/testbed.sh env     # the variables the integration tests read
set -euo pipefail
dir=${TAPISD_TESTBED_DIR:-/tmp/tapisd-testbed}
users=(tapis-alice tapis-bob)
bob_password=${TAPISD_TESTBED_PASSWORD:-bob-secret-pw}

running() { [ -f "$dir/sshd.pid" ] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    if running; then cat "$dir/env"; return; fi
    [ "$(id -u)" -eq 0 ] || { echo "testbed: run as root (it starts sshd and creates users)" >&2; exit 1; }
    for package in openssh-server openssh-client libssh2-1-dev iproute2; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="${missing:-} $package"
    done
    if [ -n "${missing:-}" ]; then
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
    fi
    for user in "${users[@]}"; do id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"; done
    echo "tapis-bob:$bob_password" | chpasswd
    # useradd leaves the password '!', which sshd (without PAM) takes as a locked account even for
    # key logins; '*' means "no password" without the lock.
    usermod -p '*' tapis-alice
    mkdir -p "$dir/keys" "$dir/authorized_keys" /run/sshd
    chmod 0755 "$dir" "$dir/authorized_keys"
    [ -f "$dir/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N "" -f "$dir/ssh_host_ed25519_key"
    [ -f "$dir/keys/alice_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -C alice-ed25519 -f "$dir/keys/alice_ed25519"
    [ -f "$dir/keys/alice_rsa" ] || ssh-keygen -q -t rsa -b 3072 -m PEM -N "" -C alice-rsa -f "$dir/keys/alice_rsa"
    [ -f "$dir/keys/alice_protected" ] || ssh-keygen -q -t ed25519 -N "open sesame" -C alice-protected -f "$dir/keys/alice_protected"
    [ -f "$dir/keys/stranger" ] || ssh-keygen -q -t ed25519 -N "" -C stranger -f "$dir/keys/stranger"
    cat "$dir/keys/alice_ed25519.pub" "$dir/keys/alice_rsa.pub" "$dir/keys/alice_protected.pub" > "$dir/authorized_keys/tapis-alice"
    : > "$dir/authorized_keys/tapis-bob"
    chmod 0644 "$dir"/authorized_keys/*
    chmod 0600 "$dir"/keys/*
    chmod 0644 "$dir"/keys/*.pub
    port=$(free_port)
    cat > "$dir/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys/%u
PubkeyAuthentication yes
# Like many sites still do: Debian 12's libssh2 (1.10) signs RSA logins only with SHA-1.
PubkeyAcceptedAlgorithms +ssh-rsa
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
StrictModes no
MaxSessions 10
MaxStartups 100:30:200
Subsystem sftp internal-sftp
LogLevel VERBOSE
CONFIG
    # A 1 MiB file system, for tests of a full remote disk.
    mkdir -p "$dir/full"
    mountpoint -q "$dir/full" || mount -t tmpfs -o size=1m,mode=1777 tapisd-full "$dir/full"
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
    for _ in $(seq 50); do running && break; sleep 0.1; done
    running || { echo "testbed: sshd did not start; see $dir/sshd.log" >&2; exit 1; }
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" > "$dir/known_hosts"
    cat > "$dir/env" <<ENV
TAPISD_TESTBED_DIR=$dir
TAPISD_TESTBED_SSH_PORT=$port
TAPISD_TESTBED_KNOWN_HOSTS=$dir/known_hosts
TAPISD_TESTBED_PASSWORD=$bob_password
ENV
    cat "$dir/env"
    echo "# reach it with: ssh -p $port -i $dir/keys/alice_ed25519 -o UserKnownHostsFile=$dir/known_hosts tapis-alice@127.0.0.1" >&2
}

stop() {
    if running; then kill "$(cat "$dir/sshd.pid")"; fi
    if mountpoint -q "$dir/full"; then umount "$dir/full"; fi
    rm -f "$dir/sshd.pid" "$dir/env"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) running && cat "$dir/env" || { echo "testbed: not running; scripts/testbed.sh start" >&2; exit 1; } ;;
    *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
