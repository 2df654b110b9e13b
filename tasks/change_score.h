// How risky a config change is, 0-100, weighted as CNaaS-NMS weighs it so
// operators' thresholds carry over: descriptions and comments weigh nothing,
// NTP/SNMP/dot1x half a line, removed addresses, VLANs and neighbours 10,
// removed routing and a spanning-tree mode change 50; 20 % of the score comes
// from how much of the config changed and 80 % from the weighted lines,
// lowered when the diff repeats itself. It is CNaaS-NMS's calculate_score
// (src/cnaas_nms/devicehandler/changescore.py), and the tests take their
// expected values from running that code.
#pragma once

#include <string>
#include <vector>

namespace switchyard::tasks {

// One device: `config` is its whole intended config, `diff` the unified diff.
// 0 for an empty diff, else 1-100.
int device_change_score(const std::string& config, const std::string& diff);

// One job: the highest device score; 100 when any device failed.
int job_change_score(const std::vector<int>& device_scores, bool any_device_failed);

}  // namespace switchyard::tasks
