#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: job_info
short_description: Read Switchyard jobs
description:
  - One job by id (C(GET /api/v1.0/job/<id>)), or a page-by-page list of jobs (C(GET /api/v1.0/jobs))
    selected with Switchyard's filters.
  - Changes nothing.
version_added: "1.0.0"
extends_documentation_fragment:
  - switchyard.switchyard.api
options:
  job_id:
    description: The job to read. Without it, jobs are listed (and I(filters) apply).
    type: int
  filters:
    description:
      - Field to value, as the API's C(filter[field]=value), for example C(status) to C(RUNNING).
      - A key ending in C([contains]) matches a part, for example C(comment[contains]) with the value C(CHG-1234).
    type: dict
    default: {}
  sort:
    description: Field to sort the list by; a leading C(-) sorts descending.
    type: str
    default: "-id"
  limit:
    description: At most this many jobs in the list (read in pages of up to 1000).
    type: int
    default: 50
  omit_results:
    description: Leave these bulky parts out of sync results (the API's C(filter_jobresult)).
    type: list
    elements: str
    choices: [config, diff]
    default: [config]
attributes:
  check_mode:
    support: full
    description: Reads only.
  diff_mode:
    support: none
    description: Nothing is changed.
seealso:
  - module: switchyard.switchyard.job_wait
"""

EXAMPLES = r"""
- name: The running jobs
  switchyard.switchyard.job_info:
    filters:
      status: RUNNING
  register: running

- name: One job, with its diffs
  switchyard.switchyard.job_info:
    job_id: 42
  register: job42
"""

RETURN = r"""
jobs:
  description: The jobs, with the API's field names (CNaaS-NMS's plus the engine's).
  returned: always
  type: list
  elements: dict
  sample: [{"id": 42, "status": "FINISHED", "function_name": "sync_devices", "next_job_id": null}]
"""

from ansible_collections.switchyard.switchyard.plugins.module_utils.api import (
    SwitchyardError, switchyard_module)


def main():
    module, client = switchyard_module(
        job_id=dict(type="int"),
        filters=dict(type="dict", default={}),
        sort=dict(type="str", default="-id"),
        limit=dict(type="int", default=50),
        omit_results=dict(type="list", elements="str", choices=["config", "diff"], default=["config"]),
    )
    p = module.params
    try:
        if p["job_id"] is not None:
            jobs = [client.job(p["job_id"], p["omit_results"])]
        else:
            if p["limit"] < 1:
                module.fail_json(msg="limit must be at least 1")
            jobs = client.jobs(p["filters"], p["sort"], p["limit"], p["omit_results"])
    except SwitchyardError as e:
        module.fail_json(msg=str(e))
    module.exit_json(changed=False, jobs=jobs)


if __name__ == "__main__":
    main()
