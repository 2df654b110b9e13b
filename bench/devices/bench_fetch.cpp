// Benchmark: read the running config of 1,000 simulated devices (50 ms per
// command), at most 100 in flight, with Switchyard's libssh fan-out, and in
// the same run with OpenSSH's `ssh` under `xargs -P 100` as the reference.
// Prints both wall times, the ratio and the peak memory of each side.
//
//   devices_bench [--devices N] [--concurrency C] [--latency-ms MS] [--platforms frr,eos,junos]
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "devices/fetch.h"
#include "process.h"
#include "sim_fixture.h"

using namespace switchyard::devices;
using namespace switchyard::devices::testing;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
    int devices = 1000;
    std::size_t concurrency = 100;
    int latency_ms = 50;
    std::string platforms = "frr,eos,junos";
};

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--devices") a.devices = std::stoi(v);
        else if (k == "--concurrency") a.concurrency = static_cast<std::size_t>(std::stoul(v));
        else if (k == "--latency-ms") a.latency_ms = std::stoi(v);
        else if (k == "--platforms") a.platforms = v;
        else throw std::invalid_argument("unknown option " + k);
    }
    return a;
}

// VmRSS of a process in KiB (0 if it is gone).
// A process may exit while it is read: /proc then fails with ESRCH, which
// libstdc++ reports as an exception. A gone process counts as 0 / no parent.
long rss_kb(const std::string& pid) try {
    std::ifstream in("/proc/" + pid + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
} catch (const std::exception&) {
    return 0;
}

long parent_of(const std::string& pid) try {
    std::ifstream in("/proc/" + pid + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto close = text.rfind(')');  // comm may contain spaces
    if (close == std::string::npos) return -1;
    long ppid = -1;
    std::sscanf(text.c_str() + close + 2, "%*c %ld", &ppid);
    return ppid;
} catch (const std::exception&) {
    return -1;
}

// RSS of `root` plus its direct children: xargs and the ssh clients it runs.
long tree_rss_kb(pid_t root) {
    long total = rss_kb(std::to_string(root));
    DIR* dir = opendir("/proc");
    if (!dir) return total;
    while (dirent* e = readdir(dir)) {
        std::string name = e->d_name;
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (parent_of(name) == root) total += rss_kb(name);
    }
    closedir(dir);
    return total;
}

// Samples a memory figure every 20 ms until stopped and keeps the peak.
class PeakSampler {
public:
    explicit PeakSampler(std::function<long()> sample)
        : thread_([this, sample = std::move(sample)] {
              while (!stop_) {
                  peak_ = std::max(peak_.load(), sample());
                  std::this_thread::sleep_for(std::chrono::milliseconds(20));
              }
          }) {}
    long finish() {
        stop_ = true;
        thread_.join();
        return peak_;
    }

private:
    std::atomic<bool> stop_ = false;
    std::atomic<long> peak_ = 0;
    std::thread thread_;
};

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
    try {
        Args args = parse_args(argc, argv);
        std::cout << "starting switchyard-sim: " << args.devices << " devices (" << args.platforms << "), "
                  << args.latency_ms << " ms per command\n";
        SimFixture sim(args.devices, args.platforms, "bench", {"--latency-ms", std::to_string(args.latency_ms)});
        std::vector<Device> devices;
        for (auto& d : sim.devices()) devices.push_back(d.device);

        // Switchyard: libssh sessions in the fan-out pool, strict host keys.
        SshOptions ssh = sim.strict_options();
        FanoutOptions fan;
        fan.concurrency = args.concurrency;
        long base_kb = rss_kb("self");
        PeakSampler ours([] { return rss_kb("self"); });
        auto t0 = Clock::now();
        auto results = fetch_running_configs(devices, sim.key_credentials(), ssh, fan);
        double ours_s = seconds_since(t0);
        long ours_peak_kb = ours.finish();
        std::size_t ours_ok = 0;
        std::string first_error;
        for (auto& r : results) {
            if (r.ok) ++ours_ok;
            else if (first_error.empty()) first_error = r.hostname + ": " + r.error;
        }

        // Reference: one OpenSSH client process per device, 100 at a time.
        std::string out_dir = sim.dir() + "/openssh-out";
        std::filesystem::create_directories(out_dir);
        std::string list = sim.dir() + "/targets.txt";
        {
            std::ofstream f(list);
            for (auto& d : devices)
                f << d.port << " " << (d.platform == Platform::junos ? "show configuration" : "show running-config")
                  << "\n";
        }
        std::string script = "exec ssh -q -p \"$0\" -i " + sim.client_key() +
                             " -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"
                             " -o UserKnownHostsFile=" +
                             sim.known_hosts() + " -o ConnectTimeout=10 -l admin 127.0.0.1 \"$1 $2\" > " + out_dir +
                             "/$0";
        std::vector<std::string> xargs{"xargs", "-P",  std::to_string(args.concurrency), "-L", "1", "-a", list, "sh",
                                       "-c",    script};
        auto t1 = Clock::now();
        ChildProcess xargs_run(xargs, sim.dir() + "/xargs.log");
        const pid_t pid = xargs_run.pid();
        PeakSampler theirs([pid] { return tree_rss_kb(pid); });
        xargs_run.wait(std::chrono::hours(1));
        double ssh_s = seconds_since(t1);
        long ssh_peak_kb = theirs.finish();
        std::size_t ssh_ok = 0;
        for (auto& e : std::filesystem::directory_iterator(out_dir))
            if (std::filesystem::file_size(e.path()) > 0) ++ssh_ok;

        std::printf("\nread running config of %d devices, at most %zu in flight, %d ms per command\n", args.devices,
                    args.concurrency, args.latency_ms);
        std::printf("  switchyard (libssh fan-out): %7.2f s  %zu ok  peak RSS %6.1f MiB (%.1f MiB above start)\n",
                    ours_s, ours_ok, ours_peak_kb / 1024.0, (ours_peak_kb - base_kb) / 1024.0);
        std::printf("  openssh ssh | xargs -P %zu:  %7.2f s  %zu ok  peak RSS %6.1f MiB (xargs + ssh clients)\n",
                    args.concurrency, ssh_s, ssh_ok, ssh_peak_kb / 1024.0);
        std::printf("  ratio openssh/switchyard: %.2fx\n", ssh_s / ours_s);
        std::printf("  switchyard time as a fraction of openssh's: %.2f (target <= 0.5; and < 5 s, < 200 MB)\n",
                    ours_s / ssh_s);
        if (!first_error.empty()) std::printf("  first switchyard failure: %s\n", first_error.c_str());
        return ours_ok == devices.size() ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "devices_bench: " << e.what() << "\n";
        return 2;
    }
}
