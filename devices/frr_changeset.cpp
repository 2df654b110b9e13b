#include "devices/frr_changeset.h"

#include <array>
#include <set>

#include "devices/normalize.h"

namespace switchyard::devices {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Top-level lines that open a context (vtysh changes node on them).
constexpr std::array<std::string_view, 14> kContextStarters{
    "interface ",     "router ", "route-map ",      "line vty", "vrf ",   "key chain ", "pbr-map ",
    "nexthop-group ", "bfd",     "segment-routing", "mpls ldp", "l2vpn ", "rpki",       "ip route-table"};

// Contexts a single `no KEY` removes with everything inside. Interfaces and
// `line vty` are not among them: `no interface eth0` fails on a physical
// interface, so their lines are negated one by one instead.
constexpr std::array<std::string_view, 8> kRemovableAsBlock{"router ",  "route-map ",     "vrf ", "key chain ",
                                                            "pbr-map ", "nexthop-group ", "bfd",  "segment-routing"};

// Lines that carry no config: banners, separators and version stamps that
// vtysh refuses or ignores when typed back.
bool is_noise(std::string_view line) {
    return line.empty() || line == "!" || line == "end" || starts_with(line, "frr version") ||
           starts_with(line, "frr defaults") || starts_with(line, "Building configuration") ||
           starts_with(line, "Current configuration") || starts_with(line, "!");
}

bool any_prefix(std::string_view line, auto& prefixes) {
    for (auto p : prefixes)
        if (starts_with(line, p)) return true;
    return false;
}

// Sub-contexts nest one level down inside a context (`address-family` in
// `router bgp`, `vni` in `address-family l2vpn evpn`); elsewhere the same
// words are plain lines (`vni 100` inside `vrf X`).
bool opens_subcontext(std::string_view parent, std::string_view line) {
    return (starts_with(parent, "router bgp") && starts_with(line, "address-family ")) ||
           (starts_with(parent, "address-family l2vpn") && starts_with(line, "vni "));
}
bool closes_subcontext(std::string_view line) { return line == "exit-address-family" || line == "exit-vni"; }
std::string_view exit_of(std::string_view key) {
    if (starts_with(key, "address-family ")) return "exit-address-family";
    if (starts_with(key, "vni ")) return "exit-vni";
    return "exit";
}

// Collapses runs of spaces, as frr-reload does, so "a  b" and "a b" compare equal.
std::string squeeze(std::string_view line) {
    std::string out;
    bool space = false;
    for (char c : line) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

struct Level {
    std::size_t indent;
    std::size_t context;  // index into FrrConfig::contexts()
};

bool removable_as_block(const std::string& key) { return any_prefix(key, kRemovableAsBlock); }

}  // namespace

const FrrContext* FrrConfig::find(const std::vector<std::string>& keys) const {
    auto at = by_keys_.find(keys);
    return at == by_keys_.end() ? nullptr : &contexts_[at->second];
}

std::size_t FrrConfig::add_context(std::vector<std::string> keys, bool single_line) {
    auto [at, added] = by_keys_.try_emplace(keys, contexts_.size());
    if (added) contexts_.push_back(FrrContext{std::move(keys), {}, single_line});
    return at->second;
}

FrrConfig parse_frr_config(std::string_view text) {
    FrrConfig cfg;
    std::vector<Level> stack;
    std::string normal = normalize_config(text);
    std::size_t start = 0;
    while (start < normal.size()) {
        auto nl = normal.find('\n', start);
        std::string_view raw(normal.data() + start, nl - start);
        start = nl + 1;
        std::size_t indent = raw.find_first_not_of(' ');
        std::string line = squeeze(raw);
        if (is_noise(line)) continue;
        if (indent == 0) {
            stack.clear();
            if (line == "exit" || line == "exit-vrf") continue;
            if (any_prefix(line, kContextStarters)) {
                stack.push_back({0, cfg.add_context({line}, false)});
            } else {
                cfg.add_context({line}, true);
            }
            continue;
        }
        // Indented: a line of the open context. Going back to (or left of)
        // a sub-context's own indentation closes it.
        if (closes_subcontext(line)) {
            if (stack.size() > 1) stack.pop_back();
            continue;
        }
        while (stack.size() > 1 && indent <= stack.back().indent) stack.pop_back();
        if (stack.empty()) {
            cfg.add_context({line}, true);
            continue;
        }
        if (line == "exit") {
            if (stack.size() > 1) stack.pop_back();
            else stack.clear();
            continue;
        }
        if (opens_subcontext(cfg.contexts()[stack.back().context].keys.back(), line)) {
            auto keys = cfg.contexts()[stack.back().context].keys;
            keys.push_back(line);
            stack.push_back({indent, cfg.add_context(std::move(keys), false)});
            continue;
        }
        cfg.add_line(stack.back().context, std::move(line));
    }
    return cfg;
}

std::string negate_frr_line(std::string_view line) {
    if (starts_with(line, "no ")) return std::string(line.substr(3));
    return "no " + std::string(line);
}

FrrChangeSet frr_changeset(const FrrConfig& running, const FrrConfig& candidate) {
    FrrChangeSet set;
    std::set<std::string> removed_blocks;  // top-level keys removed with one `no KEY`
    for (auto& ctx : running.contexts()) {
        const FrrContext* wanted = candidate.find(ctx.keys);
        if (ctx.single_line) {
            if (!wanted) set.deletions.push_back({{}, negate_frr_line(ctx.keys[0])});
            continue;
        }
        if (!wanted && ctx.keys.size() == 1 && removable_as_block(ctx.keys[0])) {
            set.deletions.push_back({{}, "no " + ctx.keys[0]});
            removed_blocks.insert(ctx.keys[0]);
            continue;
        }
        if (removed_blocks.count(ctx.keys[0])) continue;  // went with its parent
        std::set<std::string> keep;
        if (wanted) keep.insert(wanted->lines.begin(), wanted->lines.end());
        // Negate in reverse: later lines may depend on earlier ones
        // (a neighbor's options on its remote-as).
        for (auto it = ctx.lines.rbegin(); it != ctx.lines.rend(); ++it)
            if (!keep.count(*it)) set.deletions.push_back({ctx.keys, negate_frr_line(*it)});
    }
    for (auto& ctx : candidate.contexts()) {
        const FrrContext* have = running.find(ctx.keys);
        if (ctx.single_line) {
            if (!have) set.additions.push_back({{}, ctx.keys[0]});
            continue;
        }
        // A block removed above as a whole is re-created from scratch.
        bool recreated = removed_blocks.count(ctx.keys[0]) > 0;
        std::set<std::string> present;
        if (have && !recreated) present.insert(have->lines.begin(), have->lines.end());
        std::size_t before = set.additions.size();
        for (auto& line : ctx.lines)
            if (!present.count(line)) set.additions.push_back({ctx.keys, line});
        if ((!have || recreated) && set.additions.size() == before) set.additions.push_back({ctx.keys, ""});
    }
    return set;
}

FrrChangeSet frr_changeset(std::string_view running, std::string_view candidate) {
    return frr_changeset(parse_frr_config(running), parse_frr_config(candidate));
}

std::vector<FrrTypedLine> FrrChangeSet::typed_lines() const {
    using Kind = FrrTypedLine::Kind;
    std::vector<FrrTypedLine> out;
    auto emit = [&out](const std::vector<FrrChange>& changes, bool deletion) {
        std::size_t i = 0;
        while (i < changes.size()) {
            const auto& context = changes[i].context;
            for (std::size_t d = 0; d < context.size(); ++d)
                out.push_back({std::string(d, ' ') + context[d], Kind::enter, nullptr, deletion});
            std::string indent(context.size(), ' ');
            for (; i < changes.size() && changes[i].context == context; ++i)
                if (!changes[i].command.empty())
                    out.push_back({indent + changes[i].command, Kind::command, &changes[i], deletion});
            for (std::size_t d = context.size(); d-- > 0;)
                out.push_back({std::string(d, ' ') + std::string(exit_of(context[d])), Kind::exit, nullptr, deletion});
        }
    };
    emit(deletions, true);
    emit(additions, false);
    return out;
}

std::vector<std::string> FrrChangeSet::vtysh_lines() const {
    std::vector<std::string> out;
    for (auto& line : typed_lines()) out.push_back(std::move(line.text));
    return out;
}

}  // namespace switchyard::devices
