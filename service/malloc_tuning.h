// How `switchyard serve` (and the tests that serve the API in their own
// process) set glibc's allocator (mallopt(3)) before threads start: a dry run keeps 50 device threads allocating and
// freeing configs, diffs and their working sets at once.
#pragma once

#include "settings.h"

namespace switchyard {

// Sets the arena count (from how many threads `settings` lets allocate at
// once), the mapping threshold and the trim threshold (malloc_tuning.cpp
// says why each). Leaves glibc's choices alone when the operator set any of
// them through GLIBC_TUNABLES ("glibc.malloc.*").
void tune_malloc_for_serve(const Settings& settings);

// The most arenas tune_malloc_for_serve() lets glibc create for `settings`.
int malloc_arena_count(const Settings& settings);

}  // namespace switchyard
