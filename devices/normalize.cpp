#include "devices/normalize.h"

#include <array>
#include <vector>

#include "devices/text_lines.h"

namespace switchyard::devices {
namespace {

// Lines that differ between two reads of an unchanged config.
constexpr std::array<std::string_view, 9> kVolatilePrefixes{
    "! Time:",                    // eos
    "! Command:",                 // eos: the command that printed the config
    "! device:",                  // eos: "! device: sw1 (vEOS-lab, EOS-4.30.1F)" changes with an upgrade
    "! boot system",              // eos: the image booted, changes with an upgrade
    "## Last commit:",            // junos
    "## Last changed:",           // junos
    "Building configuration...",  // frr (and IOS-like CLIs)
    "Current configuration:",     // frr
    "! Configuration saved at",   // frr after `write memory`
};

bool starts_with_any(std::string_view line) {
    for (auto p : kVolatilePrefixes)
        if (line.substr(0, p.size()) == p) return true;
    return false;
}

// junos: the top-level "version 20.4R3.8;" is the OS release, not
// configuration; it changes with every upgrade.
bool is_os_version_line(std::string_view line) {
    if (line.substr(0, 8) != "version " || line.size() < 10 || line.back() != ';') return false;
    return line.substr(8, line.size() - 9).find_first_of(" {}") == std::string_view::npos;
}

// Pagers that ignored `terminal length 0` leave "--More--" / "---(more)---"
// markers followed by backspaces or carriage returns that erase them.
bool is_pager_line(std::string_view line) {
    auto first = line.find_first_not_of(' ');
    if (first == std::string_view::npos) return false;
    line.remove_prefix(first);
    if (line.starts_with("--More--")) return true;
    // junos: "---(more)---", "---(more 42%)---". The percentage varies, so
    // it is matched by its frame: a 15-character prefix compared with the
    // 17-character "---(more 100%)---" matched nothing.
    if (!line.starts_with("---(more")) return false;
    auto close = line.find(")---");
    return close != std::string_view::npos && (close == 8 || line[8] == ' ');
}

std::string_view rtrimmed(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string trim_blanks(std::string_view text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return "";
    return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

std::string strip_terminal_codes(std::string_view text) {
    // Most reads hold none of these: copied whole, not byte by byte.
    auto first = text.find_first_of("\x1b\b\r");
    std::string out(text.substr(0, first));
    if (first == std::string_view::npos) return out;
    out.reserve(text.size());
    for (std::size_t i = first; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
            i += 2;
            while (i < text.size() && !(text[i] >= '@' && text[i] <= '~')) ++i;
            continue;
        }
        if (c == '\b') {
            if (!out.empty() && out.back() != '\n') out.pop_back();
            continue;
        }
        if (c == '\r') continue;
        out.push_back(c);
    }
    return out;
}

// Each line is looked at in place: a sync normalises every config it reads
// and renders several times, and a line copied apiece was a tenth of its
// CPU at 2,000 lines a config.
std::string normalize_config(std::string_view text) {
    const std::string stripped = strip_terminal_codes(text);
    std::string out;
    out.reserve(stripped.size());
    bool pending_blank = false;
    std::string_view rest = stripped;
    while (!rest.empty()) {
        auto nl = rest.find('\n');
        std::string_view line = rtrimmed(rest.substr(0, nl));
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        if (is_pager_line(line) || starts_with_any(line) || is_os_version_line(line)) continue;
        if (line.empty()) {
            pending_blank = !out.empty();
            continue;
        }
        if (pending_blank) out += '\n';
        pending_blank = false;
        out += line;
        out += '\n';
    }
    return out;
}

std::string strip_cli_output(std::string_view output, std::string_view command, const Pattern& prompt) {
    auto lines = text_lines(strip_terminal_codes(output));
    std::string cmd = trim_blanks(std::string(command));
    // The echo is the first line that ends with the command: it may sit
    // behind a prompt ("r1# show running-config") or alone.
    if (!cmd.empty()) {
        for (std::size_t i = 0; i < lines.size() && i < 2; ++i) {
            std::string line = trim_blanks(lines[i]);
            if (line.size() >= cmd.size() && line.compare(line.size() - cmd.size(), cmd.size(), cmd) == 0) {
                lines.erase(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(i) + 1);
                break;
            }
        }
    }
    while (!lines.empty() && (trim_blanks(lines.back()).empty() || prompt.search(lines.back()))) lines.pop_back();
    std::string out;
    for (auto& l : lines) {
        if (is_pager_line(l)) continue;
        out += l;
        out += '\n';
    }
    return out;
}

}  // namespace switchyard::devices
