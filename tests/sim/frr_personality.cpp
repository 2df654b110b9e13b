// FRRouting vtysh: no candidate config, every configuration line applies to
// the running config at once; `write memory` saves (and is the commit point
// for the drop_mid_commit fault).
#include <algorithm>

#include "cli_contexts.h"
#include "config_tree.h"
#include "personality.h"

namespace sim {

namespace {

constexpr const char* kVersion = "8.4.4";

bool frr_skip(std::string_view t) {
    return t[0] == '!' || t == "exit" || t == "exit-address-family" || t == "exit-vrf" || t == "end" ||
           t == "Building configuration..." || t == "Current configuration:" || starts_with_word(t, "frr version") ||
           starts_with_word(t, "frr defaults");
}

void render_block_kids(const CfgTree& kids, int depth, std::string& out) {
    std::string pad(static_cast<size_t>(depth), ' ');
    for (const auto& k : kids) {
        if (k.kids.empty()) {
            out += pad + k.text + "\n";
            continue;
        }
        // Nested contexts (address-family) are set off by "!" and closed explicitly.
        out += pad + "!\n" + pad + k.text + "\n";
        render_block_kids(k.kids, depth + 1, out);
        out += pad + (starts_with_word(k.text, "address-family") ? "exit-address-family\n" : "exit\n");
    }
}

std::string show_group(const std::string& line) {
    for (std::string_view h : {"hostname", "log", "service", "password", "enable password", "ip forwarding",
                               "ipv6 forwarding", "no ip forwarding", "no ipv6 forwarding", "agentx"})
        if (starts_with_word(line, h)) return "header";
    auto second = line.find(' ', line.find(' ') + 1);
    return line.substr(0, second);
}

class Frr final : public Personality {
public:
    using Personality::Personality;

    std::string greeting() const override {
        return std::string("\nHello, this is FRRouting (version ") + kVersion +
               ").\nCopyright 1996-2005 Kunihiro Ishiguro, et al.\n\n";
    }

    std::string prompt() const override {
        std::string h = hostname();
        if (!config_) return h + "# ";
        if (ctx_.empty()) return h + "(config)# ";
        return h + "(" + context_name() + ")# ";
    }

    std::string error_text(const std::string& command) const override { return "% Unknown command: " + command + "\n"; }
    bool cooked_while_running() const override { return true; }

    Reply line(const std::string& raw) override {
        std::string cmd = trim(raw);
        if (cmd.empty() || cmd[0] == '!') return {};
        if (!config_) return enable_command(cmd);
        if (cmd == "end") {
            config_ = false;
            ctx_.clear();
            return {};
        }
        if (cmd == "exit" || cmd == "quit") {
            if (ctx_.empty()) config_ = false;
            else ctx_.pop_back();
            return {};
        }
        if (cmd == "exit-address-family" || cmd == "exit-vrf") {
            if (!ctx_.empty()) ctx_.pop_back();
            return {};
        }
        if (starts_with_word(cmd, "do")) return enable_command(trim(cmd.substr(2)));
        if (starts_with_word(cmd, "show") || starts_with_word(cmd, "write")) return enable_command(cmd);
        std::lock_guard lk(dev_.mu);
        CfgTree tree = parse_indented(dev_.running, frr_skip);
        apply_config_line(tree, ctx_, rtrim(raw), frr_rules());
        std::string next = render_plain(tree, 1);
        if (next != dev_.running) {
            dev_.running = std::move(next);
            dev_.persist_locked();
        }
        return {};
    }

private:
    std::string hostname() const {
        std::lock_guard lk(dev_.mu);
        return top_level_value(dev_.running, "hostname", dev_.hostname());
    }

    std::string context_name() const {
        const std::string& c = ctx_.back();
        if (starts_with_word(c, "interface")) return "config-if";
        if (starts_with_word(c, "address-family")) return "config-router-af";
        if (starts_with_word(c, "router")) return "config-router";
        if (starts_with_word(c, "route-map")) return "config-route-map";
        if (starts_with_word(c, "line")) return "config-line";
        if (starts_with_word(c, "vrf")) return "config-vrf";
        if (starts_with_word(c, "key chain")) return "config-keychain";
        return "config-" + c.substr(0, c.find(' '));
    }

    Reply enable_command(const std::string& cmd) {
        std::string base = trim(cmd.substr(0, cmd.find('|')));
        if (base == "exit" || base == "quit" || base == "logout") return {"", true, false};
        if (base == "end" || starts_with_word(base, "terminal")) return {};
        if (base == "configure terminal" || base == "configure" || base == "conf t") {
            config_ = true;
            ctx_.clear();
            return {};
        }
        if (base == "show running-config" || base == "show run" || base == "sh run" || base == "show running") {
            std::lock_guard lk(dev_.mu);
            return {show_running_locked(dev_)};
        }
        if (base == "show version")
            return {std::string("FRRouting ") + kVersion + " (" + hostname() +
                    ") on Linux(6.1.0).\nCopyright 1996-2005 Kunihiro Ishiguro, et al.\n"};
        if (base == "show bgp summary" || base == "show ip bgp summary")
            return {"% No BGP neighbors found in VRF default\n"};
        if (base == "write memory" || base == "write" || base == "wr" || base == "write file" ||
            base == "copy running-config startup-config") {
            before_commit();
            return {
                "Note: this version of vtysh never writes vtysh.conf\nBuilding Configuration...\n"
                "Integrated configuration saved to /etc/frr/frr.conf\n[OK]\n"};
        }
        return {error_text(cmd), false, true};
    }

    bool config_ = false;
    std::vector<std::string> ctx_;
};

}  // namespace

std::string frr_canonical(std::string_view text) { return render_plain(parse_indented(text, frr_skip), 1); }

std::string frr_show(const Device&, const std::string& config) {
    std::string out = std::string("Building configuration...\n\nCurrent configuration:\n!\nfrr version ") + kVersion +
                      "\nfrr defaults traditional\n";
    std::string prev_group;
    for (const auto& n : parse_indented(config, frr_skip)) {
        if (n.kids.empty() && !frr_rules().opens_top_context(n.text)) {
            // vtysh sets off each kind of top-level line (static routes, prefix
            // lists ...) with "!", but keeps the header lines together.
            std::string group = show_group(n.text);
            if (!prev_group.empty() && group != prev_group) out += "!\n";
            out += n.text + "\n";
            prev_group = group;
            continue;
        }
        out += "!\n" + n.text + "\n";
        render_block_kids(n.kids, 1, out);
        out += "exit\n";
        prev_group = "block";
    }
    return out + "!\nend\n";
}

std::unique_ptr<Personality> make_frr(Device& dev, const std::string& user, const SimClock& clock) {
    return std::make_unique<Frr>(dev, user, clock);
}

}  // namespace sim
