#include "change_score.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>
#include <vector>

namespace switchyard::tasks {
namespace {

// CNaaS-NMS's weights are regular expressions of two shapes only: a sign,
// spaces, then a word ("^[+-] *vrf"), or a removed line holding a word
// anywhere after its sign ("^- *.*ip address"). Matched as such: std::regex
// took about half the CPU of a dry run of large configs.
enum class Signs { any, removed };
enum class Where { first_word, anywhere };

struct Weight {
    Signs signs;
    Where where;
    std::vector<std::string_view> words;  // any one of them
    double weight;

    bool matches(std::string_view line) const {
        if (line.empty() || (line[0] != '-' && (signs == Signs::removed || line[0] != '+'))) return false;
        std::string_view rest = line.substr(1);
        if (where == Where::anywhere)
            return std::any_of(words.begin(), words.end(), [&](auto w) { return rest.find(w) != rest.npos; });
        rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
        return std::any_of(words.begin(), words.end(), [&](auto w) { return rest.starts_with(w); });
    }
};

// First match wins; a changed line matching none weighs 1.
const std::vector<Weight>& weights() {
    using enum Signs;
    using enum Where;
    static const std::vector<Weight> table = {
        {any, first_word, {"description"}, 0.0},
        {any, first_word, {"name"}, 0.0},
        {any, first_word, {"!"}, 0.0},
        {any, first_word, {"dot1x"}, 0.5},
        {any, first_word, {"ntp"}, 0.5},
        {any, first_word, {"snmp"}, 0.5},
        {any, first_word, {"vrf"}, 5.0},
        {removed, anywhere, {"ip address"}, 10.0},
        {removed, first_word, {"vlan"}, 10.0},
        {any, first_word, {"spanning-tree mode"}, 50.0},
        {any, first_word, {"spanning-tree"}, 5.0},
        {removed, anywhere, {"routing", "router"}, 50.0},
        {removed, first_word, {"neighbor"}, 10.0},
        {any, first_word, {"address-family"}, 10.0},
        {any, first_word, {"redistribute"}, 10.0},
    };
    return table;
}

double line_weight(std::string_view line) {
    for (auto& w : weights())
        if (w.matches(line)) return w.weight;
    return 1.0;
}

// The pieces of `text` between newlines, as Python's str.split("\n") makes
// them: a text ending in a newline has an empty last piece, and that piece
// counts (CNaaS-NMS divides by these counts).
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != text.npos; start = nl + 1)
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
    double config_lines = static_cast<double>(std::count(config.begin(), config.end(), '\n') + 1);
    double unique = static_cast<double>(std::set<std::string_view>(diff_lines.begin(), diff_lines.end()).size()) /
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
