"""Logging in as Tapis users do, through tapipy unchanged: sites and tenants before any token, a
password checked by the host's PAM, refresh tokens for an OAuth client, one answer for every
refusal, a back-off for a login storm, TLS with a test CA, CORS, and `tapis login` end to end."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pwd
import secrets
import subprocess
import tempfile
import time
from pathlib import Path

import jwt
import pytest
import requests
from tapipy.errors import BaseTapyException
from tapipy.tapis import Tapis

from conftest import (
    BOB, HTTP_TIMEOUT, ROOT, TENANT, TESTBED_DIR, Daemon, as_user, b64url, error_envelope, jwt_claims, submit,
    bed_value, wait_for_status,
)

REFUSAL = "the user name or password is wrong, or this account may not log in here"
TOKENS = "/v3/oauth2/tokens"


@pytest.fixture(scope="module")
def password() -> str:
    return bed_value("TAPISD_TESTBED_PASSWORD")


@pytest.fixture(scope="module")
def oauth_client(tapisd) -> tuple[str, str]:
    """An OAuth client root registers over the socket: (client_id, client_key)."""
    client_id = f"py-portal-{secrets.token_hex(3)}"
    status, body = tapisd.socket_request(ROOT, "POST", "/v3/oauth2/clients", body={"client_id": client_id, "description": "tapipy suite"})
    assert status == 201, body
    return client_id, body["result"]["client_key"]


@pytest.fixture(scope="module")
def ca() -> str:
    return str(Path(bed_value("TAPISD_TESTBED_TLS_DIR")) / "ca.pem")


@pytest.fixture(scope="module")
def tls_daemon(ca):
    """A second tapisd whose TCP listener speaks TLS with the test bed's certificate, and lets
    https://portal.example.org's pages call it."""
    tls = Path(bed_value("TAPISD_TESTBED_TLS_DIR"))
    daemon = Daemon(
        extra_config=f"tlsCertificate: {tls / 'server.pem'}\ntlsKey: {tls / 'server.key'}\ncorsOrigins: [https://portal.example.org]\n",
        scheme="https",
    )
    daemon.verify = ca
    daemon.start()
    try:
        daemon.tokens[ROOT] = daemon.mint_token(ROOT)["access_token"]
        yield daemon
    finally:
        daemon.stop()


def _login(daemon, user: str, password: str, **kwargs) -> requests.Response:
    return requests.post(daemon.url(TOKENS), json={"grant_type": "password", "username": user, "password": password},
                         timeout=HTTP_TIMEOUT, verify=daemon.verify, **kwargs)


def test_password_login_with_no_tenant_id_runs_the_seed_steps(tapisd, password):
    client = Tapis(base_url=tapisd.base_url, username=BOB, password=password)
    assert client.tenant_id == TENANT, "found by the base_url tapisd publishes for the address used"
    client.get_tokens()
    assert client.access_token.claims["tapis/username"] == BOB
    assert client.access_token.claims["tapis/token_type"] == "access"
    app = json.loads(json.dumps(tapisd.app_definition))
    app["id"] = f"py-bob-{secrets.token_hex(3)}"
    client.apps.createAppVersion(**app)
    job = submit(client, app["id"], "py-login")
    assert wait_for_status(client, job.uuid, {"FINISHED"}) == "FINISHED"
    assert job.uuid in [listed.uuid for listed in client.jobs.getJobList()]
    assert any(item.name == "tapisjob.out" for item in client.jobs.getJobOutputList(jobUuid=job.uuid, outputPath="/"))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_an_access_token_alone_finds_the_tenant_by_any_address(tapisd, password, host):
    token = _login(tapisd, BOB, password).json()["result"]["access_token"]["access_token"]
    client = Tapis(base_url=f"http://{host}:{tapisd.port}", access_token=token)
    assert client.tenant_id == TENANT
    assert isinstance(client.jobs.getJobList(), list)


def test_sites_and_tenants_need_no_token_and_the_published_key_verifies_tokens(tapisd, password):
    sites = requests.get(tapisd.url("/v3/sites"), timeout=HTTP_TIMEOUT)
    tenants = requests.get(tapisd.url("/v3/tenants"), timeout=HTTP_TIMEOUT)
    assert sites.headers["Content-Type"] == tenants.headers["Content-Type"] == "application/json"
    tenant = tenants.json()["result"][0]
    assert (tenant["tenant_id"], tenant["base_url"]) == (TENANT, tapisd.base_url)
    token = _login(tapisd, BOB, password).json()["result"]["access_token"]["access_token"]
    claims = jwt.decode(token, tenant["public_key"], algorithms=["RS256"])
    assert claims["tapis/username"] == BOB and claims["tapis/tenant_id"] == TENANT and claims["sub"] == f"{BOB}@{TENANT}"
    # The classic forgery: HS256 with the public key as the secret, claiming to be root.
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({**claims, "tapis/username": ROOT, "sub": f"{ROOT}@{TENANT}"}).encode())
    mac = hmac.new(tenant["public_key"].encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    forged = requests.get(tapisd.url("/v3/jobs/list"), headers={"X-Tapis-Token": f"{header}.{payload}.{b64url(mac)}"}, timeout=HTTP_TIMEOUT)
    assert forged.status_code == 401
    error_envelope(forged)


def test_a_client_gets_and_uses_a_refresh_token(tapisd, password, oauth_client):
    client_id, client_key = oauth_client
    client = Tapis(base_url=tapisd.base_url, username=BOB, password=password, client_id=client_id, client_key=client_key)
    client.get_tokens()
    assert client.refresh_token is not None
    assert client.refresh_token.claims["tapis/client_id"] == client_id, "tapipy verified it with the tenant's public key"
    first_access, first_refresh = client.access_token.access_token, client.refresh_token.refresh_token
    client.refresh_tokens()
    assert client.access_token.access_token != first_access
    assert isinstance(client.jobs.getJobList(), list)
    reused = requests.post(tapisd.url(TOKENS), json={"grant_type": "refresh_token", "refresh_token": first_refresh},
                           auth=(client_id, client_key), timeout=HTTP_TIMEOUT)
    assert reused.status_code == 401 and "already used" in error_envelope(reused)["message"]
    stranger = requests.post(tapisd.url(TOKENS), json={"grant_type": "refresh_token", "refresh_token": client.refresh_token.refresh_token},
                             auth=(client_id, "guessed"), timeout=HTTP_TIMEOUT)
    assert stranger.status_code == 401


def test_wrong_password_unknown_user_locked_expired_and_root_are_refused_alike(tapisd, password):
    answers, durations = set(), []
    for user, guess in [(BOB, "not-" + password), ("tapis-nobody", password), ("tapis-locked", password), ("tapis-expired", password), (ROOT, password)]:
        started = time.monotonic()
        answer = _login(tapisd, user, guess)
        durations.append(time.monotonic() - started)
        assert answer.status_code == 401, f"{user}: {answer.status_code} {answer.text}"
        answers.add(error_envelope(answer)["message"])
    assert answers == {REFUSAL}
    assert min(durations) >= 0.9 and max(durations) - min(durations) < 0.5, durations
    with pytest.raises(BaseTapyException):
        Tapis(base_url=tapisd.base_url, username=BOB, password="not-" + password).get_tokens()
    log = tapisd.log()
    assert "result=refused" in log and "user=tapis-locked" in log and "source=127.0.0.1" in log, "every refusal is an audit line"
    assert password not in log, "no password is ever logged"


def test_bad_bodies_get_an_envelope_and_a_form_works(tapisd, password):
    for body, status in [(b"{nope", 400), (b'{"grant_type": "implicit"}', 400), (b'{"grant_type": "password"}', 400), (b"x" * 200_000, 413)]:
        answer = requests.post(tapisd.url(TOKENS), data=body, headers={"Content-Type": "application/json"}, timeout=HTTP_TIMEOUT)
        assert answer.status_code == status, body[:40]
        error_envelope(answer)
    form = requests.post(tapisd.url(TOKENS), data={"grant_type": "password", "username": BOB, "password": password}, timeout=HTTP_TIMEOUT)
    assert form.status_code == 201, form.text


def test_a_login_storm_gets_429_and_the_right_password_works_after_the_back_off(tapisd, password):
    retry_after = None
    for _ in range(12):
        answer = _login(tapisd, BOB, "storm-" + secrets.token_hex(4))
        if answer.status_code == 429:
            retry_after = int(answer.headers["Retry-After"])
            error_envelope(answer)
            break
        assert answer.status_code == 401
    assert retry_after is not None and 1 <= retry_after <= 900, "the storm was held back"
    assert _login(tapisd, BOB, password).status_code == 429, "even the right password waits out the back-off"
    time.sleep(retry_after + 0.2)
    assert _login(tapisd, BOB, password).status_code == 201


def test_tls_listener_works_with_tapipy_and_refuses_plain_http(tls_daemon, password, ca):
    client = Tapis(base_url=tls_daemon.base_url, username=BOB, password=password, verify=ca)
    assert client.tenant_id == TENANT
    client.get_tokens()
    assert isinstance(client.jobs.getJobList(), list)
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_daemon.url("/v3/tenants"), timeout=HTTP_TIMEOUT)  # the system's CAs do not know the test CA
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{tls_daemon.port}/v3/tenants", timeout=HTTP_TIMEOUT)


def test_cors_preflight_passes_only_for_the_configured_origin(tls_daemon):
    def preflight(origin):
        return requests.options(tls_daemon.url("/v3/jobs/submit"), timeout=HTTP_TIMEOUT, verify=tls_daemon.verify, headers={
            "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-tapis-token,content-type"})

    allowed = preflight("https://portal.example.org")
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://portal.example.org"
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    refused = preflight("https://evil.example")
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers


def _tapis_as_bob(daemon, home: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    argv = as_user(BOB, ["env", "-u", "TAPIS_SOCKET", f"HOME={home}", f"USER={BOB}", str(daemon.bin / "tapis"), *args])
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60)


def test_tapis_login_end_to_end_over_tls(tls_daemon, password, ca):
    status, body = tls_daemon.socket_request(ROOT, "POST", "/v3/oauth2/clients", body={"client_id": "py-cli"})
    assert status == 201, body
    client_key = body["result"]["client_key"]
    home = tempfile.mkdtemp(prefix="tapis-home.")
    bob = pwd.getpwnam(BOB)
    os.chown(home, bob.pw_uid, bob.pw_gid)
    wrong = _tapis_as_bob(tls_daemon, home, "login", "--url", tls_daemon.base_url, "--ca-file", ca, stdin="wrong\n")
    assert wrong.returncode == 1 and REFUSAL in wrong.stderr
    login = _tapis_as_bob(tls_daemon, home, "login", "--url", tls_daemon.base_url, "--ca-file", ca,
                          "--client-id", "py-cli", "--client-key", client_key, stdin=password + "\n")
    assert login.returncode == 0, login.stderr
    saved_path = Path(home) / ".config/tapis/login.json"
    assert saved_path.stat().st_mode & 0o777 == 0o600 and (Path(home) / ".config/tapis").stat().st_mode & 0o777 == 0o700
    assert password not in saved_path.read_text(), "the password is not kept"
    listed = _tapis_as_bob(tls_daemon, home, "jobs", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("UUID"), listed.stderr
    # An access token about to end is refreshed before the next command.
    saved = json.loads(saved_path.read_text())
    old_token = saved["accessToken"]
    saved["expiresAt"] = "2020-01-01T00:00:00.000000Z"
    saved_path.write_text(json.dumps(saved))
    tokens = _tapis_as_bob(tls_daemon, home, "tokens", "list")
    assert tokens.returncode == 0, tokens.stderr
    refreshed = json.loads(saved_path.read_text())
    assert refreshed["accessToken"] != old_token and jwt_claims(refreshed["accessToken"])["tapis/grant_type"] == "refresh_token"
    logout = _tapis_as_bob(tls_daemon, home, "logout")
    assert logout.returncode == 0 and not saved_path.exists()
    revoked = requests.get(tls_daemon.url("/v3/jobs/list"), headers={"X-Tapis-Token": refreshed["accessToken"]}, timeout=HTTP_TIMEOUT, verify=ca)
    assert revoked.status_code == 401, "logging out revoked the token"


def _served_serial(daemon, ca: str) -> int:
    """The serial number of the certificate a new TLS connection to `daemon` is shown."""
    import socket
    import ssl
    context = ssl.create_default_context(cafile=ca)
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=HTTP_TIMEOUT) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            return int(tls.getpeercert()["serialNumber"], 16)


def test_reload_serves_a_renewed_certificate_without_dropping_connections(ca):
    """SIGHUP (systemctl reload) reads the certificate again: new connections get the renewed one,
    an open keep-alive connection carries on, and an unreadable file keeps the one in use."""
    import http.client
    import signal
    import ssl
    bed = Path(bed_value("TAPISD_TESTBED_TLS_DIR"))
    tls = Path(tempfile.mkdtemp(prefix="tapisd-tls."))
    certificate, key = tls / "server.pem", tls / "server.key"
    certificate.write_bytes((bed / "server.pem").read_bytes())
    key.write_bytes((bed / "server.key").read_bytes())
    key.chmod(0o600)
    daemon = Daemon(extra_config=f"tlsCertificate: {certificate}\ntlsKey: {key}\n", scheme="https")
    daemon.verify = ca
    daemon.start()
    try:
        first = _served_serial(daemon, ca)
        open_connection = http.client.HTTPSConnection("127.0.0.1", daemon.port, timeout=HTTP_TIMEOUT,
                                                      context=ssl.create_default_context(cafile=ca))
        open_connection.request("GET", "/v3/jobs/healthcheck")
        before = open_connection.getresponse()
        assert before.status == 200 and before.read()

        renewed = tls / "renewed"
        subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                        "-keyout", f"{renewed}.key", "-out", f"{renewed}.csr"], check=True, capture_output=True)
        subprocess.run(["openssl", "x509", "-req", "-in", f"{renewed}.csr", "-CA", str(bed / "ca.pem"), "-CAkey", str(bed / "ca.key"),
                        "-set_serial", "4242", "-days", "2", "-extfile", str(bed / "server.ext"), "-out", f"{renewed}.pem"],
                       check=True, capture_output=True)
        Path(f"{renewed}.pem").replace(certificate)
        Path(f"{renewed}.key").replace(key)
        os.kill(daemon.process.pid, signal.SIGHUP)
        deadline = time.monotonic() + 10
        while "TLS certificate reloaded" not in daemon.log() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "TLS certificate reloaded" in daemon.log()
        assert first != 4242 and _served_serial(daemon, ca) == 4242, "a new connection gets the renewed certificate"
        open_connection.request("GET", "/v3/jobs/healthcheck")
        response = open_connection.getresponse()
        assert response.status == 200 and response.read(), "the connection opened before the reload carries on"
        open_connection.close()

        certificate.write_text("not a certificate\n")
        os.kill(daemon.process.pid, signal.SIGHUP)
        deadline = time.monotonic() + 10
        while "TLS certificate not reloaded" not in daemon.log() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert f"tlsCertificate {certificate}: not a readable PEM certificate chain" in daemon.log()
        assert _served_serial(daemon, ca) == 4242, "an unreadable file keeps the certificate in use"
        assert daemon.running
    finally:
        daemon.stop()
