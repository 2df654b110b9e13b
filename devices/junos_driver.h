// Juniper JunOS: `show configuration` on an exec channel (through `cli -c`
// for a root login, whose exec channel is the FreeBSD shell); in the shell
// (`cli` first for root), `configure exclusive` (commit confirmed is refused
// in `configure private`), `load override terminal` (full replace, ended by
// Ctrl-D), `show | compare`, `commit check` + `commit`, or `commit confirmed
// N` confirmed later in exclusive mode. Commits get the commit timeout.
// docs/device-cli.md has the sources.
#pragma once

#include <optional>

#include "devices/driver.h"

namespace switchyard::devices {

class JunosDriver : public Driver {
public:
    JunosDriver(DeviceCli& cli, DriverOptions options);
    Platform platform() const override { return Platform::junos; }
    std::string running_config() override;
    std::string candidate_diff() override;
    void commit() override;
    PendingCommit commit_confirmed(std::chrono::seconds timer) override;
    void confirm(const PendingCommit& pending) override;
    void discard() override;

    // Output without what JunOS prints around prompts: "[edit]"
    // banners, "{master:0}" / "{backup}" context lines, and the "# commit
    // confirmed will be rolled back" note.
    static std::string drop_context_lines(const std::string& out);

private:
    std::string run(const std::string& line);
    void stage(const std::string& config, std::optional<std::string> running) override;
    std::string run_commit(const std::string& line, const std::optional<PendingCommit>& pending);
    void open_shell();
    void enter_config();
    void leave_config();
    std::string load(const std::string& text);

    DeviceCli& cli_;
    DriverOptions options_;
    Pattern exit_question_;
    bool shell_ready_ = false;
    bool in_config_ = false;
    bool exec_via_cli_ = false;  // root: exec channels run `cli -c "..."`
    std::string previous_;
};

}  // namespace switchyard::devices
