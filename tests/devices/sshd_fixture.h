// A private OpenSSH server on 127.0.0.1 for integration tests: its own host
// key, config and authorized client key in a temp dir, removed afterwards.
#pragma once

#include <memory>
#include <string>

#include "process.h"

namespace switchyard::devices::testing {

class SshdFixture {
public:
    SshdFixture();  // throws if sshd does not come up
    ~SshdFixture();

    int port() const { return port_; }
    const std::string& dir() const { return dir_; }
    std::string client_key() const { return dir_ + "/client_key"; }
    // A known_hosts file naming this server with its real key.
    std::string known_hosts() const { return dir_ + "/known_hosts"; }
    // A known_hosts file naming this server with some other key.
    std::string wrong_known_hosts() const { return dir_ + "/wrong_known_hosts"; }
    // "SHA256:..." of the server's key, as ssh-keygen -lf prints it.
    std::string fingerprint() const { return fingerprint_; }
    std::string wrong_fingerprint() const { return wrong_fingerprint_; }

private:
    std::string dir_;
    int port_ = 0;
    std::string fingerprint_;
    std::string wrong_fingerprint_;
    std::unique_ptr<ChildProcess> sshd_;
};

}  // namespace switchyard::devices::testing
