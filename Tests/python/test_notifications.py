"""Job notifications against a real tapisd: Tapis subscriptions (submit, app, tapipy's subscribe),
signed webhooks to a receiver on loopback, email through an SMTP sink (aiosmtpd), retries, a
`kill -9` between an event and its delivery, and the server-sent event stream.

The module runs its own daemon, which allows webhooks to 127.0.0.1 and retries every second; the
session's daemon (default configuration) shows the refusals.
"""

from __future__ import annotations

import email
import email.utils
import hashlib
import hmac
import json
import ssl
from pathlib import Path
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from aiosmtpd.controller import Controller
from tapipy.errors import BaseTapyException

from conftest import (
    ALICE, BOB, HTTP_TIMEOUT, JOB_TIMEOUT, TENANT, Daemon, _free_port, bed_value, create_app, create_system, error_envelope,
    http_status, start_with_tokens, submit, wait_for_status,
)

STATUSES = [
    "PENDING", "PROCESSING_INPUTS", "STAGING_INPUTS", "STAGING_JOB", "SUBMITTING_JOB", "QUEUED", "RUNNING", "ARCHIVING",
    "FINISHED",
]
DELIVERY_TIMEOUT = 30.0  # seconds for a notification to reach the receiver


# ---- a webhook receiver and an SMTP sink on loopback -----------------------------------------


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST; `/flaky/...` answers 500 to the first
    two tries of each delivery, `/slow/...` answers after 30 s."""

    def __init__(self, port: int = 0) -> None:
        self.deliveries: list[dict] = []
        self.lock = threading.Lock()
        tries: dict[str, int] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                delivery = self.headers.get("X-Tapis-Delivery", "")
                with receiver.lock:
                    tries[delivery] = tries.get(delivery, 0) + 1
                    attempt = tries[delivery]
                    receiver.deliveries.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body, "attempt": attempt, "at": time.time()}
                    )
                if self.path.startswith("/slow/"):
                    time.sleep(30)
                status = 500 if self.path.startswith("/flaky/") and attempt <= 2 else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self, path: str) -> list[dict]:
        """The deliveries to `path` that were answered 200, as parsed notifications (in arrival order)."""
        with self.lock:
            chosen = [d for d in self.deliveries if d["path"] == path and not (path.startswith("/flaky/") and d["attempt"] <= 2)]
        return [dict(d, notification=json.loads(d["body"])) for d in chosen]

    def wait(self, path: str, count: int, timeout: float = DELIVERY_TIMEOUT) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            got = self.received(path)
            if len(got) >= count or time.monotonic() > deadline:
                return got
            time.sleep(0.1)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Sink:
    """aiosmtpd's handler: keeps every message."""

    def __init__(self) -> None:
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append({"from": envelope.mail_from, "to": envelope.rcpt_tos, "data": envelope.content})
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture(scope="module")
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def notifying(smtp_sink):
    """A daemon that may send webhooks to 127.0.0.1, retries every second and mails through the sink."""
    _, smtp_port = smtp_sink
    daemon = Daemon(
        "webhookAllowedNetworks: [127.0.0.1]\nnotificationRetrySeconds: 1\nnotificationRecoverySeconds: 1\n"
        f"smtpHost: 127.0.0.1\nsmtpPort: {smtp_port}\nsmtpStartTLS: false\nsmtpFrom: Gateway <no-reply@gateway.test>\n"
    )
    try:
        start_with_tokens(daemon)
        yield daemon
    finally:
        if daemon.running and daemon.tokens:
            daemon.cancel_active_jobs()
        daemon.stop()


@pytest.fixture(scope="module")
def n_alice(notifying):
    return notifying.client(ALICE)


@pytest.fixture(scope="module")
def n_system(notifying, n_alice):
    return create_system(notifying, n_alice)


@pytest.fixture(scope="module")
def n_app(notifying, n_alice, n_system):
    return create_app(notifying, n_alice, n_system)


def webhook(url: str, category: str = "JOB_NEW_STATUS") -> dict:
    return {"eventCategoryFilter": category, "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": url}]}


def raw_submit(daemon, user: str, body: dict) -> requests.Response:
    return requests.post(daemon.url("/v3/jobs/submit"), json=body, headers={"X-Tapis-Token": daemon.tokens[user]}, timeout=HTTP_TIMEOUT)


def secret_of(daemon, user: str) -> str:
    response = requests.get(daemon.url("/v3/tapisd/webhook-secret"), headers={"X-Tapis-Token": daemon.tokens[user]}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()["result"]["secret"]


def signature_ok(delivery: dict, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), delivery["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(delivery["headers"].get("X-Tapis-Signature", ""), expected)


def statuses(deliveries: list[dict]) -> list[str]:
    return [d["notification"]["event"]["type"].split(".")[2] for d in deliveries]


def distinct(deliveries: list[dict]) -> list[dict]:
    """The deliveries without repeats (a receiver drops duplicates by X-Tapis-Delivery)."""
    seen, kept = set(), []
    for delivery in deliveries:
        key = delivery["headers"].get("X-Tapis-Delivery")
        if key not in seen:
            seen.add(key)
            kept.append(delivery)
    return kept


# ---- webhooks --------------------------------------------------------------------------------


def test_core_portal_submit_delivers_every_status_in_order_signed(notifying, n_alice, n_app, receiver):
    """A submit as Core-Portal sends it (a WEBHOOK JOB_NEW_STATUS subscription) succeeds, and the
    job's nine statuses arrive in order with Tapis's JSON and a valid signature."""
    path = "/portal/job"
    response = raw_submit(notifying, ALICE, {
        "name": "py-notify", "appId": n_app, "appVersion": "1.0",
        "subscriptions": [dict(webhook(receiver.url(path)), description="portal", ttlMinutes=60)],
    })
    assert response.status_code == 200, response.text
    uuid = response.json()["result"]["uuid"]
    assert wait_for_status(n_alice, uuid, {"FINISHED"}) == "FINISHED"
    got = distinct(receiver.wait(path, len(STATUSES)))
    assert statuses(got) == STATUSES
    secret = secret_of(notifying, ALICE)
    for delivery in got:
        assert signature_ok(delivery, secret), delivery["headers"]
        assert delivery["headers"]["User-Agent"] == "Tapis/v3"
        assert delivery["headers"]["Content-Type"].startswith("application/json")
    first, last = got[0]["notification"], got[-1]["notification"]
    assert first["tenant"] == TENANT and first["subscriptionName"].startswith(f"jobs~{ALICE}~{TENANT}~{uuid[:40]}~")
    assert first["deliveryTarget"] == {"deliveryMethod": "WEBHOOK", "deliveryAddress": receiver.url(path)}
    event = first["event"]
    assert event["source"] == "https://tapis.io/jobs" and event["subject"] == uuid and event["seriesId"] == uuid
    assert event["user"] == "jobs" and event["tenant"] == TENANT and event["endSeries"] is False
    assert isinstance(event["data"], str), "Tapis sends event.data as a JSON string"
    data = json.loads(event["data"])
    assert data["newJobStatus"] == "PENDING" and data["oldJobStatus"] is None
    assert data["jobUuid"] == uuid and data["jobOwner"] == ALICE and data["jobName"] == "py-notify"
    assert data["message"] == "The job has transitioned to a new status: PENDING."
    final = json.loads(last["event"]["data"])
    assert final["oldJobStatus"] == "ARCHIVING" and final["condition"] == "NORMAL_COMPLETION"
    assert "remoteJobId" in final and "blockedCount" in final
    assert last["event"]["deleteSubscriptionsMatchingSubject"] is True
    assert not first["event"]["deleteSubscriptionsMatchingSubject"]
    sequence = [d["notification"]["event"]["seriesSeqCount"] for d in got]
    assert sequence == sorted(sequence) and len(set(sequence)) == len(sequence)


def test_receiver_answering_500_twice_gets_the_third_try(notifying, n_alice, n_app, receiver):
    path = "/flaky/job"
    uuid = submit(n_alice, n_app, "py-flaky", env={"SLEEP_SECONDS": "30"}).uuid
    n_alice.jobs.subscribe(jobUuid=uuid, eventCategoryFilter="JOB_USER_EVENT", deliveryTargets=webhook(receiver.url(path))["deliveryTargets"])
    n_alice.jobs.sendEvent(jobUuid=uuid, eventData="post-process now", eventDetail="READY")
    got = receiver.wait(path, 1)
    assert len(got) == 1, receiver.deliveries
    assert got[0]["attempt"] == 3
    assert json.loads(got[0]["body"])["event"]["type"] == "jobs.JOB_USER_EVENT.READY"
    assert json.loads(got[0]["body"])["event"]["data"] == "post-process now"
    # The subscriber sees how the deliveries went.
    listed = n_alice.jobs.getSubscriptions(jobUuid=uuid)
    deliveries = listed[0].deliveries[0]
    assert deliveries.delivered == 1 and deliveries.lastOutcome == "HTTP 200"
    n_alice.jobs.cancelJob(jobUuid=uuid)
    # And the operator's /metrics counts every try.
    from prometheus_client.parser import text_string_to_metric_families
    scraped = requests.get(notifying.url("/metrics"), timeout=HTTP_TIMEOUT, verify=notifying.verify)
    tries = {(s.labels["method"], s.labels["outcome"]): s.value for family in text_string_to_metric_families(scraped.text)
             if family.name == "tapisd_notification_deliveries" for s in family.samples if s.name.endswith("_total")}
    assert tries.get(("WEBHOOK", "failed"), 0) >= 2 and tries.get(("WEBHOOK", "delivered"), 0) >= 1, tries


def test_tapipy_subscribe_list_and_delete(notifying, n_alice, n_app, receiver):
    path = "/tapipy/sub"
    uuid = submit(n_alice, n_app, "py-subscribe", env={"SLEEP_SECONDS": "30"}).uuid
    created = n_alice.jobs.subscribe(
        jobUuid=uuid, description="mine", eventCategoryFilter="ALL", ttlminutes=60,
        deliveryTargets=webhook(receiver.url(path))["deliveryTargets"],
    )
    assert created.uuid and created.url.endswith(created.uuid)
    listed = n_alice.jobs.getSubscriptions(jobUuid=uuid)
    assert [s.uuid for s in listed] == [created.uuid]
    assert listed[0].typeFilter == "jobs.*.*" and listed[0].subjectFilter == uuid and listed[0].ttlMinutes == 60
    assert listed[0].owner == ALICE and listed[0].enabled is True
    # The subscription's own event (JOB_SUBSCRIPTION added) reaches it.
    got = receiver.wait(path, 1)
    assert got and got[0]["notification"]["event"]["type"] == "jobs.JOB_SUBSCRIPTION.added"
    n_alice.jobs.deleteSubscriptions(uuid=created.uuid)
    assert n_alice.jobs.getSubscriptions(jobUuid=uuid) == []
    n_alice.jobs.cancelJob(jobUuid=uuid)
    assert wait_for_status(n_alice, uuid, {"CANCELLED"}) == "CANCELLED"
    time.sleep(2)
    assert not any(d["notification"]["event"]["type"].startswith("jobs.JOB_NEW_STATUS.CANCELLED") for d in receiver.received(path))


def test_app_subscriptions_follow_the_request_and_resubmit_keeps_them(notifying, n_alice, n_system, receiver):
    app_path, request_path = "/app/sub", "/request/sub"
    app_id = create_app(notifying, n_alice, n_system, subscriptions=[{
        "jobEventCategoryFilter": "JOB_NEW_STATUS", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": receiver.url(app_path)}],
    }])
    response = raw_submit(notifying, ALICE, {
        "name": "py-app-sub", "appId": app_id, "appVersion": "1.0", "subscriptions": [webhook(receiver.url(request_path))],
    })
    assert response.status_code == 200, response.text
    uuid = response.json()["result"]["uuid"]
    assert wait_for_status(n_alice, uuid, {"FINISHED"}) == "FINISHED"
    assert statuses(distinct(receiver.wait(app_path, len(STATUSES)))) == STATUSES
    assert statuses(distinct(receiver.wait(request_path, len(STATUSES)))) == STATUSES
    history = n_alice.jobs.getJobHistory(jobUuid=uuid)
    added = [e for e in history if e.event == "JOB_SUBSCRIPTION"]
    assert len(added) == 1 and added[0].eventDetail == "ADDED"
    copy = n_alice.jobs.resubmitJob(jobUuid=uuid).uuid
    assert wait_for_status(n_alice, copy, {"FINISHED"}) == "FINISHED"
    again = [d for d in distinct(receiver.wait(request_path, 2 * len(STATUSES))) if d["notification"]["event"]["subject"] == copy]
    assert statuses(again) == STATUSES


def test_kill_9_between_an_event_and_its_delivery_loses_nothing(notifying, n_alice, n_app):
    """The receiver is down while the job runs to its end; tapisd is killed with SIGKILL; once the
    receiver is up and tapisd restarted, every notification arrives (in order, dropping repeats)."""
    port = _free_port()
    path = "/late/job"
    response = raw_submit(notifying, ALICE, {
        "name": "py-kill", "appId": n_app, "appVersion": "1.0", "subscriptions": [webhook(f"http://127.0.0.1:{port}{path}")],
    })
    assert response.status_code == 200, response.text
    uuid = response.json()["result"]["uuid"]
    assert wait_for_status(n_alice, uuid, {"FINISHED"}) == "FINISHED", "a dead receiver must not slow or stop the job"
    pending = n_alice.jobs.getSubscriptions(jobUuid=uuid)[0].deliveries[0]
    assert pending.pending >= 1 and pending.delivered == 0 and pending.lastOutcome
    notifying.process.kill()
    notifying.process.wait(timeout=15)
    late = Receiver(port)
    try:
        start_with_tokens(notifying)
        got = distinct(late.wait(path, len(STATUSES)))
        assert statuses(got) == STATUSES
    finally:
        late.close()


def test_email_notification_reaches_the_smtp_sink(notifying, n_alice, n_app, smtp_sink):
    sink, _ = smtp_sink
    response = raw_submit(notifying, ALICE, {
        "name": "py-mail", "appId": n_app, "appVersion": "1.0",
        "subscriptions": [{"eventCategoryFilter": "JOB_NEW_STATUS", "deliveryTargets": [{"deliveryMethod": "EMAIL", "deliveryAddress": "alice@example.org"}]}],
    })
    assert response.status_code == 200, response.text
    uuid = response.json()["result"]["uuid"]
    assert wait_for_status(n_alice, uuid, {"FINISHED"}) == "FINISHED"
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline and len([m for m in sink.messages if uuid.encode() in m["data"]]) < len(STATUSES):
        time.sleep(0.2)
    mine = [email.message_from_bytes(m["data"]) for m in sink.messages if uuid.encode() in m["data"]]
    assert len(mine) >= len(STATUSES)
    first = mine[0]
    assert first["Subject"] == f"Tapis v3 notification. Event type: jobs.JOB_NEW_STATUS.PENDING subject: {uuid}"
    assert first["To"] == "<alice@example.org>" and "no-reply@gateway.test" in first["From"]
    sent = email.utils.parsedate_to_datetime(first["Date"])
    assert sent.tzinfo is not None and abs(sent.timestamp() - time.time()) < 600, first["Date"]
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in first.walk() if not part.is_multipart()}
    assert json.loads(parts["text/plain"])["event"]["subject"] == uuid
    assert "&quot;" in parts["text/html"] and "<pre>" in parts["text/html"]


SMTP_USER, SMTP_PASSWORD = "gateway", "relay-Pa55-word"


def test_email_through_starttls_with_credentials(tmp_path):
    """A relay that requires STARTTLS before AUTH (the test bed's CA signs its certificate):
    tapisd upgrades, checks the certificate, logs in, and never writes the password to its log."""
    tls = Path(bed_value("TAPISD_TESTBED_TLS_DIR"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls / "server.pem", tls / "server.key")
    logins = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=(auth_data.login, auth_data.password) == (SMTP_USER.encode(), SMTP_PASSWORD.encode()))

    sink = Sink()
    controller = Controller(
        sink, hostname="127.0.0.1", port=_free_port(), tls_context=context, require_starttls=True,
        auth_require_tls=True, authenticator=authenticate,
    )
    controller.start()
    password_file = tmp_path / "smtp-password"
    password_file.write_text(SMTP_PASSWORD + "\n")
    password_file.chmod(0o600)
    daemon = Daemon(
        f"smtpHost: 127.0.0.1\nsmtpPort: {controller.port}\nsmtpCAFile: {tls / 'ca.pem'}\n"
        f"smtpUser: {SMTP_USER}\nsmtpPasswordFile: {password_file}\n"
    )
    try:
        start_with_tokens(daemon)
        client = daemon.client(ALICE)
        app_id = create_app(daemon, client, create_system(daemon, client))
        response = raw_submit(daemon, ALICE, {
            "name": "py-tls-mail", "appId": app_id, "appVersion": "1.0",
            "subscriptions": [{"eventCategoryFilter": "JOB_NEW_STATUS", "deliveryTargets": [{"deliveryMethod": "EMAIL", "deliveryAddress": "ops@example.org"}]}],
        })
        assert response.status_code == 200, response.text
        uuid = response.json()["result"]["uuid"]
        assert wait_for_status(client, uuid, {"FINISHED"}) == "FINISHED"
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while time.monotonic() < deadline and len(sink.messages) < len(STATUSES):
            time.sleep(0.2)
        assert len(sink.messages) >= len(STATUSES)
        assert logins and all(login == (SMTP_USER, SMTP_PASSWORD) for login in logins)
        assert SMTP_PASSWORD not in daemon.log()
    finally:
        if daemon.running and daemon.tokens:
            daemon.cancel_active_jobs()
        daemon.stop()
        controller.stop()


# ---- the event stream ------------------------------------------------------------------------


def read_events(response: requests.Response, count: int | None = None, timeout: float = JOB_TIMEOUT) -> list[dict]:
    """Server-sent events from a streaming response: [{id, event, data}], until `count` or the end."""
    events, current, deadline = [], {}, time.monotonic() + timeout
    for line in response.iter_lines(decode_unicode=True):
        if time.monotonic() > deadline:
            break
        if line == "":
            if "data" in current:
                events.append(current)
                if count is not None and len(events) >= count:
                    break
            current = {}
        elif not line.startswith(":"):
            field, _, value = line.partition(": ")
            current[field] = int(value) if field == "id" else json.loads(value) if field == "data" else value
    return events


def stream(daemon, user: str, path: str, read_timeout: float = JOB_TIMEOUT, **headers) -> requests.Response:
    response = requests.get(daemon.url(path), headers={"X-Tapis-Token": daemon.tokens[user], **headers}, stream=True, timeout=(5, read_timeout))
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/event-stream")
    return response


def test_event_stream_is_live_and_resumes_without_a_gap(notifying, n_alice, n_app):
    everything = stream(notifying, ALICE, "/v3/tapisd/events")
    uuid = submit(n_alice, n_app, "py-stream", env={"SLEEP_SECONDS": "2"}).uuid
    live = read_events(everything, count=1, timeout=20)
    everything.close()
    assert live and live[0]["data"]["subject"] == uuid and live[0]["data"]["type"] == "jobs.JOB_NEW_STATUS.PENDING"

    first = stream(notifying, ALICE, f"/v3/jobs/{uuid}/events")
    head = read_events(first, count=3)
    first.close()  # the connection drops
    rest = read_events(stream(notifying, ALICE, f"/v3/jobs/{uuid}/events", **{"Last-Event-ID": str(head[-1]["id"])}))
    whole = read_events(stream(notifying, ALICE, f"/v3/jobs/{uuid}/events"))
    assert [e["id"] for e in head + rest] == [e["id"] for e in whole]
    seen = [e["data"]["type"].split(".")[2] for e in whole if e["data"]["type"].startswith("jobs.JOB_NEW_STATUS.")]
    assert seen == STATUSES, "the job's stream ends after its last event"
    assert all(isinstance(e["data"]["data"], str) for e in whole)


def test_event_streams_honour_ownership(notifying, n_alice, n_app):
    uuid = submit(n_alice, n_app, "py-stream-private").uuid
    response = requests.get(notifying.url(f"/v3/jobs/{uuid}/events"), headers={"X-Tapis-Token": notifying.tokens[BOB]}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 404
    error_envelope(response)
    # Bob's stream of everything since the log began has none of alice's events: it stays quiet.
    bobs = stream(notifying, BOB, "/v3/tapisd/events?since=0", read_timeout=3)
    with pytest.raises(requests.exceptions.ConnectionError, match="Read timed out"):
        read_events(bobs, count=1)
    bobs.close()


# ---- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(("subscription", "field"), [
    ({"eventCategoryFilter": "JOB_EVERYTHING", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "https://example.org/h"}]}, "eventCategoryFilter"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "QUEUE", "deliveryAddress": "q"}]}, "deliveryMethod"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "not a url"}]}, "deliveryAddress"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "ftp://example.org/h"}]}, "deliveryAddress"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "https://u:p@example.org/h"}]}, "deliveryAddress"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "EMAIL", "deliveryAddress": "alice\r\nBcc: x@y.z"}]}, "deliveryAddress"),
    ({"eventCategoryFilter": "ALL", "ttlMinutes": -5, "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "https://example.org/h"}]}, "ttlMinutes"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": []}, "deliveryTargets"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": f"https://example.org/{i}"} for i in range(11)]}, "deliveryTargets"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "https://example.org/h", "secret": "x"}]}, "secret"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "http://127.0.0.1:9/h"}]}, "webhookAllowedNetworks"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "http://localhost/h"}]}, "webhookAllowedNetworks"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "http://[::ffff:169.254.169.254]/latest"}]}, "webhookAllowedNetworks"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "http://10.0.0.1/h"}]}, "webhookAllowedNetworks"),
    ({"eventCategoryFilter": "ALL", "deliveryTargets": [{"deliveryMethod": "EMAIL", "deliveryAddress": "alice@example.org"}]}, "SMTP relay"),
])
def test_bad_subscriptions_are_refused_naming_the_field(tapisd, alice, alice_app, subscription, field):
    before = len(alice.jobs.getJobList(limit=10000))
    response = raw_submit(tapisd, ALICE, {"name": "py-bad-sub", "appId": alice_app, "appVersion": "1.0", "subscriptions": [subscription]})
    assert response.status_code == 400, response.text
    assert field in error_envelope(response)["message"]
    assert len(alice.jobs.getJobList(limit=10000)) == before, "a refused submit leaves no job"


def test_subscriptions_on_ended_or_others_jobs_are_refused(tapisd, alice, bob, finished_jobs):
    target = [{"deliveryMethod": "WEBHOOK", "deliveryAddress": "https://example.org/hook"}]
    with pytest.raises(BaseTapyException) as ended:
        alice.jobs.subscribe(jobUuid=finished_jobs[0], eventCategoryFilter="ALL", deliveryTargets=target)
    assert http_status(ended.value) == 400 and "terminal state FINISHED" in error_envelope(ended.value.response)["message"]
    for call in (
        lambda: bob.jobs.subscribe(jobUuid=finished_jobs[0], eventCategoryFilter="ALL", deliveryTargets=target),
        lambda: bob.jobs.getSubscriptions(jobUuid=finished_jobs[0]),
        lambda: bob.jobs.deleteSubscriptions(uuid=finished_jobs[0]),
    ):
        with pytest.raises(BaseTapyException) as refused:
            call()
        assert http_status(refused.value) == 404


def test_webhook_secret_is_per_user_and_rotates(tapisd):
    alice_secret, bob_secret = secret_of(tapisd, ALICE), secret_of(tapisd, BOB)
    assert alice_secret != bob_secret and len(alice_secret) > 32
    rotated = requests.post(tapisd.url("/v3/tapisd/webhook-secret/rotate"), headers={"X-Tapis-Token": tapisd.tokens[BOB]}, timeout=HTTP_TIMEOUT)
    assert rotated.status_code == 200
    assert rotated.json()["result"]["secret"] == secret_of(tapisd, BOB) != bob_secret
    assert secret_of(tapisd, ALICE) == alice_secret
    assert alice_secret not in tapisd.log() and bob_secret not in tapisd.log()
