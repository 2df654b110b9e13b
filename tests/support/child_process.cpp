#include "child_process.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <atomic>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace switchyard::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, std::string log_path, int* stdout_pipe)
    : log_path_(std::move(log_path)) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int out[2] = {-1, -1};
    if (stdout_pipe && pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const char* log = log_path_.empty() ? "/dev/null" : log_path_.c_str();
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        // Dies with the test: a test process that aborts (an ASan report)
        // left its simulators and servers running, holding their ports and
        // the lab lock's descriptor. The signal follows the thread that
        // forked; every test starts its children from its main thread.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);  // the test ended before the prctl
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(stdout_pipe ? out[1] : fd, 1);
        dup2(fd, 2);
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        // Unblock what the test runner may have blocked.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    if (stdout_pipe) {
        close(out[1]);
        *stdout_pipe = out[0];
    }
}

ChildProcess::~ChildProcess() {
    if (running()) {
        kill(pid_, SIGKILL);
        wait(std::chrono::seconds(10));
    }
}

void ChildProcess::signal(int sig) {
    if (!reaped_) kill(pid_, sig);
}

bool ChildProcess::running() {
    if (reaped_) return false;
    pid_t r = waitpid(pid_, &status_, WNOHANG);
    if (r == pid_) reaped_ = true;
    return !reaped_;
}

int ChildProcess::wait(std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (running()) {
        if (std::chrono::steady_clock::now() >= until) return -2;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
    signal(SIGTERM);
    int code = wait(grace);
    if (code != -2) return code;
    signal(SIGKILL);
    return wait(std::chrono::seconds(30));
}

std::string ChildProcess::log() const {
    std::ifstream in(log_path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::pair<int, std::string> run_command(const std::vector<std::string>& argv) {
    // One log per call: fixtures run commands from several threads.
    static std::atomic<int> calls{0};
    std::string log = "/tmp/sy-cmd-" + std::to_string(getpid()) + "-" + std::to_string(++calls) + ".log";
    ChildProcess p(argv, log);
    int code = p.wait(std::chrono::seconds(120));
    auto out = p.log();
    unlink(log.c_str());
    return {code, out};
}

}  // namespace switchyard::testing
