#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: joblock
short_description: Clear a Switchyard job lock by hand
description:
  - A lock (for example C(devices), or one per device) belongs to the job that took it and is released
    when that job ends. One left behind (a job ended by hand in the database, a bug) can be cleared with
    C(state=absent), as C(DELETE /api/v1.0/joblocks) does.
  - A lock whose job is still C(SCHEDULED), C(RUNNING) or C(ABORTING) is not cleared unless I(force=true)
    - that job may still be changing the devices the lock guards.
  - Needs a token with the C(admin) role.
version_added: "1.0.0"
extends_documentation_fragment:
  - switchyard.switchyard.api
options:
  name:
    description: The lock's name.
    type: str
    required: true
  state:
    description: C(absent) clears the lock. A lock is only ever taken by a job.
    type: str
    choices: [absent]
    default: absent
  force:
    description: Clear the lock even while its job runs.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Says whether the lock would be cleared.
  diff_mode:
    support: none
    description: No diff.
"""

EXAMPLES = r"""
- name: Clear the global devices lock left by a job that is gone
  switchyard.switchyard.joblock:
    name: devices
    state: absent
"""

RETURN = r"""
lock:
  description: The lock as it was (C(name), C(job_id), C(start_time), C(abort)); absent when there was none.
  returned: when the lock existed
  type: dict
job_status:
  description: The status of the lock's job (null when the job is gone).
  returned: when the lock existed
  type: str
  sample: FINISHED
"""

from ansible_collections.switchyard.switchyard.plugins.module_utils.api import (
    SwitchyardError, switchyard_module)

# A job in these states may still change the devices its lock guards.
LIVE_STATES = ("SCHEDULED", "RUNNING", "ABORTING")


def main():
    module, client = switchyard_module(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["absent"], default="absent"),
        force=dict(type="bool", default=False),
    )
    p = module.params
    try:
        lock = next((lk for lk in client.locks() if lk.get("name") == p["name"]), None)
        if lock is None:
            module.exit_json(changed=False, msg="no lock named %s" % p["name"])
        job_status = None
        try:
            job_status = client.job(lock["job_id"], omit=("config", "diff"))["status"]
        except SwitchyardError as e:
            if e.status != 404:
                raise
        result = dict(lock=lock, job_status=job_status)
        if job_status in LIVE_STATES and not p["force"]:
            module.fail_json(msg="lock %s is held by job %s, which is %s: it may still be changing devices; wait for "
                                 "or abort the job, or use force: true" % (p["name"], lock["job_id"], job_status),
                             **result)
        if not module.check_mode:
            try:
                client.clear_lock(p["name"])
            except SwitchyardError as e:
                if e.status != 404:
                    raise
                module.exit_json(changed=False, msg="lock %s was released meanwhile" % p["name"], **result)
    except SwitchyardError as e:
        module.fail_json(msg=str(e))
    module.exit_json(changed=True, msg="lock %s cleared" % p["name"], **result)


if __name__ == "__main__":
    main()
