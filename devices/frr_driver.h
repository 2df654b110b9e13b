// FRRouting (vtysh). No candidate config on the device: load_candidate()
// computes the frr-reload style change set against the running config, and
// commit() types it in one `configure terminal` ... `end`, then
// `write memory`. Commit-confirm is emulated: the startup config is only
// written on confirm(), and rollback() applies the reverse change set.
#pragma once

#include <optional>

#include "devices/driver.h"
#include "devices/frr_changeset.h"

namespace switchyard::devices {

// The config in vtysh's `show running-config` output, from its header
// ("Building configuration...", "Current configuration:") on: what came
// before it (a login shell's noise, a banner) cut off. DeviceError when
// the output has no such header.
std::string frr_config_from_show(const std::string& device, const std::string& out);

class FrrDriver : public Driver {
public:
    explicit FrrDriver(DeviceCli& cli) : cli_(cli) {}
    Platform platform() const override { return Platform::frr; }
    std::string running_config() override;
    std::string candidate_diff() override;
    void commit() override;
    PendingCommit commit_confirmed(std::chrono::seconds timer) override;
    bool enforces_confirm_timer() const override { return false; }
    void confirm(const PendingCommit& pending) override;
    void discard() override;

private:
    void stage(const std::string& config, std::optional<std::string> running) override;
    std::string run(const std::string& line);
    void configure_terminal();
    void type_changes(const FrrChangeSet& changes);
    // A rejected negation retried shorter (frr-reload's way); false when
    // every shorter form was rejected too.
    bool retry_shorter(const FrrTypedLine& line);
    void apply();
    void write_memory();

    DeviceCli& cli_;
    bool shell_ready_ = false;
    std::optional<FrrChangeSet> changes_;
    std::string previous_;
};

}  // namespace switchyard::devices
