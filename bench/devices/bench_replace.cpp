// Benchmark (issue 16): one live replace of a ~2,000-line config that
// changes one line, per platform, against the simulator at 50 ms per round
// trip: load the candidate, the device's diff, commit. The reference,
// measured in the same run on the same eos device, is the dialogue the eos
// driver had before: the session's lines typed one at a time, each waiting
// for its prompt (then the session is aborted).
//
//   replace_bench [--config-lines N] [--latency-ms MS] [--no-reference]
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "devices/device_connection.h"
#include "devices/normalize.h"
#include "sim_fixture.h"

using namespace switchyard::devices;
using namespace switchyard::devices::testing;

namespace {

using Clock = std::chrono::steady_clock;

// Options: the config size and the latency of the simulated devices, and
// whether to time the former dialogue too.
struct Args {
    int config_lines = 2000;
    int latency_ms = 50;
    bool reference = true;
};

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        if (k == "--no-reference") a.reference = false;
        else if (k == "--config-lines" && i + 1 < argc) a.config_lines = std::stoi(argv[++i]);
        else if (k == "--latency-ms" && i + 1 < argc) a.latency_ms = std::stoi(argv[++i]);
        else throw std::invalid_argument("unknown option " + k);
    }
    return a;
}

// A line-by-line load of 2,000 lines at 50 ms is longer than the default
// command timeout; the former dialogue must be measured, not time out.
SshOptions patient(const SimFixture& sim) {
    SshOptions o = sim.strict_options();
    o.command_timeout = std::chrono::minutes(10);
    return o;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::size_t count_lines(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

// The running config with one line changed: the first description.
std::string one_line_changed(const std::string& running, Platform platform) {
    std::string config = normalize_config(running);
    const std::string key = "description ";
    auto at = config.find(key);
    if (at == std::string::npos) throw std::runtime_error("no description line to change");
    auto end = config.find(platform == Platform::junos ? ';' : '\n', at);
    return config.substr(0, at) + key +
           (platform == Platform::junos ? "\"changed by replace_bench\"" : "changed-by-bench") + config.substr(end);
}

struct Replace {
    std::size_t lines = 0;
    double seconds = 0;
    bool changed = false;
};

Replace live_replace(const SimFixture& sim, const SimDevice& d) {
    DeviceConnection conn(d.device, sim.key_credentials(), patient(sim));
    std::string intended = one_line_changed(conn.driver().running_config(), d.device.platform);
    Replace r;
    r.lines = count_lines(intended);
    auto t0 = Clock::now();
    conn.driver().load_candidate(intended);
    r.changed = !conn.driver().candidate_diff().empty();
    conn.driver().commit();
    r.seconds = seconds_since(t0);
    return r;
}

// The former eos dialogue: every line its own round trip.
double eos_line_by_line(const SimFixture& sim, const SimDevice& d) {
    DeviceConnection conn(d.device, sim.key_credentials(), patient(sim));
    std::string config = normalize_config(conn.driver().running_config());
    auto& cli = conn.cli();
    cli.shell("terminal length 0");
    auto t0 = Clock::now();
    cli.shell("configure session syref1");
    cli.shell("rollback clean-config");
    std::size_t start = 0;
    while (start < config.size()) {
        auto nl = config.find('\n', start);
        std::string line = config.substr(start, nl - start);
        start = nl + 1;
        auto first = line.find_first_not_of(' ');
        if (first == std::string::npos || line[first] == '!' || line == "end") continue;
        cli.shell(line);
    }
    double s = seconds_since(t0);
    cli.shell("end");
    cli.shell("configure session syref1 abort");
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Args args = parse_args(argc, argv);
        std::cout << "starting switchyard-sim: eos and junos, " << args.config_lines << "-line configs, "
                  << args.latency_ms << " ms per round trip\n";
        SimFixture sim(
            2, "eos,junos", "rb",
            {"--latency-ms", std::to_string(args.latency_ms), "--config-lines", std::to_string(args.config_lines)});
        std::printf("\nlive replace of one changed line (load, device diff, commit):\n");
        double eos_s = 0;
        for (auto& d : sim.devices()) {
            Replace r = live_replace(sim, d);
            if (d.device.platform == Platform::eos) eos_s = r.seconds;
            std::printf("  %-6s %5zu lines  %7.2f s  (%s)\n", std::string(to_string(d.device.platform)).c_str(),
                        r.lines, r.seconds, r.changed ? "one change" : "NO CHANGE SEEN");
        }
        if (args.reference) {
            for (auto& d : sim.devices()) {
                if (d.device.platform != Platform::eos) continue;
                double ref = eos_line_by_line(sim, d);
                std::printf("  reference, eos lines typed one round trip each (the former driver): %7.2f s\n", ref);
                std::printf("  ratio reference/now: %.1fx\n", ref / eos_s);
            }
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "replace_bench: " << e.what() << "\n";
        return 2;
    }
}
