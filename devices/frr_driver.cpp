#include "devices/frr_driver.h"

#include "devices/errors.h"
#include "devices/normalize.h"

namespace switchyard::devices {
namespace {

// vtysh often knows only a shorter negation than the line it printed ("no
// description" for " description some text"). As frr-reload does, drop the
// last word and try again while more than "no X" is left. The shorter forms
// of `line` (indented as typed), longest first.
std::vector<std::string> shorter_negations(const std::string& line) {
    std::vector<std::string> out;
    std::string shorter = line;
    for (;;) {
        auto first = shorter.find_first_not_of(' ');
        if (first == std::string::npos || shorter.compare(first, 3, "no ") != 0) break;
        auto last_space = shorter.find_last_of(' ');
        auto first_word_end = shorter.find(' ', first + 3);
        if (last_space == std::string::npos || first_word_end == std::string::npos || last_space < first_word_end)
            break;
        shorter.resize(last_space);
        out.push_back(shorter);
    }
    return out;
}

}  // namespace

std::string FrrDriver::run(const std::string& line) {
    if (!shell_ready_) {
        shell_ready_ = true;
        cli_.shell("terminal length 0");
    }
    std::string out = cli_.shell(line);
    check_output(Platform::frr, cli_.device(), line, out);
    return out;
}

// vtysh's show running-config opens with "Building configuration..." and
// "Current configuration:". Whatever comes before is not the router's: a
// login shell's noise (a ~/.bashrc that prints, as one on the lab's host
// did: "rm: cannot remove ..."), a banner. Taken as config it would be
// pushed back as lines to delete, so it is cut off; output without the
// header is no config at all and fails the device.
std::string frr_config_from_show(const std::string& device, const std::string& out) {
    static constexpr std::string_view kCurrent = "Current configuration:";
    static constexpr std::string_view kBuilding = "Building configuration...";
    std::size_t at = std::string::npos;
    for (std::size_t line = 0; line < out.size();) {
        if (out.compare(line, kCurrent.size(), kCurrent) == 0) {
            at = line;
            break;
        }
        auto nl = out.find('\n', line);
        if (nl == std::string::npos) break;
        line = nl + 1;
    }
    if (at == std::string::npos)
        throw DeviceError(device + ": show running-config printed no \"" + std::string(kCurrent) +
                          "\" header: not a vtysh configuration (" + std::to_string(out.size()) + " bytes)");
    // Keep the "Building configuration..." line and the blank one after it.
    std::size_t from = at;
    if (auto b = out.rfind(kBuilding, at); b != std::string::npos && (b == 0 || out[b - 1] == '\n')) {
        bool only_blank = true;
        for (std::size_t i = b + kBuilding.size(); i < at; ++i)
            if (out[i] != '\n' && out[i] != '\r') only_blank = false;
        if (only_blank) from = b;
    }
    return out.substr(from);
}

std::string FrrDriver::running_config() {
    // The exec channel runs one vtysh command (the lab's ForceCommand).
    std::string out = cli_.exec("show running-config").output;
    check_output(Platform::frr, cli_.device(), "show running-config", out);
    return frr_config_from_show(cli_.device(), out);
}

void FrrDriver::stage(const std::string& config, std::optional<std::string> running) {
    previous_ = running ? std::move(*running) : running_config();
    changes_ = frr_changeset(previous_, config);
}

std::string FrrDriver::candidate_diff() {
    if (!changes_ || changes_->empty()) return "";
    std::string out;
    for (auto& line : changes_->vtysh_lines()) out += line + "\n";
    return out;
}

// `configure terminal` on a round trip of its own (with `terminal length 0`
// on the first): the change's lines are typed only once vtysh is in
// configuration mode, never into the exec mode a refused one would leave.
void FrrDriver::configure_terminal() {
    std::vector<std::string> lines;
    if (!shell_ready_) {
        shell_ready_ = true;
        lines.push_back("terminal length 0");
    }
    lines.push_back("configure terminal");
    check_outputs(Platform::frr, cli_.device(), lines, cli_.shell_typed_ahead(lines));
}

// A negation vtysh rejected, retried shorter in its own context
// (shorter_negations). Typed from the exec mode: `configure terminal`, the
// context, the shorter line, `end`, one round trip per try.
bool FrrDriver::retry_shorter(const FrrTypedLine& line) {
    for (auto& shorter : shorter_negations(line.text)) {
        std::vector<std::string> lines{"configure terminal"};
        for (std::size_t d = 0; d < line.change->context.size(); ++d)
            lines.push_back(std::string(d, ' ') + line.change->context[d]);
        const std::size_t at = lines.size();
        lines.push_back(shorter);
        lines.push_back("end");
        auto outputs = cli_.shell_typed_ahead(lines);
        check_outputs(Platform::frr, cli_.device(), lines, outputs, at);
        if (at < outputs.size() && !error_line(Platform::frr, outputs[at])) return true;
    }
    return false;
}

// The change set between `configure terminal` and `end`, typed ahead in
// bounded chunks, one round trip each (as frr-reload.py hands its additions
// to `vtysh -f`; docs/device-cli.md, "Common": vtysh reads typed-ahead lines
// one at a time, each line's error right after its echo, and goes on past a
// rejected line). A rejected negation is retried shorter right after its
// chunk, before any later line: deletions and additions never share a
// chunk, so a shorter negation cannot remove a line this change adds. Any
// other rejected line throws CommandError naming the first one (the rest
// of its chunk has run too: the caller restores the previous config).
void FrrDriver::type_changes(const FrrChangeSet& changes) {
    using Kind = FrrTypedLine::Kind;
    auto lines = changes.typed_lines();
    lines.push_back({"end", Kind::exit, nullptr, lines.empty() ? false : lines.back().deletion});
    std::vector<std::string> context;  // the context lines entered at the end of a chunk
    auto place_of = [](std::size_t k) { return "line " + std::to_string(k + 1) + " of the change set"; };
    std::size_t start = 0;
    while (start < lines.size()) {
        std::size_t end = start;
        std::size_t bytes = 0;
        while (end < lines.size() && end - start < defaults::kTypeAheadLines &&
               bytes + lines[end].text.size() + 1 <= defaults::kTypeAheadBytes &&
               lines[end].deletion == lines[start].deletion) {
            bytes += lines[end].text.size() + 1;
            ++end;
        }
        if (end == start) ++end;  // a line longer than a chunk goes alone
        std::vector<std::string> texts;
        for (std::size_t k = start; k < end; ++k) texts.push_back(lines[k].text);
        auto outputs = cli_.shell_typed_ahead(texts);
        std::vector<std::pair<std::size_t, std::string>> retry;  // rejected negations: where, and why
        RejectedLines rejected;
        for (std::size_t k = start; k < end; ++k) {
            const auto& line = lines[k];
            if (line.kind == Kind::enter) context.push_back(line.text);
            else if (line.kind == Kind::exit && !context.empty()) context.pop_back();
            auto bad = k - start < outputs.size() ? error_line(Platform::frr, outputs[k - start]) : std::nullopt;
            if (!bad) continue;
            if (line.kind == Kind::command && line.deletion && !shorter_negations(line.text).empty()) {
                retry.emplace_back(k, *bad);
                continue;
            }
            rejected.add(line.text, place_of(k), *bad);
        }
        rejected.throw_if_any(cli_.device());
        if (!retry.empty()) {
            if (end < lines.size()) run("end");  // else the chunk's own `end` ran
            for (auto& [k, why] : retry)
                if (!retry_shorter(lines[k]))
                    throw CommandError("device " + cli_.device() + " rejected '" + trim_blanks(lines[k].text) + "' (" +
                                       place_of(k) + ") and every shorter form of it: " + why);
            // Back where the chunk left off, for the next one.
            if (end < lines.size()) {
                std::vector<std::string> back{"configure terminal"};
                back.insert(back.end(), context.begin(), context.end());
                check_outputs(Platform::frr, cli_.device(), back, cli_.shell_typed_ahead(back));
            }
        }
        start = end;
    }
}

void FrrDriver::apply() {
    if (!changes_) throw std::logic_error("frr: commit without a loaded candidate");
    auto changes = std::move(*changes_);
    changes_.reset();
    if (changes.empty()) return;
    configure_terminal();
    try {
        type_changes(changes);
    } catch (const CommandError& e) {
        // Half a change set is the worst state to leave a router in: put
        // back what was there, then report the first error.
        std::string restored = "; restoring the previous config failed";
        try {
            cli_.shell("end");
            auto back = frr_changeset(running_config(), previous_);
            if (!back.empty()) {
                configure_terminal();
                type_changes(back);
            }
            restored = "; the previous config was restored";
        } catch (const std::exception&) {
        }
        throw CommandError(e.what() + restored);
    }
}

void FrrDriver::write_memory() { run("write memory"); }

void FrrDriver::commit() {
    apply();
    write_memory();
}

PendingCommit FrrDriver::commit_confirmed(std::chrono::seconds timer) {
    std::string previous = previous_;
    apply();
    // Not saved: a reboot before confirm() also returns to the old config.
    return PendingCommit{"", previous, timer, enforces_confirm_timer()};
}

void FrrDriver::confirm(const PendingCommit&) { write_memory(); }

void FrrDriver::discard() { changes_.reset(); }

}  // namespace switchyard::devices
