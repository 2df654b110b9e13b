#include "rollout.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>

namespace switchyard::tasks {

using nlohmann::json;

namespace {

// "25%": a whole percentage from `least` to 100.
std::optional<std::int64_t> percentage(const std::string& text, std::int64_t least) {
    if (text.size() < 2 || text.size() > 4 || text.back() != '%') return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, value);
    if (ec != std::errc() || end != text.data() + text.size() - 1 || value < least || value > 100) return std::nullopt;
    return value;
}

DeviceShare batch_entry(const json& entry, const std::string& field) {
    if (entry.is_number_integer()) {
        auto n = entry.get<std::int64_t>();
        if (n < 1) throw std::invalid_argument(field + " is " + std::to_string(n) + ": a batch is at least 1 device");
        return {false, n};
    }
    if (entry.is_string())
        if (auto p = percentage(entry.get<std::string>(), 1)) return {true, *p};
    throw std::invalid_argument(field +
                                " must be a number of devices (1 or more), a percentage from \"1%\" to "
                                "\"100%\", or \"rest\" (last only); it is " +
                                entry.dump().substr(0, 40));
}

DeviceShare budget(const json& value) {
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) return {false, value.get<std::int64_t>()};
    if (value.is_string())
        if (auto p = percentage(value.get<std::string>(), 0)) return {true, *p};
    throw std::invalid_argument(
        "rollout.max_failed must be a number of devices (0 or more) or a percentage from "
        "\"0%\" to \"100%\"; it is " +
        value.dump().substr(0, 40));
}

std::size_t share_of(const DeviceShare& share, std::size_t devices, bool round_up) {
    if (!share.percent) return static_cast<std::size_t>(share.value);
    auto scaled = devices * static_cast<std::size_t>(share.value);
    return round_up ? (scaled + 99) / 100 : scaled / 100;
}

}  // namespace

std::optional<Rollout> parse_rollout(const json& args) {
    if (!args.contains("rollout")) return std::nullopt;
    const auto& spec = args["rollout"];
    if (!spec.is_object())
        throw std::invalid_argument(
            "rollout must be an object: {\"batches\": [1, 10, \"25%\", \"rest\"], "
            "\"max_failed\": 2, \"pause_seconds\": 60, \"pause_after_first\": true}");
    for (auto& [key, value] : spec.items())
        if (key != "batches" && key != "max_failed" && key != "pause_seconds" && key != "pause_after_first")
            throw std::invalid_argument("rollout." + key.substr(0, 100) +
                                        " is not a rollout field (batches, max_failed, pause_seconds, "
                                        "pause_after_first)");
    Rollout r;
    if (!spec.contains("batches") || !spec["batches"].is_array() || spec["batches"].empty())
        throw std::invalid_argument(
            "rollout.batches is required: a list of batch sizes, e.g. [1, 10, \"25%\", \"rest\"]");
    const auto& batches = spec["batches"];
    if (batches.size() > kMaxRolloutBatchEntries)
        throw std::invalid_argument("rollout.batches has more than " + std::to_string(kMaxRolloutBatchEntries) +
                                    " entries");
    for (std::size_t k = 0; k < batches.size(); ++k) {
        std::string field = "rollout.batches[" + std::to_string(k) + "]";
        if (batches[k] == "rest") {
            if (k + 1 != batches.size())
                throw std::invalid_argument(field + " is \"rest\", which must be the last batch");
            if (k == 0)
                throw std::invalid_argument(field +
                                            " is \"rest\" alone: that is no staging (give the sizes "
                                            "before it, e.g. [1, \"rest\"])");
            r.ends_with_rest = true;
            continue;
        }
        r.batches.push_back(batch_entry(batches[k], field));
    }
    if (spec.contains("max_failed")) r.max_failed = budget(spec["max_failed"]);
    if (spec.contains("pause_seconds")) {
        const auto& p = spec["pause_seconds"];
        if (!p.is_number_integer() || p.get<std::int64_t>() < 0 || p.get<std::int64_t>() > kMaxRolloutPauseSeconds)
            throw std::invalid_argument("rollout.pause_seconds must be a whole number of seconds from 0 to " +
                                        std::to_string(kMaxRolloutPauseSeconds));
        r.pause = std::chrono::seconds(p.get<std::int64_t>());
    }
    if (spec.contains("pause_after_first")) {
        if (!spec["pause_after_first"].is_boolean())
            throw std::invalid_argument("rollout.pause_after_first must be true or false");
        r.pause_after_first = spec["pause_after_first"].get<bool>();
    }
    return r;
}

std::vector<std::size_t> batch_sizes(const Rollout& rollout, std::size_t devices) {
    std::vector<std::size_t> sizes;
    std::size_t left = devices;
    for (std::size_t k = 0; left > 0; ++k) {
        if (k >= rollout.batches.size() && rollout.ends_with_rest) {
            sizes.push_back(left);
            break;
        }
        const auto& share = rollout.batches[std::min(k, rollout.batches.size() - 1)];
        auto n = std::clamp<std::size_t>(share_of(share, devices, true), 1, left);
        sizes.push_back(n);
        left -= n;
    }
    return sizes;
}

std::size_t failure_budget(const Rollout& rollout, std::size_t devices) {
    return share_of(rollout.max_failed, devices, false);
}

json to_json(const DeviceShare& share) {
    if (share.percent) return std::to_string(share.value) + "%";
    return share.value;
}

}  // namespace switchyard::tasks
