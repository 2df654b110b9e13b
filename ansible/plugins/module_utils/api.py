# -*- coding: utf-8 -*-
# Switchyard's REST API (/api/v1.0/) for the collection's modules and its
# inventory plugin: bearer token, CNaaS-NMS envelopes, errors that name the
# request and the server's message but never the token. Only Ansible's own
# ansible.module_utils.urls: nothing to install beside Ansible.
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible.module_utils.basic import AnsibleModule, env_fallback
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.six.moves.urllib.parse import urlencode
from ansible.module_utils.urls import open_url

API_PREFIX = "/api/v1.0"
# A job in one of these states changes no more.
ENDED_STATES = ("FINISHED", "EXCEPTION", "ABORTED")
# The API's own limit for per_page.
MAX_PER_PAGE = 1000


def api_argument_spec():
    """The options every module shares (doc fragment switchyard.switchyard.api)."""
    return dict(
        url=dict(type="str", required=True, fallback=(env_fallback, ["SWITCHYARD_API_URL"])),
        token=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["SWITCHYARD_TOKEN"])),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        request_timeout=dict(type="float", default=30),
    )


def switchyard_module(**options):
    """A module's AnsibleModule, with the shared options beside its own
    `options` (argument specs), and its API client. Every module of the
    collection supports check mode."""
    spec = api_argument_spec()
    spec.update(options)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    return module, SwitchyardClient.from_module(module)


def wait_or_fail(module, client, job_id, timeout, interval, result, follow_next=True, timed_out=None):
    """The job's chain as SwitchyardClient.wait_for_job returns it. The task
    fails with `result` (a dict) on an API error; when the deadline passes,
    also with the ids of the jobs read (job_ids) and what timed_out(those
    jobs) adds."""
    try:
        return client.wait_for_job(job_id, timeout, interval, follow_next)
    except JobTimeout as e:
        failed = dict(result, job_ids=[j["id"] for j in e.jobs])
        if timed_out:
            failed.update(timed_out(e.jobs))
        module.fail_json(msg=str(e), **failed)
    except SwitchyardError as e:
        module.fail_json(msg=str(e), **result)


class SwitchyardError(Exception):
    """A request that failed: the HTTP status (None: no answer) and the API's message."""

    def __init__(self, message, status=None):
        super(SwitchyardError, self).__init__(message)
        self.status = status


class SwitchyardClient(object):
    def __init__(self, url, token, validate_certs=True, ca_path=None, request_timeout=30):
        self.base = url.rstrip("/")
        if self.base.endswith(API_PREFIX):
            self.base = self.base[: -len(API_PREFIX)]
        self._token = token
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        self.request_timeout = request_timeout

    @classmethod
    def from_module(cls, module):
        p = module.params
        return cls(p["url"], p["token"], p["validate_certs"], p["ca_path"], p["request_timeout"])

    def request(self, method, path, query=None, body=None):
        """(parsed JSON body, response headers); SwitchyardError on any failure."""
        target = API_PREFIX + path
        if query:
            target += "?" + urlencode(query)
        what = "%s %s" % (method, target)
        headers = {"Accept": "application/json", "Authorization": "Bearer " + self._token}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body)
        try:
            response = open_url(self.base + target, method=method, data=data, headers=headers,
                                validate_certs=self.validate_certs, ca_path=self.ca_path,
                                timeout=self.request_timeout, follow_redirects="none", use_proxy=True)
            text = to_text(response.read(), errors="surrogate_or_replace")
            response_headers = dict((k.lower(), v) for k, v in response.headers.items())
        except HTTPError as e:
            raise SwitchyardError("%s: HTTP %s: %s" % (what, e.code, _message_of(e)), e.code)
        except URLError as e:
            raise SwitchyardError("%s: cannot reach %s: %s" % (what, self.base, to_text(e.reason)))
        except Exception as e:  # socket timeouts, TLS errors
            raise SwitchyardError("%s: %s" % (what, to_text(e)))
        try:
            return json.loads(text) if text else {}, response_headers
        except ValueError:
            raise SwitchyardError("%s: the answer is not JSON" % what)

    def data(self, method, path, query=None, body=None):
        """The "data" of a success envelope."""
        return self.request(method, path, query, body)[0].get("data")

    # The routes the collection uses.

    def job(self, job_id, omit=("config",)):
        query = {"filter_jobresult": ",".join(omit)} if omit else None
        jobs = self.data("GET", "/job/%d" % int(job_id), query)["jobs"]
        return jobs[0]

    def jobs(self, filters=None, sort=None, limit=50, omit=("config",)):
        """Up to `limit` jobs, page by page."""
        out = []
        page = 1
        per_page = min(MAX_PER_PAGE, limit)  # the same on every page
        while len(out) < limit:
            query = {"page": page, "per_page": per_page}
            for field, value in (filters or {}).items():
                query["filter[%s]" % field] = value
            if sort:
                query["sort"] = sort
            if omit:
                query["filter_jobresult"] = ",".join(omit)
            body, headers = self.request("GET", "/jobs", query)
            batch = body["data"]["jobs"]
            out.extend(batch)
            total = int(headers.get("x-total-count", len(out)))
            if not batch or page * per_page >= total:
                break
            page += 1
        return out[:limit]

    def devices(self, filters=None, per_page=MAX_PER_PAGE):
        """Every device the filters select, page by page (X-Total-Count)."""
        out = []
        page = 1
        while True:
            query = {"page": page, "per_page": per_page, "sort": "hostname"}
            for field, value in (filters or {}).items():
                query["filter[%s]" % field] = value
            body, headers = self.request("GET", "/devices", query)
            batch = body["data"]["devices"]
            out.extend(batch)
            total = int(headers.get("x-total-count", len(out)))
            if not batch or len(out) >= total:
                return out
            page += 1

    def device_count(self, filters):
        query = {"page": 1, "per_page": 1}
        for field, value in filters.items():
            query["filter[%s]" % field] = value
        return int(self.request("GET", "/devices", query)[1].get("x-total-count", 0))

    def locks(self):
        return self.data("GET", "/joblocks")["locks"]

    def clear_lock(self, name):
        return self.data("DELETE", "/joblocks", body={"name": name})

    def syncto(self, request):
        return self.request("POST", "/device_syncto", body=request)[0]

    def wait_for_job(self, job_id, timeout, interval, follow_next=True, omit=("config",)):
        """The job and, when follow_next, every next_job_id after it, each
        once it has ended. SwitchyardError when the deadline passes first."""
        deadline = time.monotonic() + timeout
        chain = []
        while job_id is not None:
            while True:
                job = self.job(job_id, omit)
                if job["status"] in ENDED_STATES:
                    break
                if time.monotonic() >= deadline:
                    raise JobTimeout("job %s is still %s after %s s" % (job_id, job["status"], timeout), chain + [job])
                time.sleep(max(0.0, min(interval, deadline - time.monotonic())))
            chain.append(job)
            job_id = job.get("next_job_id") if follow_next else None
        return chain


class JobTimeout(SwitchyardError):
    def __init__(self, message, jobs):
        super(JobTimeout, self).__init__(message)
        self.jobs = jobs


def _message_of(http_error):
    """The API's error message, or the HTTP reason."""
    try:
        body = json.loads(to_text(http_error.read(), errors="surrogate_or_replace"))
        if isinstance(body, dict) and body.get("message"):
            return to_text(body["message"])
    except Exception:
        pass
    return to_text(http_error.reason)

