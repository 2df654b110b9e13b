// Juniper JunOS: operational mode, private/exclusive configuration mode with
// a candidate, `load override|merge terminal` ended by Ctrl-D, `show |
// compare`, commit check, commit confirmed N (rolls back unless confirmed),
// rollback N, and the exit-with-uncommitted-changes question.
#include <optional>

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

class Junos final : public Personality {
 public:
  using Personality::Personality;

  ~Junos() override {
    std::lock_guard lk(dev_.mu);
    if (exclusive_ && dev_.exclusive_holder == holder_id()) dev_.exclusive_holder.clear();
  }

  std::string prompt() const override {
    std::string who = user_ + "@" + hostname();
    switch (mode_) {
      case Mode::operational: return who + "> ";
      case Mode::configuration: return "\n[edit]\n" + who + "# ";
      case Mode::loading:
      case Mode::confirm_exit: return "";
    }
    return who + "> ";
  }

  std::string error_text(const std::string& command) const override {
    return "error: syntax error: " + command.substr(0, command.find(' ')) + "\n";
  }

  Reply line(const std::string& raw) override {
    if (mode_ == Mode::loading) {
      load_buffer_ += raw + "\n";
      return {};
    }
    std::string cmd = trim(raw);
    if (mode_ == Mode::confirm_exit) {
      if (cmd.empty() || cmd == "yes" || cmd == "y") return leave_configuration();
      mode_ = Mode::configuration;
      return {};
    }
    if (cmd.empty()) return {};
    if (mode_ == Mode::operational) return operational(cmd);
    return configuration(cmd);
  }

  Reply end_of_input() override {
    if (mode_ != Mode::loading) return {};
    mode_ = Mode::configuration;
    auto parsed = parse_junos(load_buffer_);
    load_buffer_.clear();
    if (!parsed.ok)
      return {"terminal:" + std::to_string(parsed.error_line) + ": syntax error: " + parsed.error +
                  "\nerror: syntax error\nload complete (1 errors)\n",
              false, true};
    if (load_override_) candidate_ = std::move(parsed.tree);
    else merge_junos(candidate_, parsed.tree);
    return {"load complete\n"};
  }

 private:
  enum class Mode { operational, configuration, loading, confirm_exit };

  std::string hostname() const {
    std::lock_guard lk(dev_.mu);
    return config_hostname(parse_or_empty(dev_.running), dev_.hostname());
  }
  std::string holder_id() const { return user_ + "#" + std::to_string(reinterpret_cast<uintptr_t>(this)); }

  Reply operational(const std::string& cmd) {
    std::string base = trim(cmd.substr(0, cmd.find('|')));
    if (base == "exit" || base == "quit" || base == "logout") return {"", true, false};
    if (starts_with_word(base, "set cli screen-length")) return {"Screen length set to " + trim(base.substr(22)) + "\n"};
    if (starts_with_word(base, "set cli screen-width")) return {"Screen width set to " + trim(base.substr(21)) + "\n"};
    if (starts_with_word(base, "set cli")) return {};
    if (base == "show configuration") {
      std::lock_guard lk(dev_.mu);
      return {show_running_locked(dev_)};
    }
    if (base == "show version")
      return {"Hostname: " + hostname() + "\nModel: vmx\nJunos: " + kVersion + "\n"};
    if (base == "configure" || base == "configure private" || base == "configure exclusive")
      return enter_configuration(base == "configure exclusive");
    return {"error: unknown command: " + base + "\n", false, true};
  }

  Reply enter_configuration(bool exclusive) {
    std::lock_guard lk(dev_.mu);
    if (!dev_.exclusive_holder.empty())
      return {"error: configuration database locked by:\n  " +
                  dev_.exclusive_holder.substr(0, dev_.exclusive_holder.find('#')) + "\n",
              false, true};
    if (exclusive) dev_.exclusive_holder = holder_id();
    exclusive_ = exclusive;
    candidate_ = parse_or_empty(dev_.running);
    mode_ = Mode::configuration;
    return {exclusive ? "Entering configuration mode\n"
                      : "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n"};
  }

  bool has_changes() const {
    std::lock_guard lk(dev_.mu);
    return render_junos(candidate_) != dev_.running;
  }

  Reply leave_configuration() {
    mode_ = Mode::operational;
    std::lock_guard lk(dev_.mu);
    if (exclusive_ && dev_.exclusive_holder == holder_id()) dev_.exclusive_holder.clear();
    exclusive_ = false;
    return {"Exiting configuration mode\n"};
  }

  Reply configuration(const std::string& cmd) {
    if (cmd == "exit" || cmd == "quit" || cmd == "exit configuration-mode") {
      if (!has_changes()) return leave_configuration();
      mode_ = Mode::confirm_exit;
      return {"The configuration has been changed but not committed\nExit with uncommitted changes? [yes,no] (yes) "};
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
    if (cmd == "commit check") return {"configuration check succeeds\n"};
    if (auto arg = number_after(cmd, "commit confirmed")) {
      int minutes = *arg < 0 ? 10 : *arg;
      commit(std::chrono::duration<double>(minutes * clock_.confirm_minute_seconds));
      std::string n = std::to_string(minutes);
      return {"configuration check succeeds\ncommit confirmed will be automatically rolled back in " + n +
              " minutes unless confirmed\ncommit complete\n\n# commit confirmed will be rolled back in " + n +
              " minutes\n"};
    }
    if (cmd == "commit" || cmd == "commit and-quit" || starts_with_word(cmd, "commit comment")) {
      commit(std::nullopt);
      if (cmd == "commit and-quit") return {"configuration check succeeds\ncommit complete\n" +
                                            leave_configuration().text};
      return {"configuration check succeeds\ncommit complete\n"};
    }
    if (auto arg = number_after(cmd, "rollback")) {
      size_t n = *arg < 0 ? 0 : static_cast<size_t>(*arg);
      std::lock_guard lk(dev_.mu);
      if (n == 0) candidate_ = parse_or_empty(dev_.running);
      else if (n <= dev_.history.size()) candidate_ = parse_or_empty(dev_.history[n - 1]);
      else return {"error: Cannot rollback, file not found\n", false, true};
      return {"load complete\n"};
    }
    if (starts_with_word(cmd, "set") || starts_with_word(cmd, "delete"))
      return {"error: the simulator supports only load override|merge terminal\n", false, true};
    return {error_text(cmd), false, true};
  }

  // A plain commit also confirms a pending `commit confirmed`.
  void commit(std::optional<std::chrono::duration<double>> confirm_within) {
    before_commit();
    std::lock_guard lk(dev_.mu);
    std::string previous = dev_.running;
    std::string next = render_junos(candidate_);
    if (next != dev_.running || confirm_within) dev_.commit_locked(std::move(next), user_);
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
  JTree candidate_;
  std::string load_buffer_;
  bool load_override_ = true;
  bool exclusive_ = false;
};

}  // namespace

std::string junos_canonical(std::string_view text) {
  auto parsed = parse_junos(text);
  if (!parsed.ok) throw std::invalid_argument("junos config line " + std::to_string(parsed.error_line) + ": " + parsed.error);
  return render_junos(parsed.tree);
}

std::string junos_show(const Device& dev, const std::string& config) {
  return "## Last commit: " + dev.last_commit + " by " + dev.last_commit_user + "\nversion " + kVersion + ";\n" +
         config;
}

std::unique_ptr<Personality> make_junos(Device& dev, const std::string& user, const SimClock& clock) {
  return std::make_unique<Junos>(dev, user, clock);
}

}  // namespace sim
