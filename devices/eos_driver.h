// Arista EOS: configuration sessions give a real candidate. load_candidate()
// opens `configure session NAME`, empties it (`rollback clean-config`) and
// types the full config; the session's own diff, `commit` or
// `commit timer`, and `configure session NAME commit` to confirm.
#pragma once

#include "devices/driver.h"

namespace switchyard::devices {

class EosDriver : public Driver {
public:
    explicit EosDriver(DeviceCli& cli) : cli_(cli) {}
    Platform platform() const override { return Platform::eos; }
    std::string running_config() override;
    void load_candidate(const std::string& config) override;
    std::string candidate_diff() override;
    void commit() override;
    PendingCommit commit_confirmed(std::chrono::seconds timer) override;
    void confirm(const PendingCommit& pending) override;
    void discard() override;

    // "sy" and six hex digits: unique enough per device, short enough for
    // EOS to show whole in the prompt.
    static std::string new_session_name();

private:
    std::string run(const std::string& line);
    void require_session(const char* what) const;

    DeviceCli& cli_;
    bool shell_ready_ = false;
    std::string session_;
    std::string previous_;
};

}  // namespace switchyard::devices
