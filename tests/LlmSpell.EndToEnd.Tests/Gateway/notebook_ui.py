"""Opens a notebook in classic Notebook 6 with headless Chromium (selenium), runs its first cell from the keyboard and
reports what the page shows.

Usage: notebook_ui.py <notebook-url-with-token> <screenshot.png> [<more-screenshot.png>...]
Chromium starts through ../Browser/browser.py (headless, its own temporary profile).
Prints one JSON object on the last stdout line and exits 0; on a failed step exits 1 with the reason (and what the
page showed) on stderr. A missing Python package exits 3 naming the Debian package to install.
"""
import json
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Browser"))
from browser import Browser  # noqa: E402  (exits 3 naming the Debian package when selenium or chromium is missing)
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

TIMEOUT = 30  # seconds for each thing the page must show


class Failure(Exception):
    pass


def until(driver, what, probe, timeout=TIMEOUT):
    """Polls probe() (a truthy value ends the wait) until the deadline; fails with what the page shows."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except WebDriverException:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure("timed out after %d s waiting for %s\n%s" % (timeout, what, page_state(driver)))
        time.sleep(0.1)


def text_of(driver, css):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


def page_state(driver):
    """What a person would see, for failure messages: indicator, notifications, dialogs, outputs, console errors."""
    state = {}
    try:
        state["title"] = driver.title
        state["url"] = driver.current_url
        state["kernel_name"] = text_of(driver, "#kernel_indicator .kernel_indicator_name")
        state["kernel_icon"] = [e.get_attribute("class") for e in driver.find_elements(By.ID, "kernel_indicator_icon")]
        state["notification"] = text_of(driver, "#notification_kernel, #notification_notebook")
        state["dialogs"] = text_of(driver, ".modal-dialog")
        state["outputs"] = text_of(driver, ".output_area")
        state["console"] = [e.get("message") for e in driver.get_log("browser")][-20:]
    except WebDriverException as e:
        state["error"] = str(e)
    return json.dumps(state, indent=1)


def run(url, *screenshots):
    with Browser(width=1280, height=720) as driver:
        return steps(driver, url, screenshots)


def steps(driver, url, screenshots):
    out = {}
    driver.get(url)
    until(driver, "the notebook to load", lambda: driver.find_elements(By.CSS_SELECTOR, ".cell.code_cell .CodeMirror"))
    # Idle (not merely connected): the kernel answered the notebook's kernel_info_request through both gateways. (Stuck
    # on busy after "Connected" would be the Notebook's gateway handler losing that first request: see gateway_e2e.py.)
    until(driver, "the kernel indicator to show idle",
          lambda: "kernel_idle_icon" in (driver.find_element(By.ID, "kernel_indicator_icon").get_attribute("class") or ""))
    out["kernel_name"] = driver.find_element(By.CSS_SELECTOR, "#kernel_indicator .kernel_indicator_name").text
    out["cell_source"] = driver.find_element(By.CSS_SELECTOR, ".cell.code_cell .input_area").text

    # As a person does it: click into the cell, then Shift+Enter.
    driver.find_element(By.CSS_SELECTOR, ".cell.code_cell .CodeMirror-lines").click()
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()

    first = ".cell.code_cell:first-child"
    until(driver, "the cell's output to show the printed line and the result",
          lambda: any("Hello from LLMSpell" in t for t in text_of(driver, first + " .output_stream"))
          and text_of(driver, first + " .output_result"))
    until(driver, "the execution to finish (an In [n] prompt and an idle kernel)",
          lambda: "*" not in driver.find_element(By.CSS_SELECTOR, first + " .input_prompt").text
          and "kernel_idle_icon" in (driver.find_element(By.ID, "kernel_indicator_icon").get_attribute("class") or ""))
    out["stream"] = text_of(driver, first + " .output_stream")
    out["result"] = text_of(driver, first + " .output_result")
    out["input_prompt"] = driver.find_element(By.CSS_SELECTOR, first + " .input_prompt").text
    out["output_prompt"] = text_of(driver, first + " .output_prompt")
    out["errors"] = text_of(driver, first + " .output_error")
    out["kernel_name_after"] = driver.find_element(By.CSS_SELECTOR, "#kernel_indicator .kernel_indicator_name").text
    out["title"] = driver.title
    for path in screenshots:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        if not driver.save_screenshot(path):
            raise Failure("could not save the screenshot to %s" % path)
    out["screenshots"] = list(screenshots)
    out["console_errors"] = [e.get("message") for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        out = run(*sys.argv[1:])
    except Failure as e:
        print(str(e), file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - anything else is reported with its traceback
        traceback.print_exc()
        return 1
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
