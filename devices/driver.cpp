#include "devices/driver.h"

#include <array>
#include <cctype>

#include "devices/eos_driver.h"
#include "devices/frr_driver.h"
#include "devices/junos_driver.h"
#include "devices/normalize.h"
#include "devices/text_lines.h"

namespace switchyard::devices {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

// EOS: scrapli arista_eos.yaml failure_indicators and Ansible arista.eos
// terminal/eos.py terminal_stderr_re, each after "% ".
constexpr std::array<std::string_view, 14> kEosErrors{"Invalid input",
                                                      "Incomplete command",
                                                      "Ambiguous command",
                                                      "Error",
                                                      "Cannot commit",
                                                      "Unavailable command",
                                                      "Duplicate sequence number",
                                                      "User not present",
                                                      "Bad secret",
                                                      "Access denied",
                                                      "Prefix length must be less than",
                                                      "Cannot change mode",
                                                      "More than",
                                                      "Subnet"};

bool eos_error(std::string_view l) {
    if (contains(l, "Maximum number of pending sessions has been reached")) return true;
    if (!starts_with(l, "%")) return false;
    l.remove_prefix(1);
    while (!l.empty() && l.front() == ' ') l.remove_prefix(1);
    for (auto e : kEosErrors)
        if (starts_with(l, e)) return true;
    return false;
}

// "terminal:4:(18) syntax error: metric" (a load error's position).
bool junos_load_position(std::string_view l) {
    if (!starts_with(l, "terminal:")) return false;
    l.remove_prefix(9);
    std::size_t i = 0;
    while (i < l.size() && std::isdigit(static_cast<unsigned char>(l[i]))) ++i;
    return i > 0 && l.substr(i, 2) == ":(";
}

// JunOS: scrapli juniper_junos.yaml failure_indicators, Ansible
// junipernetworks.junos terminal/junos.py, and the load-error shape of a
// vJunos transcript (docs/device-cli.md).
bool junos_error(std::string_view l) {
    if (starts_with(l, "^D")) l.remove_prefix(2);
    return starts_with(l, "error:") || starts_with(l, "syntax error") || l == "unknown command." ||
           contains(l, "is ambiguous.") || contains(l, "No valid completions") ||
           contains(l, "missing mandatory argument") || contains(l, "invalid numeric value") ||
           junos_load_position(l) || (starts_with(l, "load complete (") && !starts_with(l, "load complete (0 errors)"));
}

}  // namespace

void Driver::rollback(const PendingCommit& pending) {
    // A full replace with the old config works on every platform, whether or
    // not the device still holds a timer (a commit also confirms it, and the
    // timer would restore the same config anyway).
    load_candidate(pending.previous_config);
    commit();
}

std::unique_ptr<Driver> make_driver(Platform platform, DeviceCli& cli, DriverOptions options) {
    switch (platform) {
        case Platform::frr: return std::make_unique<FrrDriver>(cli);
        case Platform::eos: return std::make_unique<EosDriver>(cli, std::move(options));
        case Platform::junos: return std::make_unique<JunosDriver>(cli, std::move(options));
    }
    throw std::logic_error("no driver for this platform");
}

Pattern prompt_pattern(Platform platform) {
    switch (platform) {
        // r1# , r1(config)# , r1(config-router-af)#
        case Platform::frr: return Pattern(R"(^[A-Za-z0-9._-]+(\([A-Za-z0-9._-]+\))?# ?$)");
        // sw1> , sw1# , sw1(s1)# , sw1(s1)(config-s-sy1a2b-if-Et1)# : up to three
        // parenthesised groups (Ansible arista.eos terminal_stdout_re).
        case Platform::eos: return Pattern(R"(^[A-Za-z0-9._-]+(\([^)]*\)){0,3}[>#] ?$)");
        // admin@j1> , ops.team@corp@j1# , root@j1% (the root shell; also root@j1:~ # )
        case Platform::junos: return Pattern(R"(^[A-Za-z0-9._@-]+@[A-Za-z0-9._-]+(:[^ ]*)? ?[>#%] ?$)");
    }
    throw std::logic_error("no prompt for this platform");
}

std::optional<std::string> error_line(Platform platform, const std::string& output) {
    // line_views (memchr), not std::views::split, which compares a character
    // at a time: this reads the output of every command, a whole config for
    // show running-config.
    for (std::string_view line : line_views(output)) {
        if (line.ends_with('\r')) line.remove_suffix(1);
        auto first = line.find_first_not_of(' ');
        if (first == std::string_view::npos) continue;
        line.remove_prefix(first);
        bool bad = platform == Platform::junos ? junos_error(line)
                   : platform == Platform::eos ? eos_error(line)
                                               : starts_with(line, "% ");
        if (bad) return std::string(line);
    }
    return std::nullopt;
}

void check_output(Platform platform, const std::string& device, const std::string& command, const std::string& output) {
    if (auto bad = error_line(platform, output))
        throw CommandError("device " + device + " rejected '" + command + "': " + *bad);
}

void check_outputs(Platform platform, const std::string& device, const std::vector<std::string>& lines,
                   const std::vector<std::string>& outputs, std::size_t count) {
    for (std::size_t k = 0; k < count && k < lines.size() && k < outputs.size(); ++k)
        check_output(platform, device, lines[k], outputs[k]);
}

void RejectedLines::add(std::string_view line, const std::string& place, const std::string& error) {
    if (count_++ == 0) first_ = "'" + trim_blanks(line) + "' (" + place + "): " + error;
}

void RejectedLines::throw_if_any(const std::string& device) const {
    if (count_ == 0) return;
    throw CommandError("device " + device + " rejected " + first_ +
                       (count_ > 1 ? " (" + std::to_string(count_) + " lines rejected in all)" : ""));
}

void check_typeable(const std::string& device, const std::string& config) {
    std::size_t line = 1;
    for (char c : config) {
        auto u = static_cast<unsigned char>(c);
        if (c == '\n') ++line;
        else if ((u < 0x20 && c != '\t' && c != '\r') || u == 0x7f)
            throw CommandError("device " + device + ": the config holds a control character (code " +
                               std::to_string(u) + ") on line " + std::to_string(line) +
                               "; typed into the CLI it would end or cancel the input, so nothing was sent");
    }
}

}  // namespace switchyard::devices
