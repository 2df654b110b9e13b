// Arista EOS: configuration sessions give a real candidate. Sessions belong
// to the device, not to our SSH channel, and at most five may be pending,
// so every session we open is aborted on any failure, and our own pending
// sessions left by a dropped connection are aborted before a new one opens.
// load_candidate() opens `configure session NAME`, empties it (`rollback
// clean-config`) and types the full config ahead in bounded chunks, one
// round trip each, blaming a rejected line by its echo (heredoc commands in
// one write up to their EOF lines); the session's own diff; `commit` or `commit timer`,
// confirmed by `configure session NAME commit` after checking that NAME's
// timer still runs. docs/device-cli.md has the sources.
#pragma once

#include <optional>
#include <vector>

#include "devices/driver.h"

namespace switchyard::devices {

// What `show configuration sessions detail | json` says, in either format
// (before EOS 4.32 and after, napalm#2166).
struct EosSessionState {
    std::vector<std::string> pending;          // typed, not committed
    std::optional<std::string> timer_session;  // committed with a commit timer still running
};
// Throws std::invalid_argument on text that is not that JSON document.
EosSessionState parse_eos_sessions(const std::string& json_text);

class EosDriver : public Driver {
public:
    EosDriver(DeviceCli& cli, DriverOptions options) : cli_(cli), options_(std::move(options)) {}
    Platform platform() const override { return Platform::eos; }
    std::string running_config() override;
    std::string candidate_diff() override;
    void commit() override;
    PendingCommit commit_confirmed(std::chrono::seconds timer) override;
    void confirm(const PendingCommit& pending) override;
    void discard() override;
    // With the commit timer still running, `configure session NAME abort`
    // rolls back at once; otherwise a full replace with the old config.
    void rollback(const PendingCommit& pending) override;

    // "sy" and six hex digits: unique enough per device, short enough for
    // EOS to show whole in the prompt.
    static std::string new_session_name();
    static bool is_our_session_name(const std::string& name);

private:
    std::string run(const std::string& line);
    void stage(const std::string& config, std::optional<std::string> running) override;
    void open_shell();
    void enable();
    EosSessionState session_state();
    void abort_stale_sessions();
    void type_config(const std::string& config);
    void open_session();
    bool type_delta(const std::string& config);
    std::string run_commit(const std::string& line, const std::optional<PendingCommit>& pending);
    // Best effort: leaves whatever mode we are in and aborts the session
    // from the top (ansible#36979: `abort` in a sub-mode only exits it).
    void abort_session() noexcept;
    void require_session(const char* what) const;

    DeviceCli& cli_;
    DriverOptions options_;
    bool shell_ready_ = false;
    std::string session_;
    std::string previous_;
};

}  // namespace switchyard::devices
