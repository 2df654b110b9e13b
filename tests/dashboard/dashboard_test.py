#!/usr/bin/python3
"""The dashboard in a real browser (headless Chromium) against a real
`switchyard serve` and the device simulator, in one browser session:

  - a one-time sign-in link works once and leaves no code in the address bar;
  - the jobs page shows a sync's progress move, without a reload, to FINISHED;
  - the job's per-device diff opens, inline and side by side (keyboard: the
    job is opened with Enter);
  - a device's config history shows a diff between two records;
  - an operator aborts a running job and sees ABORTED;
  - a read-only token sees no abort and no clear button;
  - an admin clears a lock after a confirmation that names its job;
  - an expired token returns to sign-in;
  - the jobs page fits a phone's width; badges and buttons have readable contrast;
  - no script error and no Content-Security-Policy violation in the console;
  - no code or token in the service's log.

Screenshots of each page go to --out for a reviewer.

  dashboard_test.py --bin-dir build-test/bin --out build-test/tests/dashboard/screenshots
"""

import argparse
import json
import os
import sys
import time
import traceback
import urllib.request

from browser import Browser, require_prerequisites
from stack import Stack, read_tail, wait_until

DEVICES = 10
# Each simulated command takes this long and serve reads one device at a time,
# so a dry run of every device takes several seconds and its progress moves
# in steps the page can show.
LATENCY_MS = 250
SERVE_SETTINGS = ["ssh.concurrency=1", "jobs.progress_flush_ms=200", "sync.lock_wait_seconds=5"]
WAIT = 90  # seconds: generous, the service runs under ASan on 2 loaded cores


class DashboardTest:
    def __init__(self, stack, browser, out):
        self.stack = stack
        self.browser = browser
        self.d = browser.driver
        self.out = out
        self.passed = 0
        self.secrets = []  # codes and tokens that must never reach serve's log

    # --- helpers -----------------------------------------------------------
    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def wait(self, what, condition, seconds=WAIT):
        return wait_until(what, lambda: self._safe(condition), seconds, log=self.stack.serve_log)

    @staticmethod
    def _safe(condition):
        from selenium.common.exceptions import StaleElementReferenceException, NoSuchElementException
        try:
            return condition()
        except (StaleElementReferenceException, NoSuchElementException):
            return None

    def q(self, css):
        return self.js("return document.querySelector(arguments[0])", css)

    def qa(self, css):
        return self.js("return [...document.querySelectorAll(arguments[0])]", css)

    def text(self, css):
        return self.js("const e = document.querySelector(arguments[0]); return e ? e.textContent : null", css)

    def shot(self, name):
        path = os.path.join(self.out, f"{name}.png")
        self.d.save_screenshot(path)
        return path

    def go(self, hash_route):
        """In-page navigation (no reload)."""
        self.js("location.hash = arguments[0]", hash_route)

    def act(self, css, action, what="clicked"):
        # Live updates may replace the element between finding it and acting
        # on it (a stale element): find it again.
        def done():
            el = self.q(css)
            if el is None:
                return False
            action(el)
            return True
        self.wait(f"{css} to be {what}", done)

    def click(self, css):
        self.act(css, lambda el: el.click())

    def check(self, condition, message):
        if not condition:
            raise AssertionError(message)

    def job_status(self, job_id):
        return json.loads(self.stack.sy("jobs", "show", str(job_id), "--json"))["status"]

    def wait_job(self, job_id, statuses):
        return wait_until(f"job {job_id} to be {statuses}", lambda: self.job_status(job_id) in statuses, WAIT,
                          log=self.stack.serve_log)

    def identity(self):
        return self.text("#identity") if self.q("#who:not([hidden])") else None

    def sign_out(self):
        if self.q("#who:not([hidden])"):
            self.click("#signout")
        self.wait("the sign-in form", lambda: self.q("#token"))

    def sign_in_with_token(self, token, expect_identity):
        self.sign_out()
        self.secrets.append(token)
        self.q("#token").send_keys(token)
        self.click("#signin-form button[type=submit]")
        self.wait(f"signed in as {expect_identity}", lambda: self.identity() == expect_identity)
        self.wait("the events stream", lambda: self.text("#live") == "live")

    def header_status(self):
        return self.js("const b = document.querySelector('.job-header [data-status]'); return b ? b.dataset.status : null")

    # --- the checks --------------------------------------------------------
    def sign_in_with_link(self):
        link = self.stack.login_link("olivia", "operator")
        code = link.split("#login=", 1)[1]
        self.secrets.append(code)
        self.check(link.startswith(self.stack.url + "/#login="), f"the link points at the service: {link}")
        self.d.get(link)
        self.wait("signed in by the link", lambda: self.identity() == "olivia (operator)")
        self.check("login=" not in self.d.current_url and code not in self.d.current_url,
                   f"the code left the address bar: {self.d.current_url}")
        stored = self.js("return sessionStorage.getItem('switchyard.session')")
        self.check(stored and json.loads(stored)["sub"] == "olivia", "the token is kept in sessionStorage")
        self.secrets.append(json.loads(stored)["token"])
        self.check(self.js("return localStorage.length") == 0, "nothing is kept in localStorage")
        self.wait("the events stream", lambda: self.text("#live") == "live")
        self.shot("01-jobs-empty")

        # The same link again: spent.
        self.d.get(link)
        self.wait("the sign-in page after a spent link", lambda: self.q("#signin-message"))
        self.check("cannot be used" in self.text("#signin-message"), self.text("#signin-message"))
        self.check(self.identity() is None, "a spent link signs nobody in")
        self.shot("02-signin-spent-link")

        fresh = self.stack.login_link("olivia", "operator")
        self.secrets.append(fresh.split("#login=", 1)[1])
        self.d.get(fresh)
        self.wait("signed in by a fresh link", lambda: self.identity() == "olivia (operator)")
        self.secrets.append(json.loads(self.js("return sessionStorage.getItem('switchyard.session')"))["token"])

    def keyboard_skip_link(self):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        # A fresh load (the token survives it: sessionStorage), then the keyboard only.
        self.d.refresh()
        self.wait("the jobs page", lambda: self.q("#filter-status") and self.identity() == "olivia (operator)")
        self.js("document.activeElement && document.activeElement.blur()")
        ActionChains(self.d).send_keys(Keys.TAB).perform()
        active = self.js("return document.activeElement.outerHTML.slice(0, 80)")
        self.check(self.js("return document.activeElement.id") == "skip", f"Tab reaches 'Skip to content' first: {active}")
        ActionChains(self.d).send_keys(Keys.ENTER).perform()
        self.check(self.js("return document.activeElement.id") == "main", "the skip button moves focus to the content")

    def sync_progress_moves(self):
        self.go("#/jobs")
        self.wait("the jobs page", lambda: self.q("#filter-status"))
        # Set once; a reload would lose it.
        self.js("window.__noReload = 'still here'")
        job = int(self.stack.sy("devices", "sync", "--all", "--resync", "--comment", "browser test dry run",
                                "--ticket-ref", "CHG-42"))
        self.sync_job = job
        row = f'tr[data-job-id="{job}"]'
        seen = []
        midway_shot = False
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            state = self.js(f"""const r = document.querySelector('{row}'); if (!r) return null;
                const p = r.querySelector('progress');
                return {{status: r.dataset.status, value: p && p.hasAttribute('value') ? Number(p.getAttribute('value')) : null,
                         max: p ? Number(p.getAttribute('max')) : null}};""")
            if state and state["status"] == "RUNNING" and state["value"] is not None:
                if not seen or seen[-1] != state["value"]:
                    seen.append(state["value"])
                if 0 < state["value"] < DEVICES and not midway_shot:
                    self.shot("03-jobs-sync-running")
                    midway_shot = True
            if state and state["status"] == "FINISHED":
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"job {job} did not show FINISHED on the jobs page; progress seen: {seen}")
        between = sorted({v for v in seen if 0 < v < DEVICES})
        self.check(len(between) >= 2, f"the progress bar moved through at least two values on the way: {seen}")
        self.check(seen == sorted(seen), f"progress only grows: {seen}")
        final = self.js(f"return Number(document.querySelector('{row} progress').getAttribute('value'))")
        self.check(final == DEVICES, f"the bar ends full ({final}/{DEVICES})")
        self.check(self.js("return window.__noReload") == "still here", "the page was never reloaded")
        why = self.text(f"{row} .why")
        self.check("browser test dry run" in why and "CHG-42" in why, f"who and why are shown: {why!r}")
        self.check(self.text(f"{row} td:nth-child(5)"), "who scheduled it is shown")
        print(f"  progress values seen on the jobs page: {seen}")
        self.shot("04-jobs-sync-finished")

    def diff_opens(self):
        from selenium.webdriver.common.keys import Keys
        # The keyboard's way in.
        self.act(f'tr[data-job-id="{self.sync_job}"] a[href="#/job/{self.sync_job}"]',
                 lambda el: el.send_keys(Keys.ENTER), "opened with Enter")
        self.wait("the job's device table", lambda: len(self.qa("tr[data-device]")) == DEVICES)
        self.check(self.header_status() == "FINISHED", f"job status {self.header_status()}")
        self.check(self.q("#job-abort") is None, "no abort button on a finished job")
        self.click('button[data-diff-for="sim0001"]')
        self.wait("the inline diff", lambda: self.q("#device-detail-sim0001 .d2h-file-wrapper .d2h-ins"))
        self.check(self.q("#device-detail-sim0001 .d2h-file-side-diff") is None, "inline first")
        self.js("document.getElementById('device-detail-sim0001').scrollIntoView()")
        self.shot("05-job-diff-inline")
        self.js("document.querySelector('#device-detail-sim0001 .diff-toolbar button:nth-child(2)').click()")
        self.wait("the side-by-side diff", lambda: self.q("#device-detail-sim0001 .d2h-file-side-diff .d2h-ins"))
        self.js("document.getElementById('device-detail-sim0001').scrollIntoView()")
        self.shot("06-job-diff-side-by-side")
        self.js("window.scrollTo(0, 0)")
        self.shot("07-job")

    def device_history_diff(self):
        job = int(self.stack.sy("devices", "sync", "--hostname", "sim0002", "--live", "--confirm-mode", "0", "--comment", "browser test live"))
        self.wait_job(job, {"FINISHED"})
        self.go("#/devices")
        self.wait("the devices table", lambda: len(self.qa("tr[data-device]")) == DEVICES)
        self.wait("sim0002 synchronized", lambda: "synchronized" == self.text('tr[data-device="sim0002"] .badge'))
        self.shot("08-devices")
        self.go("#/device/sim0002")
        self.wait("the config history", lambda: len(self.qa("tr[data-config]")) >= 3)
        self.wait("the diff of the newest two different configs", lambda: self.q("#compare .d2h-file-wrapper .d2h-ins"))
        # Any two records: the oldest against the newest.
        ids = [int(r.get_attribute("data-config")) for r in self.qa("tr[data-config]")]
        self.js(f"""document.querySelector('input[name=from][value="{min(ids)}"]').click();
                   document.querySelector('input[name=to][value="{max(ids)}"]').click();""")
        self.click("#compare-button")
        self.wait("the chosen pair's diff",
                  lambda: (self.text("#compare h2") or "").startswith(f"Config {min(ids)} → config {max(ids)}"))
        self.shot("09-device-history-diff")

    def operator_aborts(self):
        job = int(self.stack.sy("jobs", "enqueue", "sleep", "--args", '{"seconds": 600}'))
        self.go(f"#/job/{job}")
        self.wait("the sleep job RUNNING", lambda: self.header_status() == "RUNNING")
        self.click("#job-abort")
        self.wait("the abort confirmation", lambda: self.q("dialog.confirm[open]"))
        self.check(f"job {job}" in self.text("dialog.confirm"), "the confirmation names the job")
        self.q("dialog.confirm input[name=reason]").send_keys("browser test")
        self.shot("10-job-abort-confirm")
        self.click("dialog.confirm [data-confirm]")
        self.wait("ABORTED on the job page", lambda: self.header_status() == "ABORTED")
        self.check(self.q("#job-abort") is None, "no abort button once aborted")
        self.check("olivia" in self.text(".facts"), "the page says who aborted it")
        self.shot("11-job-aborted")

    def lock_holder_running(self):
        job = int(self.stack.sy("jobs", "enqueue", "sleep", "--args", '{"seconds": 600, "lock": "devices"}'))
        self.lock_job = job
        self.wait_job(job, {"RUNNING"})
        self.go("#/locks")
        self.wait("the lock on the locks page", lambda: self.q('tr[data-lock="devices"]'))
        self.check(self.q("[data-clear-lock]") is None, "an operator sees no clear button")

    def read_only_sees_no_buttons(self):
        self.sign_in_with_token(self.stack.token("rita", "read"), "rita (read)")
        self.go(f"#/job/{self.lock_job}")
        self.wait("the running job", lambda: self.header_status() == "RUNNING")
        self.check(self.q("#job-abort") is None, "a read-only token shows no abort button")
        self.check(self.qa(".actions button") == [], "a read-only token shows no job action at all")
        self.shot("12-readonly-job")
        self.go("#/locks")
        self.wait("the lock", lambda: self.q('tr[data-lock="devices"]'))
        self.check(self.q("[data-clear-lock]") is None, "a read-only token shows no clear button")
        self.shot("13-readonly-locks")

    def admin_clears_lock(self):
        self.sign_in_with_token(self.stack.token("ada", "admin"), "ada (admin)")
        self.go("#/locks")
        self.wait("the clear button", lambda: self.q('[data-clear-lock="devices"]'))
        self.shot("14-locks")
        self.click('[data-clear-lock="devices"]')
        self.wait("the clear confirmation", lambda: self.q("dialog.confirm[open]"))
        text = self.text("dialog.confirm")
        self.check(f"job {self.lock_job}" in text, f"the confirmation names the job: {text!r}")
        self.shot("15-locks-clear-confirm")
        self.click("dialog.confirm [data-confirm]")
        self.wait("the lock gone", lambda: self.q('tr[data-lock="devices"]') is None and self.q(".empty"))
        self.check(f"job {self.lock_job} cleared" in self.text("#notices"), self.text("#notices"))
        self.shot("16-locks-cleared")
        locks = self.stack.sy("locks", "list")
        self.check("devices" not in locks, f"the service agrees: {locks!r}")
        self.stack.sy("jobs", "abort", str(self.lock_job))

    def expired_token_returns_to_sign_in(self):
        self.sign_in_with_token(self.stack.token("eve", "read", ttl="8s"), "eve (read)")
        self.go("#/jobs")
        self.wait("sign-in after expiry", lambda: self.q("#signin-message"), seconds=60)
        self.check("expired" in self.text("#signin-message"), self.text("#signin-message"))
        self.check(self.js("return sessionStorage.getItem('switchyard.session')") is None, "the token is forgotten")
        self.shot("17-signin-expired")

    def phone_width(self):
        self.sign_in_with_token(self.stack.token("olivia", "operator"), "olivia (operator)")
        self.d.set_window_size(390, 844)
        try:
            self.go("#/jobs")
            self.wait("the jobs table", lambda: self.q(f'tr[data-job-id="{self.sync_job}"]'))
            overflow = self.js("return document.documentElement.scrollWidth - window.innerWidth")
            self.check(overflow <= 1, f"the jobs page fits a phone's width (overflow {overflow} px)")
            self.shot("18-phone-jobs")
            self.go(f"#/job/{self.sync_job}")
            self.wait("the job page", lambda: len(self.qa("tr[data-device]")) == DEVICES)
            overflow = self.js("return document.documentElement.scrollWidth - window.innerWidth")
            self.check(overflow <= 1, f"the job page fits a phone's width (overflow {overflow} px)")
            self.shot("19-phone-job")
        finally:
            self.d.set_window_size(1280, 900)

    def readable_contrast(self):
        self.go("#/jobs")
        self.wait("the jobs table", lambda: self.q("tbody tr"))
        low = self.js(CONTRAST_JS)
        self.check(not low, f"text under 4.5:1 contrast: {low}")

    def assets_served_strictly(self):
        with urllib.request.urlopen(self.stack.url + "/") as r:
            csp = r.headers["Content-Security-Policy"]
            self.check(r.headers["Content-Type"].startswith("text/html"), r.headers["Content-Type"])
            self.check(r.headers["Cache-Control"] == "no-cache", r.headers["Cache-Control"])
            page = r.read().decode()
        for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                          "frame-ancestors 'none'", "require-trusted-types-for 'script'"):
            self.check(directive in csp, f"CSP has {directive}: {csp}")
        self.check("unsafe-inline" not in csp and "unsafe-eval" not in csp, csp)
        self.check("http://" not in page.replace(self.stack.url, "") and "https://" not in page,
                   "the page names no other origin")
        app = page.split('src="', 2)[2].split('"', 1)[0]  # the module script
        with urllib.request.urlopen(f"{self.stack.url}/{app}") as r:
            self.check(r.headers["Content-Type"] == "text/javascript; charset=utf-8", r.headers["Content-Type"])
            self.check("immutable" in r.headers["Cache-Control"], r.headers["Cache-Control"])
            self.check(r.headers["X-Content-Type-Options"] == "nosniff", "nosniff")

    def console_is_clean(self):
        bad = [e for e in self.browser.collect_console()
               if any(w in e["message"] for w in ("Content Security Policy", "Content-Security-Policy", "Uncaught",
                                                  "TrustedHTML", "Trusted Type", "SyntaxError", "TypeError"))]
        self.check(not bad, "console errors:\n" + "\n".join(e["message"] for e in bad))

    def no_secret_in_log(self):
        log = open(self.stack.serve_log, errors="replace").read()
        leaked = [s[:12] + "..." for s in self.secrets if s and s in log]
        self.check(not leaked, f"codes or tokens in serve's log: {leaked}")

    def run(self):
        steps = [
            ("one-time link signs in once", self.sign_in_with_link),
            ("keyboard: skip to content", self.keyboard_skip_link),
            ("jobs page shows a sync's progress move without a reload", self.sync_progress_moves),
            ("the job's diff opens inline and side by side", self.diff_opens),
            ("config history: a diff between two records", self.device_history_diff),
            ("an operator aborts a running job and sees ABORTED", self.operator_aborts),
            ("a lock held by a running job; an operator cannot clear it", self.lock_holder_running),
            ("a read-only token shows no abort or clear button", self.read_only_sees_no_buttons),
            ("an admin clears a lock, the confirmation names the job", self.admin_clears_lock),
            ("an expired token returns to sign-in", self.expired_token_returns_to_sign_in),
            ("phone width", self.phone_width),
            ("readable contrast", self.readable_contrast),
            ("assets: content types, caching, strict CSP", self.assets_served_strictly),
            ("no script error or CSP violation in the console", self.console_is_clean),
            ("no code or token in serve's log", self.no_secret_in_log),
        ]
        for name, step in steps:
            start = time.monotonic()
            try:
                step()
            except BaseException:
                self.shot("failed")
                print(f"FAILED: {name} ({time.monotonic() - start:.1f} s)")
                traceback.print_exc()
                print("browser console:")
                for e in self.browser.collect_console()[-30:]:
                    print("  ", e["level"], e["message"][:400])
                print("serve log (tail):\n" + read_tail(self.stack.serve_log))
                print(f"{self.passed} passed, 1 failed")
                return False
            self.passed += 1
            print(f"ok: {name} ({time.monotonic() - start:.1f} s)", flush=True)
        print(f"{self.passed} passed, 0 failed")
        return True


# Every badge, button and table cell: WCAG contrast of its text against the
# first opaque background behind it; returns those under 4.5:1.
CONTRAST_JS = r"""
const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => {
  const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const background = (el) => {
  for (; el; el = el.parentElement) {
    const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
  }
  return [255, 255, 255];
};
const low = [];
for (const el of document.querySelectorAll('.badge, button:not([disabled]), td, th, label, a, .live, .muted, .help')) {
  if (!el.offsetParent || !el.textContent.trim()) continue;
  const fg = lum(rgb(getComputedStyle(el).color).slice(0, 3)), bg = lum(background(el));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  if (ratio < 4.5) low.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 20)}" ${ratio.toFixed(2)}`);
}
return low;
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--out", required=True, help="where the screenshots go")
    args = parser.parse_args()
    require_prerequisites()
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.endswith(".png"):
            os.remove(os.path.join(args.out, old))
    started = time.monotonic()
    ok = False
    stack = Stack(args.bin_dir, DEVICES, LATENCY_MS, SERVE_SETTINGS)
    try:
        with stack:
            print(f"serve at {stack.url} ({time.monotonic() - started:.1f} s to start); screenshots in {args.out}",
                  flush=True)
            browser = Browser()
            try:
                ok = DashboardTest(stack, browser, args.out).run()
            finally:
                browser.quit()
    finally:
        if ok:
            stack.remove()
        else:
            print(f"kept for a look: {stack.dir}")
    print(f"dashboard browser test took {time.monotonic() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
