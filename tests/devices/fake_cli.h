// A scripted DeviceCli: answers per command, records what a driver typed, so
// driver dialogues are tested without a device.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "devices/device_cli.h"

namespace switchyard::devices::testing {

class FakeCli : public DeviceCli {
public:
    std::map<std::string, std::string> exec_answers;   // command -> output
    std::map<std::string, int> exec_status;            // command -> exit status (default 0)
    std::map<std::string, std::string> shell_answers;  // line -> output (default "")
    std::map<std::string, std::string> prompts;        // line -> prompt after it
    std::vector<std::string> typed;                    // every shell line / raw text, in order
    std::vector<std::string> execs;
    std::vector<std::size_t> typed_ahead;        // lines of each shell_typed_ahead() write
    std::vector<std::size_t> typed_ahead_bytes;  // and its bytes, newlines included
    std::string current_prompt = "r1# ";
    std::size_t raw_match = 0;
    std::string name = "r1";

    ExecOutput exec(const std::string& command) override {
        execs.push_back(command);
        return {exec_answers[command], exec_status[command]};
    }
    std::string shell(const std::string& line, std::optional<std::chrono::milliseconds> = {}) override {
        typed.push_back(line);
        if (auto p = prompts.find(line); p != prompts.end()) current_prompt = p->second;
        auto it = shell_answers.find(line);
        return it == shell_answers.end() ? "" : it->second;
    }
    // Each line is recorded in `typed` and answered as shell() would.
    std::vector<std::string> shell_typed_ahead(const std::vector<std::string>& lines,
                                               std::optional<std::chrono::milliseconds> = {}) override {
        typed_ahead.push_back(lines.size());
        typed_ahead_bytes.push_back(0);
        std::vector<std::string> out;
        for (auto& l : lines) {
            typed_ahead_bytes.back() += l.size() + 1;
            out.push_back(shell(l));
        }
        return out;
    }
    std::string shell_raw(const std::string& text, const std::vector<const Pattern*>&) override {
        typed.push_back(text);
        if (auto p = prompts.find(text); p != prompts.end()) current_prompt = p->second;
        auto it = shell_answers.find(text);
        return it == shell_answers.end() ? "" : it->second;
    }
    std::size_t matched() const override { return raw_match; }
    std::string prompt() override { return current_prompt; }
    const std::string& device() const override { return name; }
};

}  // namespace switchyard::devices::testing
