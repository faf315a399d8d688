"""The web page in a real browser: Debian's headless Chromium, driven by selenium, against the
session's tapisd (its TCP listener serves the page at `/`).

Bob logs in with his password of this host; alice's browser carries a session made from a token
minted for her over the socket (the cookie holds a login's token, so this is her session as a
login would make it). Screenshots of the dashboard, a job page and the launch form are saved in
the daemon's work directory (and, with TAPISD_UPDATE_SCREENSHOTS set, in docs/ for the README).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from conftest import ALICE, BOB, HTTP_TIMEOUT, REPO, bed_value, create_app, create_system, wait_for_status

PAGE_TIMEOUT = 60.0  # seconds for a job to reach a status on its page


@pytest.fixture(scope="module")
def bob_app(tapisd, bob) -> str:
    return create_app(tapisd, bob, create_system(tapisd, bob))


def make_browser(downloads: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    # Headless Chromium saves downloads only when told where.
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    driver = make_browser(downloads)
    yield driver
    driver.quit()


def log_in(driver, tapisd, user: str, password: str) -> None:
    driver.delete_all_cookies()
    driver.get(tapisd.url("/login"))
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.login button").click()
    # The form posts and the browser loads what answers: the dashboard, or the form again with its
    # error (a refusal answers after padding). Wait for either, so callers read the page it brought.
    assert wait_until(
        lambda: driver.find_elements(By.ID, "login-error") or driver.get_cookie("tapisd_session"),
        timeout=15,
    ), "the login form brought no page"
    wait_until(lambda: driver.execute_script("return document.readyState") == "complete", timeout=15)


def wait_until(condition, timeout: float = PAGE_TIMEOUT, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def screenshot(driver, tapisd, name: str) -> None:
    """Saves a screenshot in the daemon's work directory; with TAPISD_UPDATE_SCREENSHOTS set, also
    as docs/web-NAME.png (the README shows the dashboard's)."""
    path = tapisd.work / f"screenshot-{name}.png"
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000
    if os.environ.get("TAPISD_UPDATE_SCREENSHOTS"):
        shutil.copy(path, REPO / "docs" / f"web-{name}.png")


def test_a_wrong_password_shows_an_error(browser, tapisd):
    log_in(browser, tapisd, BOB, "not-the-password")
    error = browser.find_element(By.ID, "login-error")
    assert "the user name or password is wrong" in error.text
    assert browser.find_element(By.ID, "username").get_attribute("value") == BOB
    assert browser.get_cookie("tapisd_session") is None


def test_launch_watch_finish_and_download(browser, tapisd, bob, bob_app, downloads):
    log_in(browser, tapisd, BOB, bed_value("TAPISD_TESTBED_PASSWORD"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Jobs"
    cookie = browser.get_cookie("tapisd_session")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    browser.get(tapisd.url(f"/apps/{bob_app}/1.0"))
    screenshot(browser, tapisd, "launch")
    name = browser.find_element(By.ID, "name")
    name.clear()
    name.send_keys("web-launched")
    browser.find_element(By.ID, "extra-key-0").send_keys("SLEEP_SECONDS")
    browser.find_element(By.ID, "extra-value-0").send_keys("3")
    browser.find_element(By.CSS_SELECTOR, "form.launch button[type=submit]").click()
    wait_until(lambda: "/jobs/" in browser.current_url or browser.find_elements(By.CSS_SELECTOR, ".error, .field-error"), timeout=15)
    refusal = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".error, .field-error")]
    assert "/jobs/" in browser.current_url, refusal
    uuid = browser.current_url.rsplit("/", 1)[1]
    # The page follows the job without being loaded again until it ends (then it reloads itself
    # for the outputs): a marker set on this load is still there when it shows FINISHED.
    browser.execute_script("window.tapisdMarker = 'same page';")
    seen = wait_until(lambda: browser.execute_script(
        "return document.getElementById('status').textContent === 'FINISHED' && window.tapisdMarker === 'same page'"), step=0.05)
    assert seen, f"the page did not show FINISHED live (status {bob.jobs.getJobStatus(jobUuid=uuid).status})"
    wait_until(lambda: browser.find_elements(By.ID, "outputs"))
    screenshot(browser, tapisd, "job")
    history = browser.find_element(By.ID, "history").text
    assert "RUNNING" in history and "FINISHED" in history

    link = browser.find_element(By.LINK_TEXT, "tapisjob.out")
    link.click()
    downloaded = wait_until(lambda: (downloads / "tapisjob.out").exists() and (downloads / "tapisjob.out").stat().st_size > 0)
    assert downloaded, "the browser downloaded tapisjob.out"
    expected = requests.get(tapisd.url(f"/v3/jobs/{uuid}/output/download/tapisjob.out"),
                            headers={"X-Tapis-Token": tapisd.tokens[BOB]}, timeout=HTTP_TIMEOUT).content
    assert (downloads / "tapisjob.out").read_bytes() == expected


def test_a_running_jobs_output_shows_live_and_it_cancels_from_its_page(browser, tapisd, bob, bob_app):
    log_in(browser, tapisd, BOB, bed_value("TAPISD_TESTBED_PASSWORD"))
    uuid = bob.jobs.submitJob(name="web-cancel", appId=bob_app, appVersion="1.0",
                              parameterSet={"envVariables": [{"key": "SLEEP_SECONDS", "value": "300"}]}).uuid
    browser.get(tapisd.url(f"/jobs/{uuid}"))
    # The output's tail appears while the job runs, on the page as it was loaded.
    browser.execute_script("window.tapisdMarker = 'same page';")
    assert wait_until(lambda: browser.execute_script(
        "return document.getElementById('log').textContent.indexOf('Hello from tapisd job') >= 0 && window.tapisdMarker === 'same page'"))
    # (The app runs, and writes, before the monitor's next look moves the job from QUEUED to RUNNING.)
    assert bob.jobs.getJobStatus(jobUuid=uuid).status in ("QUEUED", "RUNNING")
    browser.find_element(By.CSS_SELECTOR, f"form[action='/jobs/{uuid}/cancel'] button").click()
    assert wait_until(lambda: bob.jobs.getJobStatus(jobUuid=uuid).status == "CANCELLED")
    assert wait_until(lambda: browser.find_element(By.ID, "status").text == "CANCELLED")


def test_the_dashboard_filters_by_status_and_date(browser, tapisd, bob, bob_app):
    log_in(browser, tapisd, BOB, bed_value("TAPISD_TESTBED_PASSWORD"))
    done = bob.jobs.submitJob(name="web-filter", appId=bob_app, appVersion="1.0").uuid
    assert wait_for_status(bob, done, {"FINISHED"}) == "FINISHED"
    browser.get(tapisd.url("/"))
    Select(browser.find_element(By.NAME, "status")).select_by_value("finished")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    assert wait_until(lambda: "status=finished" in browser.current_url, timeout=15)
    statuses = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "table.jobs tbody td .status")]
    assert statuses and set(statuses) == {"FINISHED"}
    assert "web-filter" in browser.find_element(By.CSS_SELECTOR, "table.jobs").text
    screenshot(browser, tapisd, "dashboard")

    browser.get(tapisd.url("/?range=24h"))
    assert "web-filter" in browser.find_element(By.CSS_SELECTOR, "table.jobs").text
    browser.get(tapisd.url("/?range=custom&from=2001-01-01&to=2001-01-31"))
    assert browser.find_element(By.CSS_SELECTOR, "p.empty").text == "No jobs match."
    browser.get(tapisd.url("/?range=custom&from=nonsense"))
    assert "is not a date" in browser.find_element(By.CSS_SELECTOR, "p.error").text


def test_another_user_sees_none_of_the_jobs(browser, tapisd, bob, bob_app):
    uuid = bob.jobs.submitJob(name="web-bobs-own", appId=bob_app, appVersion="1.0").uuid
    browser.delete_all_cookies()
    browser.get(tapisd.url("/login"))
    browser.add_cookie({"name": "tapisd_session", "value": tapisd.tokens[ALICE], "path": "/", "httpOnly": True, "sameSite": "Strict"})
    browser.get(tapisd.url("/"))
    assert ALICE in browser.find_element(By.CSS_SELECTOR, "nav .who").text
    assert "web-bobs-own" not in browser.page_source
    for path in (f"/jobs/{uuid}", f"/jobs/{uuid}/outputs", f"/jobs/{uuid}/download?path=tapisjob.out"):
        browser.get(tapisd.url(path))
        assert browser.find_element(By.TAG_NAME, "h1").text == "Not found", path
        assert "web-bobs-own" not in browser.page_source
    # Her session's own form, aimed at bob's job, changes nothing.
    csrf = browser.find_element(By.NAME, "_csrf").get_attribute("value")
    refused = requests.post(tapisd.url(f"/jobs/{uuid}/hide"), data={"_csrf": csrf},
                            cookies={"tapisd_session": tapisd.tokens[ALICE]}, timeout=HTTP_TIMEOUT, allow_redirects=False)
    assert refused.status_code == 404


def test_hostile_names_and_notes_render_as_text(browser, tapisd, bob, bob_app):
    hostile = "<script>alert(1)</script>"
    uuid = bob.jobs.submitJob(name=hostile, appId=bob_app, appVersion="1.0", tags=["<b>tag</b>"],
                              notes={"x": "<img src=x onerror=alert(2)>"}).uuid
    log_in(browser, tapisd, BOB, bed_value("TAPISD_TESTBED_PASSWORD"))
    browser.get(tapisd.url(f"/jobs/{uuid}"))
    assert browser.find_element(By.TAG_NAME, "h1").text == hostile
    assert "<img src=x onerror=alert(2)>" in browser.find_element(By.ID, "notes").get_attribute("value")
    assert browser.find_element(By.ID, "tags").get_attribute("value") == "<b>tag</b>"
    assert not browser.find_elements(By.CSS_SELECTOR, "main script, main img, main b")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    browser.get(tapisd.url("/?q=script"))
    assert hostile in browser.find_element(By.CSS_SELECTOR, "table.jobs").text
    assert "&lt;script&gt;" in browser.page_source
    policy = requests.get(tapisd.url("/login"), timeout=HTTP_TIMEOUT).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_a_form_post_without_the_csrf_value_is_refused(tapisd, bob, bob_app):
    uuid = bob.jobs.submitJob(name="web-csrf", appId=bob_app, appVersion="1.0",
                              parameterSet={"envVariables": [{"key": "SLEEP_SECONDS", "value": "300"}]}).uuid
    session = {"tapisd_session": tapisd.tokens[BOB]}
    for data in ({}, {"_csrf": "0" * 64}):
        refused = requests.post(tapisd.url(f"/jobs/{uuid}/cancel"), data=data, cookies=session, timeout=HTTP_TIMEOUT, allow_redirects=False)
        assert refused.status_code == 403 and "out of date or did not come from this site" in refused.text
    assert bob.jobs.getJobStatus(jobUuid=uuid).status != "CANCELLED"
    # A login posted from another site's page is refused too (there is no session to carry a value yet).
    forged = requests.post(tapisd.url("/login"), data={"username": BOB, "password": bed_value("TAPISD_TESTBED_PASSWORD")},
                           headers={"Origin": "https://evil.example"}, timeout=HTTP_TIMEOUT, allow_redirects=False)
    assert forged.status_code == 403 and "tapisd_session" not in forged.headers.get("Set-Cookie", "")
    bob.jobs.cancelJob(jobUuid=uuid)


def test_logging_out_ends_the_session(browser, tapisd):
    log_in(browser, tapisd, BOB, bed_value("TAPISD_TESTBED_PASSWORD"))
    token = browser.get_cookie("tapisd_session")["value"]
    browser.find_element(By.CSS_SELECTOR, "nav form button").click()
    assert wait_until(lambda: "/login" in browser.current_url, timeout=15)
    after = requests.get(tapisd.url("/"), cookies={"tapisd_session": token}, timeout=HTTP_TIMEOUT, allow_redirects=False)
    assert after.status_code == 303 and after.headers["Location"].startswith("/login")
    api = requests.get(tapisd.url("/v3/jobs/list"), headers={"X-Tapis-Token": token}, timeout=HTTP_TIMEOUT)
    assert api.status_code == 401, "the session's token was revoked"
