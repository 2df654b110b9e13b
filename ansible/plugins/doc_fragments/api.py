# -*- coding: utf-8 -*-
# What every Switchyard module shares: its authors, the connection options,
# and where it runs.
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
author:
  - Switchyard engineers
options:
  url:
    description:
      - Base URL of Switchyard's API, for example C(https://switchyard.example.net:8080).
      - A trailing C(/api/v1.0) is accepted.
      - When not given, the environment variable C(SWITCHYARD_API_URL) is used.
    type: str
    required: true
  token:
    description:
      - Bearer token (JWT) for the API, for example from C(switchyard token --sub ansible --role operator).
      - When not given, the environment variable C(SWITCHYARD_TOKEN) is used.
      - It is never logged nor returned.
    type: str
    required: true
  validate_certs:
    description:
      - Verify the API's TLS certificate. Set to C(false) only for a test service with a self-signed certificate.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the certificate authorities to trust for the API's certificate.
    type: path
  request_timeout:
    description:
      - Seconds to wait for the answer to one HTTP request.
    type: float
    default: 30
notes:
  - The modules talk to the API from where they run; use them on C(localhost) or with C(delegate_to).
"""
