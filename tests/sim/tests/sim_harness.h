// Test support: runs switchyard-sim as a subprocess and drives it with
// OpenSSH's client, waiting on real conditions (the ready line, output,
// control-socket state) with bounded deadlines instead of fixed sleeps.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace simtest {

struct TempDir {
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path path;
};

struct CmdResult {
    int status = -1;  // exit status, or -1 when killed on timeout
    std::string out;
    std::string err;
    double seconds = 0;
};

// Called with the output so far after every read and at least every 100 ms;
// returning true kills the command (status -1), for commands that are
// expected never to end by themselves.
using Watch = std::function<bool(const CmdResult& so_far)>;

// Runs argv with stdin_data on its stdin; kills it after timeout_s.
CmdResult run(const std::vector<std::string>& argv, const std::string& stdin_data = "", int timeout_s = 30,
              const Watch& stop_when = {});

// A client key made once per test run with ssh-keygen.
struct ClientKey {
    std::filesystem::path private_key;
    std::filesystem::path public_key;
};
const ClientKey& client_key();

// The arguments that start one device of `platform`, called PREFIX0001,
// on `port`.
std::vector<std::string> one_device_args(const std::string& platform, const std::string& prefix,
                                         const std::string& port);

class Sim {
public:
    // Starts the simulator with these extra arguments (state dir, control
    // socket and authorized keys are added) and waits for its ready line.
    explicit Sim(std::vector<std::string> args, std::filesystem::path state_dir = {});
    ~Sim();
    Sim(const Sim&) = delete;
    Sim& operator=(const Sim&) = delete;

    void stop();  // SIGTERM and wait; returns once the process is gone
    int exit_status() const { return exit_status_; }
    nlohmann::json control(const nlohmann::json& request) const;
    std::string running(const std::string& host) const;  // canonical config via control
    const nlohmann::json& device(const std::string& host) const;
    const std::filesystem::path& state_dir() const { return state_dir_; }
    std::string stderr_text() const;
    // Waits, a minute at most, until the simulator says that a confirm timer
    // rolled `host`'s commit back (tests/sim/rollback_timer.cpp); false when
    // it did not say so in time.
    bool wait_for_timer_rollback(const std::string& host) const;

    CmdResult exec(const std::string& host, const std::string& command, std::vector<std::string> extra = {}) const;
    // Interactive shell with a PTY (ssh -tt), stdin fed from script.
    CmdResult shell(const std::string& host, const std::string& script, std::vector<std::string> extra = {}) const;
    std::vector<std::string> ssh_base(const std::string& host, std::vector<std::string> extra) const;

private:
    std::unique_ptr<TempDir> own_dir_;
    std::filesystem::path state_dir_;
    int pid_ = -1;
    int exit_status_ = -1;
    nlohmann::json inventory_;
};

// Polls cond every 50 ms until true or the deadline passes.
bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds limit);

bool contains(const std::string& haystack, const std::string& needle);

// Runs `script` in a PTY shell on `host`, REQUIREs that the session ends
// with status 0 and checks that its output shows each of `fragments`; a
// failure names the missing fragment and shows the output.
void check_shell(const Sim& sim, const std::string& host, const std::string& script,
                 std::initializer_list<std::string_view> fragments);

// Checks what a confirm timer of `timer` on `host`, started by a commit no
// sooner than `before_commit`, does when nothing confirms it: the simulator
// says it rolled the commit back, not before the timer ran out, and the
// running config is `before` again.
void check_timer_rolled_back(const Sim& sim, const std::string& host, const std::string& before,
                             std::chrono::steady_clock::time_point before_commit, std::chrono::seconds timer);

}  // namespace simtest
