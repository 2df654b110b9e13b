#include "devices/ssh_cli.h"

#include "devices/normalize.h"

namespace switchyard::devices {

SshCli::SshCli(SshSession& session, Pattern prompt) : session_(session), prompt_(std::move(prompt)) {}

ExecOutput SshCli::exec(const std::string& command) {
    auto r = session_.exec(command);
    return {std::move(r.output), r.exit_status};
}

SshShell& SshCli::open() {
    if (!shell_) {
        shell_ = std::make_unique<SshShell>(session_);
        shell_->read_until(prompt_);  // banner and first prompt
    }
    return *shell_;
}

std::string SshCli::shell(const std::string& line, std::optional<std::chrono::milliseconds> timeout) {
    auto& sh = open();
    sh.write(line + "\n");
    return strip_cli_output(sh.read_until(prompt_, timeout), line, prompt_);
}

std::vector<std::string> SshCli::shell_typed_ahead(const std::vector<std::string>& lines,
                                                   std::optional<std::chrono::milliseconds> timeout) {
    auto& sh = open();
    TypedAhead typed(lines, prompt_);
    std::string text;
    for (auto& l : lines) text.append(l).push_back('\n');
    sh.write(text);
    sh.read_typed_ahead(prompt_, typed, timeout);
    return typed.outputs();
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
