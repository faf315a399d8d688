"""The tapipy acceptance suite's fixtures: one real tapisd for the whole session.

The session copies tapisd and tapis out of the build directory (so a rebuild while the suite runs
cannot swap them), builds the example app, starts the daemon on a temporary socket, state dir and
a free loopback TCP port, mints a token for root, tapis-alice and tapis-bob (each minted over the
Unix socket by curl running as that user, as the kernel's peer credentials decide who you are
there), and stops the daemon by its pid at the end. Every wait is bounded. The daemon's log is
printed when a test fails.

The suite runs as root (it needs setpriv to act as the test users).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from tapipy.errors import BaseTapyException
from tapipy.tapis import Tapis

REPO = Path(__file__).resolve().parents[2]
TESTBED_DIR = Path(os.environ.get("TAPISD_TESTBED_DIR", "/tmp/tapisd-testbed"))
TENANT = "tapisd"
ALICE = "tapis-alice"
BOB = "tapis-bob"
ROOT = "root"
START_TIMEOUT = 30.0  # seconds for the daemon to answer on its socket and its TCP port
JOB_TIMEOUT = 60.0  # seconds for a short job to end
HTTP_TIMEOUT = 15  # seconds for one raw HTTP call
TERMINAL = {"FINISHED", "FAILED", "CANCELLED"}
# The daemon's log, kept for the summary when a test failed (the work dir may be gone by then).
_LOG: dict[str, str] = {}


# ----------------------------------------------------------------------------------------------
# Helpers the test modules import.


def jwt_claims(token: str) -> dict:
    """The payload of a JWT, undecoded by any key (what a client can read)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def bed_value(name: str) -> str:
    """A value of the test bed's env file (scripts/testbed.sh start writes it)."""
    for line in (TESTBED_DIR / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        if key == name:
            return value
    raise RuntimeError(f"{name} is not in {TESTBED_DIR / 'env'}: restart the test bed (scripts/testbed.sh stop; start)")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def wait_for_status(client: Tapis, uuid: str, wanted: set[str], timeout: float = JOB_TIMEOUT) -> str:
    """Polls getJobStatus until the job's status is one of `wanted` (or it ended otherwise, or the
    time is up); returns the last status seen."""
    deadline = time.monotonic() + timeout
    status = None
    while True:
        status = client.jobs.getJobStatus(jobUuid=uuid).status
        if status in wanted or status in TERMINAL or time.monotonic() > deadline:
            return status
        time.sleep(0.25)


def submit(client: Tapis, app_id: str, name: str, env: dict[str, str] | None = None):
    """Submits a job of the example app (version 1.0) through tapipy; returns tapipy's result."""
    kwargs = {"name": name, "appId": app_id, "appVersion": "1.0"}
    if env:
        kwargs["parameterSet"] = {"envVariables": [{"key": k, "value": v} for k, v in env.items()]}
    return client.jobs.submitJob(**kwargs)


def http_status(error: BaseTapyException) -> int | None:
    """The HTTP status of the response tapipy raised `error` for."""
    response = getattr(error, "response", None)
    return None if response is None else response.status_code


def error_envelope(response: requests.Response) -> dict:
    """The Tapis error envelope of a failed response; asserts its shape."""
    body = response.json()
    assert body.get("status") == "error", body
    assert isinstance(body.get("message"), str) and body["message"].strip(), body
    return body


# ----------------------------------------------------------------------------------------------
# The daemon.


def _binary_directory() -> Path:
    configured = os.environ.get("TAPISD_BIN_DIR")
    if configured:
        return Path(configured)
    out = subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True, timeout=300, check=True
    )
    return Path(out.stdout.strip())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_user(user: str, argv: list[str]) -> list[str]:
    """`argv` run as the Unix user `user` (the suite runs as root)."""
    if user == ROOT and os.geteuid() == 0:
        return argv
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", *argv]


class Daemon:
    """A tapisd process with its own temporary directory."""

    def __init__(self, extra_config: str = "", scheme: str = "http") -> None:
        self.work = Path(tempfile.mkdtemp(prefix="tapisd-python."))
        # The test users reach the socket and the app archive through this directory.
        self.work.chmod(0o755)
        self.bin = self.work / "bin"
        self.bin.mkdir()
        source = _binary_directory()
        for name in ("tapisd", "tapis"):
            if not (source / name).is_file():
                raise RuntimeError(f"{source / name} does not exist: build first (swift build) or set TAPISD_BIN_DIR")
            shutil.copy2(source / name, self.bin / name)
        self.socket = self.work / "tapisd.sock"
        self.state = self.work / "state"
        self.log_path = self.work / "tapisd.log"
        # Jobs' working directories: every user writes their own below it.
        self.jobs_dir = self.work / "jobs"
        self.jobs_dir.mkdir()
        self.jobs_dir.chmod(0o1777)
        build = subprocess.run(
            [str(REPO / "etc/apps/hello/build.sh"), str(self.work / "apps")],
            capture_output=True, text=True, timeout=60,
        )
        if build.returncode != 0:
            raise RuntimeError(f"building the example app failed: {build.stderr}")
        self.app_definition = json.loads(Path(build.stdout.strip()).read_text())
        self.port = _free_port()
        self.base_url = f"{scheme}://127.0.0.1:{self.port}"
        self.verify: str | bool = True
        self.config = self.work / "tapisd.yaml"
        self.config.write_text(
            f"pollIntervalSeconds: 1\nleaseSeconds: 30\nlogLevel: debug\ntcpPort: {self.port}\n{extra_config}"
        )
        self.process: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}

    # -- lifecycle --

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(self.bin / "tapisd"), "--config", str(self.config), "--socket", str(self.socket),
                    "--state-dir", str(self.state), "--systems", str(self.work / "systems.d"),
                    "--apps", str(self.work / "apps.d"),
                ],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"tapisd exited at start with status {self.process.returncode}:\n{self.log()}")
            if self._answers():
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"tapisd did not answer within {START_TIMEOUT:.0f} s:\n{self.log()}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        """Whether both listeners answer the health probe."""
        if not self.socket.exists():
            return False
        try:
            status, _ = self.socket_request(ROOT, "GET", "/v3/jobs/healthcheck", timeout=5)
            if status != 200:
                return False
            return requests.get(self.url("/v3/jobs/healthcheck"), timeout=5, verify=self.verify).status_code == 200
        except (requests.RequestException, subprocess.SubprocessError, ValueError):
            return False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stops the daemon by its pid: SIGTERM, then SIGKILL after 15 s."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    # -- calls --

    def url(self, path: str) -> str:
        return self.base_url + path

    def socket_request(self, user: str, method: str, path: str, timeout: float = HTTP_TIMEOUT, body: dict | None = None) -> tuple[int, dict | None]:
        """One HTTP call over the Unix socket by curl running as `user`: (status, JSON body)."""
        data = [] if body is None else ["-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
        argv = as_user(user, [
            "curl", "-sS", "--max-time", str(int(timeout)), "--unix-socket", str(self.socket),
            "-X", method, *data, "-w", "\n%{http_code}", f"http://localhost{path}",
        ])
        out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout + 5)
        if out.returncode != 0:
            raise subprocess.SubprocessError(f"{' '.join(argv)} failed ({out.returncode}): {out.stderr}")
        body, _, status = out.stdout.rpartition("\n")
        return int(status), (json.loads(body) if body.strip() else None)

    def mint_token(self, user: str, ttl: int = 3600) -> dict:
        """A new token for `user`, minted over the socket as that user: the envelope's result."""
        status, body = self.socket_request(user, "POST", f"/v3/tokens?ttl={ttl}")
        if status not in (200, 201) or not body or body.get("status") != "success":
            raise RuntimeError(f"minting a token for {user} failed: HTTP {status} {body}")
        return body["result"]

    def client(self, user: str) -> Tapis:
        """A tapipy client with `user`'s session token."""
        return Tapis(base_url=self.base_url, tenant_id=TENANT, jwt=self.tokens[user])

    def cancel_active_jobs(self) -> None:
        """Cancels every job that has not ended (so no job outlives the suite), waiting at most 20 s."""
        headers = {"X-Tapis-Token": self.tokens[ROOT]}
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            listed = requests.get(self.url("/v3/jobs/list"), headers=headers,
                                  params={"listType": "ALL_JOBS", "limit": 10000}, timeout=HTTP_TIMEOUT)
            active = [job["uuid"] for job in listed.json().get("result") or [] if job.get("status") not in TERMINAL]
            if not active:
                return
            for uuid in active:
                requests.post(self.url(f"/v3/jobs/{uuid}/cancel"), headers=headers, timeout=HTTP_TIMEOUT)
            time.sleep(1)


def start_with_tokens(daemon: "Daemon") -> None:
    """Starts the daemon and mints a session token for root, tapis-alice and tapis-bob."""
    daemon.start()
    for user in (ROOT, ALICE, BOB):
        daemon.tokens[user] = daemon.mint_token(user)["access_token"]


@pytest.fixture(scope="session")
def tapisd(request):
    """The running daemon, with a session token for root, tapis-alice and tapis-bob."""
    if os.geteuid() != 0:
        pytest.exit("the tapipy suite runs as root (it acts as the test users with setpriv)", returncode=2)
    daemon = Daemon()
    previous_handler = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum, frame):  # a watchdog's SIGTERM: end the jobs and the daemon, then the session
        try:
            if daemon.running and ROOT in daemon.tokens:
                daemon.cancel_active_jobs()
        except Exception:
            pass
        finally:
            daemon.stop()
        pytest.exit("terminated (SIGTERM)", returncode=124)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        start_with_tokens(daemon)
    except BaseException as error:
        daemon.stop()
        _LOG["text"], _LOG["path"] = daemon.log(), str(daemon.log_path)
        raise RuntimeError(f"tapisd did not start: {error}") from error
    try:
        yield daemon
    finally:
        try:
            if daemon.running:
                daemon.cancel_active_jobs()
        finally:
            daemon.stop()
            signal.signal(signal.SIGTERM, previous_handler)
            _LOG["text"], _LOG["path"] = daemon.log(), str(daemon.log_path)
            if request.session.testsfailed == 0 and not os.environ.get("TAPISD_KEEP_WORK"):
                shutil.rmtree(daemon.work, ignore_errors=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """On failure, the tail of the daemon's log (the whole log stays in its work directory)."""
    if exitstatus == 0 or "text" not in _LOG:
        return
    lines = _LOG["text"].splitlines()
    terminalreporter.section(f"tapisd log (last {min(len(lines), 300)} of {len(lines)} lines; full log: {_LOG['path']})")
    for line in lines[-300:]:
        terminalreporter.write_line(line)


# ----------------------------------------------------------------------------------------------
# Clients and shared definitions.


@pytest.fixture(scope="session")
def alice(tapisd) -> Tapis:
    return tapisd.client(ALICE)


@pytest.fixture(scope="session")
def bob(tapisd) -> Tapis:
    return tapisd.client(BOB)


@pytest.fixture(scope="session")
def root(tapisd) -> Tapis:
    return tapisd.client(ROOT)


def create_system(daemon: "Daemon", client: Tapis) -> str:
    """A system on this host that the client's user creates with tapipy's createSystem (private to
    them); its id.

    tapipy's schema requires defaultAuthnMethod; a system on this host with no credential and no
    port runs its jobs without SSH, as its user.
    """
    system_id = f"py-sys-{secrets.token_hex(3)}"
    client.systems.createSystem(
        id=system_id, description="tapipy acceptance suite", host="localhost", systemType="LINUX",
        defaultAuthnMethod="PKI_KEYS", rootDir="/", canExec=True,
        jobWorkingDir=f"{daemon.jobs_dir}/${{apiUserId}}", effectiveUserId="${apiUserId}",
        jobRuntimes=[{"runtimeType": "ZIP"}],
    )
    return system_id


def create_app(daemon: "Daemon", client: Tapis, system_id: str, **job_attributes) -> str:
    """The example app, as the client's user's own app (createAppVersion) running on their system,
    with `job_attributes` added to its jobAttributes; its id."""
    app = json.loads(json.dumps(daemon.app_definition))
    app["id"] = f"py-hello-{secrets.token_hex(3)}"
    app["jobAttributes"]["execSystemId"] = system_id
    app["jobAttributes"].update(job_attributes)
    client.apps.createAppVersion(**app)
    return app["id"]


@pytest.fixture(scope="session")
def alice_system(tapisd, alice) -> str:
    """A system on this host that alice creates with tapipy's createSystem (private to her); its id."""
    return create_system(tapisd, alice)


@pytest.fixture(scope="session")
def alice_app(tapisd, alice, alice_system) -> str:
    """The example app, as alice's own app (createAppVersion) running on her system; its id."""
    return create_app(tapisd, alice, alice_system)


@pytest.fixture(scope="session")
def finished_jobs(alice, alice_app) -> list[str]:
    """Two short jobs of alice's that finished, in the order submitted: their uuids."""
    uuids = [submit(alice, alice_app, "py-first").uuid, submit(alice, alice_app, "py-second").uuid]
    for uuid in uuids:
        status = wait_for_status(alice, uuid, {"FINISHED"})
        assert status == "FINISHED", f"job {uuid} ended {status}, not FINISHED"
    return uuids
