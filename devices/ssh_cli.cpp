#include "devices/ssh_cli.h"

#include "devices/normalize.h"

namespace switchyard::devices {

SshCli::SshCli(SshSession& session, Pattern prompt) : session_(session), prompt_(std::move(prompt)) {}

std::string SshCli::exec(const std::string& command) { return session_.exec(command).output; }

SshShell& SshCli::open() {
    if (!shell_) {
        shell_ = std::make_unique<SshShell>(session_);
        shell_->read_until(prompt_);  // banner and first prompt
    }
    return *shell_;
}

std::string SshCli::shell(const std::string& line) {
    auto& sh = open();
    sh.write(line + "\n");
    return strip_cli_output(sh.read_until(prompt_), line, prompt_);
}

std::string SshCli::shell_raw(const std::string& text, const std::vector<const Pattern*>& also) {
    auto& sh = open();
    sh.write(text);
    std::vector<const Pattern*> patterns{&prompt_};
    patterns.insert(patterns.end(), also.begin(), also.end());
    std::string out = sh.read_until(patterns);
    matched_ = sh.matched();
    return out;
}

std::string SshCli::prompt() { return open().last_prompt(); }

}  // namespace switchyard::devices
