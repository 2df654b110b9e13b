// A child process for tests, the one way every test starts one: its output
// in a log file, stdin from /dev/null, the signal mask cleared, killed
// (SIGKILL) on destruction if still running, and when the thread that
// started it ends (the test process died without destroying it). Start
// children from the test's main thread.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace switchyard::testing {

class ChildProcess {
public:
    // argv[0] is looked up in PATH when it has no '/'. stdout and stderr go
    // to `log_path` (truncated; empty: /dev/null). With `stdout_pipe`,
    // *stdout_pipe receives the read end of a pipe carrying stdout instead.
    ChildProcess(const std::vector<std::string>& argv, std::string log_path, int* stdout_pipe = nullptr);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    void signal(int sig);
    // Exit code once it ended within `limit`; -1 when killed by a signal,
    // -2 when it is still running.
    int wait(std::chrono::milliseconds limit);
    // SIGTERM, then SIGKILL when it has not ended within `grace`; its exit
    // code as wait() gives it.
    int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
    bool running();
    std::string log() const;
    const std::string& log_path() const { return log_path_; }

private:
    pid_t pid_ = -1;
    int status_ = 0;
    bool reaped_ = false;
    std::string log_path_;
};

// Runs a command to its end; returns {exit code, stdout+stderr}.
std::pair<int, std::string> run_command(const std::vector<std::string>& argv);

}  // namespace switchyard::testing
