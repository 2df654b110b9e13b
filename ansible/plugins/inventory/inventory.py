# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: inventory
short_description: Switchyard's devices as an Ansible inventory
description:
  - Reads the device list from Switchyard's API (C(GET /api/v1.0/devices)), page by page, selected by
    state (C(MANAGED) by default), platform, device type and group.
  - Groups the devices by their Switchyard groups (C(group_<name>)), device type (C(device_type_<type>)),
    platform (C(platform_<platform>)) and sync state (C(synchronized), C(unsynchronized)).
  - Sets C(ansible_host), C(ansible_port) and C(ansible_network_os) (the usual collections' names for each
    platform), and the device's fields as C(switchyard_*) variables.
  - Switchyard never shows device logins; neither does this plugin, and the token stays out of the inventory
    and its cache.
  - The inventory file's name must end in C(switchyard.yml) or C(switchyard.yaml).
version_added: "1.0.0"
author:
  - Switchyard engineers
extends_documentation_fragment:
  - constructed
  - inventory_cache
options:
  plugin:
    description: Marks the file as this plugin's.
    required: true
    choices: [switchyard.switchyard.inventory]
  url:
    description: Base URL of Switchyard's API, for example C(https://switchyard.example.net:8080).
    type: str
    required: true
    env:
      - name: SWITCHYARD_API_URL
  token:
    description:
      - Bearer token (JWT) with the C(read) role. May be a template, for example a vault variable or a
        C(lookup('file', ...)).
    type: str
    required: true
    env:
      - name: SWITCHYARD_TOKEN
  validate_certs:
    description: Verify the API's TLS certificate.
    type: bool
    default: true
  ca_path:
    description: PEM file of the certificate authorities to trust.
    type: path
  request_timeout:
    description: Seconds to wait for the answer to one HTTP request.
    type: float
    default: 30
  per_page:
    description: Devices asked for per request (1-1000).
    type: int
    default: 1000
  state:
    description: Only devices in this state; C(any) for all.
    type: str
    choices: [MANAGED, UNMANAGED, any]
    default: MANAGED
  platform:
    description: Only devices of this platform (C(frr), C(eos), C(junos), ...).
    type: str
  device_type:
    description: Only devices of this type.
    type: str
    choices: [ACCESS, DIST, CORE, UNKNOWN]
  group:
    description: Only devices in this Switchyard group.
    type: str
  group_by:
    description: The groupings to make.
    type: list
    elements: str
    choices: [group, device_type, platform, sync_state]
    default: [group, device_type, platform, sync_state]
  network_os:
    description: C(ansible_network_os) for each Switchyard platform; a platform not named here gets none.
    type: dict
    default:
      frr: frr.frr.frr
      eos: arista.eos.eos
      junos: junipernetworks.junos.junos
"""

EXAMPLES = r"""
# inventory/switchyard.yml; SWITCHYARD_TOKEN holds a token with the read role.
plugin: switchyard.switchyard.inventory
url: https://switchyard.example.net:8080
state: MANAGED
group_by: [group, platform, sync_state]
# Constructable: more variables and groups from the device fields.
compose:
  ansible_connection: "'ansible.netcommon.network_cli'"
keyed_groups:
  - key: switchyard_last_seen is none
    prefix: never_seen
# Cacheable: one API read per hour.
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/switchyard-inventory
cache_timeout: 3600
"""

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible_collections.switchyard.switchyard.plugins.module_utils.api import SwitchyardClient, SwitchyardError

# Device fields that become switchyard_<field> host variables.
DEVICE_FIELDS = ("hostname", "management_ip", "port", "platform", "device_type", "state", "synchronized",
                 "confhash", "last_seen", "groups")


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "switchyard.switchyard.inventory"

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(("switchyard.yml", "switchyard.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        update_cache = self.get_option("cache") and not cache
        devices = None
        if use_cache:
            try:
                devices = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if devices is None:
            devices = self._fetch_devices()
        if update_cache:
            self._cache[cache_key] = devices
        for device in devices:
            self._add_device(device)

    def _token(self):
        token = self.get_option("token")
        if self.templar.is_template(token):
            token = self.templar.template(variable=token, disable_lookups=False)
        if not token:
            raise AnsibleParserError("no token: set token in the inventory file or SWITCHYARD_TOKEN")
        return token

    def _fetch_devices(self):
        per_page = self.get_option("per_page")
        if not 1 <= per_page <= 1000:
            raise AnsibleParserError("per_page must be between 1 and 1000")
        filters = {}
        if self.get_option("state") != "any":
            filters["state"] = self.get_option("state")
        for name in ("platform", "device_type", "group"):
            if self.get_option(name):
                filters[name] = self.get_option(name)
        client = SwitchyardClient(self.get_option("url"), self._token(), self.get_option("validate_certs"),
                                  self.get_option("ca_path"), self.get_option("request_timeout"))
        try:
            devices = client.devices(filters, per_page)
        except SwitchyardError as e:
            raise AnsibleError("switchyard inventory: %s" % e)
        # Only the fields named: whatever else the API may add one day stays out.
        return [dict((k, d.get(k)) for k in DEVICE_FIELDS) for d in devices]

    def _add_device(self, device):
        host = self.inventory.add_host(device["hostname"])
        for field in DEVICE_FIELDS:
            self.inventory.set_variable(host, "switchyard_" + field, device[field])
        self.inventory.set_variable(host, "ansible_host", device["management_ip"])
        self.inventory.set_variable(host, "ansible_port", device["port"])
        network_os = (self.get_option("network_os") or {}).get(device["platform"])
        if network_os:
            self.inventory.set_variable(host, "ansible_network_os", network_os)

        group_by = self.get_option("group_by")
        groups = []
        if "group" in group_by:
            groups += ["group_%s" % g for g in device["groups"] or []]
        if "device_type" in group_by and device["device_type"]:
            groups.append("device_type_%s" % device["device_type"].lower())
        if "platform" in group_by and device["platform"]:
            groups.append("platform_%s" % device["platform"])
        if "sync_state" in group_by:
            groups.append("synchronized" if device["synchronized"] else "unsynchronized")
        for name in groups:
            group = self.inventory.add_group(self._sanitize_group_name(name))
            self.inventory.add_child(group, host)

        strict = self.get_option("strict")
        variables = self.inventory.get_host(host).get_vars()
        self._set_composite_vars(self.get_option("compose"), variables, host, strict=strict)
        self._add_host_to_composed_groups(self.get_option("groups"), variables, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option("keyed_groups"), variables, host, strict=strict)
