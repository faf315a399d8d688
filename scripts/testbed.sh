#!/usr/bin/env bash
# The test bed: a private sshd on 127.0.0.1 (a free port, its own config, host key, authorized
# keys and log in one directory; /etc/ssh is never touched), reached by the test users
# tapis-alice (keys: ed25519 and RSA) and tapis-bob (password; tapis-locked and tapis-expired have
# the same password on a locked and an expired account), and a 1 MiB file system at
# full/ for disk-full tests, and a small container image (localhost/tapisd-test:1, busybox from
# Debian's busybox-static) in root's and each test user's rootless Podman store. Idempotent;
# stopped by its pid.
#   scripts/testbed.sh start   # starts it (or keeps the running one) and prints how to reach it
#   scripts/testbed.sh stop
#   scripts/testbed.sh env     # the variables the integration tests read
#   scripts/testbed.sh slurm-start [--no-accounting]   # a single-node Slurm 22.05 (munge,
#        MariaDB + slurmdbd unless --no-accounting, slurmctld, slurmd); /etc/slurm is this
#        machine's Slurm config, so this is for test machines only
#   scripts/testbed.sh slurm-stop
#   scripts/testbed.sh systemd-start   # a Debian 12 root (debootstrap, kept in
#        /var/tmp/tapisd-debian12) booted with systemd as PID 1 in systemd-nspawn; prints its
#        init's pid (commands run inside with nsenter -t PID -a)
#   scripts/testbed.sh systemd-stop
set -euo pipefail
# Every server started here gets /dev/null for its standard streams (they log to their own files):
# one that kept the caller's pipe open would leave a caller waiting for the end of its output.
dir=${TAPISD_TESTBED_DIR:-/tmp/tapisd-testbed}
users=(tapis-alice tapis-bob)
bob_password=${TAPISD_TESTBED_PASSWORD:-bob-secret-pw}

running() { [ -f "$dir/sshd.pid" ] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The test users and their passwords (every start, so that a running test bed gets new ones too):
# tapis-bob logs in with a password (over SSH and to tapisd), tapis-locked's password is right but
# the account is locked (passwd -l), tapis-expired's password is right but has expired.
accounts() {
    for user in "${users[@]}" tapis-locked tapis-expired; do id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"; done
    echo "tapis-bob:$bob_password" | chpasswd
    # useradd leaves the password '!', which sshd (without PAM) takes as a locked account even for
    # key logins; '*' means "no password" without the lock.
    usermod -p '*' tapis-alice
    printf 'tapis-locked:%s\ntapis-expired:%s\n' "$bob_password" "$bob_password" | chpasswd
    usermod -L tapis-locked
    chage -d 0 tapis-expired
}

tls_files() {
    [ -f "$dir/tls/server.pem" ] && return
    mkdir -p "$dir/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=tapisd test CA" \
        -keyout "$dir/tls/ca.key" -out "$dir/tls/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$dir/tls/server.key" -out "$dir/tls/server.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$dir/tls/server.ext"
    openssl x509 -req -in "$dir/tls/server.csr" -CA "$dir/tls/ca.pem" -CAkey "$dir/tls/ca.key" -CAcreateserial -days 3650 \
        -extfile "$dir/tls/server.ext" -out "$dir/tls/server.pem" 2>/dev/null
    chmod 0600 "$dir/tls/ca.key" "$dir/tls/server.key"
    chmod 0644 "$dir/tls/ca.pem" "$dir/tls/server.pem"
}

# The test image: a root file system holding only Debian's static busybox, imported with
# `podman import` (no registry is needed) for root and for each test user (rootless, with the
# sub-uid ranges rootless containers need).
image=localhost/tapisd-test:1
container_image() {
    [ -x /bin/busybox ] && command -v podman >/dev/null || { echo "testbed: podman and busybox-static are missing; run scripts/setup.sh" >&2; exit 1; }
    if [ ! -f "$dir/images/busybox.tar" ]; then
        rm -rf "$dir/images" && mkdir -p "$dir/images/rootfs/bin" "$dir/images/rootfs/tmp"
        cp /bin/busybox "$dir/images/rootfs/bin/busybox"
        for tool in sh cat echo ls sleep id wc head env touch mkdir false true test; do ln -sf busybox "$dir/images/rootfs/bin/$tool"; done
        chmod 1777 "$dir/images/rootfs/tmp"
        tar -C "$dir/images/rootfs" -cf "$dir/images/busybox.tar.tmp" . && mv "$dir/images/busybox.tar.tmp" "$dir/images/busybox.tar"
        chmod 0755 "$dir/images" && chmod 0644 "$dir/images/busybox.tar"
    fi
    for user in root "${users[@]}"; do
        if [ "$user" != root ] && ! grep -q "^$user:" /etc/subuid; then
            first=$((1000000 + $(id -u "$user") * 65536))
            usermod --add-subuids "$first-$((first + 65535))" --add-subgids "$first-$((first + 65535))" "$user"
        fi
        as_user=(setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups -- env -i HOME="$(getent passwd "$user" | cut -d: -f6)" PATH=/usr/bin:/bin)
        (cd / && "${as_user[@]}" podman image exists "$image") \
            || (cd / && "${as_user[@]}" podman import -q "$dir/images/busybox.tar" "$image" > /dev/null)
    done
}

start() {
    [ "$(id -u)" -eq 0 ] || { echo "testbed: run as root (it starts sshd and creates users)" >&2; exit 1; }
    accounts
    container_image
    # A test CA and a certificate it signed for 127.0.0.1 and localhost, for TLS listeners.
    tls_files
    if running; then cat "$dir/env"; return; fi
    for package in openssh-server openssh-client libssh2-1-dev iproute2 openssl; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="${missing:-} $package"
    done
    if [ -n "${missing:-}" ]; then
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
    fi
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
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" < /dev/null > /dev/null 2>&1
    for _ in $(seq 50); do running && break; sleep 0.1; done
    running || { echo "testbed: sshd did not start; see $dir/sshd.log" >&2; exit 1; }
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" > "$dir/known_hosts"
    cat > "$dir/env" <<ENV
TAPISD_TESTBED_DIR=$dir
TAPISD_TESTBED_SSH_PORT=$port
TAPISD_TESTBED_KNOWN_HOSTS=$dir/known_hosts
TAPISD_TESTBED_PASSWORD=$bob_password
TAPISD_TESTBED_TLS_DIR=$dir/tls
ENV
    cat "$dir/env"
    echo "# reach it with: ssh -p $port -i $dir/keys/alice_ed25519 -o UserKnownHostsFile=$dir/known_hosts tapis-alice@127.0.0.1" >&2
}

stop() {
    if running; then kill "$(cat "$dir/sshd.pid")"; fi
    if mountpoint -q "$dir/full"; then umount "$dir/full"; fi
    rm -f "$dir/sshd.pid" "$dir/env"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {  # wait_for SECONDS COMMAND...: true once COMMAND succeeds, false after SECONDS
    local deadline=$((SECONDS + $1)); shift
    while [ "$SECONDS" -lt "$deadline" ]; do timeout 5 "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    return 1
}

stop_pid() {  # stop_pid PIDFILE: SIGTERM, wait up to 30 s for the process to exit, then SIGKILL
    pid_alive "$1" || return 0
    local pid; pid=$(cat "$1")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
}

slurm_start() {
    local accounting=yes
    [ "${1:-}" = "--no-accounting" ] && accounting=no
    [ "$(id -u)" -eq 0 ] || { echo "testbed: run as root" >&2; exit 1; }
    local packages=(munge slurmctld slurmd slurm-client)
    [ "$accounting" = yes ] && packages+=(slurmdbd mariadb-server)
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || slurm_missing="${slurm_missing:-} $package"
    done
    if [ -n "${slurm_missing:-}" ]; then
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $slurm_missing
    fi
    for user in "${users[@]}"; do id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"; done
    local node; node=$(hostname -s)
    mkdir -p /run/munge /var/log/slurm /var/spool/slurmctld /var/spool/slurmd /etc/slurm
    chown munge:munge /run/munge
    pid_alive /run/munge/munged.pid || /usr/sbin/munged --force < /dev/null > /dev/null 2>&1
    wait_for 10 sh -c 'munge -n | unmunge' || { echo "testbed: munged did not start" >&2; exit 1; }

    local storage_type=accounting_storage/none
    [ "$accounting" = yes ] && storage_type=accounting_storage/slurmdbd
    cat > /etc/slurm/slurm.conf.new <<CONF
ClusterName=local
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=${TAPISD_TESTBED_MIN_JOB_AGE:-10}
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=$storage_type
$( [ "$accounting" = yes ] && echo AccountingStorageEnforce=associations )
MpiDefault=none
# Listen on the node's address (127.0.0.1), not on every interface.
CommunicationParameters=NoInAddrAny
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 2048 )) State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
    if cmp -s /etc/slurm/slurm.conf.new /etc/slurm/slurm.conf; then
        rm /etc/slurm/slurm.conf.new
    else  # a changed config (accounting on or off) needs the daemons restarted
        stop_pid /run/slurmd.pid
        stop_pid /run/slurmctld.pid
        mv /etc/slurm/slurm.conf.new /etc/slurm/slurm.conf
    fi
    if [ "$accounting" = yes ]; then
        mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
        if ! mysqladmin ping >/dev/null 2>&1; then
            mysqld_safe --bind-address=127.0.0.1 < /dev/null > "$dir/mysqld.log" 2>&1 &
            wait_for 60 mysqladmin ping || { echo "testbed: MariaDB did not start; see $dir/mysqld.log" >&2; exit 1; }
        fi
        mysql -e "CREATE DATABASE IF NOT EXISTS slurm_acct_db; CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurmpw'; GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost'; FLUSH PRIVILEGES;"
        cat > /etc/slurm/slurmdbd.conf <<CONF
AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
CommunicationParameters=NoInAddrAny
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=slurmpw
StorageLoc=slurm_acct_db
PidFile=/run/slurmdbd.pid
LogFile=/var/log/slurm/slurmdbd.log
CONF
        chmod 0600 /etc/slurm/slurmdbd.conf
        pid_alive /run/slurmdbd.pid || /usr/sbin/slurmdbd < /dev/null > /dev/null 2>&1
        wait_for 30 sacctmgr -n list cluster || { echo "testbed: slurmdbd did not answer; see /var/log/slurm/slurmdbd.log" >&2; exit 1; }
        sacctmgr -n list cluster format=cluster%30 | grep -qw local || sacctmgr -i add cluster local
    fi
    pid_alive /run/slurmctld.pid || /usr/sbin/slurmctld < /dev/null > /dev/null 2>&1
    pid_alive /run/slurmd.pid || /usr/sbin/slurmd < /dev/null > /dev/null 2>&1
    wait_for 30 sh -c "sinfo -h -o %T | grep -qE 'idle|mixed|alloc'" || { echo "testbed: the Slurm node did not come up; see /var/log/slurm" >&2; exit 1; }
    if [ "$accounting" = yes ]; then
        sacctmgr -n list account format=account%30 | grep -qw research || sacctmgr -i add account research
        sacctmgr -i add user root,tapis-alice,tapis-bob account=research >/dev/null 2>&1 || true
    fi
    echo "testbed: Slurm is up (accounting: $accounting); partition debug on node $node"
}

slurm_stop() {
    for pid in /run/slurmd.pid /run/slurmctld.pid /run/slurmdbd.pid; do stop_pid "$pid"; done
    if [ -f /run/mysqld/mysqld.pid ] && kill -0 "$(cat /run/mysqld/mysqld.pid)" 2>/dev/null; then mysqladmin shutdown || true; fi
    stop_pid /run/munge/munged.pid
}

# A booted Debian 12 with systemd as PID 1, for the package and unit tests.
systemd_root=${TAPISD_SYSTEMD_ROOT:-/var/tmp/tapisd-debian12}
systemd_running() { [ -f "$dir/systemd.pid" ] && kill -0 "$(cat "$dir/systemd.pid")" 2>/dev/null; }
systemd_start() {
    [ "$(id -u)" -eq 0 ] || { echo "testbed: run as root (it boots a container)" >&2; exit 1; }
    mkdir -p "$dir"
    if systemd_running; then cat "$dir/systemd.env"; return; fi
    for package in debootstrap systemd-container; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="${missing:-} $package"
    done
    if [ -n "${missing:-}" ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing; fi
    if [ ! -x "$systemd_root/usr/lib/systemd/systemd" ]; then
        rm -rf "$systemd_root.tmp"
        debootstrap --variant=minbase \
            --include=systemd,systemd-sysv,dbus,libssh2-1,libsqlite3-0,libpam0g,libpam-runtime,procps,curl,unzip,tar,openssh-client,util-linux,init-system-helpers \
            bookworm "$systemd_root.tmp" > "$dir/debootstrap.log" 2>&1 || { echo "testbed: debootstrap failed; see $dir/debootstrap.log" >&2; exit 1; }
        mv "$systemd_root.tmp" "$systemd_root"
    fi
    systemd-nspawn -q --register=no --keep-unit --console=passive -b -D "$systemd_root" < /dev/null > "$dir/systemd.log" 2>&1 &
    echo "$!" > "$dir/nspawn.pid"
    init=
    for _ in $(seq 100); do
        init=$(ps -o pid= --ppid "$(cat "$dir/nspawn.pid")" | tr -d ' ' | head -1 || true)
        [ -n "$init" ] && [ "$(cat "/proc/$init/comm" 2>/dev/null)" = systemd ] && break
        init=; sleep 0.1
    done
    [ -n "$init" ] || { echo "testbed: the container did not boot; see $dir/systemd.log" >&2; exit 1; }
    echo "$init" > "$dir/systemd.pid"
    for _ in $(seq 120); do
        state=$(nsenter -t "$init" -a -- systemctl is-system-running 2>/dev/null || true)
        case "$state" in running|degraded) break ;; esac
        sleep 0.5
    done
    # On a host with cgroup v1 controllers nspawn mounts them read-only, so the container's systemd
    # could not apply memory and CPU limits to the units it starts (jobs' MemoryMax, CPUQuota):
    # made writable, and systemd re-executed to see them.
    for controller in memory cpu cpuacct; do
        if [ -d "/sys/fs/cgroup/$controller" ] && [ ! -L "/sys/fs/cgroup/$controller" ]; then
            nsenter -t "$init" -m -- mount -o remount,bind,rw "/sys/fs/cgroup/$controller" 2>/dev/null || true
        fi
    done
    nsenter -t "$init" -a -- systemctl daemon-reexec
    printf 'TAPISD_SYSTEMD_PID=%s\nTAPISD_SYSTEMD_ROOT=%s\n' "$init" "$systemd_root" > "$dir/systemd.env"
    cat "$dir/systemd.env"
}
systemd_stop() {
    if systemd_running; then kill -s SIGRTMIN+4 "$(cat "$dir/systemd.pid")"; fi
    if [ -f "$dir/nspawn.pid" ]; then
        for _ in $(seq 100); do kill -0 "$(cat "$dir/nspawn.pid")" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$dir/systemd.pid" "$dir/nspawn.pid" "$dir/systemd.env"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    slurm-start) slurm_start "${2:-}" ;;
    slurm-stop) slurm_stop ;;
    systemd-start) systemd_start ;;
    systemd-stop) systemd_stop ;;
    env) running && cat "$dir/env" || { echo "testbed: not running; scripts/testbed.sh start" >&2; exit 1; } ;;
    *) echo "usage: $0 start|stop|env|slurm-start [--no-accounting]|slurm-stop|systemd-start|systemd-stop" >&2; exit 2 ;;
esac
