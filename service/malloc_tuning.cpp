#include "malloc_tuning.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace switchyard {
namespace {

// Blocks from this size up are mapped on their own and given back to the
// system when freed. Set once, the threshold stays put; glibc's default
// raises it to the size of each mapped block freed, so after a 13 MB result
// later blocks of that size came from the arenas and stayed in the process:
// a 10,000-device dry run held 237 MB after the job, 110 MB of it free. It
// was 256 KB from then until a job's result was written in 256 KB parts
// (issue 16). At 256 KB a diff's working set (dtl's edit path: up to 1.7 MB
// for a 2,000-line config against a 50-line one) was mapped, faulted in page
// by page and unmapped for every device, each unmapping interrupting the
// other core to flush its TLB. 2 MB keeps those in the arenas, where they
// are reused, as it does a batch of a job's document (about 1 MB,
// kJobDocumentDeviceBatchBytes); what is larger (a client's large body, a
// device's oversized answer) is still mapped and given back.
constexpr int kMmapThresholdBytes = 2 * 1024 * 1024;

// Free memory at the top of an arena beyond this is given back. glibc's
// default (128 KB once the mapping threshold is set by hand) gave back and
// faulted in again the same few megabytes many times a second; 64 MB kept
// 174 MB at the peak of a 10,000-device dry run, 8 MB 127 MB.
constexpr int kTrimThresholdBytes = 8 * 1024 * 1024;

// glibc creates up to 8 arenas per core. Each keeps what its threads freed:
// with a 4 MB mapping and 64 MB trim threshold, 16 arenas on 2 cores held
// 191 MB at the peak of a dry run of 1,000 devices, one per core 104 MB, for
// about the same CPU (with the values above, one per core: 91-97 MB).
//
// But threads that share an arena queue on its lock, and a thread preempted
// while it holds it stalls all the others. With ssh.concurrency at 1,000 on
// 2 cores (bench/recovery's pusher), 2 arenas for about 1,000 threads stalled
// the engine's threads for 1 to 9 s at a time: a healthy worker lost its
// 5 s lease in the middle of a sync, and its job ended WorkerLost. With 16
// arenas (set through GLIBC_TUNABLES) the same run logged no housekeeper
// round over 1 s and kept its lease. So one arena per
// kThreadsPerArena threads that allocate (device threads and API handlers),
// at least one per core and at most glibc's own cap; the default settings
// (about 70 such threads) keep one per core.
constexpr unsigned kThreadsPerArena = 64;

}  // namespace

int malloc_arena_count(const Settings& settings) {
    const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
    const auto threads = static_cast<unsigned>(settings.ssh.concurrency + settings.api.threads);
    return static_cast<int>(std::clamp(threads / kThreadsPerArena, cores, 8 * cores));
}

namespace {

bool operator_tuned_malloc() {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    return tunables && std::strstr(tunables, "glibc.malloc.");
}

}  // namespace

void tune_malloc_for_serve(const Settings& settings) {
    if (operator_tuned_malloc()) {
        spdlog::info("GLIBC_TUNABLES sets glibc.malloc.*: serve leaves the allocator's settings to it");
        return;
    }
    const int arenas = malloc_arena_count(settings);
    mallopt(M_ARENA_MAX, arenas);
    spdlog::debug("allocator: at most {} arenas for {} device and API threads", arenas,
                  settings.ssh.concurrency + settings.api.threads);
    mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
    mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
}

}  // namespace switchyard
