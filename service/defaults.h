// The service's fixed values (limits, batch sizes, names) in one place. The
// defaults of settings are not here: each is declared with its setting in
// settings.def.
#pragma once

#include <cstddef>
#include <string_view>

namespace switchyard::defaults {

// Embedded PostgreSQL
inline constexpr std::string_view kEmbeddedDatabase = "switchyard";
inline constexpr std::string_view kEmbeddedUser = "switchyard";

// HTTP API
inline constexpr int kApiPerPageDefault = 50;
inline constexpr int kApiPerPageMax = 1000;
inline constexpr int kEventKeepaliveSeconds = 15;
// GET /job/<id> reads, masks and writes a job's texts this many bytes at a
// time (at least one text); a document no larger is answered whole.
inline constexpr std::size_t kJobTextBatchBytes = std::size_t{1} << 20;
// GET /job/<id> reads an ended job's result devices about this many bytes
// at a time (the first batch kJobDocumentFirstDevices devices, the next ones
// sized by the entries seen). Each batch costs PostgreSQL one read of the
// whole result (about 150 ms for 14 MB), so batches are few and large.
inline constexpr std::size_t kJobDocumentDeviceBatchBytes = std::size_t{1} << 20;
inline constexpr int kJobDocumentFirstDevices = 500;
// A pooled connection that read documents of more than this many bytes for
// one page of GET /jobs is closed, not given back: libpq keeps its input
// buffer at the size of the largest answer read until the connection
// closes, so each connection that once read a 10,000-device job's document
// kept 13.5 MB for the rest of the process (issue 16).
inline constexpr std::size_t kPooledConnectionMaxReadBytes = std::size_t{1} << 20;

// Job engine
inline constexpr int kPriority = 5;  // 1 runs first ... 10 runs last
inline constexpr int kPriorityMin = 1;
inline constexpr int kPriorityMax = 10;
inline constexpr int kMaxAttemptsLimit = 100;
inline constexpr double kRetryJitter = 0.2;  // +-20 %
inline constexpr int kLockPollMs = 200;

// Schedules and duration estimates
inline constexpr int kScheduleMaxJobsPerRound = 100;  // per schedule and leader round
inline constexpr int kScheduleBatch = 100;            // schedules per leader round
inline constexpr int kEstimateSample = 20;            // finished jobs a duration estimate averages
inline constexpr int kEstimateMinSamples = 3;         // fewer: no estimate

// Cleaner: ended jobs deleted per statement
inline constexpr int kCleanerBatch = 1000;

}  // namespace switchyard::defaults
