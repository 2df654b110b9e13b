// Whether a device runs a given config, and the text a diff is made of.
// Devices print more than configuration (comment banners, version lines,
// JunOS's "## SECRET-DATA" notes); these never count as a difference.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "devices/inventory.h"

namespace switchyard::devices {

// The normalised config without comment-only lines, version banners and
// trailing "## ..." notes (junos): what a diff between intended and running
// config is made from.
std::string comparable_config(Platform platform, std::string_view config);

// `running` made comparable to `intended` line by line. For frr, whose vtysh
// prints blocks in an order of its own, the running config's top-level blocks
// are put in the order `intended` has them (a block `intended` lacks stays
// behind the block it followed on the device) and empty blocks (`interface lo` / `exit`) are left out: both mean
// nothing to frr, so a diff shows only what a push would change.
std::string comparable_running_config(Platform platform, std::string_view running, std::string_view intended);

// True when `running` already is `intended`. frr is compared as a change set
// (vtysh may print blocks in another order than a template wrote them).
// junos: a secret the device shows as "/* SECRET-DATA */" (to a login class
// without the secret permission) counts as equal to the intended value;
// hidden_secrets() says how many such lines were not compared.
bool config_matches(Platform platform, std::string_view running, std::string_view intended);

// config_matches(), the diff between the two comparable texts
// (unified_diff(comparable_running_config(), comparable_config(intended)))
// when they differ, and hidden_secrets(running): one comparison of a read
// against its intended config, each text made comparable once (a sync's
// dry run compared a 2,000-line config four times over).
struct ConfigComparison {
    bool matches = true;
    std::string diff;  // empty when matches
    std::size_t hidden_secrets = 0;
};
ConfigComparison compare_configs(Platform platform, std::string_view running, std::string_view intended);

// What keeps `running` from being `intended`: lines `intended` has that the
// device does not show (missing) and lines the device shows that `intended`
// lacks (extra), in config order. frr: its change set (what vtysh would still
// have to add or remove), each line with its context ("router bgp 65000 >
// neighbor 10.0.0.1 remote-as 65001"). Empty both when config_matches().
struct ConfigMismatch {
    std::vector<std::string> missing;
    std::vector<std::string> extra;
};
ConfigMismatch config_mismatch(Platform platform, std::string_view running, std::string_view intended);

// "missing: `a`, `b`; extra: `c` (and 3 more)": at most `max_lines` lines.
std::string describe(const ConfigMismatch& mismatch, std::size_t max_lines = 8);

// Lines of a junos running config whose secret value the device hid
// ("/* SECRET-DATA */"): they cannot be compared, and a result should say so.
std::size_t hidden_secrets(Platform platform, std::string_view running);

}  // namespace switchyard::devices
