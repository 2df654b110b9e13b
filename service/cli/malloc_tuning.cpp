#include "malloc_tuning.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace switchyard::cli {
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
int arena_count() { return static_cast<int>(std::max(2u, std::thread::hardware_concurrency())); }

bool operator_tuned_malloc() {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    return tunables && std::strstr(tunables, "glibc.malloc.");
}

}  // namespace

void tune_malloc_for_serve() {
    if (operator_tuned_malloc()) {
        spdlog::info("GLIBC_TUNABLES sets glibc.malloc.*: serve leaves the allocator's settings to it");
        return;
    }
    mallopt(M_ARENA_MAX, arena_count());
    mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
    mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
}

}  // namespace switchyard::cli
