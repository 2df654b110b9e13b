// Runs a program (optionally as another system user) and collects its output.
// Used to drive PostgreSQL's initdb and pg_ctl.
#pragma once

#include <sys/types.h>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::store {

struct SystemUser {
    std::string name;
    uid_t uid;
    gid_t gid;
};

// Looks up a user; std::nullopt when it does not exist.
std::optional<SystemUser> find_system_user(const std::string& name);

struct ProcessResult {
    int exit_code;       // -1 when killed by a signal
    std::string output;  // stdout and stderr together
};

// Runs argv[0] with argv, as `user` when given (the caller must be root), in
// a minimal environment (PATH, LC_ALL=C, TZ: none of ours, which may hold
// secrets), waits and returns its exit code and output. Throws std::runtime_error when
// the program cannot be started at all.
ProcessResult run_process(const std::vector<std::string>& argv, const std::optional<SystemUser>& user = std::nullopt);

// True when `user` may search (x) every directory from / down to `path` and
// write `path` itself. Checked in a child process that switches to the user,
// so group membership and ACLs count exactly as for PostgreSQL itself.
bool user_can_use_directory(const SystemUser& user, const std::string& path);

}  // namespace switchyard::store
