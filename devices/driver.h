// A driver speaks one platform's CLI (docs/device-cli.md) over a DeviceCli:
// read the running config, load a candidate (full replace), show the
// device's own diff of it, commit (optionally with a confirm timer), confirm,
// discard, roll back. One driver object serves one connection, one thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "devices/device_cli.h"
#include "devices/inventory.h"
#include "devices/pattern.h"
#include "devices/pending_commit.h"

namespace switchyard::devices {

class Driver {
public:
    virtual ~Driver() = default;
    virtual Platform platform() const = 0;

    // The running config as the device prints it (normalise before comparing).
    virtual std::string running_config() = 0;
    // Stages `config` to replace the whole running config; nothing applies yet.
    virtual void load_candidate(const std::string& config) = 0;
    // The device's own view of what the candidate changes (eos session diff,
    // junos `show | compare`, frr the change set it will type). Empty when
    // nothing would change.
    virtual std::string candidate_diff() = 0;
    // Applies the candidate and saves it as the startup config.
    virtual void commit() = 0;
    // Applies the candidate; unless confirm() follows within `timer`, the
    // device returns to the previous config.
    virtual PendingCommit commit_confirmed(std::chrono::seconds timer) = 0;
    virtual void confirm(const PendingCommit& pending) = 0;
    // Drops the candidate; the running config is untouched.
    virtual void discard() = 0;
    // Returns to the config before `pending` right now (full replace).
    virtual void rollback(const PendingCommit& pending);
};

// The driver for `platform` talking through `cli` (which must outlive it).
std::unique_ptr<Driver> make_driver(Platform platform, DeviceCli& cli);

// The prompt of every CLI mode of the platform, matched against the last,
// unfinished line of output.
Pattern prompt_pattern(Platform platform);

// Throws CommandError when `output` carries the platform's error marker
// (`% ` for frr and eos, `error:` / `syntax error` for junos).
void check_output(Platform platform, const std::string& device, const std::string& command, const std::string& output);

}  // namespace switchyard::devices
