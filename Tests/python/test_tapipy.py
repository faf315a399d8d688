"""tapipy, the official Tapis Python client, unchanged, against tapisd's TCP listener.

Alice defines a system and an app, runs jobs and reads them back through the operations a Tapis
user calls: every test checks the values tapisd returns through tapipy.
"""

from __future__ import annotations

import datetime
import json

import pytest
from tapipy.errors import BaseTapyException

from conftest import ALICE, JOB_TIMEOUT, http_status, submit, wait_for_status

# Tapis's job statuses in the order a job that ends well passes them.
STATUS_ORDER = [
    "PENDING", "PROCESSING_INPUTS", "STAGING_INPUTS", "STAGING_JOB", "SUBMITTING_JOB",
    "QUEUED", "RUNNING", "ARCHIVING", "FINISHED",
]


def _uuids(jobs) -> list[str]:
    return [job.uuid for job in jobs]


@pytest.fixture(scope="module")
def long_job(tapisd, alice, alice_app):
    """A job of alice's that sleeps 300 s, once RUNNING; cancelled by the end of the module."""
    uuid = submit(alice, alice_app, "py-long", env={"SLEEP_SECONDS": "300"}).uuid
    status = wait_for_status(alice, uuid, {"RUNNING"})
    assert status == "RUNNING", f"long job {uuid} is {status}, not RUNNING"
    yield uuid
    if tapisd.running and alice.jobs.getJobStatus(jobUuid=uuid).status not in ("CANCELLED", "FINISHED", "FAILED"):
        alice.jobs.cancelJob(jobUuid=uuid)
        wait_for_status(alice, uuid, {"CANCELLED"})


# ---- definitions ------------------------------------------------------------------------------


def test_create_system_with_tapipy(alice, alice_system, tapisd):
    system = alice.systems.getSystem(systemId=alice_system)
    assert system.id == alice_system
    assert system.host == "localhost"
    assert system.canExec is True
    assert system.owner == ALICE


def test_get_system_and_list_systems(alice, alice_system):
    system = alice.systems.getSystem(systemId=alice_system)
    assert (system.id, system.systemType, system.rootDir) == (alice_system, "LINUX", "/")
    assert system.owner == ALICE
    assert system.jobWorkingDir.endswith("/${apiUserId}")
    assert [runtime.runtimeType for runtime in system.jobRuntimes] == ["ZIP"]
    listed = [s.id for s in alice.systems.getSystems()]
    assert alice_system in listed
    assert "local" in listed  # the built-in system every user may use


def test_create_app_version_and_get_app(alice, alice_app, alice_system):
    app = alice.apps.getApp(appId=alice_app, appVersion="1.0")
    assert (app.id, app.version) == (alice_app, "1.0")
    assert app.jobAttributes.execSystemId == alice_system
    assert app.runtime == "ZIP"
    assert app.containerImage.endswith("hello-1.0.tgz")


# ---- a job from submission to its outputs ----------------------------------------------------


def test_submit_get_and_wait_until_finished(alice, alice_app, alice_system):
    submitted = submit(alice, alice_app, "py-submit")
    assert isinstance(submitted.uuid, str) and len(submitted.uuid) >= 36
    assert (submitted.appId, submitted.appVersion, submitted.name) == (alice_app, "1.0", "py-submit")
    assert submitted.owner == ALICE
    assert submitted.status in STATUS_ORDER

    job = alice.jobs.getJob(jobUuid=submitted.uuid)
    assert (job.uuid, job.owner, job.execSystemId, job.tenant) == (submitted.uuid, ALICE, alice_system, "tapisd")

    assert wait_for_status(alice, submitted.uuid, {"FINISHED"}) == "FINISHED"
    assert alice.jobs.getJobStatus(jobUuid=submitted.uuid).status == "FINISHED"
    ended = alice.jobs.getJob(jobUuid=submitted.uuid)
    assert ended.status == "FINISHED"
    assert ended.condition == "NORMAL_COMPLETION"
    assert ended.ended and ended.created <= ended.ended


def test_get_job_list_limit_skip_and_order(alice, finished_jobs):
    everything = alice.jobs.getJobList(limit=1000, orderBy="created(asc)")
    uuids = _uuids(everything)
    assert finished_jobs[0] in uuids and finished_jobs[1] in uuids
    assert uuids.index(finished_jobs[0]) < uuids.index(finished_jobs[1])
    created = [job.created for job in everything]
    assert created == sorted(created)
    assert all(job.owner == ALICE for job in everything)

    assert _uuids(alice.jobs.getJobList(limit=1, orderBy="created(asc)")) == uuids[:1]
    assert _uuids(alice.jobs.getJobList(limit=2, skip=1, orderBy="created(asc)")) == uuids[1:3]
    assert _uuids(alice.jobs.getJobList(limit=1, orderBy="created(desc)")) == uuids[-1:]


def test_get_job_search_list_by_status(alice, finished_jobs, long_job):
    finished = alice.jobs.getJobSearchList(limit=1000, _tapis_query_parameters={"status.eq": "FINISHED"})
    assert set(finished_jobs) <= set(_uuids(finished))
    assert long_job not in _uuids(finished)
    assert {job.status for job in finished} == {"FINISHED"}

    running = alice.jobs.getJobSearchList(_tapis_query_parameters={"status.eq": "RUNNING"})
    assert long_job in _uuids(running)
    assert not set(finished_jobs) & set(_uuids(running))


def test_get_job_search_list_by_created_range(alice, finished_jobs):
    today = datetime.datetime.now(datetime.timezone.utc).date()
    around_now = f"{today - datetime.timedelta(days=1)},{today + datetime.timedelta(days=1)}"
    recent = alice.jobs.getJobSearchList(limit=1000, _tapis_query_parameters={"created.between": around_now})
    assert set(finished_jobs) <= set(_uuids(recent))

    long_ago = alice.jobs.getJobSearchList(_tapis_query_parameters={"created.between": "2001-01-01,2002-01-01"})
    assert _uuids(long_ago) == []


def test_get_job_search_list_by_post_sql_str(alice, finished_jobs):
    finished = alice.jobs.getJobSearchListByPostSqlStr(limit=1000, request_body={"search": ["status = 'FINISHED'"]})
    assert set(finished_jobs) <= set(_uuids(finished))
    assert {job.status for job in finished} == {"FINISHED"}

    # Tapis joins the strings of the list into one condition.
    one = alice.jobs.getJobSearchListByPostSqlStr(
        request_body={"search": ["status = 'FINISHED' AND", f"uuid = '{finished_jobs[1]}'"]})
    assert _uuids(one) == [finished_jobs[1]]
    assert one[0].name == "py-second"


def test_get_job_history(alice, finished_jobs):
    history = alice.jobs.getJobHistory(jobUuid=finished_jobs[0])
    statuses = [event.eventDetail for event in history if event.event == "JOB_NEW_STATUS"]
    assert statuses[0] == "PENDING"
    assert statuses[-1] == "FINISHED"
    assert "RUNNING" in statuses
    # Each status comes after the ones before it in Tapis's order.
    positions = [STATUS_ORDER.index(status) for status in statuses]
    assert positions == sorted(positions) and len(set(positions)) == len(positions), statuses
    assert all(event.created for event in history)

    page = alice.jobs.getJobHistory(jobUuid=finished_jobs[0], limit=2, skip=1)
    assert [(e.event, e.eventDetail, e.created) for e in page] == [(e.event, e.eventDetail, e.created) for e in history[1:3]]


def test_get_job_output_list(alice, finished_jobs):
    # tapipy refuses outputPath="" (a required path parameter), so the output dir is "/".
    top = alice.jobs.getJobOutputList(jobUuid=finished_jobs[0], outputPath="/")
    names = {entry.name for entry in top}
    assert {"tapisjob.out", "arguments.txt"} <= names, names

    single = alice.jobs.getJobOutputList(jobUuid=finished_jobs[0], outputPath="tapisjob.out")
    assert [entry.name for entry in single] == ["tapisjob.out"]
    assert single[0].type == "file"
    assert single[0].size > 0


def test_get_job_output_download(alice, finished_jobs):
    content = alice.jobs.getJobOutputDownload(jobUuid=finished_jobs[0], outputPath="tapisjob.out")
    assert isinstance(content, bytes)
    text = content.decode()
    assert "Hello from tapisd" in text
    assert f"as {ALICE}" in text
    assert finished_jobs[0] in text  # the app prints its job's uuid
    size = alice.jobs.getJobOutputList(jobUuid=finished_jobs[0], outputPath="tapisjob.out")[0].size
    assert len(content) == size


# ---- acting on jobs ---------------------------------------------------------------------------


def test_send_event_to_a_running_job(alice, long_job):
    answer = alice.jobs.sendEvent(jobUuid=long_job, eventData="py-event", eventDetail="from tapipy")
    assert answer is not None
    events = [(e.event, e.description, e.eventDetail) for e in alice.jobs.getJobHistory(jobUuid=long_job)]
    assert ("JOB_USER_EVENT", "py-event", "from tapipy") in events, events


def test_hide_running_job_is_a_conflict(alice, long_job):
    with pytest.raises(BaseTapyException) as raised:
        alice.jobs.hideJob(jobUuid=long_job)
    assert http_status(raised.value) == 409
    assert raised.value.response.json()["status"] == "error"
    assert long_job in _uuids(alice.jobs.getJobList(limit=1000))
    assert alice.jobs.getJobStatus(jobUuid=long_job).status == "RUNNING"


def test_cancel_long_job(alice, long_job):
    assert alice.jobs.getJobStatus(jobUuid=long_job).status == "RUNNING"
    alice.jobs.cancelJob(jobUuid=long_job)
    assert wait_for_status(alice, long_job, {"CANCELLED"}, timeout=30) == "CANCELLED"
    job = alice.jobs.getJob(jobUuid=long_job)
    assert job.status == "CANCELLED"
    history = [e.eventDetail for e in alice.jobs.getJobHistory(jobUuid=long_job) if e.event == "JOB_NEW_STATUS"]
    assert history[-1] == "CANCELLED" and "RUNNING" in history
    # A cancelled job is not cancelled twice.
    with pytest.raises(BaseTapyException) as raised:
        alice.jobs.cancelJob(jobUuid=long_job)
    assert http_status(raised.value) in (400, 409)


def test_resubmit_job(alice, finished_jobs):
    original = alice.jobs.getJob(jobUuid=finished_jobs[0])
    request = alice.jobs.getResubmitRequestJson(jobUuid=finished_jobs[0])
    if isinstance(request, str):  # Tapis may answer the request as a JSON string
        request = json.loads(request)
        request_fields = (request["appId"], request["appVersion"], request["name"])
    else:
        request_fields = (request.appId, request.appVersion, request.name)
    assert request_fields == (original.appId, original.appVersion, original.name)

    resubmitted = alice.jobs.resubmitJob(jobUuid=finished_jobs[0])
    assert resubmitted.uuid != finished_jobs[0]
    assert (resubmitted.appId, resubmitted.name) == (original.appId, original.name)
    assert wait_for_status(alice, resubmitted.uuid, {"FINISHED"}) == "FINISHED"
    output = alice.jobs.getJobOutputDownload(jobUuid=resubmitted.uuid, outputPath="tapisjob.out").decode()
    assert f"Hello from tapisd job {resubmitted.uuid}" in output
    assert resubmitted.uuid in _uuids(alice.jobs.getJobList(limit=1000))


def test_hide_and_unhide_job(alice, alice_app):
    uuid = submit(alice, alice_app, "py-hide").uuid
    assert wait_for_status(alice, uuid, {"FINISHED"}) == "FINISHED"
    assert uuid in _uuids(alice.jobs.getJobList(limit=1000))

    alice.jobs.hideJob(jobUuid=uuid)
    assert uuid not in _uuids(alice.jobs.getJobList(limit=1000))
    assert uuid not in _uuids(alice.jobs.getJobSearchList(limit=1000, _tapis_query_parameters={"status.eq": "FINISHED"}))
    assert alice.jobs.getJob(jobUuid=uuid).visible is False

    alice.jobs.unhideJob(jobUuid=uuid)
    assert uuid in _uuids(alice.jobs.getJobList(limit=1000))
    assert alice.jobs.getJob(jobUuid=uuid).visible is True


def test_failed_job_reports_failed(alice, alice_app):
    uuid = submit(alice, alice_app, "py-fail", env={"EXIT_CODE": "3"}).uuid
    assert wait_for_status(alice, uuid, {"FAILED"}, timeout=JOB_TIMEOUT) == "FAILED"
    job = alice.jobs.getJob(jobUuid=uuid)
    assert job.status == "FAILED"
    assert job.condition != "NORMAL_COMPLETION"
