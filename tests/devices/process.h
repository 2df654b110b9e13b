// Test helpers: run a command to completion, start a long-lived child and
// kill it, find a free TCP port, make a temporary directory.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace switchyard::devices::testing {

// Starts argv; stderr (and stdout unless `stdout_pipe`) go to `log` (or
// /dev/null). With `stdout_pipe`, *stdout_pipe receives the read end of a
// pipe carrying the child's stdout.
pid_t spawn_process(const std::vector<std::string>& argv, const std::string& log, int* stdout_pipe = nullptr);

// Runs argv, returns its exit status; output goes to `log` if given.
int run_command(const std::vector<std::string>& argv, const std::string& log = "");

class ChildProcess {
public:
    ChildProcess() = default;
    explicit ChildProcess(const std::vector<std::string>& argv, const std::string& log = "");
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    pid_t pid() const { return pid_; }
    void stop();

private:
    pid_t pid_ = -1;
};

int free_port();
// The first of `count` consecutive ports that are free now, below the
// kernel's ephemeral range (outgoing connections take ports there).
int free_port_range(int count);
// True once 127.0.0.1:port accepts a connection (waits up to `seconds`).
bool wait_for_port(int port, int seconds);
std::string make_temp_dir(const std::string& prefix);
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text, int mode = 0644);

}  // namespace switchyard::devices::testing
