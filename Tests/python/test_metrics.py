"""GET /metrics in Prometheus's text format, read with the official Python client's own parser:
open to a scraper on this host's loopback, an administrator's token otherwise, and the figures
follow the jobs."""

import requests
from prometheus_client.parser import text_string_to_metric_families

from conftest import ALICE, HTTP_TIMEOUT, ROOT


def scrape(tapisd, token: str | None = None) -> requests.Response:
    headers = {"X-Tapis-Token": token} if token else {}
    return requests.get(tapisd.url("/metrics"), headers=headers, verify=tapisd.verify, timeout=HTTP_TIMEOUT)


def families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


def test_metrics_parse_and_follow_the_jobs(tapisd, finished_jobs):
    answer = scrape(tapisd)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    parsed = families(answer.text)
    jobs = parsed["tapisd_jobs"]
    assert jobs.type == "gauge"
    finished = [s.value for s in jobs.samples if s.labels == {"status": "FINISHED"}]
    assert finished and finished[0] >= len(finished_jobs)
    commands = parsed["tapisd_scheduler_commands"]
    assert commands.type == "counter"
    assert any(s.labels.get("kind") == "submit" and s.value >= len(finished_jobs) for s in commands.samples)
    assert parsed["tapisd_store_bytes"].samples[0].value > 0
    assert "tapisd_poll_cycles" in parsed


def test_a_token_must_be_an_administrators(tapisd):
    assert scrape(tapisd, tapisd.tokens[ALICE]).status_code == 403
    assert scrape(tapisd, tapisd.tokens[ROOT]).status_code == 200
    assert scrape(tapisd, "not-a-token").status_code == 401
