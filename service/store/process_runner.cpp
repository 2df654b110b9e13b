#include "process_runner.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace switchyard::store {

std::optional<SystemUser> find_system_user(const std::string& name) {
    struct passwd pw {};
    struct passwd* found = nullptr;
    std::vector<char> buf(16384);
    if (getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found) return std::nullopt;
    return SystemUser{name, pw.pw_uid, pw.pw_gid};
}

namespace {

// The whole environment of a child: ours may hold secrets (device passwords,
// a database URL in SWITCHYARD_* variables) that the child has no use for
// and would show in /proc/PID/environ. TZ is kept so PostgreSQL's initdb
// picks the same default time zone as the host.
std::vector<std::string> minimal_environment() {
    std::vector<std::string> env = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C"};
    if (const char* tz = std::getenv("TZ")) env.push_back(std::string("TZ=") + tz);
    return env;
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void become_and_exec(const std::optional<SystemUser>& user, char* const* argv, char* const* envp,
                                  int out_fd) {
    dup2(out_fd, STDOUT_FILENO);
    dup2(out_fd, STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    // Nothing else of ours: pg_ctl's server outlives this process by design
    // (the next serve reuses it), and a descriptor it inherited went with it.
    // One was a test run's flock on the lab lock, held by an orphaned
    // PostgreSQL after its serve was killed, which kept CI waiting.
    close_range(3, ~0U, 0);
    if (user) {
        gid_t groups[1] = {user->gid};
        if (setgroups(1, groups) != 0 || setgid(user->gid) != 0 || setuid(user->uid) != 0) {
            const char msg[] = "cannot switch to the PostgreSQL system user\n";
            (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
            _exit(126);
        }
        // Let the program find its own HOME-independent paths; keep it out of root's.
        if (chdir("/") != 0) _exit(126);
    }
    execve(argv[0], argv, envp);
    const char msg[] = "cannot execute program\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& args, const std::optional<SystemUser>& user) {
    if (args.empty()) throw std::invalid_argument("run_process: no program");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<std::string> env_strings = minimal_environment();
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) become_and_exec(user, argv.data(), envp.data(), pipefd[1]);
    close(pipefd[1]);

    ProcessResult result{0, {}};
    char buf[4096];
    for (;;) {
        ssize_t n = read(pipefd[0], buf, sizeof buf);
        if (n > 0) result.output.append(buf, static_cast<size_t>(n));
        else if (n == 0 || errno != EINTR) break;
    }
    close(pipefd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

bool user_can_use_directory(const SystemUser& user, const std::string& path) {
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        gid_t groups[1] = {user.gid};
        if (setgroups(1, groups) != 0 || setgid(user.gid) != 0 || setuid(user.uid) != 0) _exit(2);
        _exit(access(path.c_str(), W_OK | X_OK) == 0 ? 0 : 1);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace switchyard::store
