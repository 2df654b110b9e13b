// Arista EOS: unprivileged/enable modes, `configure terminal` (direct) and
// configuration sessions (candidate, diffs, commit, commit timer, abort).
#include <map>
#include <optional>
#include <sstream>

#include "cli_contexts.h"
#include "config_tree.h"
#include "personality.h"
#include "text_diff.h"

namespace sim {

namespace {

bool eos_skip(std::string_view t) { return t[0] == '!' || t == "end"; }


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
    render_kids(k.kids, depth + 1, out);
  }
}

class Eos final : public Personality {
 public:
  using Personality::Personality;

  std::string prompt() const override {
    std::string h = hostname();
    switch (mode_) {
      case Mode::unprivileged: return h + ">";
      case Mode::enable: return h + "#";
      case Mode::config: return h + "(config" + context_suffix() + ")#";
      case Mode::session: return h + "(config-s-" + session_.substr(0, 6) + context_suffix() + ")#";
    }
    return h + "#";
  }

  std::string error_text(const std::string&) const override { return "% Invalid input\n"; }
  void enter_exec_mode() override { mode_ = Mode::enable; }

  Reply line(const std::string& raw) override {
    std::string cmd = trim(raw);
    if (cmd.empty() || cmd[0] == '!') return {};
    if (auto r = common_command(cmd)) return *r;
    switch (mode_) {
      case Mode::unprivileged: return unprivileged_command(cmd);
      case Mode::enable: return enable_command(cmd);
      case Mode::config:
      case Mode::session: return config_command(cmd, raw);
    }
    return {};
  }

 private:
  enum class Mode { unprivileged, enable, config, session };

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
    if (starts_with_word(base, "terminal")) return Reply{};
    if (base == "show version")
      return Reply{"Arista vEOS-lab\nHardware version:\nSoftware image version: 4.30.1F\nArchitecture: x86_64\n"};
    if (mode_ == Mode::unprivileged) return std::nullopt;
    if (base == "show running-config" || base == "show running-config all" || base == "show run") {
      std::lock_guard lk(dev_.mu);
      return Reply{show_running_locked(dev_)};
    }
    if (base == "write memory" || base == "write" || base == "copy running-config startup-config")
      return Reply{"Copy completed successfully.\n"};
    if (base == "show configuration sessions") {
      std::string out = "Maximum number of completed sessions: 1\nMaximum number of pending sessions: 5\n\n"
                        "  Name       State        User    Terminal\n  ---------- ------------ ------- --------\n";
      for (const auto& [name, tree] : sessions_) out += "  " + name + "    pending\n";
      return Reply{out};
    }
    return std::nullopt;
  }

  Reply unprivileged_command(const std::string& cmd) {
    if (cmd == "enable" || cmd == "en") {
      mode_ = Mode::enable;
      return {};
    }
    if (cmd == "exit" || cmd == "logout" || cmd == "quit") return {"", true, false};
    if (starts_with_word(cmd, "show") || starts_with_word(cmd, "configure"))
      return {"% Invalid input (privileged mode required)\n", false, true};
    return {error_text(cmd), false, true};
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
      if (action == "commit") return confirm_pending(name);
      if (action == "abort") {
        sessions_.erase(name);
        return {};
      }
      if (!sessions_.count(name)) {
        std::lock_guard lk(dev_.mu);
        sessions_[name] = parse_indented(dev_.running, eos_skip);
      }
      session_ = name;
      mode_ = Mode::session;
      ctx_.clear();
      return {};
    }
    return {error_text(cmd), false, true};
  }

  // `configure session NAME commit` before the timer expires keeps the change.
  Reply confirm_pending(const std::string& name) {
    std::lock_guard lk(dev_.mu);
    if (dev_.pending && dev_.pending->session == name) {
      dev_.pending.reset();
      return {};
    }
    return {"% Session " + name + " has no pending commit timer\n", false, true};
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
    if (mode_ == Mode::session) {
      if (auto r = session_command(cmd)) return *r;
      apply_config_line(sessions_[session_], ctx_, rtrim(raw), eos_rules());
      return {};
    }
    std::lock_guard lk(dev_.mu);
    CfgTree tree = parse_indented(dev_.running, eos_skip);
    apply_config_line(tree, ctx_, rtrim(raw), eos_rules());
    std::string next = render_plain(tree, 3);
    if (next != dev_.running) dev_.commit_locked(std::move(next), user_);
    return {};
  }

  std::optional<Reply> session_command(const std::string& cmd) {
    CfgTree& candidate = sessions_[session_];
    if (cmd == "rollback clean-config") {
      candidate.clear();
      ctx_.clear();
      return Reply{};
    }
    if (cmd == "show session-config diffs" || cmd == "show session-config diff") {
      std::lock_guard lk(dev_.mu);
      std::string hunks = unified_hunks(eos_show(dev_, dev_.running, false),
                                        eos_show(dev_, render_plain(candidate, 3), false));
      if (hunks.empty()) return Reply{};
      return Reply{"--- system:/running-config\n+++ session:/" + session_ + "-session-config\n" + hunks};
    }
    if (cmd == "show session-config") {
      std::lock_guard lk(dev_.mu);
      return Reply{eos_show(dev_, render_plain(candidate, 3), true)};
    }
    if (cmd == "abort") {
      sessions_.erase(session_);
      mode_ = Mode::enable;
      ctx_.clear();
      return Reply{};
    }
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
    std::string next = render_plain(sessions_[session_], 3);
    {
      std::lock_guard lk(dev_.mu);
      std::string previous = dev_.running;
      dev_.commit_locked(std::move(next), user_);
      if (timer) dev_.pending = PendingRollback{std::chrono::steady_clock::now() + *timer, previous, session_};
    }
    sessions_.erase(session_);
    mode_ = Mode::enable;
    ctx_.clear();
  }

  Mode mode_ = Mode::unprivileged;
  std::vector<std::string> ctx_;
  std::string session_;
  std::map<std::string, CfgTree> sessions_;
  int auto_session_ = 0;
};

}  // namespace

std::string eos_canonical(std::string_view text) {
  return render_plain(parse_indented(text, eos_skip), 3);
}

std::string eos_show(const Device& dev, const std::string& config, bool header) {
  std::string out;
  if (header)
    out = "! Command: show running-config\n! device: " + top_level_value(config, "hostname", dev.hostname()) +
          " (vEOS-lab, EOS-4.30.1F)\n!\n! boot system flash:/vEOS-lab.swi\n!\n";
  const CfgNode* prev = nullptr;
  for (const auto& n : parse_indented(config, eos_skip)) {
    // EOS separates sections with "!": around blocks and between kinds of lines.
    if (prev && (!n.kids.empty() || !prev->kids.empty() || first_word(n.text) != first_word(prev->text)))
      out += "!\n";
    out += n.text + "\n";
    render_kids(n.kids, 1, out);
    prev = &n;
  }
  return out + "!\nend\n";
}

std::unique_ptr<Personality> make_eos(Device& dev, const std::string& user, const SimClock& clock) {
  return std::make_unique<Eos>(dev, user, clock);
}

}  // namespace sim
