// A driver speaks one platform's CLI (docs/device-cli.md) over a DeviceCli:
// read the running config, load a candidate (full replace), show the
// device's own diff of it, commit (optionally with a confirm timer), confirm,
// discard, roll back. One driver object serves one connection, one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devices/defaults.h"
#include "devices/device_cli.h"
#include "devices/errors.h"
#include "devices/inventory.h"
#include "devices/pattern.h"
#include "devices/pending_commit.h"

namespace switchyard::devices {

// What a driver needs beyond the CLI. Never logged: enable_secret is a credential.
struct DriverOptions {
    std::string enable_secret;  // eos: answer to `enable`'s "Password:" (empty: the login password is not sent)
    std::chrono::milliseconds commit_timeout = defaults::kCommitTimeout;
};

// A commit that did not answer within the commit timeout: it may still
// complete on the device. For a commit with a confirm timer, `pending` says
// what to confirm or roll back, so that the commit is never lost.
class CommitTimeoutError : public TimeoutError {
public:
    CommitTimeoutError(const std::string& what, std::optional<PendingCommit> pending)
        : TimeoutError(what), pending_(std::move(pending)) {}
    const std::optional<PendingCommit>& pending() const { return pending_; }

private:
    std::optional<PendingCommit> pending_;
};

class Driver {
public:
    virtual ~Driver() = default;
    virtual Platform platform() const = 0;

    // The running config as the device prints it (normalise before comparing).
    virtual std::string running_config() = 0;
    // Stages `config` to replace the whole running config; nothing applies yet.
    // Reads the running config first: frr's change set starts from it, and
    // commit_confirmed() hands it back as the config to roll back to.
    void load_candidate(const std::string& config) { stage(config, std::nullopt); }
    // The same from `running`, the running config the caller has just read
    // on this connection (running_config()) and that nothing changed since
    // (the caller holds the device's lock): the device is not read again.
    // A recovery reads each device once to know where it stands, and pushes
    // from that read.
    void load_candidate(const std::string& config, std::string running) { stage(config, std::move(running)); }
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
    // True when the device itself rolls a commit_confirmed() back once its
    // timer runs out (eos, junos); false when the caller must (frr: the
    // change journal's confirm timer, tasks/roll_back_unconfirmed.cpp).
    // Known before the commit: the timer must be durable before it.
    virtual bool enforces_confirm_timer() const { return true; }
    // Drops the candidate; the running config is untouched.
    virtual void discard() = 0;
    // Returns to the config before `pending` right now (full replace).
    virtual void rollback(const PendingCommit& pending);

private:
    // Both load_candidate(): the platform's staging, from `running` when the
    // caller has read it, else from the running config the driver reads.
    virtual void stage(const std::string& config, std::optional<std::string> running) = 0;
};

// The driver for `platform` talking through `cli` (which must outlive it).
std::unique_ptr<Driver> make_driver(Platform platform, DeviceCli& cli, DriverOptions options = {});

// The prompt of every CLI mode of the platform, matched against the last,
// unfinished line of output.
Pattern prompt_pattern(Platform platform);

// The first line of `output` that is one of the platform's error messages
// (docs/device-cli.md lists them per platform), if any. Only the specific
// texts count: a banner line "% Authorized use only" is no error.
std::optional<std::string> error_line(Platform platform, const std::string& output);

// Throws CommandError naming `command` when error_line() finds one.
void check_output(Platform platform, const std::string& device, const std::string& command, const std::string& output);

// check_output() for each of the first `count` of `lines` typed ahead
// (DeviceCli::shell_typed_ahead) with what each printed (`outputs`).
void check_outputs(Platform platform, const std::string& device, const std::vector<std::string>& lines,
                   const std::vector<std::string>& outputs, std::size_t count = SIZE_MAX);

// The lines a device rejected in one load typed ahead (eos, frr): the load
// goes on past a rejected line, so the error names the first, by its text
// and its place ("line 12 of the config"), and says how many there were.
class RejectedLines {
public:
    void add(std::string_view line, const std::string& place, const std::string& error);
    // Throws CommandError: "device D rejected 'LINE' (PLACE): ERROR (N lines
    // rejected in all)".
    void throw_if_any(const std::string& device) const;

private:
    std::size_t count_ = 0;
    std::string first_;
};

// Throws CommandError when `config` holds a control character other than
// tab: typed into a CLI, ^C or ^D would cut a load short and run the rest
// as commands (issue 9 item 9).
void check_typeable(const std::string& device, const std::string& config);

}  // namespace switchyard::devices
