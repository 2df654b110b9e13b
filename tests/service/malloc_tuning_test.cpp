// The allocator's arena count follows the threads the settings let allocate
// at once (service/malloc_tuning.cpp says why).
#include "malloc_tuning.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

using namespace switchyard;

TEST_CASE("the arena count grows with device and API threads, between one per core and glibc's cap",
          "[malloc_tuning]") {
    const int cores = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
    Settings s;
    // The defaults (50 device threads, 16 API handlers): one per core, as
    // every earlier memory figure was measured.
    CHECK(malloc_arena_count(s) == cores);
    // bench/recovery's pusher: 1,000 device threads.
    s.ssh.concurrency = 1000;
    CHECK(malloc_arena_count(s) == std::clamp((1000 + s.api.threads) / 64, cores, 8 * cores));
    CHECK(malloc_arena_count(s) >= std::min(15, 8 * cores));
    // Never past glibc's own cap of 8 per core.
    s.ssh.concurrency = 5000;
    s.api.threads = 1024;
    CHECK(malloc_arena_count(s) == 8 * cores);
}
