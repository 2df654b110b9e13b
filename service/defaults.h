// Every default of Switchyard in one place. Settings (service/settings.h)
// start from these; the config file, environment and flags override them.
#pragma once

#include <string_view>

namespace switchyard::defaults {

inline constexpr std::string_view kDataDir = "./switchyard-data";
inline constexpr std::string_view kListen = "127.0.0.1:8080";
inline constexpr std::string_view kLogLevel = "info";

// Embedded PostgreSQL
inline constexpr std::string_view kEmbeddedRunAs = "postgres";  // used only when started as root
inline constexpr std::string_view kEmbeddedDatabase = "switchyard";
inline constexpr std::string_view kEmbeddedUser = "switchyard";
inline constexpr int kEmbeddedStartTimeoutSeconds = 60;
inline constexpr int kEmbeddedMaxConnections = 200;

// Database connections
inline constexpr int kDbConnectTimeoutSeconds = 5;
inline constexpr int kDbReconnectMaxBackoffMs = 2000;
inline constexpr int kDbPoolSize = 8;

// HTTP API
inline constexpr int kApiThreads = 16;
inline constexpr int kApiMaxEventStreams = 8;
inline constexpr int kApiMaxBodyBytes = 1 << 20;
inline constexpr int kApiReadTimeoutSeconds = 10;
inline constexpr int kApiWriteTimeoutSeconds = 10;
inline constexpr int kApiPerPageDefault = 50;
inline constexpr int kApiPerPageMax = 1000;
inline constexpr int kEventKeepaliveSeconds = 15;
// What an /events client may have waiting before its stream is ended.
inline constexpr int kApiEventBufferBytes = 1 << 20;

// Devices over SSH
inline constexpr std::string_view kHostKeyPolicy = "accept-new";
inline constexpr int kSshConnectTimeoutSeconds = 10;
inline constexpr int kSshCommandTimeoutSeconds = 60;
// Commits get longer than other commands (Netmiko juniper.py commit: 120 s).
inline constexpr int kSshCommitTimeoutSeconds = 120;
inline constexpr int kSshKeepaliveSeconds = 15;
inline constexpr int kSshConcurrency = 50;
// What one device command may print (a running config is rarely over a few
// MiB; this leaves room for the largest while bounding a device that never
// stops sending).
inline constexpr int kSshMaxOutputMib = 32;
inline constexpr int kDeviceDeadlineSeconds = 300;

// Device sync
inline constexpr int kSyncLockWaitSeconds = 30;
inline constexpr int kConfirmTimerSeconds = 300;
// auto_push pushes a one-device dry run whose change score is under this
// (CNaaS-NMS's AUTOPUSH_MAX_SCORE).
inline constexpr int kAutoPushMaxScore = 10;

// Job engine
inline constexpr std::string_view kQueue = "default";
inline constexpr int kQueueConcurrency = 16;
inline constexpr int kClaimBatch = 100;
inline constexpr int kPollIntervalMs = 1000;
inline constexpr int kCompleteBatch = 500;
inline constexpr int kCompleteFlushMs = 2;
inline constexpr int kHeartbeatIntervalMs = 1000;
inline constexpr int kWorkerLeaseSeconds = 5;
inline constexpr int kLeaderLeaseSeconds = 5;
inline constexpr int kMaintenanceIntervalMs = 1000;
inline constexpr int kPriority = 5;           // 1 runs first ... 10 runs last
inline constexpr int kPriorityMin = 1;
inline constexpr int kPriorityMax = 10;
inline constexpr int kMaxAttemptsLimit = 100;
inline constexpr int kJobTimeoutSeconds = 3600;
inline constexpr int kTimeoutGraceSeconds = 10;  // after a timeout, how long a task may take to notice
inline constexpr int kRetryBackoffBaseMs = 1000;
inline constexpr int kRetryBackoffMaxSeconds = 3600;
inline constexpr double kRetryJitter = 0.2;      // +-20 %
inline constexpr int kProgressFlushMs = 2000;
inline constexpr int kShutdownGraceSeconds = 30;
inline constexpr int kLockPollMs = 200;

// Cleaner: how long ended jobs are kept
inline constexpr int kRetentionFinishedHours = 24 * 7;
inline constexpr int kRetentionExceptionHours = 24 * 30;
inline constexpr int kRetentionAbortedHours = 24 * 30;
inline constexpr int kCleanerBatch = 1000;

}  // namespace switchyard::defaults
