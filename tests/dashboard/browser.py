"""Headless Chromium driven through chromedriver (python3-selenium), set up
for a machine without internet: no first-run, sync, component updates or
background networking, a fresh profile, root-safe flags."""

import os
import shutil
import tempfile

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def require_prerequisites():
    """Fails, naming the Debian package, when something is missing."""
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append("chromium")
    if not os.access(CHROMEDRIVER, os.X_OK):
        missing.append("chromium-driver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("python3-selenium")
    if missing:
        raise SystemExit("dashboard browser test: missing prerequisite(s); install the Debian package(s): "
                         + " ".join(missing) + " (make deps, or apt-get install " + " ".join(missing) + ")")


class Browser:
    def __init__(self, width=1280, height=900):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="sy-chromium-", dir="/tmp")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--disable-extensions", "--no-default-browser-check",
                     f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "--lang=en-US"):
            options.add_argument(flag)
        # The console, to catch script errors and Content-Security-Policy violations.
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(60)
        self.console = []

    def collect_console(self):
        self.console += self.driver.get_log("browser")
        return self.console

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
