"""The service under test: the device simulator and one `switchyard serve`
on its embedded PostgreSQL, started the way scripts/demo.sh starts them, and
stopped (by pid) when the test ends, whatever happens."""

import os
import random
import shutil
import signal
import subprocess
import tempfile
import time


def wait_until(what, condition, seconds, alive=None, log=None):
    """Polls condition() until it is true; fails after `seconds`, or at once
    when alive() says the process it waits for has died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if alive is not None and not alive():
            raise AssertionError(f"a process died while waiting for {what}\n{read_tail(log)}")
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}\n{read_tail(log)}")


def read_tail(path, lines=40):
    if not path or not os.path.exists(path):
        return ""
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-lines:])


class Stack:
    def __init__(self, bin_dir, devices, latency_ms, serve_settings):
        self.bin_dir = bin_dir
        self.sy_bin = os.path.join(bin_dir, "switchyard")
        self.sim_bin = os.path.join(bin_dir, "switchyard-sim")
        self.devices = devices
        self.latency_ms = latency_ms
        self.serve_settings = serve_settings
        self.processes = []
        # The embedded PostgreSQL runs as `postgres` when we are root: it must
        # be able to reach the data directory.
        self.dir = tempfile.mkdtemp(prefix="sy-dashboard-", dir="/tmp")
        os.chmod(self.dir, 0o711)
        self.data = os.path.join(self.dir, "data")
        self.sim_log = os.path.join(self.dir, "sim.log")
        self.serve_log = os.path.join(self.dir, "serve.log")
        self.url = None

    def __enter__(self):
        try:
            self._start_sim()
            self._start_serve()
            self.sy("devices", "import", os.path.join(self.dir, "sim", "inventory.json"))
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def _spawn(self, args, log, env=None):
        with open(log, "w") as out:
            p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        self.processes.append(p)
        return p

    def _start_sim(self):
        # Ports below the ephemeral range; another test may hold some, so a
        # busy range is retried elsewhere (as tests/service/sync_e2e_test.cpp does).
        for _ in range(5):
            base = 20000 + random.randrange(0, 1200) * 10
            p = self._spawn([self.sim_bin, "--state-dir", os.path.join(self.dir, "sim"), "--devices", str(self.devices),
                             "--base-port", str(base), "--platforms", "frr,eos,junos",
                             "--latency-ms", str(self.latency_ms)], self.sim_log)
            wait_until("the simulator", lambda: "switchyard-sim ready" in read_tail(self.sim_log) or p.poll() is not None,
                       60, log=self.sim_log)
            if p.poll() is None:
                return
            self.processes.remove(p)
            if "Address already in use" not in read_tail(self.sim_log):
                break
        raise AssertionError("the simulator did not start:\n" + read_tail(self.sim_log))

    def _start_serve(self):
        env = dict(os.environ)
        # The simulator's login; real logins belong in a config file.
        env["SWITCHYARD_CREDENTIALS_DEFAULT_USERNAME"] = "admin"
        env["SWITCHYARD_CREDENTIALS_DEFAULT_PASSWORD"] = "admin"
        args = [self.sy_bin, "serve", "--data-dir", self.data, "--listen", "127.0.0.1:0"]
        for s in self.serve_settings:
            args += ["--set", s]
        p = self._spawn(args, self.serve_log, env)
        url_file = os.path.join(self.data, "api-url")
        # Written (atomically) once the API listens. initdb under ASan is slow.
        wait_until("serve to listen", lambda: os.path.exists(url_file) and os.path.getsize(url_file) > 0, 180,
                   alive=lambda: p.poll() is None, log=self.serve_log)
        with open(url_file) as f:
            self.url = f.read().strip()

    def sy(self, *args, check=True):
        """Runs the CLI against this service; returns its stdout."""
        r = subprocess.run([self.sy_bin, *args, "--data-dir", self.data], capture_output=True, text=True, timeout=120)
        if check and r.returncode != 0:
            raise AssertionError(f"switchyard {' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
        return r.stdout.strip()

    def token(self, sub, role, ttl="1h"):
        return self.sy("token", "--sub", sub, "--role", role, "--ttl", ttl)

    def login_link(self, sub, role, ttl="1h"):
        return self.sy("token", "--link", "--sub", sub, "--role", role, "--ttl", ttl)

    def stop(self):
        # Newest first: the service before the simulator it talks to.
        for p in reversed(self.processes):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(60)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.processes = []

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)
