// Integration tests of SshSession/SshShell against a real OpenSSH server.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "devices/errors.h"
#include "devices/ssh_cli.h"
#include "devices/ssh_session.h"
#include "sshd_fixture.h"

using namespace switchyard::devices;
using namespace switchyard::devices::testing;
using namespace std::chrono_literals;

namespace {

SshdFixture& sshd() {
    static SshdFixture fixture;  // one server for the whole binary
    return fixture;
}

Endpoint endpoint(int port) { return Endpoint{"lab-r1", "127.0.0.1", static_cast<std::uint16_t>(port)}; }

Credentials key_credentials() {
    Credentials c;
    c.username = "root";
    c.key_file = sshd().client_key();
    return c;
}

SshOptions strict_options() {
    SshOptions o;
    o.host_key_policy = HostKeyPolicy::strict;
    o.known_hosts_file = sshd().known_hosts();
    o.connect_timeout = 5s;
    o.command_timeout = 10s;
    return o;
}

template <typename E>
std::string error_of(SshSession& s) {
    try {
        s.connect();
    } catch (const E& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("key auth, exec output and exit status", "[devices][ssh]") {
    SshSession s(endpoint(sshd().port()), key_credentials(), strict_options());
    s.connect();
    auto r = s.exec("echo hello; echo oops >&2");
    CHECK(r.output == "hello\noops\n");
    CHECK(r.exit_status == 0);
    CHECK(s.exec("exit 3").exit_status == 3);
    CHECK(s.command_sent());
}

TEST_CASE("keepalives during a long wait do not disturb the command", "[devices][ssh]") {
    auto opt = strict_options();
    opt.keepalive_interval = 100ms;  // several SSH_MSG_IGNORE while `sleep` runs
    SshSession s(endpoint(sshd().port()), key_credentials(), opt);
    s.connect();
    auto r = s.exec("sleep 1; echo done");
    CHECK(r.output == "done\n");
    CHECK(r.exit_status == 0);
}

TEST_CASE("strict: a key not matching known_hosts names both fingerprints", "[devices][ssh][hostkey]") {
    auto opt = strict_options();
    opt.known_hosts_file = sshd().wrong_known_hosts();
    SshSession s(endpoint(sshd().port()), key_credentials(), opt);
    auto msg = error_of<HostKeyError>(s);
    CHECK(msg.find("lab-r1") != std::string::npos);
    CHECK(msg.find(sshd().fingerprint()) != std::string::npos);
    CHECK(msg.find(sshd().wrong_fingerprint()) != std::string::npos);
}

TEST_CASE("strict: an unknown host is refused", "[devices][ssh][hostkey]") {
    auto opt = strict_options();
    opt.known_hosts_file = sshd().dir() + "/empty_known_hosts";
    write_file(opt.known_hosts_file, "");
    SshSession s(endpoint(sshd().port()), key_credentials(), opt);
    auto msg = error_of<HostKeyError>(s);
    CHECK(msg.find("is not in") != std::string::npos);
    CHECK(msg.find(sshd().fingerprint()) != std::string::npos);
}

TEST_CASE("accept-new remembers the first key and refuses another", "[devices][ssh][hostkey]") {
    MemoryHostKeyStore store;
    SshOptions opt = strict_options();
    opt.host_key_policy = HostKeyPolicy::accept_new;
    opt.host_key_store = &store;
    {
        SshSession s(endpoint(sshd().port()), key_credentials(), opt);
        s.connect();
    }
    REQUIRE(store.find("lab-r1"));
    CHECK(store.find("lab-r1")->fingerprint == sshd().fingerprint());
    {
        SshSession again(endpoint(sshd().port()), key_credentials(), opt);
        CHECK_NOTHROW(again.connect());
    }
    store.forget("lab-r1");
    store.remember("lab-r1", HostKey{"ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIother", "SHA256:remembered"});
    SshSession changed(endpoint(sshd().port()), key_credentials(), opt);
    auto msg = error_of<HostKeyError>(changed);
    CHECK(msg.find("SHA256:remembered") != std::string::npos);
    CHECK(msg.find(sshd().fingerprint()) != std::string::npos);
}

TEST_CASE("policy off connects without known_hosts", "[devices][ssh][hostkey]") {
    SshOptions opt = strict_options();
    opt.host_key_policy = HostKeyPolicy::off;
    opt.known_hosts_file = "/nonexistent/known_hosts";
    SshSession s(endpoint(sshd().port()), key_credentials(), opt);
    CHECK_NOTHROW(s.connect());
}

TEST_CASE("a wrong password fails auth without showing the password", "[devices][ssh][auth]") {
    Credentials c;
    c.username = "root";
    c.password = "s3cret-Pa55word";
    SshSession s(endpoint(sshd().port()), c, strict_options());
    auto msg = error_of<AuthError>(s);
    CHECK(msg.find("authentication as root failed") != std::string::npos);
    CHECK(msg.find("s3cret") == std::string::npos);
}

TEST_CASE("a missing key file is an auth error naming the file", "[devices][ssh][auth]") {
    Credentials c;
    c.username = "root";
    c.key_file = "/nonexistent/key";
    SshSession s(endpoint(sshd().port()), c, strict_options());
    CHECK(error_of<AuthError>(s).find("/nonexistent/key") != std::string::npos);
}

TEST_CASE("connection refused is transient", "[devices][ssh][timeouts]") {
    SshSession s(endpoint(free_port()), key_credentials(), strict_options());
    CHECK(error_of<TransientError>(s).find("Connection refused") != std::string::npos);
    CHECK_FALSE(s.command_sent());
}

TEST_CASE("a server that never speaks hits the connect timeout", "[devices][ssh][timeouts]") {
    // A listening socket nobody accepts from: TCP connects, SSH never starts.
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(fd, 8) == 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    auto opt = strict_options();
    opt.connect_timeout = 500ms;
    SshSession s(endpoint(ntohs(addr.sin_port)), key_credentials(), opt);
    auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(s.connect(), TransientError);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    close(fd);
}

TEST_CASE("a command past its timeout fails, a stop token ends a wait at once", "[devices][ssh][timeouts]") {
    SshSession s(endpoint(sshd().port()), key_credentials(), strict_options());
    s.connect();
    auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(s.exec("sleep 20", 500ms), TimeoutError);
    CHECK(std::chrono::steady_clock::now() - start < 5s);

    std::stop_source stop;
    SshSession stoppable(endpoint(sshd().port()), key_credentials(), strict_options(), stop.get_token());
    stoppable.connect();
    std::thread stopper([&] {
        std::this_thread::sleep_for(300ms);
        stop.request_stop();
    });
    start = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(stoppable.exec("sleep 20"), TimeoutError);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    stopper.join();
}

TEST_CASE("interactive shell with prompt detection", "[devices][ssh][shell]") {
    SshSession s(endpoint(sshd().port()), key_credentials(), strict_options());
    s.connect();
    // Whatever root's shell prompt is, it ends in "# " or "$ "; then we set
    // our own so the test does not depend on the machine's profile.
    SshCli cli(s, Pattern(R"([#$] ?$)"));
    cli.shell("PS1='lab-r1# '; unset PROMPT_COMMAND; bind 'set enable-bracketed-paste off' 2>/dev/null");
    CHECK(cli.shell("echo one; echo two") == "one\ntwo\n");
    CHECK(cli.prompt() == "lab-r1# ");
}
