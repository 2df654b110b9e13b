#include "sim_harness.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "control.h"

namespace simtest {

namespace fs = std::filesystem;

namespace {

// Forks and runs `argv` (argv[0] looked up in PATH when it has no '/') with
// `stdout_fd` and `stderr_fd` as its stdout and stderr, and `stdin_fd` as
// its stdin unless -1 (then it shares ours). The child's pid; -1 when fork
// failed.
pid_t start_child(const std::vector<std::string>& argv, int stdin_fd, int stdout_fd, int stderr_fd) {
    pid_t pid = fork();
    if (pid == 0) {
        if (stdin_fd >= 0) dup2(stdin_fd, 0);
        dup2(stdout_fd, 1);
        dup2(stderr_fd, 2);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    return pid;
}

}  // namespace

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "sysim-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

CmdResult run(const std::vector<std::string>& argv, const std::string& stdin_data, int timeout_s,
              const Watch& stop_when) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) throw std::runtime_error("pipe");
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = start_child(argv, in[0], out[1], err[1]);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    signal(SIGPIPE, SIG_IGN);
    [[maybe_unused]] auto w = write(in[1], stdin_data.data(), stdin_data.size());
    close(in[1]);
    CmdResult r;
    auto deadline = t0 + std::chrono::seconds(timeout_s);
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    bool killed = false;
    while (open_fds > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || (stop_when && stop_when(r))) {
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
        poll(fds, 2, static_cast<int>(std::min<long>(left.count(), stop_when ? 100 : left.count())));
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !fds[i].revents) continue;
            char buf[4096];
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) close(f.fd);
    int st = 0;
    waitpid(pid, &st, 0);
    r.status = killed ? -1 : (WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

const ClientKey& client_key() {
    static TempDir dir;
    static ClientKey key = [] {
        ClientKey k{dir.path / "id_ed25519", dir.path / "id_ed25519.pub"};
        auto r = run({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k.private_key.string()});
        if (r.status != 0) throw std::runtime_error("ssh-keygen failed: " + r.err);
        return k;
    }();
    return key;
}

Sim::Sim(std::vector<std::string> args, fs::path state_dir) {
    if (state_dir.empty()) {
        own_dir_ = std::make_unique<TempDir>();
        state_dir = own_dir_->path;
    }
    state_dir_ = state_dir;
    std::vector<std::string> argv = {SIM_BINARY, "--state-dir", state_dir_.string(), "--authorized-keys",
                                     client_key().public_key.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    int out[2];
    if (pipe2(out, O_CLOEXEC)) throw std::runtime_error("pipe");
    int errfd = open((state_dir_ / "sim.stderr").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    pid_ = start_child(argv, -1, out[1], errfd);
    close(out[1]);
    close(errfd);
    // The ready line is the signal; give a sanitizer build generous time.
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    pollfd p{out[0], POLLIN, 0};
    while (!contains(seen, "switchyard-sim ready")) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        char buf[512];
        ssize_t n = read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        seen.append(buf, static_cast<size_t>(n));
    }
    close(out[0]);
    if (!contains(seen, "switchyard-sim ready")) {
        stop();
        throw std::runtime_error("simulator did not become ready: " + seen + stderr_text());
    }
    std::ifstream inv(state_dir_ / "inventory.json");
    inventory_ = nlohmann::json::parse(inv);
}

Sim::~Sim() { stop(); }

void Sim::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int st = 0;
    waitpid(pid_, &st, 0);
    exit_status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    pid_ = -1;
}

std::string Sim::stderr_text() const {
    std::ifstream in(state_dir_ / "sim.stderr");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> one_device_args(const std::string& platform, const std::string& prefix,
                                         const std::string& port) {
    return {"--devices", "1", "--base-port", port, "--platforms", platform, "--hostname-prefix", prefix};
}

bool Sim::wait_for_timer_rollback(const std::string& host) const {
    return wait_until([&] { return contains(stderr_text(), host + ": commit not confirmed, rolled back"); },
                      std::chrono::seconds(60));
}

void check_shell(const Sim& sim, const std::string& host, const std::string& script,
                 std::initializer_list<std::string_view> fragments) {
    CmdResult r = sim.shell(host, script);
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    for (std::string_view fragment : fragments) {
        INFO("missing: " << fragment);
        CHECK(contains(r.out, std::string(fragment)));
    }
}

void check_timer_rolled_back(const Sim& sim, const std::string& host, const std::string& before,
                             std::chrono::steady_clock::time_point before_commit, std::chrono::seconds timer) {
    REQUIRE(sim.wait_for_timer_rollback(host));
    CHECK(std::chrono::steady_clock::now() - before_commit >= timer);
    CHECK(sim.running(host) == before);
}

nlohmann::json Sim::control(const nlohmann::json& request) const {
    return sim::control_request((state_dir_ / "control.sock").string(), request);
}

std::string Sim::running(const std::string& host) const {
    return control({{"op", "get"}, {"host", host}}).at("canonical").get<std::string>();
}

const nlohmann::json& Sim::device(const std::string& host) const {
    for (const auto& d : inventory_)
        if (d.at("hostname") == host) return d;
    throw std::runtime_error("no device " + host + " in inventory");
}

std::vector<std::string> Sim::ssh_base(const std::string& host, std::vector<std::string> extra) const {
    const auto& d = device(host);
    // OpenSSH keeps the first value of an option, so the caller's come first.
    std::vector<std::string> argv = {"ssh"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::vector<std::string> defaults = {"-p", std::to_string(d.at("port").get<int>()),
                                         "-i", client_key().private_key.string(),
                                         "-o", "BatchMode=yes",
                                         "-o", "IdentitiesOnly=yes",
                                         "-o", "StrictHostKeyChecking=no",
                                         "-o", "UserKnownHostsFile=/dev/null",
                                         "-o", "LogLevel=ERROR",
                                         "-o", "ConnectTimeout=10",
                                         "-l", d.value("username", "admin")};
    argv.insert(argv.end(), defaults.begin(), defaults.end());
    argv.push_back(d.at("management_ip").get<std::string>());
    return argv;
}

CmdResult Sim::exec(const std::string& host, const std::string& command, std::vector<std::string> extra) const {
    auto argv = ssh_base(host, std::move(extra));
    argv.push_back(command);
    return run(argv, "", 60);
}

CmdResult Sim::shell(const std::string& host, const std::string& script, std::vector<std::string> extra) const {
    extra.insert(extra.begin(), "-tt");
    return run(ssh_base(host, std::move(extra)), script, 60);
}

bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return cond();
}

}  // namespace simtest
