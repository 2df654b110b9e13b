// Arista EOS: unprivileged/enable modes (with an enable password when the
// login is below privilege 15), `configure terminal` (direct) and
// configuration sessions, which belong to the device and not to the SSH
// channel (limit of 5 pending, 24 h), heredoc commands (`banner login|motd`,
// `comment`, `protocol https certificate`) and the commit-timer state in both
// formats of `show configuration sessions detail | json`. Sources for each
// behaviour: docs/device-cli.md.
#include <map>
#include <optional>
#include <sstream>

#include "cli_contexts.h"
#include "config_tree.h"
#include "eos_sessions.h"
#include "personality.h"
#include "text_diff.h"

namespace sim {

namespace {

// "!" lines are comments; "!!" lines are mode comments, which are configuration.
bool eos_skip(std::string_view t) { return (t[0] == '!' && t.rfind("!!", 0) != 0) || t == "end"; }

// Commands that read text up to `EOF` lines instead of one line (NAPALM
// eos.py HEREDOC_COMMANDS): how many EOF-terminated blocks follow.
int eos_heredoc_blocks(std::string_view t) {
    if (t == "banner login" || t == "banner motd") return 1;
    if (t == "protocol https certificate") return 2;
    return 0;
}

CfgTree parse_eos(std::string_view text) { return parse_indented(text, eos_skip, eos_heredoc_blocks); }

std::string first_word(const std::string& s) { return s.substr(0, s.find(' ')); }

// "Ethernet1" -> "Et1", as EOS shortens interface names in prompts.
std::string short_interface(const std::string& name) {
    static const std::pair<const char*, const char*> abbrev[] = {
        {"Ethernet", "Et"}, {"Loopback", "Lo"}, {"Management", "Ma"}, {"Port-Channel", "Po"}, {"Vlan", "Vl"}};
    for (auto [longer, shorter] : abbrev)
        if (name.rfind(longer, 0) == 0) return shorter + name.substr(std::string(longer).size());
    return name;
}

void render_kids(const CfgTree& kids, int depth, std::string& out) {
    std::string pad(static_cast<size_t>(3 * depth), ' ');
    for (const auto& k : kids) {
        if (!k.kids.empty()) out += pad + "!\n";
        out += pad + k.text + "\n";
        for (const auto& h : k.heredoc) out += h + "\n";
        render_kids(k.kids, depth + 1, out);
    }
}

class Eos final : public Personality {
public:
    using Personality::Personality;

    std::string prompt() const override {
        if (mode_ == Mode::password) return "Password: ";
        if (heredoc_left_ > 0) return "";  // heredoc text is read without prompts
        // Dual-supervisor chassis show the supervisor slot (Netmiko arista.py check_config_mode).
        std::string h = hostname() + (dev_.cli_traits().redundant ? "(s1)" : "");
        switch (mode_) {
            case Mode::unprivileged: return h + ">";
            case Mode::password:
            case Mode::enable: return h + "#";
            case Mode::config: return h + "(config" + context_suffix() + ")#";
            case Mode::session: return h + "(config-s-" + session_.substr(0, 6) + context_suffix() + ")#";
        }
        return h + "#";
    }

    std::string error_text(const std::string&) const override { return "% Invalid input\n"; }
    // An exec channel runs at the login's privilege: below 15 (an enable
    // password is needed) it cannot read the running config.
    void enter_exec_mode() override {
        mode_ = dev_.cli_traits().enable_password.empty() ? Mode::enable : Mode::unprivileged;
    }
    bool echo_input() const override { return mode_ != Mode::password; }

    Reply line(const std::string& raw) override {
        if (mode_ == Mode::password) return check_enable_password(raw);
        if (heredoc_left_ > 0) return heredoc_line(raw);
        std::string cmd = trim(raw);
        if (cmd.empty()) return {};
        bool mode_comment = cmd.rfind("!!", 0) == 0;
        if (cmd[0] == '!' && !(mode_comment && (mode_ == Mode::config || mode_ == Mode::session))) return {};
        if (auto r = common_command(cmd)) return *r;
        switch (mode_) {
            case Mode::unprivileged: return unprivileged_command(cmd);
            case Mode::password:
            case Mode::enable: return enable_command(cmd);
            case Mode::config:
            case Mode::session: return config_command(cmd, raw);
        }
        return {};
    }

private:
    enum class Mode { unprivileged, password, enable, config, session };

    std::string hostname() const {
        std::lock_guard lk(dev_.mu);
        return top_level_value(dev_.running, "hostname", dev_.hostname());
    }

    std::string context_suffix() const {
        if (ctx_.empty()) return "";
        const std::string& c = ctx_.back();
        if (starts_with_word(c, "interface")) return "-if-" + short_interface(trim(c.substr(10)));
        if (starts_with_word(c, "address-family")) return "-router-bgp-af";
        if (starts_with_word(c, "router bgp")) return "-router-bgp";
        if (starts_with_word(c, "management api http-commands")) return "-mgmt-api-http-cmds";
        if (starts_with_word(c, "route-map")) return "-route-map-" + first_word(trim(c.substr(10)));
        return "-" + first_word(c);
    }

    // Works in every mode (EOS runs show commands from config modes too).
    std::optional<Reply> common_command(const std::string& cmd) {
        std::string base = trim(cmd.substr(0, cmd.find('|')));
        bool json = cmd.find('|') != std::string::npos && trim(cmd.substr(cmd.find('|') + 1)) == "json";
        if (starts_with_word(base, "terminal")) return Reply{};
        if (base == "show version") return Reply{json ? eos_version_json(dev_) : eos_version_text(dev_)};
        if (mode_ == Mode::unprivileged) return std::nullopt;
        if (base == "show running-config" || base == "show running-config all" || base == "show run") {
            std::lock_guard lk(dev_.mu);
            return Reply{show_running_locked(dev_)};
        }
        if (base == "write memory" || base == "write" || base == "copy running-config startup-config")
            return Reply{"Copy completed successfully.\n"};
        if (base == "show configuration sessions" || base == "show configuration sessions detail") {
            std::lock_guard lk(dev_.mu);
            expire_eos_sessions_locked(dev_);
            return Reply{json ? eos_sessions_json_locked(dev_) : eos_sessions_text_locked(dev_)};
        }
        return std::nullopt;
    }

    Reply unprivileged_command(const std::string& cmd) {
        if (cmd == "enable" || cmd == "en") {
            if (dev_.cli_traits().enable_password.empty()) {
                mode_ = Mode::enable;
                return {};
            }
            mode_ = Mode::password;  // scrapli arista_eos.yaml: send_prompted_input 'Password:'
            return {};
        }
        if (cmd == "exit" || cmd == "logout" || cmd == "quit") return {"", true, false};
        if (starts_with_word(cmd, "show") || starts_with_word(cmd, "configure"))
            return {"% Invalid input (privileged mode required)\n", false, true};
        return {error_text(cmd), false, true};
    }

    Reply check_enable_password(const std::string& raw) {
        if (raw == dev_.cli_traits().enable_password) {
            mode_ = Mode::enable;
            return {};
        }
        mode_ = Mode::unprivileged;
        return {"% Bad secret\n", false, true};  // Ansible arista.eos terminal: "% ?Bad secret"
    }

    Reply enable_command(const std::string& cmd) {
        if (cmd == "enable") return {};
        if (cmd == "disable") {
            mode_ = Mode::unprivileged;
            return {};
        }
        if (cmd == "exit" || cmd == "logout" || cmd == "quit") return {"", true, false};
        if (cmd == "configure" || cmd == "configure terminal" || cmd == "conf t") {
            mode_ = Mode::config;
            ctx_.clear();
            return {};
        }
        if (starts_with_word(cmd, "configure session")) {
            // configure session [NAME] [commit|abort]
            std::istringstream words(cmd.substr(17));
            std::string name, action, extra;
            words >> name >> action >> extra;
            if (!extra.empty() || (!action.empty() && action != "commit" && action != "abort"))
                return {error_text(cmd), false, true};
            if (name.empty()) name = "session" + std::to_string(++auto_session_);
            if (action == "commit") return commit_named(name);
            if (action == "abort") return abort_named(name);
            return open_session(name);
        }
        return {error_text(cmd), false, true};
    }

    Reply open_session(const std::string& name) {
        std::lock_guard lk(dev_.mu);
        expire_eos_sessions_locked(dev_);
        if (!dev_.eos_sessions.count(name)) {
            if (dev_.eos_sessions.size() >= kEosMaxPendingSessions)
                return {"% Maximum number of pending sessions has been reached\n", false, true};
            dev_.eos_sessions[name] = EosSession{parse_eos(dev_.running), std::chrono::steady_clock::now(), user_};
        }
        session_ = name;
        mode_ = Mode::session;
        ctx_.clear();
        return {};
    }

    // `configure session NAME commit`: confirms NAME's commit timer, or commits
    // a pending session NAME (NAPALM eos.py commit_config / confirm_commit).
    Reply commit_named(const std::string& name) {
        {
            std::lock_guard lk(dev_.mu);
            if (dev_.pending && dev_.pending->session == name) {
                dev_.pending.reset();
                return {};
            }
            if (!dev_.eos_sessions.count(name))
                return {"% Session " + name + " has no pending commit timer\n", false, true};
        }
        session_ = name;
        commit_session(std::nullopt);
        return {};
    }

    // `configure session NAME abort`: drops a pending session; on the session
    // of a running commit timer it cancels the timer and rolls the config back
    // at once (CNaaS-NMS #395 log: CONFIG_SESSION_COMMIT_TIMER_CANCELED).
    Reply abort_named(const std::string& name) {
        std::lock_guard lk(dev_.mu);
        if (dev_.pending && dev_.pending->session == name) {
            std::string previous = std::move(dev_.pending->previous);
            dev_.pending.reset();
            dev_.commit_locked(std::move(previous), user_);
        }
        dev_.eos_sessions.erase(name);
        return {};
    }

    Reply config_command(const std::string& cmd, const std::string& raw) {
        if (cmd == "end" || (cmd == "exit" && ctx_.empty())) {
            mode_ = Mode::enable;  // a session stays pending and can be resumed
            ctx_.clear();
            return {};
        }
        if (cmd == "exit") {
            ctx_.pop_back();
            return {};
        }
        if (mode_ == Mode::session)
            if (auto r = session_command(cmd)) return *r;
        if (cmd == "comment" || eos_heredoc_blocks(cmd) > 0) return start_heredoc(cmd, raw);
        return edit([&](CfgTree& tree) { apply_config_line(tree, ctx_, rtrim(raw), eos_rules()); });
    }

    // Applies f to the candidate (session) or the running config (direct).
    template <typename F>
    Reply edit(F f) {
        std::lock_guard lk(dev_.mu);
        if (mode_ == Mode::session) {
            auto it = dev_.eos_sessions.find(session_);
            if (it == dev_.eos_sessions.end()) {
                mode_ = Mode::enable;
                ctx_.clear();
                return {"% Session " + session_ + " does not exist\n", false, true};
            }
            f(it->second.candidate);
            return {};
        }
        CfgTree tree = parse_eos(dev_.running);
        f(tree);
        std::string next = render_plain(tree, 3);
        if (next != dev_.running) dev_.commit_locked(std::move(next), user_);
        return {};
    }

    Reply start_heredoc(const std::string& cmd, const std::string& raw) {
        heredoc_cmd_ = cmd;
        heredoc_raw_ = rtrim(raw);
        heredoc_body_.clear();
        heredoc_left_ = cmd == "comment" ? 1 : eos_heredoc_blocks(cmd);
        // DISA STIG Arista EOS NDM V-255950 shows this text after `banner login`.
        return {"Enter TEXT message.  Type 'EOF' on its own line to end.\n"};
    }

    Reply heredoc_line(const std::string& raw) {
        heredoc_body_.push_back(raw);
        if (raw == "EOF" && --heredoc_left_ == 0) {
            if (heredoc_cmd_ == "comment") {
                // A mode comment is kept as "!!" lines of the current mode (NAPALM
                // eos.py _mode_comment_convert is the reverse of this).
                return edit([&](CfgTree& tree) {
                    for (size_t i = 0; i + 1 < heredoc_body_.size(); ++i)
                        apply_config_line(tree, ctx_, std::string(3 * ctx_.size(), ' ') + "!! " + heredoc_body_[i],
                                          eos_rules());
                });
            }
            return edit([&](CfgTree& tree) {
                apply_config_line(tree, ctx_, heredoc_raw_, eos_rules());
                CfgTree* level = find_block(tree, ctx_);
                if (!level) return;
                for (auto& n : *level)
                    if (n.text == heredoc_cmd_) n.heredoc = heredoc_body_;
            });
        }
        return {};
    }

    std::optional<Reply> session_command(const std::string& cmd) {
        std::unique_lock lk(dev_.mu);
        auto it = dev_.eos_sessions.find(session_);
        if (it == dev_.eos_sessions.end()) return std::nullopt;  // edit() reports it
        CfgTree& candidate = it->second.candidate;
        if (cmd == "rollback clean-config") {
            candidate.clear();
            ctx_.clear();
            return Reply{};
        }
        if (cmd == "show session-config diffs" || cmd == "show session-config diff") {
            std::string hunks =
                unified_hunks(eos_show(dev_, dev_.running, false), eos_show(dev_, render_plain(candidate, 3), false));
            if (hunks.empty()) return Reply{};
            return Reply{"--- system:/running-config\n+++ session:/" + session_ + "-session-config\n" + hunks};
        }
        if (cmd == "show session-config") return Reply{eos_show(dev_, render_plain(candidate, 3), true)};
        if (cmd == "abort") {
            // In a sub-mode `abort` only leaves it, like `exit`, and the session
            // stays pending (ansible#36979; Ansible's cliconf runs `end`,
            // `configure session X`, `abort` to abort for real).
            if (!ctx_.empty()) {
                ctx_.pop_back();
                return Reply{};
            }
            dev_.eos_sessions.erase(it);
            mode_ = Mode::enable;
            return Reply{};
        }
        lk.unlock();
        if (cmd == "commit") {
            commit_session(std::nullopt);
            return Reply{};
        }
        if (starts_with_word(cmd, "commit timer")) {
            int h = 0, m = 0, sec = 0;
            char c1 = 0, c2 = 0;
            std::istringstream t(cmd.substr(13));
            if (!(t >> h >> c1 >> m >> c2 >> sec) || c1 != ':' || c2 != ':' || m > 59 || sec > 59 || h < 0 || m < 0 ||
                sec < 0 || !t.eof())
                return Reply{"% Invalid input\n", false, true};
            commit_session(std::chrono::seconds(h * 3600 + m * 60 + sec));
            return Reply{};
        }
        return std::nullopt;
    }

    void commit_session(std::optional<std::chrono::seconds> timer) {
        before_commit();
        {
            std::lock_guard lk(dev_.mu);
            auto it = dev_.eos_sessions.find(session_);
            if (it != dev_.eos_sessions.end()) {
                std::string next = render_plain(it->second.candidate, 3);
                std::string previous = dev_.running;
                dev_.commit_locked(std::move(next), user_);
                if (timer)
                    dev_.pending = PendingRollback{std::chrono::steady_clock::now() + *timer, previous, session_};
                dev_.eos_sessions.erase(it);
            }
        }
        mode_ = Mode::enable;
        ctx_.clear();
    }

    Mode mode_ = Mode::unprivileged;
    std::vector<std::string> ctx_;
    std::string session_;
    int auto_session_ = 0;
    int heredoc_left_ = 0;  // EOF lines still to come
    std::string heredoc_cmd_, heredoc_raw_;
    std::vector<std::string> heredoc_body_;
};

}  // namespace

std::string eos_canonical(std::string_view text) { return render_plain(parse_eos(text), 3); }

std::string eos_show(const Device& dev, const std::string& config, bool header) {
    std::string out;
    if (header)
        out = "! Command: show running-config\n! device: " + top_level_value(config, "hostname", dev.hostname()) +
              " (vEOS-lab, EOS-" + eos_version_of(dev) + ")\n!\n! boot system flash:/vEOS-lab.swi\n!\n";
    const CfgNode* prev = nullptr;
    for (const auto& n : parse_eos(config)) {
        // EOS separates sections with "!": around blocks and between kinds of lines.
        if (prev && (!n.kids.empty() || !prev->kids.empty() || first_word(n.text) != first_word(prev->text)))
            out += "!\n";
        out += n.text + "\n";
        for (const auto& h : n.heredoc) out += h + "\n";
        render_kids(n.kids, 1, out);
        prev = &n;
    }
    return out + "!\nend\n";
}

std::unique_ptr<Personality> make_eos(Device& dev, const std::string& user, const SimClock& clock) {
    return std::make_unique<Eos>(dev, user, clock);
}

}  // namespace sim
