// A child process for tests: started with its output in a log file, killed
// (SIGKILL) on destruction if still running.
#pragma once

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace switchyard::testing {

class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, std::string log_path);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    void signal(int sig);
    // Exit code once it ended within `limit`; -1 when killed by a signal,
    // -2 when it is still running.
    int wait(std::chrono::milliseconds limit);
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
