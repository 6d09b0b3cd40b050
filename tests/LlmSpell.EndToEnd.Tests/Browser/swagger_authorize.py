"""Swagger UI in headless Chromium: GET /api/kernels through "Try it out" answers 401, then Authorize with
"token <t>" and the same call answers 200 with the kernel list.

usage: swagger_authorize.py BASE_URL DEFAULT_KERNEL_ID SCREENSHOT_PATH   (the token on stdin, never in argv)

Prints one JSON object on its last line: {"before": {...}, "after": {...}, "screenshot": PATH}. Exits 1 with a
message (the token redacted) when a step fails, 3 when chromium, chromedriver or selenium is missing.
"""
import json
import sys

from browser import Browser, wait

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

OPERATION = "operations-Kernels-ListKernels"  # Swagger UI's id: operations-{tag}-{operationId}


def css(root, selector):
    return root.find_elements(By.CSS_SELECTOR, selector)


def response_status(operation):
    """The status code of the live response Swagger UI shows for the operation, or None while there is none."""
    cells = css(operation, ".live-responses-table .response .response-col_status")
    text = cells[0].text.strip() if cells else ""
    return int(text.split()[0]) if text[:3].isdigit() else None


def response_body(operation):
    blocks = css(operation, ".live-responses-table .response .response-col_description pre")
    return blocks[0].text if blocks else ""


def execute(driver, operation, status):
    """Clicks Execute and waits until the live response shows `status`; returns what was shown in the end."""
    button = wait(driver).until(lambda _: next((b for b in css(operation, "button.execute") if b.is_displayed()), None))
    button.click()
    try:
        wait(driver).until(lambda _: response_status(operation) == status)
    except TimeoutException:
        pass
    return {"status": response_status(operation), "body": response_body(operation)}


def authorize(driver, token):
    """Authorize → the apiKey "token" scheme → "token <t>" → Authorize → Close."""
    driver.find_element(By.CSS_SELECTOR, ".auth-wrapper button.authorize").click()
    containers = wait(driver).until(lambda _: css(driver, ".modal-ux .auth-container"))
    container = next(c for c in containers if "(apiKey)" in c.find_element(By.TAG_NAME, "h4").text)
    container.find_element(By.CSS_SELECTOR, "input#api_key_value").send_keys("token " + token)
    container.find_element(By.CSS_SELECTOR, "button.authorize").click()
    # Once authorized, the dialog shows the scheme as "Authorized" with a Logout button instead of the input.
    wait(driver).until(lambda _: any("Logout" in b.text for b in css(driver, ".modal-ux .auth-container button")))
    next(b for b in css(driver, ".modal-ux button.btn-done") if b.is_displayed()).click()
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, ".modal-ux")))


def run(base_url, token, screenshot):
    with Browser() as driver:
        driver.get(base_url.rstrip("/") + "/swagger/index.html")
        operation = wait(driver, 30).until(EC.presence_of_element_located((By.ID, OPERATION)))
        operation.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
        wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#{OPERATION} button.try-out__btn"))).click()

        before = execute(driver, operation, 401)
        authorize(driver, token)
        after = execute(driver, operation, 200)

        table = css(operation, ".live-responses-table")
        if table:
            driver.execute_script("arguments[0].scrollIntoView(true);", table[0])
            table[0].screenshot(screenshot)  # the response only: the curl line above it carries the token
        return {"before": before, "after": after, "screenshot": screenshot if table else None}


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, default_kernel, screenshot = sys.argv[1:]
    token = sys.stdin.readline().strip()
    if not token:
        print("no token on stdin", file=sys.stderr)
        return 2
    try:
        result = run(base_url, token, screenshot)
    except Exception as e:  # report the step that failed, never the token
        print(f"Swagger UI step failed: {type(e).__name__}: {str(e).replace(token, '<token>')}", file=sys.stderr)
        return 1
    result["default_kernel_listed"] = default_kernel in result["after"]["body"]
    print(json.dumps(result).replace(token, "<token>"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
