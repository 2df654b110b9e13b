#include "devices/pending_commit.h"

namespace switchyard::devices {

void to_json(nlohmann::json& j, const PendingCommit& p) {
    j = nlohmann::json{{"session", p.session},
                       {"previous_config", p.previous_config},
                       {"timer_seconds", p.timer.count()},
                       {"device_enforces_timer", p.device_enforces_timer}};
}

void from_json(const nlohmann::json& j, PendingCommit& p) {
    p.session = j.at("session").get<std::string>();
    p.previous_config = j.at("previous_config").get<std::string>();
    p.timer = std::chrono::seconds(j.at("timer_seconds").get<long>());
    p.device_enforces_timer = j.at("device_enforces_timer").get<bool>();
}

}  // namespace switchyard::devices
