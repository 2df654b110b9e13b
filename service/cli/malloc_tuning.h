// How `switchyard serve` sets glibc's allocator (mallopt(3)) before its
// threads start: a dry run keeps 50 device threads allocating and freeing
// configs, diffs and their working sets at once.
#pragma once

namespace switchyard::cli {

// Sets the arena count, the mapping threshold and the trim threshold
// (malloc_tuning.cpp says why each). Leaves glibc's choices alone when the
// operator set any of them through GLIBC_TUNABLES ("glibc.malloc.*").
void tune_malloc_for_serve();

}  // namespace switchyard::cli
