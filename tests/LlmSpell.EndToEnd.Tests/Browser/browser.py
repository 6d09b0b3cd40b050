"""Headless Chromium driven by Selenium, for the end-to-end browser tests (Swagger UI; later the Notebook UI).

    from browser import Browser, wait

    with Browser() as driver:
        driver.get(url)
        wait(driver).until(...)

Debian packages: chromium, chromium-driver, python3-selenium (and fonts-dejavu-core, so pages have a font).
Each Browser gets its own temporary profile directory, removed with it; run as root, Chromium needs --no-sandbox.
"""
import os
import shutil
import sys
import tempfile

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
MISSING_EXIT_CODE = 3  # the C# side fails the test with the package to install


def missing(what, package):
    print(f"{what} is missing; install it with `sudo apt-get install -y {package}` "
          "(or run ./scripts/test.sh, which installs every test dependency).", file=sys.stderr)
    sys.exit(MISSING_EXIT_CODE)


try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as e:  # pragma: no cover - depends on the machine
    missing(f"python3-selenium ({e})", "python3-selenium")


def chromium_binary():
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    missing("chromium", "chromium")


def wait(driver, timeout=20):
    """A WebDriverWait: poll a condition instead of sleeping."""
    return WebDriverWait(driver, timeout)


class Browser:
    """A context manager giving a headless Chrome WebDriver; quits it and removes its profile on exit."""

    def __init__(self, width=1280, height=1600):
        self.width, self.height = width, height
        self.driver = None
        self.profile = None

    def __enter__(self):
        if not os.path.exists(CHROMEDRIVER):
            missing(CHROMEDRIVER, "chromium-driver")
        self.profile = tempfile.mkdtemp(prefix="llmspell-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium_binary()
        for argument in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                         f"--window-size={self.width},{self.height}", f"--user-data-dir={self.profile}"):
            options.add_argument(argument)
        if os.geteuid() == 0:
            options.add_argument("--no-sandbox")
        try:
            self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        except Exception:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        return self.driver

    def __exit__(self, *exc):
        try:
            if self.driver is not None:
                self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
        return False
