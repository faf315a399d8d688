"""DOCKER apps through tapipy, unchanged: alice registers a DOCKER app on her system on this host
whose container engine is Podman and runs it; the container runs rootless as her, and its output
comes back through the Jobs API. tapipy's createSystem sends only the fields of Tapis's schema,
so her system, which needs tapisd's containerEngine fields, is posted as plain JSON."""

import secrets

import pytest
import requests
from tapipy.errors import BaseTapyException

from conftest import ALICE, HTTP_TIMEOUT, TERMINAL, error_envelope, http_status, wait_for_status

IMAGE = "localhost/tapisd-test:1"


@pytest.fixture(scope="module")
def podman_app(tapisd, alice) -> str:
    system_id = f"py-podman-{secrets.token_hex(3)}"
    created = requests.post(tapisd.url("/v3/systems"), headers={"X-Tapis-Token": tapisd.tokens[ALICE]}, verify=tapisd.verify, timeout=HTTP_TIMEOUT, json={
        "id": system_id, "description": "containers through tapipy", "host": "localhost", "systemType": "LINUX",
        "rootDir": "/", "canExec": True, "effectiveUserId": "${apiUserId}",
        "jobWorkingDir": f"{tapisd.jobs_dir}/${{apiUserId}}", "jobRuntimes": [{"runtimeType": "DOCKER"}],
        "containerEngine": "podman", "containerEngineOptions": ["--network=none"],
    })
    assert created.status_code == 201, created.text
    assert alice.systems.getSystem(systemId=system_id).id == system_id
    app_id = f"py-box-{secrets.token_hex(3)}"
    alice.apps.createAppVersion(
        id=app_id, version="1", runtime="DOCKER", containerImage=IMAGE, jobType="FORK",
        jobAttributes={
            "execSystemId": system_id,
            "parameterSet": {
                "appArgs": [{"name": "script", "inputMode": "INCLUDE_BY_DEFAULT", "arg": "sh -c 'echo hello from $(id -un) > /TapisOutput/greeting.txt'"}],
                "containerArgs": [{"arg": "--workdir /TapisExec"}],
            },
        },
    )
    return app_id


def test_a_docker_app_runs_in_podman_and_its_output_is_downloaded(alice, podman_app):
    app = alice.apps.getApp(appId=podman_app, appVersion="1")
    assert (app.runtime, app.containerImage) == ("DOCKER", IMAGE)
    job = alice.jobs.submitJob(name="py-container", appId=podman_app, appVersion="1")
    status = wait_for_status(alice, job.uuid, TERMINAL)
    fetched = alice.jobs.getJob(jobUuid=job.uuid)
    assert status == "FINISHED", fetched.lastMessage
    assert fetched.runtime == "DOCKER"
    assert fetched.remoteJobId == f"tapis-{job.uuid}"
    greeting = alice.jobs.getJobOutputDownload(jobUuid=job.uuid, outputPath="greeting.txt")
    assert greeting == b"hello from tapis-alice\n"


def test_a_reserved_container_argument_is_refused_by_name(alice, podman_app):
    with pytest.raises(BaseTapyException) as raised:
        alice.jobs.submitJob(
            name="py-reserved", appId=podman_app, appVersion="1",
            parameterSet={"containerArgs": [{"arg": "--user=0:0"}]},
        )
    assert http_status(raised.value) == 400
    message = error_envelope(raised.value.response)["message"]
    assert "parameterSet.containerArgs" in message and "--user is reserved" in message, message


def test_a_singularity_app_is_refused_with_the_reason(alice):
    with pytest.raises(BaseTapyException) as raised:
        alice.apps.createAppVersion(id=f"py-sing-{secrets.token_hex(3)}", version="1", runtime="SINGULARITY", containerImage="docker://busybox")
    assert http_status(raised.value) == 400
    assert "SINGULARITY is not supported" in error_envelope(raised.value.response)["message"]
