#include "change_score.h"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

namespace switchyard::tasks {
namespace {

struct Weight {
    std::regex pattern;
    double weight;
};

// First match wins; a changed line matching none weighs 1.
const std::vector<Weight>& weights() {
    static const std::vector<Weight> table = [] {
        auto any = [](const char* rest) { return std::regex(std::string("^[+-] *") + rest); };
        auto removed = [](const char* rest) { return std::regex(std::string("^- *") + rest); };
        return std::vector<Weight>{
            {any("description"), 0.0},
            {any("name"), 0.0},
            {any("!"), 0.0},
            {any("dot1x"), 0.5},
            {any("ntp"), 0.5},
            {any("snmp"), 0.5},
            {any("vrf"), 5.0},
            {removed(".*ip address"), 10.0},
            {removed("vlan"), 10.0},
            {any("spanning-tree mode"), 50.0},
            {any("spanning-tree"), 5.0},
            {removed(".*(routing|router)"), 50.0},
            {removed("neighbor"), 10.0},
            {any("address-family"), 10.0},
            {any("redistribute"), 10.0},
        };
    }();
    return table;
}

double line_weight(const std::string& line) {
    for (auto& w : weights())
        if (std::regex_search(line, w.pattern)) return w.weight;
    return 1.0;
}

// The pieces of `text` between newlines, as Python's str.split("\n") makes
// them: a text ending in a newline has an empty last piece, and that piece
// counts (CNaaS-NMS divides by these counts).
std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
        out.push_back(text.substr(start, nl - start));
    out.push_back(text.substr(start));
    return out;
}

}  // namespace

// CNaaS-NMS's calculate_score (src/cnaas_nms/devicehandler/changescore.py),
// line for line: every line starting with + or - counts, the diff's
// "---"/"+++" header lines too, as they do in the NAPALM diffs it scores.
int device_change_score(const std::string& config, const std::string& diff) {
    if (diff.empty()) return 0;  // CNaaS-NMS scores only a non-empty diff
    auto diff_lines = split_lines(diff);
    std::size_t changed = 0;
    double weighted = 0;
    for (auto& line : diff_lines) {
        if (line.empty() || (line[0] != '+' && line[0] != '-')) continue;
        ++changed;
        weighted += line_weight(line);
    }
    double config_lines = static_cast<double>(split_lines(config).size());
    double unique = static_cast<double>(std::set<std::string>(diff_lines.begin(), diff_lines.end()).size()) /
                    static_cast<double>(diff_lines.size());
    double score = (changed / config_lines * 100 * 0.2 + weighted * 0.8) * unique;
    // CNaaS-NMS rounds half up (int(score + 0.5)) and caps at 100; a change
    // scores at least 1 (its job score is max(..., 1), sync_devices.py:984),
    // so a diff of descriptions alone still says that something changed.
    return static_cast<int>(std::clamp(std::floor(score + 0.5), 1.0, 100.0));
}

int job_change_score(const std::vector<int>& device_scores, bool any_device_failed) {
    if (any_device_failed) return 100;
    int top = 0;
    for (int s : device_scores) top = std::max(top, s);
    return std::clamp(top, 0, 100);
}

}  // namespace switchyard::tasks
