#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: job_wait
short_description: Wait for a Switchyard job to end
description:
  - Waits until the job is C(FINISHED), C(EXCEPTION) or C(ABORTED), and then for every job it chains
    (C(next_job_id)) unless told not to, as AWX's C(job_wait) waits for a job.
  - Fails when a job waited for did not end C(FINISHED), or when the timeout passes (the jobs go on).
version_added: "1.0.0"
extends_documentation_fragment:
  - switchyard.switchyard.api
options:
  job_id:
    description: The job to wait for.
    type: int
    required: true
  timeout:
    description: Seconds to wait for all the jobs before failing.
    type: int
    default: 3600
  interval:
    description: Seconds between two looks at the job.
    type: float
    default: 2
  follow_next:
    description: Also wait for the job's C(next_job_id), and that job's, and so on.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description: Waits in check mode too; it changes nothing.
  diff_mode:
    support: none
    description: Nothing is changed.
seealso:
  - module: switchyard.switchyard.job_info
  - module: switchyard.switchyard.device_syncto
"""

EXAMPLES = r"""
- name: Start a sync without waiting
  switchyard.switchyard.device_syncto:
    all: true
    wait: false
  register: sync

- name: Wait for it and the confirm job after it
  switchyard.switchyard.job_wait:
    job_id: "{{ sync.job_id }}"
    timeout: 1800
"""

RETURN = r"""
id:
  description: The job waited for.
  returned: always
  type: int
  sample: 42
status:
  description: The status of the last job of the chain.
  returned: always
  type: str
  sample: FINISHED
elapsed:
  description: Seconds waited.
  returned: always
  type: float
started:
  description: When the first job started.
  returned: always
  type: str
finished:
  description: When the last job finished.
  returned: always
  type: str
job_ids:
  description: The job and the jobs it chained, in order.
  returned: always
  type: list
  elements: int
jobs:
  description: Those jobs as the API shows them (configs left out of results).
  returned: always
  type: list
  elements: dict
"""

import time

from ansible_collections.switchyard.switchyard.plugins.module_utils.api import switchyard_module, wait_or_fail


def main():
    module, client = switchyard_module(
        job_id=dict(type="int", required=True),
        timeout=dict(type="int", default=3600),
        interval=dict(type="float", default=2),
        follow_next=dict(type="bool", default=True),
    )
    p = module.params
    started = time.monotonic()
    result = dict(id=p["job_id"], changed=False)

    def timed_out(jobs):
        return dict(elapsed=time.monotonic() - started, status=jobs[-1]["status"] if jobs else None)

    jobs = wait_or_fail(module, client, p["job_id"], p["timeout"], p["interval"], result, p["follow_next"], timed_out)
    result.update(status=jobs[-1]["status"], elapsed=round(time.monotonic() - started, 3),
                  started=jobs[0].get("start_time"), finished=jobs[-1].get("finish_time"),
                  job_ids=[j["id"] for j in jobs], jobs=jobs)
    for job in jobs:
        if job["status"] != "FINISHED":
            module.fail_json(msg="job %s ended %s: %s" % (job["id"], job["status"],
                                                          job.get("exception") or job.get("abort_reason") or
                                                          "no reason given"), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
