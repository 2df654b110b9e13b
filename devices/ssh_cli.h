// DeviceCli over one SshSession: exec channels per command, and one
// interactive shell opened on first use with the platform's prompt pattern.
#pragma once

#include <memory>
#include <optional>

#include "devices/device_cli.h"
#include "devices/ssh_session.h"
#include "devices/ssh_shell.h"

namespace switchyard::devices {

class SshCli : public DeviceCli {
public:
    // `session` must be connected and outlive this object.
    SshCli(SshSession& session, Pattern prompt);

    ExecOutput exec(const std::string& command) override;
    std::string shell(const std::string& line, std::optional<std::chrono::milliseconds> timeout = {}) override;
    std::vector<std::string> shell_typed_ahead(const std::vector<std::string>& lines,
                                               std::optional<std::chrono::milliseconds> timeout = {}) override;
    std::string shell_raw(const std::string& text, const std::vector<const Pattern*>& also) override;
    std::size_t matched() const override { return matched_; }
    std::string prompt() override;
    const std::string& device() const override { return session_.endpoint().hostname; }

private:
    SshShell& open();

    SshSession& session_;
    Pattern prompt_;
    std::unique_ptr<SshShell> shell_;
    std::size_t matched_ = 0;
};

}  // namespace switchyard::devices
