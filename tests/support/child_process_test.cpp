// ChildProcess: a child outlives neither its object nor its test process.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "child_process.h"
#include "wait_for.h"

using namespace switchyard::testing;
using namespace std::chrono_literals;

namespace {

// Gone, or a zombie that nobody reaps (the container's init may not).
bool ended(pid_t pid) {
    if (kill(pid, 0) != 0) return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    return close == std::string::npos || line.substr(close + 2, 1) == "Z";
}

std::string comm(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

}  // namespace

TEST_CASE("a child process is killed when its object goes", "[support]") {
    pid_t pid = 0;
    {
        ChildProcess sleeper({"sleep", "30"}, "");
        pid = sleeper.pid();
        CHECK(sleeper.running());
    }
    CHECK(ended(pid));
}

// A test process that dies (an ASan report aborts it) destroys nothing: its
// children must not go on holding ports and the lab lock.
TEST_CASE("a child process is killed when the test process that started it dies", "[support]") {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t test = fork();
    REQUIRE(test >= 0);
    if (test == 0) {
        close(fds[0]);
        auto* sleeper = new ChildProcess({"sleep", "30"}, "");  // never destroyed, as in a crash
        const pid_t pid = sleeper->pid();
        // Running `sleep` already, so that it is the signal, not the
        // child's own check of its parent, that ends it.
        if (!wait_for([&] { return comm(pid) == "sleep"; }, 10s)) _exit(1);
        if (write(fds[1], &pid, sizeof pid) != sizeof pid) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    pid_t grandchild = 0;
    const auto n = read(fds[0], &grandchild, sizeof grandchild);
    close(fds[0]);
    waitpid(test, nullptr, 0);
    REQUIRE(n == sizeof grandchild);
    const bool gone = wait_for([&] { return ended(grandchild); }, 10s);
    if (!gone) kill(grandchild, SIGKILL);
    CHECK(gone);
}
