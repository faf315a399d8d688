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


def _sample(parsed: dict, family: str, name: str, **labels) -> float:
    values = [s.value for s in parsed[family].samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
    assert values, f"no {name} {labels} in {[s for s in parsed[family].samples][:5]}"
    return sum(values)


def test_what_the_parts_record_follows_the_jobs(tapisd, finished_jobs):
    """Transitions, submit and step durations, poll cycles and SSH, from the daemon's swift-metrics."""
    parsed = families(scrape(tapisd).text)
    transitions = parsed["tapisd_job_transitions"]
    assert transitions.type == "counter"
    for status in ("PENDING", "STAGING_JOB", "QUEUED", "FINISHED"):
        assert _sample(parsed, "tapisd_job_transitions", "tapisd_job_transitions_total", status=status) >= len(finished_jobs)
    submits = parsed["tapisd_submit_duration_seconds"]
    assert submits.type == "histogram"
    assert _sample(parsed, "tapisd_submit_duration_seconds", "tapisd_submit_duration_seconds_count") >= len(finished_jobs)
    assert _sample(parsed, "tapisd_submit_duration_seconds", "tapisd_submit_duration_seconds_bucket", le="+Inf") >= len(finished_jobs)
    for step in ("PROCESSING_INPUTS", "STAGING_JOB", "SUBMITTING_JOB", "ARCHIVING"):
        assert _sample(parsed, "tapisd_step_duration_seconds", "tapisd_step_duration_seconds_count", step=step) >= len(finished_jobs)
    assert _sample(parsed, "tapisd_poll_cycle_duration_seconds", "tapisd_poll_cycle_duration_seconds_count") >= 1


def test_a_token_must_be_an_administrators(tapisd):
    assert scrape(tapisd, tapisd.tokens[ALICE]).status_code == 403
    assert scrape(tapisd, tapisd.tokens[ROOT]).status_code == 200
    assert scrape(tapisd, "not-a-token").status_code == 401


def test_the_grafana_dashboard_asks_only_for_what_tapisd_emits(tapisd, finished_jobs):
    """Every metric etc/grafana/tapisd-dashboard.json queries is one /metrics shows, or one the
    daemon's parts record through swift-metrics once they have something to count (SSH,
    notifications; proven by their own suites)."""
    import json
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    dashboard = json.loads((root / "etc/grafana/tapisd-dashboard.json").read_text())
    queried = {name for panel in dashboard["panels"] for target in panel["targets"] for name in re.findall(r"tapisd_[a-z_]+", target["expr"])}
    shown = {s.name for family in text_string_to_metric_families(scrape(tapisd).text) for s in family.samples}
    recorded = set()
    for source in (root / "Sources").rglob("*.swift"):
        for kind, label in re.findall(r'(Counter|Gauge|Timer)\(\s*label: "(tapisd_[a-z_]+)"', source.read_text()):
            recorded |= {label + suffix for suffix in ("_bucket", "_count", "_sum")} if kind == "Timer" else {label}
    assert queried and queried <= shown | recorded, sorted(queried - shown - recorded)
    assert {"tapisd_jobs", "tapisd_job_transitions_total", "tapisd_submit_duration_seconds_bucket"} <= queried
