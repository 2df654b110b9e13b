#include "devices/config_compare.h"

#include "devices/frr_changeset.h"
#include "devices/normalize.h"

#include <sstream>
#include <vector>

namespace switchyard::devices {

std::string comparable_config(Platform platform, std::string_view config) {
    std::istringstream in(normalize_config(config));
    std::string out;
    for (std::string line; std::getline(in, line);) {
        auto first = line.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        std::string_view body(line.c_str() + first);
        bool comment = platform == Platform::junos ? body.rfind("#", 0) == 0 || body.rfind("version ", 0) == 0
                                                   : body.rfind("!", 0) == 0 || body.rfind("frr version", 0) == 0;
        if (comment) continue;
        if (platform == Platform::junos) {
            // JunOS annotates secrets: "encrypted-password ...; ## SECRET-DATA".
            auto note = line.find(" ## ");
            if (note != std::string::npos) line.resize(note);
        }
        out += line + "\n";
    }
    return out;
}

namespace {

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

}  // namespace

std::string comparable_running_config(Platform platform, std::string_view running, std::string_view intended) {
    std::string from = comparable_config(platform, running);
    if (platform != Platform::frr) return from;
    auto have = top_level_blocks(from);
    // Each running block goes where `intended` has it; a block `intended`
    // lacks stays behind the running block it followed, so it shows as
    // removed where the device printed it (not after `end`).
    std::vector<std::size_t> place(have.size(), have.size());  // have.size(): not matched
    std::size_t rank = 0;
    for (auto& want : top_level_blocks(comparable_config(platform, intended))) {
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

bool config_matches(Platform platform, std::string_view running, std::string_view intended) {
    if (platform == Platform::frr) return frr_changeset(running, intended).empty();
    return comparable_config(platform, running) == comparable_config(platform, intended);
}

}  // namespace switchyard::devices
