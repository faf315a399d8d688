"""Job shares through tapipy, unchanged: shareJob, getJobShare and deleteJobShare, what each
resource lets a grantee read and everything it does not let them do, a share with a group
(`@group`) for its members only, SHARED_JOBS and ALL_JOBS listings, and the JOB_SHARE_EVENT
events in the job's history.
"""

from __future__ import annotations

import pytest
from tapipy.errors import BaseTapyException

from conftest import ALICE, BOB, http_status

LOCKED = "tapis-locked"  # a host account in neither the share nor bob's group


def refused(call) -> int | None:
    with pytest.raises(BaseTapyException) as error:
        call()
    return http_status(error.value)


def test_a_share_grants_exactly_what_it_names(tapisd, alice, bob, finished_jobs):
    uuid = finished_jobs[0]
    other = tapisd.client(LOCKED) if LOCKED in tapisd.tokens else None
    if other is None:
        tapisd.tokens[LOCKED] = tapisd.mint_token(LOCKED)["access_token"]
        other = tapisd.client(LOCKED)

    # Before any share bob sees nothing of it.
    assert refused(lambda: bob.jobs.getJob(jobUuid=uuid)) == 404
    assert uuid not in [job.uuid for job in bob.jobs.getJobList(listType="SHARED_JOBS")]

    alice.jobs.shareJob(jobUuid=uuid, grantee=BOB, jobResource=["JOB_HISTORY"], jobPermission="READ")
    assert bob.jobs.getJob(jobUuid=uuid).uuid == uuid
    assert bob.jobs.getJobStatus(jobUuid=uuid).status == "FINISHED"
    assert len(bob.jobs.getJobHistory(jobUuid=uuid)) > 0
    # History only: not its outputs, its request, nor anything an owner does.
    assert refused(lambda: bob.jobs.getJobOutputList(jobUuid=uuid, outputPath="/")) == 404
    assert refused(lambda: bob.jobs.getResubmitRequestJson(jobUuid=uuid)) == 404
    assert refused(lambda: bob.jobs.hideJob(jobUuid=uuid)) == 404
    assert refused(lambda: bob.jobs.resubmitJob(jobUuid=uuid)) == 404
    assert refused(lambda: bob.jobs.shareJob(jobUuid=uuid, grantee=LOCKED, jobResource=["JOB_HISTORY"], jobPermission="READ")) == 404
    assert refused(lambda: bob.jobs.getJobShare(jobUuid=uuid)) == 404
    assert refused(lambda: bob.jobs.deleteJobShare(jobUuid=uuid, user=BOB)) == 404
    assert refused(lambda: bob.jobs.getSubscriptions(jobUuid=uuid)) == 404
    assert refused(lambda: other.jobs.getJob(jobUuid=uuid)) == 404

    assert [job.uuid for job in bob.jobs.getJobList(listType="SHARED_JOBS")] == [uuid]
    assert uuid in [job.uuid for job in bob.jobs.getJobList(listType="ALL_JOBS")]
    assert uuid not in [job.uuid for job in bob.jobs.getJobList()]

    # Outputs to bob's group: bob reads them, a non-member does not.
    alice.jobs.shareJob(jobUuid=uuid, grantee="@tapis-bob", jobResource=["JOB_OUTPUT", "JOB_RESUBMIT_REQUEST"], jobPermission="READ")
    names = [entry.name for entry in bob.jobs.getJobOutputList(jobUuid=uuid, outputPath="/")]
    assert "tapisjob.out" in names
    assert bob.jobs.getResubmitRequestJson(jobUuid=uuid) is not None
    assert refused(lambda: other.jobs.getJobOutputList(jobUuid=uuid, outputPath="/")) == 404

    shares = alice.jobs.getJobShare(jobUuid=uuid)
    assert sorted((share.grantee, share.jobResource) for share in shares) == [
        ("@tapis-bob", "JOB_OUTPUT"), ("@tapis-bob", "JOB_RESUBMIT_REQUEST"), (BOB, "JOB_HISTORY"),
    ]
    assert all(share.createdby == ALICE and share.jobPermission == "READ" for share in shares)
    details = [event.eventDetail for event in alice.jobs.getJobHistory(jobUuid=uuid) if event.event == "JOB_SHARE_EVENT"]
    assert details == ["SHARE_JOB_HISTORY_READ", "SHARE_JOB_OUTPUT_READ", "SHARE_JOB_RESUBMIT_REQUEST_READ"]

    # Withdrawn, bob's own share is gone; his group's remains.
    alice.jobs.deleteJobShare(jobUuid=uuid, user=BOB)
    assert refused(lambda: bob.jobs.getJob(jobUuid=uuid)) == 404
    assert uuid not in [job.uuid for job in bob.jobs.getJobList(listType="SHARED_JOBS")], "listings show jobs whose history is shared"
    assert "tapisjob.out" in [entry.name for entry in bob.jobs.getJobOutputList(jobUuid=uuid, outputPath="/")]
    alice.jobs.deleteJobShare(jobUuid=uuid, user="@tapis-bob")
    assert refused(lambda: bob.jobs.getJobOutputList(jobUuid=uuid, outputPath="/")) == 404
    assert alice.jobs.getJobShare(jobUuid=uuid) == []


def test_bad_shares_are_refused_naming_the_field(alice, bob, finished_jobs):
    uuid = finished_jobs[1]
    for grantee, resources, permission, field in [
        ("tapis-nobody", ["JOB_HISTORY"], "READ", "grantee"),
        ("@no-such-group", ["JOB_HISTORY"], "READ", "grantee"),
        ("x;id", ["JOB_HISTORY"], "READ", "grantee"),
        (BOB, ["JOB_EVERYTHING"], "READ", "jobResource"),
        (BOB, [], "READ", "jobResource"),
        (BOB, ["JOB_HISTORY"], "MODIFY", "jobPermission"),
        (ALICE, ["JOB_HISTORY"], "READ", "grantee"),
    ]:
        with pytest.raises(BaseTapyException) as error:
            alice.jobs.shareJob(jobUuid=uuid, grantee=grantee, jobResource=resources, jobPermission=permission)
        assert http_status(error.value) == 400 and f"{field}:" in str(error.value), (grantee, resources, permission, str(error.value))
    assert alice.jobs.getJobShare(jobUuid=uuid) == []
