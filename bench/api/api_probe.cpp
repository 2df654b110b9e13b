// How long /health and a new client's GET /jobs take to be answered, with or
// without hostile clients around (bench/api/api_bench.sh runs it). Each probe
// is a new connection: connect, send, read the whole answer.
//
//   api_probe PORT TOKEN PROBES [SLOW_CLIENTS]
//
// SLOW_CLIENTS > 0: that many connections first send half a header, then
// trickle one byte each every 100 ms for as long as the probes run (the
// server's header deadline cuts them off in the end; by default after 10 s,
// longer than the probes take). Prints one line per probed route:
//   NAME p50_ms max_ms failures
#include "../../tests/service/api/raw_client.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using switchyard::testing::http_get;
using switchyard::testing::RawClient;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
    std::vector<double> ms;
    int failures = 0;
};

void probe(int port, const std::string& raw, Figures& f) {
    auto start = Clock::now();
    try {
        RawClient c(port);
        auto r = c.send_all(raw) ? c.read_response(std::chrono::seconds(30)) : std::nullopt;
        if (!r || r->status != 200) ++f.failures;
    } catch (const std::exception&) {
        ++f.failures;
    }
    f.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
}

void print(const char* name, Figures& f) {
    std::sort(f.ms.begin(), f.ms.end());
    double p50 = f.ms.empty() ? 0 : f.ms[f.ms.size() / 2], max = f.ms.empty() ? 0 : f.ms.back();
    std::printf("%s %.2f %.2f %d\n", name, p50, max, f.failures);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: api_probe PORT TOKEN PROBES [SLOW_CLIENTS]\n");
        return 2;
    }
    int port = std::stoi(argv[1]);
    std::string token = argv[2];
    int probes = std::stoi(argv[3]);
    int slow_count = argc > 4 ? std::stoi(argv[4]) : 0;

    std::vector<RawClient> slow;
    for (int i = 0; i < slow_count; ++i) {
        slow.emplace_back(port);
        if (!slow.back().send_all("GET /api/v1.0/health HTTP/1.1\r\nHost: bench\r\nX-Slow: ")) {
            std::fprintf(stderr, "api_probe: slow client %d could not send\n", i);
            return 1;
        }
    }
    std::atomic<bool> stop{false};
    std::thread trickle([&] {
        while (!stop) {
            for (auto& c : slow) c.send_all("a", std::chrono::milliseconds(10));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    if (slow_count > 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));  // every one has trickled

    Figures health, jobs;
    for (int i = 0; i < probes; ++i) {
        probe(port, http_get("/api/v1.0/health"), health);
        probe(port, http_get("/api/v1.0/jobs?per_page=5", token), jobs);
    }
    // The slow clients must still have been there: a probe answered only
    // after they were cut off would prove nothing.
    int still_open = 0;
    for (auto& c : slow) still_open += c.wait_closed(std::chrono::milliseconds(1)) ? 0 : 1;
    stop = true;
    trickle.join();
    print("health", health);
    print("new_client_jobs", jobs);
    if (slow_count > 0) std::printf("slow_clients_still_open %d\n", still_open);
    return 0;
}
