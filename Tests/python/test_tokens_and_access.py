"""Who may do what over the TCP listener: tokens, and one user's jobs against another user.

Bob's token on alice's jobs goes through tapipy (every job endpoint, table-driven); the token
checks use `requests` directly, since tapipy itself refuses to build a client from a malformed
token.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

import pytest
import requests
from tapipy.errors import BaseTapyException, NotFoundError, UnauthorizedError
from tapipy.tapis import Tapis

from conftest import (
    ALICE, BOB, HTTP_TIMEOUT, TENANT, b64url, error_envelope, http_status, jwt_claims, submit,
    wait_for_status,
)

JOB_LIST = "/v3/jobs/list"


def _uuids(jobs) -> list[str]:
    return [job.uuid for job in jobs]


def _get(tapisd, path: str, token: str | None, **kwargs) -> requests.Response:
    headers = {} if token is None else {"X-Tapis-Token": token}
    return requests.get(tapisd.url(path), headers=headers, timeout=HTTP_TIMEOUT, **kwargs)


@pytest.fixture(scope="module")
def alice_running(tapisd, alice, alice_app):
    """A job of alice's that sleeps 300 s, once RUNNING; cancelled at the end of the module."""
    uuid = submit(alice, alice_app, "py-access-long", env={"SLEEP_SECONDS": "300"}).uuid
    assert wait_for_status(alice, uuid, {"RUNNING"}) == "RUNNING"
    yield uuid
    if not tapisd.running:
        return
    alice.jobs.cancelJob(jobUuid=uuid)
    wait_for_status(alice, uuid, {"CANCELLED"}, timeout=30)


# ---- bob on alice's jobs --------------------------------------------------------------------

# Every job endpoint that names a job, as bob calls it through tapipy.
JOB_CALLS = {
    "getJob": lambda c, u: c.jobs.getJob(jobUuid=u),
    "getJobStatus": lambda c, u: c.jobs.getJobStatus(jobUuid=u),
    "getJobHistory": lambda c, u: c.jobs.getJobHistory(jobUuid=u),
    "getJobOutputList": lambda c, u: c.jobs.getJobOutputList(jobUuid=u, outputPath="/"),
    "getJobOutputDownload": lambda c, u: c.jobs.getJobOutputDownload(jobUuid=u, outputPath="tapisjob.out"),
    "cancelJob": lambda c, u: c.jobs.cancelJob(jobUuid=u),
    "resubmitJob": lambda c, u: c.jobs.resubmitJob(jobUuid=u),
    "hideJob": lambda c, u: c.jobs.hideJob(jobUuid=u),
    "unhideJob": lambda c, u: c.jobs.unhideJob(jobUuid=u),
    "getResubmitRequestJson": lambda c, u: c.jobs.getResubmitRequestJson(jobUuid=u),
    "sendEvent": lambda c, u: c.jobs.sendEvent(jobUuid=u, eventData="from bob", eventDetail="bob"),
    "subscribe": lambda c, u: c.jobs.subscribe(
        jobUuid=u, eventCategoryFilter="ALL", deliveryTargets=[{"deliveryMethod": "WEBHOOK", "deliveryAddress": "https://bob.example.org/h"}]),
    "getSubscriptions": lambda c, u: c.jobs.getSubscriptions(jobUuid=u),
    "deleteSubscriptions": lambda c, u: c.jobs.deleteSubscriptions(uuid=u),
}


@pytest.mark.parametrize("state", ["finished", "running"])
@pytest.mark.parametrize("operation", list(JOB_CALLS))
def test_bob_cannot_touch_alice_job(operation, state, alice, bob, finished_jobs, alice_running):
    uuid = finished_jobs[0] if state == "finished" else alice_running
    before = alice.jobs.getJob(jobUuid=uuid)
    history_before = len(alice.jobs.getJobHistory(jobUuid=uuid))
    alice_jobs_before = sorted(_uuids(alice.jobs.getJobList(limit=1000)))
    bob_jobs_before = sorted(_uuids(bob.jobs.getJobList(limit=1000)))

    with pytest.raises(BaseTapyException) as raised:
        JOB_CALLS[operation](bob, uuid)
    assert http_status(raised.value) in (403, 404), f"{operation}: HTTP {http_status(raised.value)}"
    body = error_envelope(raised.value.response)
    assert "tapisjob" not in body["message"]  # nothing of the job's content leaks

    # Nothing changed for alice, and bob got no job out of it.
    after = alice.jobs.getJob(jobUuid=uuid)
    assert (after.status, after.visible) == (before.status, before.visible)
    assert len(alice.jobs.getJobHistory(jobUuid=uuid)) == history_before
    assert sorted(_uuids(alice.jobs.getJobList(limit=1000))) == alice_jobs_before
    assert sorted(_uuids(bob.jobs.getJobList(limit=1000))) == bob_jobs_before


def test_bob_lists_and_searches_none_of_alice_jobs(bob, alice, finished_jobs, alice_running):
    alices = set(finished_jobs) | {alice_running}
    assert alices <= set(_uuids(alice.jobs.getJobList(limit=1000)))
    listed = bob.jobs.getJobList(limit=1000)
    assert not alices & set(_uuids(listed))
    assert all(job.owner == BOB for job in listed)
    searched = bob.jobs.getJobSearchList(limit=1000, _tapis_query_parameters={"status.eq": "FINISHED"})
    assert not alices & set(_uuids(searched))
    by_uuid = bob.jobs.getJobSearchListByPostSqlStr(request_body={"search": [f"uuid = '{finished_jobs[0]}'"]})
    assert _uuids(by_uuid) == []
    # Asking for every job does not widen a user's view.
    everything = bob.jobs.getJobList(limit=1000, listType="ALL_JOBS")
    assert not alices & set(_uuids(everything))


def test_root_sees_every_job_only_when_asking(root, finished_jobs, alice_running):
    alices = set(finished_jobs) | {alice_running}
    assert alices <= set(_uuids(root.jobs.getJobList(limit=1000, listType="ALL_JOBS")))
    assert not alices & set(_uuids(root.jobs.getJobList(limit=1000)))  # MY_JOBS: root's own
    assert root.jobs.getJob(jobUuid=finished_jobs[0]).owner == ALICE


def test_bob_cannot_see_alice_system_or_app(bob, alice_system, alice_app):
    with pytest.raises(NotFoundError) as raised:
        bob.systems.getSystem(systemId=alice_system)
    assert http_status(raised.value) == 404
    assert alice_system not in [s.id for s in bob.systems.getSystems()]
    with pytest.raises(NotFoundError):
        bob.apps.getApp(appId=alice_app, appVersion="1.0")


def test_bob_cannot_run_alice_app(bob, alice_app):
    before = _uuids(bob.jobs.getJobList(limit=1000))
    with pytest.raises(BaseTapyException) as raised:
        submit(bob, alice_app, "py-bob-steals")
    assert http_status(raised.value) in (400, 403, 404)
    error_envelope(raised.value.response)
    assert _uuids(bob.jobs.getJobList(limit=1000)) == before


# ---- tokens -------------------------------------------------------------------------------------


@pytest.mark.parametrize("ttl", [60, 3600, 86400])
def test_minted_token_claims(tapisd, ttl):
    minted = tapisd.mint_token(ALICE, ttl=ttl)
    claims = jwt_claims(minted["access_token"])
    assert claims["tapis/username"] == ALICE
    assert claims["tapis/tenant_id"] == TENANT
    assert claims["jti"] == minted["jti"]
    assert claims["exp"] - claims["iat"] == ttl
    assert minted["expires_in"] == ttl
    expires_at = datetime.datetime.fromisoformat(minted["expires_at"].replace("Z", "+00:00"))
    assert int(expires_at.timestamp()) == claims["exp"]
    # tapipy reads the same expiry from the token.
    client = Tapis(base_url=tapisd.base_url, tenant_id=TENANT, jwt=minted["access_token"])
    assert int(client.access_token.expires_at.timestamp()) == claims["exp"]
    assert client.jobs.getJobList(limit=1) is not None


@pytest.mark.parametrize("ttl", [0, 59, 2592001, "abc"])
def test_mint_rejects_bad_ttl(tapisd, ttl):
    status, body = tapisd.socket_request(ALICE, "POST", f"/v3/tokens?ttl={ttl}")
    assert status == 400, body
    assert body["status"] == "error" and body["message"]


def test_tokens_are_not_minted_over_tcp(tapisd):
    answer = requests.post(tapisd.url("/v3/tokens"), headers={"X-Tapis-Token": tapisd.tokens[ALICE]}, timeout=HTTP_TIMEOUT)
    assert answer.status_code == 403
    error_envelope(answer)


def test_session_token_works(tapisd, alice):
    answer = _get(tapisd, JOB_LIST, tapisd.tokens[ALICE])
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "success"
    assert isinstance(body["result"], list)
    assert body["metadata"]["recordCount"] == len(body["result"])


def _hs256(claims: dict, key: bytes) -> str:
    """A JWT signed HS256 with `key` (not tapisd's)."""
    signing_input = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64url(json.dumps(claims).encode())
    return signing_input + "." + b64url(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())


def _tampered_tokens(token: str, other: str) -> dict[str, str]:
    """Tokens that must all be refused, made from alice's valid `token` (and bob's `other`)."""
    header, payload, signature = token.split(".")
    claims = jwt_claims(token)
    as_root = b64url(json.dumps({**claims, "tapis/username": "root", "sub": "root@tapisd"}).encode())
    longer = b64url(json.dumps({**claims, "exp": claims["exp"] + 86400}).encode())
    middle = len(payload) // 2
    flipped = payload[:middle] + ("A" if payload[middle] != "A" else "B") + payload[middle + 1:]
    none_header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    none_header_lower = b64url(json.dumps({"alg": "None", "typ": "JWT"}).encode())
    return {
        "payload char flipped": f"{header}.{flipped}.{signature}",
        "claims say root": f"{header}.{as_root}.{signature}",
        "expiry extended": f"{header}.{longer}.{signature}",
        "alg none, no signature": f"{none_header}.{payload}.",
        "alg none, claims say root": f"{none_header}.{as_root}.",
        "alg None, original signature": f"{none_header_lower}.{payload}.{signature}",
        "bob's signature": f"{header}.{payload}.{other.split('.')[2]}",
        "signature removed": f"{header}.{payload}.",
        "signed with a guessed key": _hs256(claims, b"secret"),
        "signed with an empty key": _hs256(claims, b""),
        "garbage": "garbage",
        "three empty parts": "..",
        "bearer prefix": f"Bearer {token}",
    }


TAMPERED = list(_tampered_tokens("a.eyJleHAiOjF9.c", "a.b.c"))  # the kinds (made from a dummy token)


@pytest.mark.parametrize("kind", TAMPERED)
def test_tampered_token_is_refused(tapisd, kind):
    token = _tampered_tokens(tapisd.tokens[ALICE], tapisd.tokens[BOB])[kind]
    answer = _get(tapisd, JOB_LIST, token)
    assert answer.status_code == 401, f"{kind}: HTTP {answer.status_code} {answer.text}"
    error_envelope(answer)


@pytest.mark.parametrize("headers", [{}, {"X-Tapis-Token": ""}], ids=["no header", "empty header"])
def test_missing_token_is_refused(tapisd, headers):
    answer = requests.get(tapisd.url(JOB_LIST), headers=headers, timeout=HTTP_TIMEOUT)
    assert answer.status_code == 401
    error_envelope(answer)


def test_missing_token_is_refused_on_every_job_endpoint(tapisd, finished_jobs):
    uuid = finished_jobs[0]
    calls = [
        ("GET", f"/v3/jobs/{uuid}"), ("GET", f"/v3/jobs/{uuid}/status"), ("GET", f"/v3/jobs/{uuid}/history"),
        ("GET", f"/v3/jobs/{uuid}/output/list/"), ("GET", f"/v3/jobs/{uuid}/output/download/tapisjob.out"),
        ("POST", f"/v3/jobs/{uuid}/cancel"), ("POST", f"/v3/jobs/{uuid}/resubmit"), ("POST", f"/v3/jobs/{uuid}/hide"),
        ("POST", f"/v3/jobs/{uuid}/unhide"), ("GET", f"/v3/jobs/{uuid}/resubmit_request"),
        ("POST", f"/v3/jobs/{uuid}/sendEvent"), ("GET", "/v3/jobs/list"), ("GET", "/v3/jobs/search"),
        ("POST", "/v3/jobs/search"), ("POST", "/v3/jobs/submit"), ("GET", "/v3/systems"), ("POST", "/v3/systems"),
        ("GET", "/v3/apps"), ("POST", "/v3/apps"), ("GET", "/v3/tokens"),
    ]
    refused = {}
    for method, path in calls:
        answer = requests.request(method, tapisd.url(path), json={}, timeout=HTTP_TIMEOUT)
        refused[f"{method} {path}"] = answer.status_code
        if answer.status_code == 401:
            error_envelope(answer)
    assert {call: status for call, status in refused.items() if status != 401} == {}


def test_revoked_token_is_refused(tapisd):
    minted = tapisd.mint_token(ALICE)
    token = minted["access_token"]
    assert _get(tapisd, JOB_LIST, token).status_code == 200

    status, listing = tapisd.socket_request(ALICE, "GET", "/v3/tokens")
    assert status == 200
    assert minted["jti"] in [t["jti"] for t in listing["result"]]
    assert {t["username"] for t in listing["result"]} == {ALICE}

    status, body = tapisd.socket_request(ALICE, "DELETE", f"/v3/tokens/{minted['jti']}")
    assert status == 200, body
    assert body["status"] == "success"

    answer = _get(tapisd, JOB_LIST, token)
    assert answer.status_code == 401
    error_envelope(answer)
    client = Tapis(base_url=tapisd.base_url, tenant_id=TENANT, jwt=token)
    with pytest.raises(UnauthorizedError):
        client.jobs.getJobList()
    # The session token of the same user still works.
    assert _get(tapisd, JOB_LIST, tapisd.tokens[ALICE]).status_code == 200


def test_bob_cannot_revoke_alice_token(tapisd):
    minted = tapisd.mint_token(ALICE)
    status, body = tapisd.socket_request(BOB, "DELETE", f"/v3/tokens/{minted['jti']}")
    assert status in (403, 404), body
    assert body["status"] == "error"
    status, listing = tapisd.socket_request(BOB, "GET", "/v3/tokens")
    assert status == 200 and minted["jti"] not in [t["jti"] for t in listing["result"]]
    assert _get(tapisd, JOB_LIST, minted["access_token"]).status_code == 200


@pytest.mark.parametrize("path", ["/v3/jobs/healthcheck", "/v3/jobs/readycheck"])
def test_probes_need_no_token(tapisd, path):
    answer = requests.get(tapisd.url(path), timeout=HTTP_TIMEOUT)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "success" and body["message"]


def test_health_probe_through_tapipy(alice):
    health = alice.jobs.checkHealth()
    assert health.databaseAccess is True


def _audit_lines(tapisd, kind: str) -> list[str]:
    return [line for line in tapisd.log().splitlines() if f"audit={kind}" in line]


def test_security_relevant_actions_and_refusals_leave_audit_lines_without_secrets(tapisd, alice, finished_jobs):
    """Minting and revoking a token, sharing a job, a rejected token and a forbidden call each leave
    one `audit=` line naming who acted; no line holds a token."""
    minted = tapisd.mint_token(ALICE)
    status, _ = tapisd.socket_request(ALICE, "DELETE", f"/v3/tokens/{minted['jti']}")
    assert status == 200
    tokens = _audit_lines(tapisd, "token")
    assert any("token minted" in line and f"token.jti={minted['jti']}" in line and f"user={ALICE}" in line for line in tokens)
    assert any("token revoked" in line and f"token.jti={minted['jti']}" in line for line in tokens)

    assert _get(tapisd, JOB_LIST, minted["access_token"]).status_code == 401
    assert any("token rejected" in line and "path=/v3/jobs/list" in line and "source=127.0.0.1" in line for line in _audit_lines(tapisd, "token"))

    alice.jobs.shareJob(jobUuid=finished_jobs[0], grantee=BOB, jobResource=["JOB_HISTORY"], jobPermission="READ")
    alice.jobs.deleteJobShare(jobUuid=finished_jobs[0], user=BOB)
    shares = _audit_lines(tapisd, "share")
    assert any("job shared" in line and f"job.id={finished_jobs[0]}" in line and f"grantee={BOB}" in line and f"user={ALICE}" in line for line in shares)
    assert any("job unshared" in line and f"job.id={finished_jobs[0]}" in line for line in shares)

    assert requests.post(tapisd.url("/v3/tokens"), headers={"X-Tapis-Token": tapisd.tokens[ALICE]}, timeout=HTTP_TIMEOUT).status_code == 403
    assert any(f"user={ALICE}" in line and "path=/v3/tokens" in line and "method=POST" in line for line in _audit_lines(tapisd, "denied"))

    log = tapisd.log()
    for token in (minted["access_token"], tapisd.tokens[ALICE]):
        assert token not in log and token.split(".")[2] not in log, "no token (nor its signature) is logged"
