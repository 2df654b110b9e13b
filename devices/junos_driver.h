// Juniper JunOS: `show configuration` on an exec channel; `configure private`, `load override terminal` (full
// replace, ended by Ctrl-D), `show | compare`, `commit check` + `commit`, or
// `commit confirmed N` confirmed by a later plain `commit`.
#pragma once

#include "devices/driver.h"

namespace switchyard::devices {

class JunosDriver : public Driver {
public:
    explicit JunosDriver(DeviceCli& cli);
    Platform platform() const override { return Platform::junos; }
    std::string running_config() override;
    void load_candidate(const std::string& config) override;
    std::string candidate_diff() override;
    void commit() override;
    PendingCommit commit_confirmed(std::chrono::seconds timer) override;
    void confirm(const PendingCommit& pending) override;
    void discard() override;

private:
    std::string run(const std::string& line);
    void enter_config();
    void leave_config();

    DeviceCli& cli_;
    Pattern exit_question_;
    bool shell_ready_ = false;
    bool in_config_ = false;
    std::string previous_;
};

}  // namespace switchyard::devices
