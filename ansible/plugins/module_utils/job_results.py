# -*- coding: utf-8 -*-
# What a chain of Switchyard sync jobs did, per device, in the terms an
# Ansible task reports: changed, failed devices, diffs.
# Result document (DESIGN.md): {"devices": {host: {"failed": bool,
#   "job_tasks": [{"task_name", "result", "diff", "failed"}]}}}.
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def _is_dry_run(job):
    args = job.get("start_arguments")
    return isinstance(args, dict) and args.get("dry_run") is True


def _devices_of(job):
    result = job.get("result")
    if isinstance(result, dict) and isinstance(result.get("devices"), dict):
        return result["devices"]
    return {}


class JobsSummary(object):
    def __init__(self, jobs, count_dry_runs):
        self.jobs = jobs
        self.devices = {}
        self.job_error = None
        for job in jobs:
            counts = count_dry_runs or not _is_dry_run(job)
            for host, outcome in sorted(_devices_of(job).items()):
                if not isinstance(outcome, dict):
                    continue
                tasks = [t for t in outcome.get("job_tasks") or [] if isinstance(t, dict)]
                diff = "".join(t.get("diff") or "" for t in tasks if isinstance(t.get("diff"), str))
                entry = self.devices.setdefault(host, dict(failed=False, changed=False, diff="", result=None))
                entry["failed"] = entry["failed"] or bool(outcome.get("failed"))
                if outcome.get("skipped"):
                    entry["skipped"] = True
                if counts and diff:
                    entry["changed"] = True
                    entry["diff"] = diff
                elif not entry["diff"]:
                    entry["diff"] = diff
                if tasks:
                    entry["result"] = tasks[-1].get("result")
                entry["job_id"] = job.get("id")
            if job.get("status") != "FINISHED" and self.job_error is None:
                self.job_error = "job %s ended %s: %s" % (job.get("id"), job.get("status"),
                                                         job.get("exception") or job.get("abort_reason") or "no reason given")

    @property
    def changed(self):
        return any(d["changed"] for d in self.devices.values())

    @property
    def changed_devices(self):
        return sorted(h for h, d in self.devices.items() if d["changed"])

    @property
    def failed_devices(self):
        return sorted(h for h, d in self.devices.items() if d["failed"])

    def result(self):
        out = dict(job_ids=[j.get("id") for j in self.jobs], devices=self.devices,
                   changed_devices=self.changed_devices, failed_devices=self.failed_devices)
        if self.jobs:
            out["status"] = self.jobs[-1].get("status")
            out["change_score"] = self.jobs[0].get("change_score")
            result = self.jobs[0].get("result")
            if isinstance(result, dict) and "auto_push" in result:
                out["auto_push"] = result["auto_push"]
        return out

    def diffs(self):
        """Ansible's diff list: one prepared unified diff per changed device."""
        out = []
        for host in self.changed_devices:
            text = self.devices[host]["diff"]
            if not text.startswith("---"):
                text = "--- %s (running)\n+++ %s (intended)\n%s" % (host, host, text)
            out.append(dict(prepared=text if text.endswith("\n") else text + "\n"))
        return out


def summarize_jobs(jobs, count_dry_runs):
    """count_dry_runs: a dry run's differences count as changes (check mode)."""
    return JobsSummary(jobs, count_dry_runs)
