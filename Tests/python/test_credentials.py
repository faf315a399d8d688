"""Per-user credentials through tapipy, unchanged: createUserCredential, checkUserCredential,
removeUserCredential and getUserCredential against a real tapisd whose shared system (an
administrator's, with ${apiUserId}) is the test bed's sshd; then a job runs with the credential.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from tapipy.errors import BaseTapyException

from conftest import ALICE, BOB, HTTP_TIMEOUT, ROOT, TESTBED_DIR, Daemon, bed_value, create_app, http_status, start_with_tokens, submit, wait_for_status


@pytest.fixture(scope="module")
def shared():
    """A daemon that knows the test bed's host key, with root's system `cluster` on its sshd."""
    daemon = Daemon(f"knownHostsFile: {bed_value('TAPISD_TESTBED_KNOWN_HOSTS')}\n")
    work = f"tapisd-py-cred-{secrets.token_hex(3)}"
    try:
        start_with_tokens(daemon)
        daemon.client(ROOT).systems.createSystem(
            id="cluster", host="127.0.0.1", port=int(bed_value("TAPISD_TESTBED_SSH_PORT")), systemType="LINUX",
            defaultAuthnMethod="PKI_KEYS", effectiveUserId="${apiUserId}", rootDir="/", canExec=True,
            jobWorkingDir=f"/home/${{apiUserId}}/{work}", jobRuntimes=[{"runtimeType": "ZIP"}],
        )
        yield daemon
    finally:
        if daemon.running and daemon.tokens:
            daemon.cancel_active_jobs()
        daemon.stop()
        shutil.rmtree(f"/home/{ALICE}/{work}", ignore_errors=True)


def test_tapipy_manages_its_own_credential_and_a_job_runs_with_it(shared):
    alice, bob = shared.client(ALICE), shared.client(BOB)
    app = create_app(shared, shared.client(ROOT), "cluster")
    private = (TESTBED_DIR / "keys" / "alice_ed25519").read_text()
    public = (TESTBED_DIR / "keys" / "alice_ed25519.pub").read_text().strip()

    with pytest.raises(BaseTapyException) as refused:
        submit(alice, app, "no-credential")
    assert http_status(refused.value) == 400 and "has no credential for system cluster" in str(refused.value)

    alice.systems.createUserCredential(systemId="cluster", userName=ALICE, privateKey=private, publicKey=public)
    alice.systems.checkUserCredential(systemId="cluster", userName=ALICE)
    with pytest.raises(BaseTapyException) as hidden:
        alice.systems.getUserCredential(systemId="cluster", userName=ALICE)
    assert http_status(hidden.value) == 403
    with pytest.raises(BaseTapyException) as others:
        bob.systems.removeUserCredential(systemId="cluster", userName=ALICE)
    assert http_status(others.value) == 403

    uuid = submit(alice, app, "with-credential").uuid
    assert wait_for_status(alice, uuid, {"FINISHED", "FAILED"}) == "FINISHED"
    # The SSH connection the job used is in /metrics.
    scraped = requests.get(shared.url("/metrics"), timeout=HTTP_TIMEOUT, verify=shared.verify)
    samples = {s.name: s for family in text_string_to_metric_families(scraped.text) for s in family.samples if s.name.startswith("tapisd_ssh_")}
    connects = samples.get("tapisd_ssh_connects_total")
    assert connects is not None and connects.value >= 1, samples
    assert all(not s.labels for s in samples.values()), "no label names a user's host or login"
    assert "tapisd_ssh_connections" in samples and "tapisd_ssh_channels" in samples, samples

    alice.systems.removeUserCredential(systemId="cluster", userName=ALICE)
    with pytest.raises(BaseTapyException) as gone:
        alice.systems.checkUserCredential(systemId="cluster", userName=ALICE)
    assert http_status(gone.value) == 404


def test_a_system_shared_with_a_user_runs_their_jobs_with_their_own_credential(shared):
    alice, bob = shared.client(ALICE), shared.client(BOB)
    shared.tokens.setdefault("tapis-locked", shared.mint_token("tapis-locked")["access_token"])
    stranger = shared.client("tapis-locked")
    work = f"tapisd-py-shared-{secrets.token_hex(3)}"
    private = (TESTBED_DIR / "keys" / "alice_ed25519").read_text()
    # Alice's own system carries her key: it serves her jobs, never anyone she shares it with.
    alice.systems.createSystem(
        id="alices-cluster", host="127.0.0.1", port=int(bed_value("TAPISD_TESTBED_SSH_PORT")), systemType="LINUX",
        defaultAuthnMethod="PKI_KEYS", authnCredential={"privateKey": private}, effectiveUserId="${apiUserId}", rootDir="/",
        canExec=True, jobWorkingDir=f"/home/${{apiUserId}}/{work}", jobRuntimes=[{"runtimeType": "ZIP"}],
    )
    app = create_app(shared, alice, "alices-cluster")
    try:
        assert refused(lambda: bob.systems.getSystem(systemId="alices-cluster")) == 404
        alice.systems.shareSystem(systemId="alices-cluster", users=[BOB])
        alice.apps.shareApp(appId=app, users=[BOB])
        assert alice.systems.getShareInfo(systemId="alices-cluster").userList == [BOB]
        assert bob.systems.getSystem(systemId="alices-cluster").id == "alices-cluster"
        assert "alices-cluster" in [system.id for system in bob.systems.getSystems(listType="SHARED_PUBLIC")]
        assert "alices-cluster" not in [system.id for system in bob.systems.getSystems(listType="OWNED")]
        assert refused(lambda: stranger.systems.getSystem(systemId="alices-cluster")) == 404
        assert refused(lambda: alice.systems.shareSystemPublic(systemId="alices-cluster")) == 403
        assert refused(lambda: bob.systems.shareSystem(systemId="alices-cluster", users=["tapis-locked"])) == 403

        # Bob may use it, but not with alice's key: his submit asks for his own credential.
        with pytest.raises(BaseTapyException) as missing:
            submit(bob, app, "borrowed-key")
        assert http_status(missing.value) == 400 and "tapis-bob has no credential for system alices-cluster" in str(missing.value)
        # The system's owner may not set bob's credential (pointed at her account, she would see his jobs).
        assert refused(lambda: alice.systems.createUserCredential(systemId="alices-cluster", userName=BOB, password="x", loginUser=ALICE)) == 403
        bob.systems.createUserCredential(systemId="alices-cluster", userName=BOB, password=bed_value("TAPISD_TESTBED_PASSWORD"))
        uuid = submit(bob, app, "own-key").uuid
        assert wait_for_status(bob, uuid, {"FINISHED", "FAILED"}) == "FINISHED"
        exec_dir = bob.jobs.getJob(jobUuid=uuid).execSystemExecDir
        assert pwd.getpwuid(os.stat(exec_dir).st_uid).pw_name == BOB, "bob's job ran as bob"

        alice.systems.unShareSystem(systemId="alices-cluster", users=[BOB])
        assert refused(lambda: bob.systems.getSystem(systemId="alices-cluster")) == 404
    finally:
        for user in (ALICE, BOB):
            shutil.rmtree(f"/home/{user}/{work}", ignore_errors=True)


def refused(call) -> int | None:
    with pytest.raises(BaseTapyException) as error:
        call()
    return http_status(error.value)


def test_system_permissions_as_tapipy_grants_them(shared):
    alice, bob = shared.client(ALICE), shared.client(BOB)
    alice.systems.createSystem(
        id="alices-perms", host="127.0.0.1", port=int(bed_value("TAPISD_TESTBED_SSH_PORT")), systemType="LINUX",
        defaultAuthnMethod="PKI_KEYS", effectiveUserId="${apiUserId}", rootDir="/", canExec=True,
        jobWorkingDir="/home/${apiUserId}/tapisd-py-perms", jobRuntimes=[{"runtimeType": "ZIP"}],
    )
    assert alice.systems.getUserPerms(systemId="alices-perms", userName=ALICE).names == ["READ", "MODIFY", "EXECUTE"]
    assert alice.systems.getUserPerms(systemId="alices-perms", userName=BOB).names == []
    assert refused(lambda: bob.systems.getSystem(systemId="alices-perms")) == 404

    alice.systems.grantUserPerms(systemId="alices-perms", userName=BOB, permissions=["read"])
    assert bob.systems.getUserPerms(systemId="alices-perms", userName=BOB).names == ["READ", "EXECUTE"]
    assert bob.systems.getSystem(systemId="alices-perms").id == "alices-perms"
    assert refused(lambda: bob.systems.disableSystem(systemId="alices-perms")) == 403, "READ does not let bob change it"

    alice.systems.grantUserPerms(systemId="alices-perms", userName=BOB, permissions=["MODIFY"])
    bob.systems.disableSystem(systemId="alices-perms")
    assert alice.systems.isEnabled(systemId="alices-perms").aBool is False
    bob.systems.enableSystem(systemId="alices-perms")
    assert refused(lambda: bob.systems.shareSystemPublic(systemId="alices-perms")) == 403, "publishing is the administrator's"

    stranger_token = shared.tokens.setdefault("tapis-locked", shared.mint_token("tapis-locked")["access_token"])
    assert stranger_token
    assert refused(lambda: shared.client("tapis-locked").systems.revokeUserPerm(systemId="alices-perms", userName=BOB, permission="MODIFY")) == 404
    assert "MODIFY" in alice.systems.getUserPerms(systemId="alices-perms", userName=BOB).names, "a stranger took nothing"
    alice.systems.revokeUserPerm(systemId="alices-perms", userName=BOB, permission="MODIFY")
    assert refused(lambda: bob.systems.disableSystem(systemId="alices-perms")) == 403
    alice.systems.revokeUserPerms(systemId="alices-perms", userName=BOB, permissions=["READ", "EXECUTE"])
    assert refused(lambda: bob.systems.getSystem(systemId="alices-perms")) == 404
    with pytest.raises(BaseTapyException) as bad:
        alice.systems.grantUserPerms(systemId="alices-perms", userName=BOB, permissions=["OWN"])
    assert http_status(bad.value) == 400 and "permissions:" in str(bad.value)


def test_publishing_is_the_administrators_and_never_spreads_an_owners_credential(shared):
    alice, root = shared.client(ALICE), shared.client(ROOT)
    shared.tokens.setdefault("tapis-locked", shared.mint_token("tapis-locked")["access_token"])
    stranger = shared.client("tapis-locked")
    private = (TESTBED_DIR / "keys" / "alice_ed25519").read_text()
    for system_id, credential in (("alices-keyed", {"privateKey": private}), ("alices-open", None)):
        fields = dict(
            id=system_id, host="127.0.0.1", port=int(bed_value("TAPISD_TESTBED_SSH_PORT")), systemType="LINUX",
            defaultAuthnMethod="PKI_KEYS", effectiveUserId="${apiUserId}", rootDir="/", canExec=True,
            jobWorkingDir="/home/${apiUserId}/tapisd-py-public", jobRuntimes=[{"runtimeType": "ZIP"}],
        )
        if credential:
            fields["authnCredential"] = credential
        alice.systems.createSystem(**fields)
    assert refused(lambda: root.systems.shareSystemPublic(systemId="alices-keyed")) == 409, "it carries alice's key"
    root.systems.shareSystemPublic(systemId="alices-open")
    assert root.systems.getShareInfo(systemId="alices-open").public is True
    assert stranger.systems.getSystem(systemId="alices-open").id == "alices-open"
    root.systems.unShareSystemPublic(systemId="alices-open")
    assert refused(lambda: stranger.systems.getSystem(systemId="alices-open")) == 404

    app = create_app(shared, alice, "alices-open")
    # An app id is its creator's: nobody adds a version of it to reach (or share) alice's.
    definition = json.loads(json.dumps(shared.app_definition))
    definition.update(id=app, version="0.1")
    assert refused(lambda: stranger.apps.createAppVersion(**definition)) == 409
    alice.apps.shareApp(appId=app, users=["tapis-locked"])
    assert alice.apps.getShareInfo(appId=app).userList == ["tapis-locked"]
    alice.apps.unShareApp(appId=app, users=["tapis-locked"])
    assert alice.apps.getShareInfo(appId=app).userList == []
    assert refused(lambda: alice.apps.shareAppPublic(appId=app)) == 403
    root.apps.shareAppPublic(appId=app)
    assert app in [each.id for each in stranger.apps.getApps()]
    root.apps.unShareAppPublic(appId=app)
    assert app not in [each.id for each in stranger.apps.getApps()]
