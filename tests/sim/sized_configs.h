// Generated running configs of a chosen size, shaped like a real switch's:
// physical ports (access and routed uplinks), VLANs with their routed
// interfaces, prefix lists with the route maps / policies that use them, and
// BGP neighbours, in each platform's own show syntax (vtysh, EOS, JunOS as
// their documentation prints them, not as our drivers write them).
//
// Everything varies per device but is a function of the hostname alone (a
// seed from the name), so two runs of the simulator serve the same bytes and
// benchmark figures compare.
#pragma once

#include <string>

#include "device.h"

namespace sim {

// The largest config_lines accepted: VLAN ids and port names stay plausible.
inline constexpr int kMaxConfigLines = 100000;
// Below this a device keeps the small default config (default_configs.h):
// there is no room for every section.
inline constexpr int kMinConfigLines = 150;

// Text in the platform's show format whose `show running-config` /
// `show configuration` output has about `lines` lines (within a few lines:
// the show header). index gives the loopback and AS as default_config does.
// Throws std::invalid_argument when lines is outside kMinConfigLines..kMaxConfigLines.
std::string sized_config(Platform p, const std::string& hostname, int index, int lines);

}  // namespace sim
