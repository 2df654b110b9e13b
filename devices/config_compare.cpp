#include "devices/config_compare.h"

#include "devices/config_diff.h"
#include "devices/frr_changeset.h"
#include "devices/normalize.h"

#include <sstream>
#include <vector>

namespace switchyard::devices {

std::string comparable_config(Platform platform, std::string_view config) {
    const std::string normal = normalize_config(config);
    std::string out;
    out.reserve(normal.size());
    std::string_view rest = normal;
    while (!rest.empty()) {
        auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        auto first = line.find_first_not_of(' ');
        if (first == std::string_view::npos) continue;
        std::string_view body = line.substr(first);
        bool comment = platform == Platform::junos ? body.starts_with("#") || body.starts_with("version ")
                                                   : body.starts_with("!") || body.starts_with("frr version");
        if (comment) continue;
        if (platform == Platform::junos) {
            // JunOS annotates secrets: "encrypted-password ...; ## SECRET-DATA".
            auto note = line.find(" ## ");
            if (note != std::string_view::npos) line = line.substr(0, note);
        }
        out += line;
        out += '\n';
    }
    return out;
}

namespace {

constexpr std::string_view kSecretPlaceholder = "/* SECRET-DATA */";

// Lines of a comparable junos config whose secret the device hid.
std::size_t placeholder_lines(Platform platform, std::string_view comparable) {
    if (platform != Platform::junos) return 0;
    std::size_t n = 0;
    for (auto at = comparable.find(kSecretPlaceholder); at != std::string_view::npos;
         at = comparable.find(kSecretPlaceholder, at)) {
        ++n;
        auto nl = comparable.find('\n', at);
        if (nl == std::string_view::npos) break;
        at = nl + 1;
    }
    return n;
}

// A junos account without the secret permission sees
// `encrypted-password /* SECRET-DATA */;` (a vQFX transcript in
// docs/device-cli.md): each such running line takes the intended line with
// the same text before the placeholder, so a secret it cannot see never
// shows as a difference.
std::string fill_secret_placeholders(const std::string& running, const std::string& intended) {
    if (running.find(kSecretPlaceholder) == std::string::npos) return running;
    std::vector<std::string> want;
    std::istringstream in(intended);
    for (std::string line; std::getline(in, line);) want.push_back(line);
    std::vector<bool> used(want.size(), false);
    std::istringstream have(running);
    std::string out;
    for (std::string line; std::getline(have, line);) {
        auto at = line.find(kSecretPlaceholder);
        if (at != std::string::npos) {
            std::string prefix = line.substr(0, at);
            for (std::size_t i = 0; i < want.size(); ++i) {
                if (used[i] || want[i].compare(0, prefix.size(), prefix) != 0 || want[i].size() <= prefix.size())
                    continue;
                used[i] = true;
                line = want[i];
                break;
            }
        }
        out += line + "\n";
    }
    return out;
}

// Top-level blocks of a comparable config: a line at column 0 with the
// indented lines and the closing `exit` that follow it.
struct Block {
    std::string header;
    std::string text;
    bool closed = false;  // ended by its `exit`: the next line starts a new block
    bool empty_context() const { return closed && text == header + "\nexit\n"; }
};

std::vector<Block> top_level_blocks(const std::string& comparable) {
    std::vector<Block> blocks;
    std::istringstream in(comparable);
    for (std::string line; std::getline(in, line);) {
        bool open = !blocks.empty() && !blocks.back().closed;
        if (open && !line.empty() && line[0] == ' ') {
            blocks.back().text += line + "\n";
        } else if (open && line == "exit") {
            blocks.back().text += line + "\n";
            blocks.back().closed = true;
        } else {
            blocks.push_back({line, line + "\n", false});
        }
    }
    return blocks;
}

// comparable_running_config() from both sides' comparable texts.
std::string arranged_running(Platform platform, std::string from, const std::string& comparable_intended) {
    if (platform == Platform::junos) return fill_secret_placeholders(from, comparable_intended);
    if (platform != Platform::frr) return from;
    auto have = top_level_blocks(from);
    // Each running block goes where `intended` has it; a block `intended`
    // lacks stays behind the running block it followed, so it shows as
    // removed where the device printed it (not after `end`).
    std::vector<std::size_t> place(have.size(), have.size());  // have.size(): not matched
    std::size_t rank = 0;
    for (auto& want : top_level_blocks(comparable_intended)) {
        for (std::size_t i = 0; i < have.size(); ++i) {
            if (place[i] != have.size() || have[i].header != want.header) continue;
            place[i] = rank++;
            break;
        }
    }
    std::vector<std::vector<std::size_t>> after(rank + 1);  // after[0]: before any matched block
    std::size_t anchor = 0;
    for (std::size_t i = 0; i < have.size(); ++i) {
        if (place[i] != have.size()) anchor = place[i] + 1;
        else if (!have[i].empty_context()) after[anchor].push_back(i);
    }
    std::vector<std::size_t> matched(rank);
    for (std::size_t i = 0; i < have.size(); ++i)
        if (place[i] != have.size()) matched[place[i]] = i;
    std::string out;
    for (auto i : after[0]) out += have[i].text;
    for (std::size_t r = 0; r < rank; ++r) {
        out += have[matched[r]].text;
        for (auto i : after[r + 1]) out += have[i].text;
    }
    return out;
}

}  // namespace

std::string comparable_running_config(Platform platform, std::string_view running, std::string_view intended) {
    return arranged_running(platform, comparable_config(platform, running), comparable_config(platform, intended));
}

bool config_matches(Platform platform, std::string_view running, std::string_view intended) {
    if (platform == Platform::frr) return frr_changeset(running, intended).empty();
    std::string want = comparable_config(platform, intended);
    return arranged_running(platform, comparable_config(platform, running), want) == want;
}

ConfigComparison compare_configs(Platform platform, std::string_view running, std::string_view intended) {
    ConfigComparison out;
    // frr: a change set decides (vtysh's block order is its own); the
    // blocks are arranged only for a diff to show. frr hides no secrets.
    if (platform == Platform::frr && frr_changeset(running, intended).empty()) return out;
    std::string want = comparable_config(platform, intended);
    std::string have = comparable_config(platform, running);
    out.hidden_secrets = placeholder_lines(platform, have);
    have = arranged_running(platform, std::move(have), want);
    if (platform != Platform::frr && have == want) return out;
    out.matches = false;
    out.diff = unified_diff(have, want);
    return out;
}

ConfigMismatch config_mismatch(Platform platform, std::string_view running, std::string_view intended) {
    ConfigMismatch out;
    if (platform == Platform::frr) {
        auto set = frr_changeset(running, intended);
        auto shown = [](const FrrChange& c, const std::string& command) {
            std::string line;
            for (auto& key : c.context) line += key + " > ";
            if (command.empty() && line.size() >= 3) line.resize(line.size() - 3);  // an empty context itself
            return line + command;
        };
        for (auto& c : set.additions) out.missing.push_back(shown(c, c.command));
        // A deletion is typed as its negation; the device shows the line itself.
        for (auto& c : set.deletions) out.extra.push_back(shown(c, negate_frr_line(c.command)));
        return out;
    }
    auto diff =
        unified_diff(comparable_running_config(platform, running, intended), comparable_config(platform, intended));
    std::istringstream in(diff);
    std::string line;
    for (int header = 0; header < 2 && std::getline(in, line); ++header) {
    }  // "--- running", "+++ intended"
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        if (line[0] == '+') out.missing.push_back(line.substr(1));
        else if (line[0] == '-') out.extra.push_back(line.substr(1));
    }
    return out;
}

namespace {
// A device's line may be long; a message quotes its start, cut between
// UTF-8 characters.
std::string quoted(const std::string& line) {
    constexpr std::size_t kMax = 160;
    if (line.size() <= kMax) return "`" + line + "`";
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    return "`" + line.substr(0, cut) + "...` (" + std::to_string(line.size()) + " bytes)";
}
}  // namespace

std::string describe(const ConfigMismatch& mismatch, std::size_t max_lines) {
    std::string out;
    std::size_t shown = 0, total = mismatch.missing.size() + mismatch.extra.size();
    auto list = [&](const char* what, const std::vector<std::string>& lines) {
        if (lines.empty() || shown >= max_lines) return;
        if (!out.empty()) out += "; ";
        out += std::string(what) + ": ";
        for (std::size_t i = 0; i < lines.size() && shown < max_lines; ++i, ++shown)
            out += (i ? ", " : "") + quoted(lines[i]);
    };
    list("missing", mismatch.missing);
    list("extra", mismatch.extra);
    if (shown < total) out += " (and " + std::to_string(total - shown) + " more)";
    return out;
}

std::size_t hidden_secrets(Platform platform, std::string_view running) {
    return placeholder_lines(platform, comparable_config(platform, running));
}

}  // namespace switchyard::devices
