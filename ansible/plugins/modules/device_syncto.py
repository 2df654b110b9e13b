#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: device_syncto
short_description: Bring network devices in line with Switchyard's intended configs
description:
  - Schedules a C(sync_devices) job with Switchyard's C(POST /api/v1.0/device_syncto) (CNaaS-NMS's route),
    waits for it and for any job it chains (C(next_job_id)), and reports per device what differed.
  - In check mode the job is a dry run (C(dry_run=true)) - Switchyard reads every device and diffs,
    and changes none; C(changed) then says that a live run would change something.
  - With C(--diff) each device's unified diff (running against intended) is shown.
  - C(changed) is true when any device had a difference in a live run (in check mode, in the dry run).
  - Selecting devices that are all synchronized already (without I(resync)) is not an error, it changes nothing.
version_added: "1.0.0"
extends_documentation_fragment:
  - switchyard.switchyard.api
options:
  hostname:
    description:
      - Sync this one device (it is synced even when marked synchronized).
      - Exactly one of I(hostname), I(device_type), I(group) or I(all=true) is required.
    type: str
  device_type:
    description: Sync the MANAGED devices of this type.
    type: str
    choices: [ACCESS, DIST, CORE, UNKNOWN]
  group:
    description: Sync the MANAGED devices in this group.
    type: str
  all:
    description: Sync every MANAGED device.
    type: bool
  force:
    description: Push even to devices whose running config changed since Switchyard last synced them.
    type: bool
    default: false
  resync:
    description: Also sync devices marked synchronized (with I(device_type), I(group) or I(all)).
    type: bool
    default: false
  auto_push:
    description:
      - With I(hostname) only. Switchyard makes a dry run and, when its change score is under
        C(sync.auto_push_max_score), pushes it as the next job. In check mode only the dry run is made.
    type: bool
    default: false
  confirm_mode:
    description:
      - 0 commits; 1 commits with a rollback timer and confirms once the device answers again;
        2 commits every device with the timer, then a C(confirm_devices) job confirms them (waited for too).
      - Not given, Switchyard's setting C(sync.default_confirm_mode) applies (1 unless set, as in CNaaS-NMS).
    type: int
    choices: [0, 1, 2]
  comment:
    description: Free text kept with the job.
    type: str
  ticket_ref:
    description: A change or ticket reference kept with the job.
    type: str
  idempotency_key:
    description:
      - Names this request. A task that is retried or run again with the same key gets the job the key
        first scheduled instead of starting a second sync, and reports that job's outcome.
      - Use one key per intended change, for example C(change-{{ change_id }}).
      - Not sent in check mode (a dry run should not take the key meant for the live run).
    type: str
  wait:
    description:
      - Wait for the job (and any next job) to end. With C(false) the module returns the job id at once
        and reports C(changed) for a live run.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for the jobs to end before failing (the jobs go on running).
    type: int
    default: 3600
  poll_interval:
    description: Seconds between two looks at the job.
    type: float
    default: 2
  fail_on_failed_devices:
    description: Fail the task when any device failed (the job itself still ends C(FINISHED)).
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description: A dry run, reporting what would change.
  diff_mode:
    support: full
    description: Each device's unified diff, running against intended.
seealso:
  - module: switchyard.switchyard.job_wait
  - module: switchyard.switchyard.joblock
"""

EXAMPLES = r"""
- name: What would change on the core devices
  switchyard.switchyard.device_syncto:
    url: https://switchyard.example.net:8080
    token: "{{ switchyard_token }}"
    device_type: CORE
    resync: true
  check_mode: true
  diff: true

- name: Push the intended configs of group pod1, confirmed on every device
  switchyard.switchyard.device_syncto:
    group: pod1
    confirm_mode: 2
    comment: "{{ change_summary }}"
    ticket_ref: CHG-1234
    idempotency_key: "CHG-1234-pod1"
  environment:
    SWITCHYARD_API_URL: https://switchyard.example.net:8080
    SWITCHYARD_TOKEN: "{{ switchyard_token }}"

- name: One device, pushed only when the change is small
  switchyard.switchyard.device_syncto:
    hostname: leaf12
    auto_push: true
  register: leaf12_sync
"""

RETURN = r"""
job_id:
  description: The job that was scheduled (or that held I(idempotency_key) already).
  returned: always
  type: int
  sample: 42
job_ids:
  description: That job and every job it chained (C(next_job_id)), in order.
  returned: when waited for
  type: list
  elements: int
  sample: [42, 43]
existing:
  description: The job was scheduled earlier with the same I(idempotency_key).
  returned: when a job was scheduled
  type: bool
status:
  description: The status of the last job waited for.
  returned: when waited for
  type: str
  sample: FINISHED
change_score:
  description: The first job's change score (0-100, CNaaS-NMS's weighting).
  returned: when waited for
  type: float
devices:
  description: Per device - C(failed), C(changed) (it had a difference), C(diff) and C(result) (what the last task said).
  returned: when waited for
  type: dict
  sample: {"leaf1": {"failed": false, "changed": true, "diff": "--- running\n+++ intended\n...", "result": "synchronized"}}
changed_devices:
  description: Devices that had a difference.
  returned: when waited for
  type: list
  elements: str
failed_devices:
  description: Devices that failed.
  returned: when waited for
  type: list
  elements: str
auto_push:
  description: What Switchyard decided about I(auto_push) (pushed or why not).
  returned: when I(auto_push) was asked for and the job says
  type: raw
"""

from ansible_collections.switchyard.switchyard.plugins.module_utils.api import (
    SwitchyardError, switchyard_module, wait_or_fail)
from ansible_collections.switchyard.switchyard.plugins.module_utils.job_results import summarize_jobs


def sync_request(params, check_mode):
    request = {}
    for name in ("hostname", "device_type", "group", "comment", "ticket_ref"):
        if params[name]:
            request[name] = params[name]
    if params["all"]:
        request["all"] = True
    request["force"] = params["force"]
    request["resync"] = params["resync"]
    if params["confirm_mode"] is not None:
        request["confirm_mode"] = params["confirm_mode"]
    auto_push = params["auto_push"] and not check_mode
    # auto_push is itself a dry run that Switchyard pushes when the score is low.
    request["dry_run"] = check_mode or auto_push
    if auto_push:
        request["auto_push"] = True
    if params["idempotency_key"] and not check_mode:
        request["idempotency_key"] = params["idempotency_key"]
    return request


def nothing_to_sync(client, params):
    """True when the selection has no MANAGED device left unsynchronized:
    Switchyard refuses to schedule an empty sync, and that is no failure."""
    if params["hostname"] or params["resync"]:
        return False
    filters = {"state": "MANAGED", "synchronized": "false"}
    if params["device_type"]:
        filters["device_type"] = params["device_type"]
    if params["group"]:
        filters["group"] = params["group"]
    return client.device_count(filters) == 0


def main():
    module, client = switchyard_module(
        hostname=dict(type="str"),
        device_type=dict(type="str", choices=["ACCESS", "DIST", "CORE", "UNKNOWN"]),
        group=dict(type="str"),
        all=dict(type="bool"),
        force=dict(type="bool", default=False),
        resync=dict(type="bool", default=False),
        auto_push=dict(type="bool", default=False),
        confirm_mode=dict(type="int", choices=[0, 1, 2]),
        comment=dict(type="str"),
        ticket_ref=dict(type="str"),
        idempotency_key=dict(type="str", no_log=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=3600),
        poll_interval=dict(type="float", default=2),
        fail_on_failed_devices=dict(type="bool", default=True),
    )
    p = module.params
    selectors = [name for name in ("hostname", "device_type", "group") if p[name]] + (["all"] if p["all"] else [])
    if len(selectors) != 1:
        module.fail_json(msg="give exactly one of hostname, device_type, group or all: true (got %s)"
                         % (", ".join(selectors) or "none"))
    if p["auto_push"] and not p["hostname"]:
        module.fail_json(msg="auto_push works with one hostname only")

    try:
        answer = client.syncto(sync_request(p, module.check_mode))
    except SwitchyardError as e:
        if e.status == 400 and nothing_to_sync(client, p):
            module.exit_json(changed=False, job_ids=[], devices={}, changed_devices=[], failed_devices=[],
                             msg="every selected MANAGED device is synchronized already (resync: true syncs them anyway)")
        module.fail_json(msg=str(e))
    job_id = answer["job_id"]
    result = dict(job_id=job_id, existing=bool(answer.get("existing", False)))
    if not p["wait"]:
        module.exit_json(changed=not module.check_mode, msg=answer.get("data"), **result)

    jobs = wait_or_fail(module, client, job_id, p["wait_timeout"], p["poll_interval"], result)
    summary = summarize_jobs(jobs, count_dry_runs=module.check_mode)
    result.update(summary.result())
    if module._diff:
        result["diff"] = summary.diffs()
    if summary.job_error:
        module.fail_json(msg=summary.job_error, changed=summary.changed, **result)
    if summary.failed_devices and p["fail_on_failed_devices"]:
        module.fail_json(msg="%d device(s) failed: %s" % (len(summary.failed_devices), ", ".join(summary.failed_devices)),
                         changed=summary.changed, **result)
    module.exit_json(changed=summary.changed, **result)


if __name__ == "__main__":
    main()
