"""End to end in a real browser: ``briefgen serve`` started as a process, driven by
Selenium through headless Chromium (Debian's ``chromium`` and ``chromium-driver``).

One server, one browser and one uploaded sample serve the whole module, and the tests run
in order (upload, review, edits, preview, export, stop), leaving a screenshot of each
screen and the browser's console log in ``build/screenshots/`` (not committed) for a
person to look at. Without Chromium or its
driver the module is skipped, unless ``CI`` is set: CI must run it.

Selenium is always given the driver's path, so Selenium Manager never downloads anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"
SCREENSHOTS = ROOT / "build" / "screenshots"
#: Seconds to wait for the server's first line, for extraction, and for a render.
START_TIMEOUT = 60
EXTRACT_TIMEOUT = 240
RENDER_TIMEOUT = 240
#: Seconds for things that happen in the page without the server's slow work.
UI_TIMEOUT = 30
#: Seconds a stopped server's worker processes are given to end.
STOP_TIMEOUT = 20
NEW_TITLE = "Securing the AI supply chain (edited in the browser)"
NEW_PASSAGE = "Filled in the browser"

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").is_file() else None
)

if os.environ.get("CI"):
    from selenium import webdriver  # CI installs '.[test]': a missing selenium is an error
else:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def browser_binaries() -> tuple[str, str]:
    """Chromium and chromedriver; the module is skipped without them (failed under CI)."""
    if CHROMIUM and CHROMEDRIVER:
        return CHROMIUM, CHROMEDRIVER
    missing = " and ".join(
        name for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not path
    )
    message = f"{missing} not installed (Debian: apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {message}")
    pytest.skip(message)


@dataclass
class Server:
    """A running ``briefgen serve`` process and where it keeps its workspaces."""

    url: str
    data_dir: Path
    process: subprocess.Popen[str]
    log: Path

    def get(self, path: str) -> bytes:
        """The body of ``GET path`` (a path on this server)."""
        with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=60) as response:
            return response.read()

    def stop(self) -> list[str]:
        """Stop the server as a service manager would (SIGTERM; SIGKILL after 20 s) and
        wait for the processes it started (job workers and theirs) to end; return those
        still running after ``STOP_TIMEOUT`` s, killed so that none is left behind."""
        children = _children(self.process.pid)
        _stop(self.process)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.2)
        survivors = [f"{pid}: {children[pid]}" for pid in children if _alive(pid)]
        for pid in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        return survivors


def _children(pid: int) -> dict[int, str]:
    """The processes descended from ``pid`` (Linux /proc), with their command lines."""
    found = _direct_children(pid)
    for child in list(found):
        found.update(_children(child))
    return found


def _direct_children(pid: int) -> dict[int, str]:
    found: dict[int, str] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                found[int(entry.name)] = command.decode("utf-8", "replace")[:120]
        except (OSError, ValueError, IndexError):
            continue
    return found


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is no zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The first line ``process`` prints on stdout, waited for at most ``timeout`` s."""
    found: list[str] = []
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: found.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return found[0] if found else ""


def _stop(process: subprocess.Popen[str]) -> None:
    """Terminate ``process`` (kill it when it does not stop) and close its pipe."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
    if process.stdout is not None:
        process.stdout.close()


@pytest.fixture(scope="module")
def server(
    browser_binaries: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The real server on 127.0.0.1 and a free port, rendering the leadership memo only
    (a briefgen.toml in its working directory), with its own data and cache folders."""
    base = tmp_path_factory.mktemp("serve")
    cwd, data, cache = base / "cwd", base / "data", base / "cache"
    for folder in (cwd, data, cache):
        folder.mkdir()
    (cwd / "briefgen.toml").write_text('audiences = ["leadership"]\n', encoding="utf-8")
    env = dict(os.environ, BRIEFGEN_DATA_DIR=str(data), BRIEFGEN_CACHE_DIR=str(cache))
    env.pop("BRIEFGEN_AUDIENCES", None)
    log = base / "server.log"
    command = [sys.executable, "-m", "briefgen", "serve", "--port", "0", "--data-dir", str(data)]
    with log.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
        )
    try:
        line = _first_line(process, START_TIMEOUT)
        prefix = "briefgen serve: "
        if not line.startswith(prefix):
            pytest.fail(f"the server did not start: {line!r}; {log.read_text(encoding='utf-8')}")
        running = Server(line[len(prefix) :].strip(), data, process, log)
        yield running
    finally:
        if "running" in locals():
            running.stop()
        else:
            _stop(process)


@dataclass
class Browser:
    """The driven browser, where its downloads go, and the log lines read so far."""

    driver: WebDriver
    downloads: Path
    logs: list[dict[str, Any]] = field(default_factory=list)

    def wait(self, timeout: float = UI_TIMEOUT) -> WebDriverWait:
        """A wait that retries through elements replaced by an htmx swap."""
        return WebDriverWait(
            self.driver,
            timeout,
            poll_frequency=0.2,
            ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
        )

    def until(self, condition: Callable[[WebDriver], Any], timeout: float = UI_TIMEOUT) -> Any:
        """The first truthy value of ``condition`` (waited for)."""
        return self.wait(timeout).until(condition)

    def css(self, selector: str) -> WebElement:
        """The element ``selector`` finds (waited for)."""
        return self.until(lambda d: d.find_element(By.CSS_SELECTOR, selector))

    def shot(self, name: str) -> Path:
        """A screenshot of the page as it is, as ``build/screenshots/<name>.png``."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        assert self.driver.save_screenshot(str(path)), f"no screenshot {path}"
        return path

    def read_logs(self) -> list[dict[str, Any]]:
        """Every browser console entry so far (the driver hands out each once)."""
        with contextlib.suppress(Exception):
            self.logs.extend(self.driver.get_log("browser"))
        return self.logs


@pytest.fixture(scope="module")
def browser(
    browser_binaries: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    """Headless Chromium with its console log kept and downloads into a tmp folder."""
    chromium, chromedriver = browser_binaries
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--lang=en-US",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    try:
        with contextlib.suppress(Exception):
            driver.execute_cdp_cmd(
                "Browser.setDownloadBehavior",
                {"behavior": "allow", "downloadPath": str(downloads)},
            )
        yield Browser(driver, downloads)
    finally:
        driver.quit()


@dataclass
class Uploaded:
    """The sample, uploaded and extracted: its review page and workspace."""

    url: str
    id: str
    progress_seen: bool


def _upload(browser: Browser, server: Server, path: Path) -> None:
    browser.driver.get(server.url)
    browser.css("input#file").send_keys(str(path))
    browser.css("#upload-submit").click()


@pytest.fixture(scope="module")
def uploaded(browser: Browser, server: Server) -> Uploaded:
    """The sample uploaded through the start page's form, waited for until its review
    page shows (a screenshot of the progress page when it is caught)."""
    _upload(browser, server, SAMPLE)
    driver = browser.driver
    browser.until(lambda d: "/b/" in d.current_url)
    progress_seen = False
    with contextlib.suppress(NoSuchElementException):
        status = driver.find_element(By.CSS_SELECTOR, "div#status")
        if "state-ready" not in (status.get_attribute("class") or ""):
            progress_seen = True
            browser.shot("02-progress")
    try:
        browser.until(lambda d: d.find_elements(By.ID, "article") or _failed(d), EXTRACT_TIMEOUT)
    except TimeoutException:
        pytest.fail(f"no review page: {_page_text(driver)!r}; {_tail(server.log)}")
    if not driver.find_elements(By.ID, "article"):
        pytest.fail(f"the upload failed: {_page_text(driver)!r}")
    url = driver.current_url.split("#")[0].split("?")[0]
    return Uploaded(url, url.rstrip("/").rsplit("/", 1)[-1], progress_seen)


def _page_text(driver: WebDriver) -> str:
    """What the page's main part says (for failure messages)."""
    try:
        return driver.find_element(By.TAG_NAME, "main").text[:500]
    except NoSuchElementException:
        return driver.page_source[:500]


def _failed(driver: WebDriver) -> bool:
    """Whether the page shows an error instead of the progress or review page."""
    return bool(driver.find_elements(By.CSS_SELECTOR, "main p.error, #status .error"))


def _has_all(text: str) -> bool:
    """Whether ``text`` holds both edits the tests make."""
    return NEW_TITLE in text and NEW_PASSAGE in text


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-2000:]


def _brief_yaml(server: Server, uploaded: Uploaded) -> dict[str, Any]:
    return yaml.safe_load(server.get(f"/b/{uploaded.id}/brief.yaml"))


def _node(brief: dict[str, Any], path: str) -> Any:
    node: Any = brief
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else node[part]
    return node


def _source_text(brief: dict[str, Any], path: str) -> str:
    """The text of the source span the brief records for the field at ``path``."""
    span = _node(brief, path)["source"]
    return brief["source"]["paragraphs"][span["paragraph"]][span["start"] : span["end"]]


def _highlighted(driver: WebDriver) -> str:
    return "".join(s.text for s in driver.find_elements(By.CSS_SELECTOR, "#article span.seg.hl"))


def _select_in(browser: Browser, element: WebElement, start: int, end: int) -> None:
    """Select characters ``start``..``end`` of the first text node of ``element``, as a
    mouse would (a range, then a mouseup)."""
    browser.driver.execute_script(
        """
        const el = arguments[0];
        el.scrollIntoView({block: "center"});
        const text = el.firstChild;
        const range = document.createRange();
        range.setStart(text, arguments[1]);
        range.setEnd(text, Math.min(arguments[2], text.length));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        el.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        """,
        element,
        start,
        end,
    )


def _save_text(browser: Browser, path: str, lang: str, value: str) -> None:
    """Open the edit form of the text field at ``path``, set its ``lang`` text to
    ``value`` and save it (htmx swaps the brief pane)."""
    driver = browser.driver
    box = browser.css(f'div.text[id="f-{path}"]')
    details = box.find_element(By.CSS_SELECTOR, "details.edit")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", details)
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    area = browser.until(lambda d: d.find_element(By.ID, f"e-{path}-{lang}"))
    browser.until(lambda d: area.is_displayed())
    area.clear()
    area.send_keys(value)
    area.find_element(By.XPATH, "./ancestor::form").find_element(
        By.CSS_SELECTOR, "button[type=submit]"
    ).click()


def _shown(driver: WebDriver, path: str, lang: str) -> tuple[str, list[str]]:
    """The ``lang`` text the page shows for ``path`` and the classes of its 'via' mark."""
    line = driver.find_element(By.CSS_SELECTOR, f'div.text[id="f-{path}"] p.tx[data-lang="{lang}"]')
    value = line.find_element(By.CSS_SELECTOR, "span.val").text
    vias = line.find_elements(By.CSS_SELECTOR, "span.via")
    return value, (vias[0].get_attribute("class") or "").split() if vias else []


# -- the tests, in the order a user goes ------------------------------------------------


def test_start_page_loads_htmx_and_refuses_an_empty_file(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    driver = browser.driver
    driver.get(server.url)
    browser.css("#upload-submit")
    assert browser.until(lambda d: d.execute_script("return typeof window.htmx") == "object")
    browser.shot("01-start")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _upload(browser, server, empty)
    browser.until(lambda d: d.find_elements(By.CSS_SELECTOR, "main p.error"))
    errors = driver.find_elements(By.CSS_SELECTOR, "p#upload-error")
    assert errors, f"not the start page's upload error: {_page_text(driver)!r}"
    assert errors[0].text.strip() == "empty.txt: the file is empty"
    browser.shot("08-upload-error")


def test_upload_reaches_the_review_page(browser: Browser, uploaded: Uploaded) -> None:
    driver = browser.driver
    assert driver.current_url.startswith(uploaded.url)
    assert driver.find_elements(By.CSS_SELECTOR, "#article p[data-p] span.seg.fed")
    assert driver.find_elements(By.CSS_SELECTOR, "#article p.furniture del")
    assert driver.find_elements(By.CSS_SELECTOR, '#brief .rec[data-field="items.0.points.0"]')
    browser.shot("03-review")


def test_clicking_a_point_highlights_its_source_span(
    browser: Browser, server: Server, uploaded: Uploaded
) -> None:
    driver = browser.driver
    path = "items.0.points.0"
    expected = _source_text(_brief_yaml(server, uploaded), path)
    value = browser.css(f'.rec[data-field="{path}"] > div.text p.tx span.val')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", value)
    value.click()
    assert browser.until(lambda d: _highlighted(d) == expected)
    rec = driver.find_element(By.CSS_SELECTOR, f'.rec[data-field="{path}"]')
    assert "selected" in (rec.get_attribute("class") or "").split()
    feeds = driver.find_element(By.ID, "feeds").text
    assert "Source of" in feeds and rec.get_attribute("data-label") in feeds
    browser.shot("04-review-point-clicked")


def test_selecting_article_text_names_the_field_it_feeds(
    browser: Browser, uploaded: Uploaded
) -> None:
    driver = browser.driver
    seg = browser.css("#article span.seg.fed:not(.left-out)")
    fields = (seg.get_attribute("data-fields") or "").split()
    assert fields
    _select_in(browser, seg, 0, 4)
    browser.until(lambda d: d.find_element(By.ID, "feeds").text.startswith("Feeds:"))
    links = driver.find_elements(By.CSS_SELECTOR, "#feeds a.feed")
    assert [a.get_attribute("data-goto") for a in links] == fields
    browser.shot("05-selection-feeds")
    _select_in(browser, browser.css("#article p.furniture del"), 0, 2)
    browser.until(
        lambda d: d.find_element(By.ID, "feeds").text == "This text feeds no field of the brief."
    )


def test_keyboard_tab_reaches_a_record_and_enter_highlights_it(
    browser: Browser, uploaded: Uploaded
) -> None:
    driver = browser.driver
    driver.get(uploaded.url)
    browser.css("#article")
    body = driver.find_element(By.TAG_NAME, "body")
    body.click()
    active: WebElement | None = None
    for _ in range(200):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        active = driver.switch_to.active_element
        if (
            active.get_attribute("data-field")
            and "sourced" in (active.get_attribute("class") or "").split()
        ):
            break
    else:
        pytest.fail("Tab never reached a record with a source span")
    assert active is not None
    path = active.get_attribute("data-field")
    active.send_keys(Keys.ENTER)
    browser.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#article span.seg.hl"))
    for seg in driver.find_elements(By.CSS_SELECTOR, "#article span.seg.hl"):
        assert path in (seg.get_attribute("data-fields") or "").split()
    assert "selected" in (active.get_attribute("class") or "").split()


def test_editing_an_item_title_shows_it_as_a_human_edit(
    browser: Browser, server: Server, uploaded: Uploaded
) -> None:
    driver = browser.driver
    path = "items.0.title"
    box = browser.css(f'div.text[id="f-{path}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.find_element(By.CSS_SELECTOR, "details.edit summary").click()
    browser.until(lambda d: d.find_element(By.ID, f"e-{path}-en").is_displayed())
    browser.shot("06-edit-form-open")
    _save_text(browser, path, "en", NEW_TITLE)
    browser.until(lambda d: _shown(d, path, "en") == (NEW_TITLE, ["via", "via-human"]))
    assert _node(_brief_yaml(server, uploaded), path)["en"] == NEW_TITLE


def test_filling_an_untranslated_passage_shows_it_as_a_human_edit(
    browser: Browser, server: Server, uploaded: Uploaded
) -> None:
    driver = browser.driver
    mark = browser.css('#brief p.tx[data-lang="en"] span.via-untranslated')
    box = mark.find_element(By.XPATH, "./ancestor::div[contains(@class, 'text')][1]")
    path = (box.get_attribute("id") or "")[len("f-") :]
    assert path
    _save_text(browser, path, "en", NEW_PASSAGE)
    browser.until(lambda d: _shown(d, path, "en") == (NEW_PASSAGE, ["via", "via-human"]))
    assert _node(_brief_yaml(server, uploaded), path)["en"] == NEW_PASSAGE
    # The earlier edit is still there, and two edits can be undone.
    assert _shown(driver, "items.0.title", "en")[0] == NEW_TITLE
    assert "(2)" in driver.find_element(By.ID, "undo").text


def test_the_english_leadership_preview_shows_the_edit(
    browser: Browser, uploaded: Uploaded
) -> None:
    driver = browser.driver
    browser.until(lambda d: d.find_element(By.ID, "preview-leadership-en"), RENDER_TIMEOUT)
    link = driver.find_element(By.ID, "preview-leadership-en")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    frame = browser.css("iframe#preview")
    driver.switch_to.frame(frame)
    try:
        # The newest version: both edits are in it.
        browser.until(lambda d: _has_all(d.find_element(By.TAG_NAME, "body").text))
    finally:
        driver.switch_to.default_content()
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", frame)
    browser.shot("07-memo-preview")


def test_the_zip_holds_exactly_the_manifest_files(browser: Browser, uploaded: Uploaded) -> None:
    driver = browser.driver
    link = browser.css("a#download-zip")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()

    def finished(_driver: WebDriver) -> Path | None:
        done = [p for p in browser.downloads.glob("*.zip") if p.stat().st_size]
        partial = list(browser.downloads.glob("*.crdownload"))
        return done[0] if len(done) == 1 and not partial else None

    path: Path = browser.until(finished, RENDER_TIMEOUT)
    with zipfile.ZipFile(path) as archive:
        members = {Path(info.filename).name: archive.read(info) for info in archive.infolist()}
    assert "manifest.json" in members
    manifest = json.loads(members["manifest.json"])
    listed = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    assert set(members) - {"manifest.json"} == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256(members[name]).hexdigest() == digest, name
    assert {"eppd-6.leadership.en.pdf", "eppd-6.leadership.en.html"} <= set(listed)
    # The zip is of the edited version.
    html = members["eppd-6.leadership.en.html"].decode("utf-8")
    assert _has_all(html)


def test_no_script_errors_or_policy_violations(browser: Browser, uploaded: Uploaded) -> None:
    entries = browser.read_logs()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "browser-log.json").write_text(json.dumps(entries, indent=1), encoding="utf-8")
    # The log is really read: the empty upload's 400 page is in it.
    assert any(_expected_failure(e) for e in entries), entries
    bad = [
        e
        for e in entries
        if (e.get("level") == "SEVERE" or "Content Security Policy" in e.get("message", ""))
        and not _expected_failure(e)
    ]
    assert bad == []


def _expected_failure(entry: dict[str, Any]) -> bool:
    """The console lines the tests cause on purpose: the empty upload's 400 page."""
    message = entry.get("message", "")
    return "/briefs " in message and "status of 400" in message


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_stopping_the_server_ends_its_worker_processes(server: Server, uploaded: Uploaded) -> None:
    """SIGTERM (what systemd or ``kill`` sends) stops the server and the job workers it
    spawned; none is left running, orphaned."""
    assert server.process.poll() is None
    assert server.stop() == []
