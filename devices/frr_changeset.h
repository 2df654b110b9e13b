// The frr change set, computed the way FRR's own frr-reload.py does it: parse
// both configs into contexts (top-level lines, `router bgp N`, its
// `address-family` blocks, `interface X`, ...), then per context the lines to
// negate and the lines to add. FRR has no candidate config, so this is how a
// full-replace load is applied (docs/device-cli.md, "frr").
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::devices {

// One context of an frr config. `keys` is the path of context lines
// ({"router bgp 65000", "address-family ipv4 unicast"}); a top-level single
// line is a context whose only key is the line itself and which has no lines.
struct FrrContext {
    std::vector<std::string> keys;
    std::vector<std::string> lines;
    bool single_line = false;
};

class FrrConfig {
public:
    const std::vector<FrrContext>& contexts() const { return contexts_; }  // in config order
    const FrrContext* find(const std::vector<std::string>& keys) const;
    // The context named `keys`, added last (with `single_line`) if new: its
    // index in contexts().
    std::size_t add_context(std::vector<std::string> keys, bool single_line);
    void add_line(std::size_t context, std::string line) { contexts_.at(context).lines.push_back(std::move(line)); }

private:
    std::vector<FrrContext> contexts_;
    // Index into contexts_ by keys, kept by add_context: a 2,000-line config
    // has hundreds of contexts, and a linear find for each of its lines took
    // 4 % of serve's samples in a 1,000-device live sync.
    std::map<std::vector<std::string>, std::size_t> by_keys_;
};

FrrConfig parse_frr_config(std::string_view text);

// One command typed inside `context` (empty context: at the config top level).
// An empty command means "enter the context" (creating an empty one).
struct FrrChange {
    std::vector<std::string> context;
    std::string command;

    bool operator==(const FrrChange&) const = default;
};

// One line of a change set as typed into vtysh.
struct FrrTypedLine {
    enum class Kind { enter, command, exit };
    std::string text;  // indented one space per context level
    Kind kind = Kind::command;
    const FrrChange* change = nullptr;  // a command's change (in the set it came from)
    bool deletion = false;              // typed among the deletions
};

struct FrrChangeSet {
    std::vector<FrrChange> deletions;
    std::vector<FrrChange> additions;

    bool empty() const { return deletions.empty() && additions.empty(); }
    // What to type between `configure terminal` and `end`: deletions first,
    // then additions, each group wrapped in its context lines and exits.
    std::vector<std::string> vtysh_lines() const;
    // The same lines, each with what it is.
    std::vector<FrrTypedLine> typed_lines() const;
};

// The changes that turn `running` into `candidate`.
FrrChangeSet frr_changeset(const FrrConfig& running, const FrrConfig& candidate);
FrrChangeSet frr_changeset(std::string_view running, std::string_view candidate);

// "no X" for "X", and "X" for "no X".
std::string negate_frr_line(std::string_view line);

}  // namespace switchyard::devices
