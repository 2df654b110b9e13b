// Every default of the devices library in one place. The service's settings
// (service/settings.def) take theirs from here, so the library used on its
// own and the service behave alike; nothing below hard-codes a value.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "devices/confirm_mode.h"
#include "devices/host_key_policy.h"
#include "devices/recovery_target.h"

namespace switchyard::devices::defaults {

using namespace std::chrono_literals;

inline constexpr std::uint16_t kSshPort = 22;

// SSH session
inline constexpr std::chrono::seconds kConnectTimeout = 10s;
inline constexpr std::chrono::seconds kCommandTimeout = 60s;
inline constexpr std::chrono::seconds kKeepaliveInterval = 15s;
// accept-new: the first key seen is remembered, a changed one refused.
inline constexpr HostKeyPolicy kHostKeyPolicy = HostKeyPolicy::accept_new;
inline constexpr int kPtyColumns = 200;  // docs/device-cli.md: PTY of 200 columns
inline constexpr int kPtyRows = 48;
// What one command may print before the device fails (a device that never
// stops sending); service settings: ssh.max_output_mib.
inline constexpr std::size_t kMaxOutputBytes = std::size_t{32} << 20;
// A prompt is the unfinished last line of output; only its last this many
// bytes are matched (a prompt is far shorter), so a 400,000-character line
// costs no more than a short one.
inline constexpr std::size_t kPromptWindow = 1024;

// Fan-out pool
inline constexpr int kConcurrency = 50;
inline constexpr std::chrono::seconds kDeviceDeadline = 300s;
inline constexpr int kMaxAttempts = 3;                             // first try + 2 retries of a transient failure
inline constexpr std::chrono::milliseconds kRetryBackoff = 250ms;  // doubled per retry

// Drivers
inline constexpr std::chrono::seconds kConfirmTimer = 300s;  // commit-confirm window
// A commit may take far longer than other commands (Netmiko juniper.py
// commit(read_timeout=120.0)); it gets this long before it counts as lost.
inline constexpr std::chrono::seconds kCommitTimeout = 120s;
inline constexpr std::size_t kDiffContext = 3;  // unified diff context lines
// An eos load types the config ahead in chunks of at most this many lines
// and bytes (one round trip per chunk, not per line; docs/device-cli.md,
// "eos"). A chunk's echo and prompts stay well under an SSH channel's
// initial window (libssh channels.c: CHANNEL_INITIAL_WINDOW 64000), so the
// device never waits for us to read while we still write, and the output
// read per chunk stays small.
inline constexpr std::size_t kTypeAheadLines = 256;
inline constexpr std::size_t kTypeAheadBytes = 16 * 1024;
// Closed change journal entries are kept this long (they hold configs, which
// may hold secrets; what stays is in config history).
inline constexpr int kChangeJournalKeepDays = 30;
// A device left mid-change goes back to its config before.
inline constexpr RecoveryTarget kOnInterrupted = RecoveryTarget::rollback;
// A live sync whose request names no confirm_mode: CNaaS-NMS's own default,
// 1 (src/cnaas_nms/app_settings.py: `COMMIT_CONFIRMED_MODE: int = 1`, and
// `config.get("commit_confirmed_mode", 1)`; sync_devices.py get_confirm_mode()
// falls back to 1 as well).
inline constexpr ConfirmMode kDefaultConfirmMode = ConfirmMode::confirm_on_reconnect;

// Job results (issue 16): a device's diff up to this size is kept in the
// job's result; a larger one is stored whole beside it (devices/job_texts.h)
// and the result holds its first kDiffSummaryLines lines, its size and its id.
inline constexpr int kResultDiffMaxBytes = 64 * 1024;
// ... and all of a job's diffs together up to this: past it, each further
// diff is stored beside the result as a larger one is. Without it 10,000
// devices of 36 KB diffs made a result over what PostgreSQL stores in one
// jsonb (256 MB); with it a result grows by its summary lines per device.
inline constexpr int kResultDiffsMaxBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kDiffSummaryLines = 20;
// ... and of those lines at most this many bytes: a summary holds no line of
// a megabyte, and the job can make it again from the stored diff's first
// characters only (tasks/sync_texts.h).
inline constexpr std::size_t kDiffSummaryMaxBytes = 64 * 1024;

// A device job's change journal (devices/change_journal.h) writes each
// device's entry (open, then each phase) as short transactions, each waiting
// for its commit's WAL flush. On one connection those of a fan-out of 50
// devices queued: 1,000 devices x 4 writes at about 8 ms each is 30 s. Up to
// this many connections, opened as writes overlap, commit side by side
// (PostgreSQL flushes concurrent commits together).
inline constexpr std::size_t kJournalConnections = 8;

}  // namespace switchyard::devices::defaults
