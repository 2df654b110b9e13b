// device_text_bench: what hostile device text costs. Prints figures and
// ratios measured in the same run (bench/README: never a timed unit test).
//  1. Looking for a prompt while a 400,000-character line trickles in
//     (16 bytes per read): CommandOutput (devices/command_output.h) against
//     the reference it replaced (the whole unfinished line copied, cleaned and
//     searched on every read). Linear means 10x the line costs 10x the time.
//  2. The secret masker on a 6 MB config and on a 400,000-character line,
//     against a plain copy of the same text split into lines.
#include <chrono>
#include <cstdio>
#include <string>

#include "devices/command_output.h"
#include "devices/defaults.h"
#include "devices/pattern.h"
#include "devices/secret_masker.h"

using namespace switchyard::devices;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

const Pattern& prompt() {
    static const Pattern p(R"(^[A-Za-z0-9._-]+(\([A-Za-z0-9._-]+\))?# ?$)");
    return p;
}

// The reference: before issue 9, every read copied the unfinished line,
// cleaned it and ran the prompt pattern over all of it.
double reference_ms(std::size_t line, std::size_t chunk) {
    auto start = Clock::now();
    std::string buffer;
    std::string piece(chunk, 'x');
    bool found = false;
    for (std::size_t sent = 0; sent < line; sent += chunk) {
        buffer += piece;
        auto nl = buffer.find_last_of('\n');
        std::string tail = nl == std::string::npos ? buffer : buffer.substr(nl + 1);
        std::string clean;
        for (char c : tail)
            if (c != '\r') clean += c;
        found = found || prompt().search(clean);
    }
    std::printf("%s", found ? "" : "");
    return ms_since(start);
}

double command_output_ms(std::size_t line, std::size_t chunk) {
    auto start = Clock::now();
    CommandOutput out(std::size_t{1} << 30, "");
    std::string piece(chunk, 'x');
    bool found = false;
    // As SshShell::read_until looks: not at all on a line far longer than
    // a prompt when the pattern is anchored at the start of a line.
    for (std::size_t sent = 0; sent < line; sent += chunk) {
        out.append(piece);
        if (out.last_line_bytes() > 4 * defaults::kPromptWindow && prompt().anchored()) continue;
        auto t = out.tail();
        found = found || prompt().search(t.text, t.whole_line);
    }
    out.append("\nr1# ");
    auto t = out.tail();
    if (!prompt().search(t.text, t.whole_line)) std::printf("BUG: the prompt after the long line was not found\n");
    return ms_since(start);
}

double copy_lines_ms(const std::string& text) {
    auto start = Clock::now();
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        out.append(text, pos, nl - pos);
        out += '\n';
        pos = nl + 1;
    }
    return ms_since(start);
}

double mask_ms(const std::string& text) {
    auto start = Clock::now();
    auto out = mask_secrets(text);
    if (out.size() < text.size() / 2) std::printf("BUG: masked text too short\n");
    return ms_since(start);
}

}  // namespace

int main() {
    std::printf("prompt matching, 16-byte reads:\n");
    const double ref_40k = reference_ms(40000, 16);
    const double ref_4k = reference_ms(4000, 16);
    const double new_40k = command_output_ms(40000, 16);
    const double new_400k = command_output_ms(400000, 16);
    std::printf(
        "  reference (whole line per read): 4,000 chars %.1f ms, 40,000 chars %.1f ms (x%.0f for 10x the line)\n",
        ref_4k, ref_40k, ref_40k / ref_4k);
    std::printf("  CommandOutput: 40,000 chars %.1f ms, 400,000 chars %.1f ms (x%.1f for 10x the line)\n", new_40k,
                new_400k, new_400k / new_40k);
    std::printf("  at 40,000 chars CommandOutput takes %.3f of the reference's time\n", new_40k / ref_40k);

    std::string config;
    for (int i = 0; i < 50000; ++i)
        config += " neighbor 10.0.0." + std::to_string(i % 250) + " password Secret" + std::to_string(i) +
                  "\ninterface Ethernet" + std::to_string(i) + "\n description uplink to the core router number " +
                  std::to_string(i) + "\n";
    const std::string line = " description " + std::string(400000, 'x') + " password Hidden";
    const double mask_config = mask_ms(config), copy_config = copy_lines_ms(config);
    const double mask_line = mask_ms(line), copy_line = copy_lines_ms(line);
    std::printf("secret masker:\n  %.1f MB config: %.1f ms (%.0f MB/s), x%.1f a plain line-by-line copy\n",
                config.size() / 1e6, mask_config, config.size() / 1e3 / mask_config, mask_config / copy_config);
    std::printf("  400,000-character line: %.2f ms, x%.1f a plain copy\n", mask_line, mask_line / copy_line);
    return 0;
}
