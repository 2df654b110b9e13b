// Juniper JunOS: the root login's FreeBSD shell, operational mode, the three
// forms of configuration mode (shared `configure`, `configure exclusive`,
// `configure private` with its own candidate), `load override|merge
// terminal` ended by Ctrl-D, `show | compare`, commit check / commit /
// commit confirmed N (refused in private mode), rollback N, the exit
// questions, `{master:0}` context lines, login classes without the
// configure or secret permission, and slow commits. Sources for each
// behaviour: docs/device-cli.md.
#include <optional>
#include <thread>

#include "config_tree.h"
#include "junos_tree.h"
#include "personality.h"

namespace sim {

namespace {

constexpr const char* kVersion = "20.4R3.8";

std::string config_hostname(const JTree& tree, const std::string& fallback) {
    for (const auto& n : tree)
        if (n.block && n.text == "system")
            for (const auto& k : n.kids)
                if (!k.block && starts_with_word(k.text, "host-name")) return trim(k.text.substr(10));
    return fallback;
}

JTree parse_or_empty(const std::string& text) { return parse_junos(text).tree; }

// "WORDS" -> -1, "WORDS 5" -> 5, anything else -> nullopt.
std::optional<int> number_after(const std::string& cmd, const std::string& words) {
    if (!starts_with_word(cmd, words)) return std::nullopt;
    std::string rest = trim(cmd.substr(words.size()));
    if (rest.empty()) return -1;
    if (rest.size() > 6 || rest.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoi(rest);
}

// The CLI's answer to a word it does not know: a caret under it and
// "unknown command." (a class without `configure` gets this for
// `configure` too: a vQFX transcript shows `edit` answered this way).
std::string unknown_command(const std::string& prompt_width_text) {
    return std::string(prompt_width_text.size(), ' ') + "^\nunknown command.\n";
}

// Statements JunOS shows with a "## SECRET-DATA" note, and as
// "/* SECRET-DATA */" to a class without the secret permission.
bool is_secret_statement(std::string_view t) {
    for (std::string_view k : {"encrypted-password", "authentication-key", "secret", "pre-shared-key", "ssh-rsa",
                               "ssh-ed25519", "ssh-ecdsa", "simple-password"})
        if (starts_with_word(t, k)) return true;
    return false;
}

std::string mark_secrets(const std::string& config, bool hide) {
    std::string out;
    for (const auto& l : split_lines(config)) {
        std::string t = trim(l);
        if (!t.empty() && t.back() == ';' && is_secret_statement(t)) {
            std::string indent = l.substr(0, l.find_first_not_of(' '));
            // The value follows the keyword ("pre-shared-key ascii-text" has two).
            size_t words = starts_with_word(t, "pre-shared-key") ? 2 : 1;
            size_t cut = 0;
            for (size_t w = 0; w < words && cut != std::string::npos; ++w) cut = t.find(' ', cut + (w ? 1 : 0));
            std::string key = cut == std::string::npos ? t.substr(0, t.size() - 1) : t.substr(0, cut);
            out += hide ? indent + key + " /* SECRET-DATA */; ## SECRET-DATA\n" : l + " ## SECRET-DATA\n";
            continue;
        }
        out += l + "\n";
    }
    return out;
}

class Junos final : public Personality {
public:
    Junos(Device& dev, std::string user, const SimClock& clock) : Personality(dev, user, clock) {
        // A root login lands in the FreeBSD shell (Netmiko juniper.py enter_cli_mode sends `cli`).
        if (user_ == "root") mode_ = Mode::shell;
    }

    ~Junos() override {
        std::lock_guard lk(dev_.mu);
        if (kind_ == Kind::exclusive && dev_.exclusive_holder == holder_id()) dev_.exclusive_holder.clear();
    }

    std::string prompt() const override {
        if (mode_ == Mode::loading || mode_ == Mode::confirm_exit) return "";
        std::string who = user_ + "@" + hostname();
        bool redundant = dev_.cli_traits().redundant;
        switch (mode_) {
            case Mode::shell: return who + "% ";
            case Mode::operational: return (redundant ? "\n{master:0}\n" : "") + who + "> ";
            case Mode::configuration:
                return "\n" + pending_note() + (redundant ? "{master:0}[edit]\n" : "[edit]\n") + who + "# ";
            case Mode::loading:
            case Mode::confirm_exit: return "";
        }
        return who + "> ";
    }

    std::string error_text(const std::string& command) const override {
        return "error: syntax error: " + command.substr(0, command.find(' ')) + "\n";
    }

    void enter_exec_mode() override {
        if (user_ == "root") mode_ = Mode::shell;
    }

    Reply line(const std::string& raw) override {
        if (mode_ == Mode::loading) {
            load_buffer_ += raw + "\n";
            return {};
        }
        std::string cmd = trim(raw);
        if (mode_ == Mode::confirm_exit) {
            if (cmd.empty() || cmd == "yes" || cmd == "y") return leave_configuration(true);
            mode_ = Mode::configuration;
            return {};
        }
        if (cmd.empty()) return {};
        if (mode_ == Mode::shell) return shell(cmd);
        if (mode_ == Mode::operational) return operational(cmd);
        return configuration(cmd);
    }

    Reply end_of_input() override {
        if (mode_ != Mode::loading) return {};
        mode_ = Mode::configuration;
        auto parsed = parse_junos(load_buffer_);
        auto lines = split_lines(load_buffer_);
        load_buffer_.clear();
        if (!parsed.ok) {
            // The shape of a real load error (vJunos-router 25.4R1 transcript in docs/device-cli.md).
            size_t n = static_cast<size_t>(parsed.error_line);
            std::string bad = n >= 1 && n <= lines.size() ? trim(lines[n - 1]) : "";
            return {"terminal:" + std::to_string(parsed.error_line) + ":(0) syntax error: " + parsed.error +
                        "\n  [edit]\n    '" + bad + "'\n      syntax error\nload complete (1 errors)\n",
                    false, true};
        }
        if (load_override_) candidate_ = std::move(parsed.tree);
        else merge_junos(candidate_, parsed.tree);
        publish();
        return {"load complete\n"};
    }

private:
    enum class Mode { shell, operational, configuration, loading, confirm_exit };
    enum class Kind { shared, exclusive, priv };

    // Every prompt shows it: parsed again only when the running config
    // changed (a 2,000-line load typed into the shell asks 2,000 times).
    std::string hostname() const {
        std::lock_guard lk(dev_.mu);
        if (!hostname_of_ || *hostname_of_ != dev_.running) {
            hostname_ = config_hostname(parse_or_empty(dev_.running), dev_.hostname());
            hostname_of_ = dev_.running;
        }
        return hostname_;
    }
    std::string holder_id() const { return user_ + "#" + std::to_string(reinterpret_cast<uintptr_t>(this)); }

    // While a commit confirmed waits, configuration mode says so before each
    // prompt (py-junos-eznc #954 transcript).
    std::string pending_note() const {
        std::lock_guard lk(dev_.mu);
        if (!dev_.pending || !dev_.pending->session.empty()) return "";
        auto left = std::chrono::duration<double>(dev_.pending->deadline - std::chrono::steady_clock::now()).count();
        long minutes = std::max(1L, static_cast<long>(left / clock_.confirm_minute_seconds + 0.999));
        return "# commit confirmed will be rolled back in " + std::to_string(minutes) + " minutes\n";
    }

    // The root shell (csh): `cli` starts the CLI, `cli -c "CMD"` runs one command.
    Reply shell(const std::string& cmd) {
        if (cmd == "cli") {
            mode_ = Mode::operational;
            return {};
        }
        if (cmd == "exit" || cmd == "logout") return {"", true, false};
        if (starts_with_word(cmd, "cli -c")) {
            std::string inner = trim(cmd.substr(6));
            if (inner.size() >= 2 && (inner.front() == '"' || inner.front() == '\'') && inner.back() == inner.front())
                inner = inner.substr(1, inner.size() - 2);
            mode_ = Mode::operational;
            Reply r = operational(inner);
            mode_ = Mode::shell;
            return r;
        }
        return {cmd.substr(0, cmd.find(' ')) + ": Command not found.\n", false, true};
    }

    Reply operational(const std::string& cmd) {
        std::string base = trim(cmd.substr(0, cmd.find('|')));
        if (base == "exit" || base == "quit" || base == "logout") {
            if (user_ == "root") {
                mode_ = Mode::shell;
                return {};
            }
            return {"", true, false};
        }
        if (starts_with_word(base, "set cli screen-length"))
            return {"Screen length set to " + trim(base.substr(22)) + "\n"};
        if (starts_with_word(base, "set cli screen-width"))
            return {"Screen width set to " + trim(base.substr(21)) + "\n"};
        if (starts_with_word(base, "set cli")) return {};
        if (base == "show configuration") {
            std::lock_guard lk(dev_.mu);
            return {show_running_locked(dev_)};
        }
        if (base == "show version") return {"Hostname: " + hostname() + "\nModel: vmx\nJunos: " + version() + "\n"};
        if (base == "configure" || base == "configure private" || base == "configure exclusive") {
            if (dev_.cli_traits().no_configure) return {unknown_command(user_ + "@" + hostname() + "> "), false, true};
            return enter_configuration(base == "configure"             ? Kind::shared
                                       : base == "configure exclusive" ? Kind::exclusive
                                                                       : Kind::priv);
        }
        return {unknown_command(user_ + "@" + hostname() + "> "), false, true};
    }

    std::string version() const {
        auto v = dev_.cli_traits().os_version;
        return v.empty() ? kVersion : v;
    }

    Reply enter_configuration(Kind kind) {
        std::lock_guard lk(dev_.mu);
        if (!dev_.exclusive_holder.empty())
            return {"error: configuration database locked by:\n  " +
                        dev_.exclusive_holder.substr(0, dev_.exclusive_holder.find('#')) + "\n",
                    false, true};
        // "You cannot enter configure private mode when the global configuration
        // has been modified" (JUNOS 8.5 CLI guide, Using the configure private Command).
        if (kind == Kind::priv && dev_.junos_shared)
            return {"error: shared configuration database modified\n", false, true};
        if (kind == Kind::exclusive) dev_.exclusive_holder = holder_id();
        kind_ = kind;
        candidate_ = parse_or_empty(kind == Kind::priv ? dev_.running : dev_.junos_shared.value_or(dev_.running));
        mode_ = Mode::configuration;
        std::string note =
            kind != Kind::priv && dev_.junos_shared ? "The configuration has been changed but not committed\n" : "";
        return {(kind == Kind::shared ? "" : "warning: uncommitted changes will be discarded on exit\n") +
                std::string("Entering configuration mode\n") + note};
    }

    // Shared and exclusive modes edit the one shared candidate.
    void publish() {
        if (kind_ == Kind::priv) return;
        std::lock_guard lk(dev_.mu);
        std::string text = render_junos(candidate_);
        if (text == dev_.running) dev_.junos_shared.reset();
        else dev_.junos_shared = text;
    }

    bool has_changes() const {
        std::lock_guard lk(dev_.mu);
        return render_junos(candidate_) != dev_.running;
    }

    Reply leave_configuration(bool discard) {
        mode_ = Mode::operational;
        std::lock_guard lk(dev_.mu);
        std::string text = "Exiting configuration mode\n";
        if (kind_ == Kind::exclusive) {
            // "Auto rollback on exiting 'configure exclusive'" (JUNOS CLI guide).
            if (discard && dev_.junos_shared) {
                dev_.junos_shared.reset();
                text = "warning: discarding uncommitted changes\nload complete\n" + text;
            }
            if (dev_.exclusive_holder == holder_id()) dev_.exclusive_holder.clear();
        }
        kind_ = Kind::shared;
        return {text};
    }

    Reply configuration(const std::string& cmd) {
        if (cmd == "exit" || cmd == "quit" || cmd == "exit configuration-mode") {
            if (!has_changes()) return leave_configuration(false);
            mode_ = Mode::confirm_exit;
            if (kind_ == Kind::exclusive)
                return {
                    "The configuration has been changed but not committed\nwarning: Auto rollback on exiting "
                    "'configure exclusive'\nDiscard uncommitted changes? [yes,no] (yes) "};
            return {
                "The configuration has been changed but not committed\nExit with uncommitted changes? [yes,no] (yes) "};
        }
        if (cmd == "top" || cmd == "up") return {};
        if (cmd == "load override terminal" || cmd == "load merge terminal") {
            load_override_ = cmd == "load override terminal";
            mode_ = Mode::loading;
            return {"[Type ^D at a new line to end input]\n"};
        }
        if (cmd == "show | compare" || cmd == "show|compare") {
            std::lock_guard lk(dev_.mu);
            return {compare_junos(parse_or_empty(dev_.running), candidate_)};
        }
        if (cmd == "show") return {render_junos(candidate_)};
        if (starts_with_word(cmd, "run")) return operational(trim(cmd.substr(3)));
        if (cmd == "commit check") {
            // `commit check` also confirms a commit confirmed (Junos for Dummies,
            // "How to confirm your Junos configuration"), except on a private copy.
            if (kind_ != Kind::priv) {
                std::lock_guard lk(dev_.mu);
                if (dev_.pending && dev_.pending->session.empty()) dev_.pending.reset();
            }
            return {"configuration check succeeds\n"};
        }
        if (auto arg = number_after(cmd, "commit confirmed")) {
            // py-junos-eznc #954; JUNOS 8.5 CLI guide: not in configure private.
            if (kind_ == Kind::priv)
                return {"error: commit confirmed not supported for private configuration\n", false, true};
            int minutes = *arg < 0 ? 10 : *arg;
            commit(std::chrono::duration<double>(minutes * clock_.confirm_minute_seconds));
            std::string n = std::to_string(minutes);
            return {"configuration check succeeds\ncommit confirmed will be automatically rolled back in " + n +
                    " minutes unless confirmed\ncommit complete\n"};
        }
        if (cmd == "commit" || cmd == "commit and-quit" || starts_with_word(cmd, "commit comment")) {
            if (kind_ == Kind::priv) {
                std::lock_guard lk(dev_.mu);
                // A private copy commits only onto an unmodified shared database (JUNOScript guide,
                // commit-configuration).
                if (dev_.junos_shared) return {"error: configuration database modified\n", false, true};
            }
            commit(std::nullopt);
            if (cmd == "commit and-quit")
                return {"configuration check succeeds\ncommit complete\n" + leave_configuration(false).text};
            return {"configuration check succeeds\ncommit complete\n"};
        }
        if (auto arg = number_after(cmd, "rollback")) {
            size_t n = *arg < 0 ? 0 : static_cast<size_t>(*arg);
            {
                std::lock_guard lk(dev_.mu);
                if (n == 0) candidate_ = parse_or_empty(dev_.running);
                else if (n <= dev_.history.size()) candidate_ = parse_or_empty(dev_.history[n - 1]);
                else return {"error: Cannot rollback, file not found\n", false, true};
            }
            publish();
            return {"load complete\n"};
        }
        if (starts_with_word(cmd, "set") || starts_with_word(cmd, "delete"))
            return {"error: the simulator supports only load override|merge terminal\n", false, true};
        return {unknown_command(user_ + "@" + hostname() + "# "), false, true};
    }

    // A commit (not confirmed) also confirms a pending `commit confirmed`,
    // except a private copy without changes, which commits nothing.
    void commit(std::optional<std::chrono::duration<double>> confirm_within) {
        before_commit();
        if (int ms = dev_.cli_traits().commit_delay_ms; ms > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        std::lock_guard lk(dev_.mu);
        std::string previous = dev_.running;
        std::string next = render_junos(candidate_);
        bool changed = next != dev_.running;
        if (kind_ == Kind::priv && !changed && !confirm_within) return;
        if (changed || confirm_within) dev_.commit_locked(std::move(next), user_);
        if (kind_ != Kind::priv) dev_.junos_shared.reset();
        if (confirm_within) {
            auto deadline = std::chrono::steady_clock::now() +
                            std::chrono::duration_cast<std::chrono::steady_clock::duration>(*confirm_within);
            // A second commit confirmed extends the timer but keeps the original rollback point.
            std::string restore = dev_.pending ? dev_.pending->previous : previous;
            dev_.pending = PendingRollback{deadline, restore, ""};
        } else {
            dev_.pending.reset();
        }
    }

    Mode mode_ = Mode::operational;
    Kind kind_ = Kind::shared;
    JTree candidate_;
    std::string load_buffer_;
    bool load_override_ = true;
    mutable std::optional<std::string> hostname_of_;  // the running config hostname_ was read from
    mutable std::string hostname_;
};

}  // namespace

std::string junos_canonical(std::string_view text) {
    auto parsed = parse_junos(text);
    if (!parsed.ok)
        throw std::invalid_argument("junos config line " + std::to_string(parsed.error_line) + ": " + parsed.error);
    return render_junos(parsed.tree);
}

std::string junos_show(const Device& dev, const std::string& config) {
    const auto& cli = dev.spec().cli;  // caller holds dev.mu
    return "## Last commit: " + dev.last_commit + " by " + dev.last_commit_user + "\nversion " +
           (cli.os_version.empty() ? std::string(kVersion) : cli.os_version) + ";\n" +
           mark_secrets(config, cli.no_secret);
}

std::unique_ptr<Personality> make_junos(Device& dev, const std::string& user, const SimClock& clock) {
    return std::make_unique<Junos>(dev, user, clock);
}

}  // namespace sim
