#include "sshd_fixture.h"

#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>

namespace switchyard::devices::testing {
namespace {

std::string fingerprint_of(const std::string& pubkey_file) {
    // "256 SHA256:xxxx comment (ED25519)"
    std::string text = run_command({"ssh-keygen", "-l", "-E", "sha256", "-f", pubkey_file}).second;
    auto start = text.find("SHA256:");
    auto end = text.find(' ', start);
    return start == std::string::npos ? "" : text.substr(start, end - start);
}

}  // namespace

SshdFixture::SshdFixture() : dir_(make_temp_dir("sy-devices-sshd")), port_(free_port()) {
    auto keygen = [&](const std::string& name) {
        if (run_command({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir_ + "/" + name}).first != 0)
            throw std::runtime_error("ssh-keygen failed");
    };
    keygen("host_key");
    keygen("other_host_key");
    keygen("client_key");
    write_file(dir_ + "/authorized_keys", read_file(dir_ + "/client_key.pub"), 0600);
    std::string name = "[127.0.0.1]:" + std::to_string(port_) + " ";
    write_file(known_hosts(), name + read_file(dir_ + "/host_key.pub"));
    write_file(wrong_known_hosts(), name + read_file(dir_ + "/other_host_key.pub"));
    fingerprint_ = fingerprint_of(dir_ + "/host_key.pub");
    wrong_fingerprint_ = fingerprint_of(dir_ + "/other_host_key.pub");
    write_file(dir_ + "/sshd_config",
               "ListenAddress 127.0.0.1\n"
               "HostKey " +
                   dir_ +
                   "/host_key\n"
                   "PidFile " +
                   dir_ +
                   "/sshd.pid\n"
                   "AuthorizedKeysFile " +
                   dir_ +
                   "/authorized_keys\n"
                   "StrictModes no\n"
                   "UsePAM no\n"
                   "PermitRootLogin yes\n"
                   "PasswordAuthentication yes\n"
                   "KbdInteractiveAuthentication no\n"
                   "MaxStartups 200\n"
                   "MaxSessions 50\n"
                   "LogLevel ERROR\n");
    // sshd refuses to start without its privilege separation directory.
    mkdir("/run/sshd", 0755);
    sshd_ = std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/sbin/sshd", "-D", "-e", "-f",
                                                                    dir_ + "/sshd_config", "-p", std::to_string(port_)},
                                           dir_ + "/sshd.log");
    if (!wait_for_port(port_, 10)) throw std::runtime_error("sshd did not start: " + read_file(dir_ + "/sshd.log"));
}

SshdFixture::~SshdFixture() {
    sshd_->stop();
    sshd_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

}  // namespace switchyard::devices::testing
