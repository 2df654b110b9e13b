// Ended jobs' documents (the JSON text the view job_documents builds), kept in
// memory for GET /jobs (issue 14, the API tail).
//
// Building a job's JSON is most of what PostgreSQL does for a page of jobs,
// and an ended job's JSON rarely changes. So a page asks PostgreSQL only for
// the id and row version of each ended job on it (jobs_query.h,
// EndedDocuments::cached) and takes the text from here; what is not here is
// read in the page's own snapshot and kept.
//
// Correctness never rests on this process's memory: an entry is one committed
// version of a row, named by (id, row_version), the row's xmin, which every
// UPDATE changes. Whatever changes an ended job (RETRY linking it, a hand
// edit), the page then names a version the cache does not hold, and reads it.
// A job the cleaner deletes is never asked for again and ages out. Several
// processes on one database each keep their own. Running and scheduled jobs
// are never kept: their documents are read with every page (eta_seconds
// depends on the time of reading).
//
// Bounded by bytes (api.job_cache_bytes; 0: nothing is kept), least recently
// used first out. Thread-safe: the API's handlers share one.
#pragma once

#include "pieced_text.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace switchyard::api {

class JobDocumentCache {
public:
    // A document, shared by the cache and the pages that are using it. What
    // owns the text behind its pieces is the pointer's owner (an aliasing
    // shared_ptr): the results of the queries that read it
    // (sqlgen::SharedText), or a string (owning()).
    using Text = std::shared_ptr<const PiecedText>;
    static Text owning(std::string text);
    struct Version {
        std::int64_t id = 0;
        std::int64_t row_version = 0;  // the jobs row's xmin (view job_documents)
    };
    struct Stats {
        std::uint64_t hits = 0;  // as count() was told
        std::uint64_t misses = 0;
        std::uint64_t evictions = 0;
        std::size_t entries = 0;
        std::size_t bytes = 0;  // as entry_bytes counts them
    };

    explicit JobDocumentCache(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}

    bool enabled() const { return capacity_ > 0; }

    // For each version, in order: its document if kept, else null. What is
    // found becomes the most recently used.
    std::vector<Text> find(const std::vector<Version>& versions);

    // A page served: `hits` documents from here, `misses` read from the
    // database (counted once per page, whichever way it was read).
    void count(std::size_t hits, std::size_t misses) {
        hits_ += hits;
        misses_ += misses;
    }

    // Keeps `text` as the document of `version`, in place of any other
    // version of that job, evicting the least recently used entries to stay
    // within the capacity. A text that alone exceeds it is not kept.
    void insert(const Version& version, Text text);

    Stats stats() const;

    // What one entry counts for: its text and an estimate of the bookkeeping
    // around it (list node, index node, shared text's control block). The
    // pieces' views and the results' own bookkeeping (a few percent of a
    // document read in many pieces) are not counted.
    static std::size_t entry_bytes(std::size_t text_size) { return text_size + kEntryOverhead; }

private:
    static constexpr std::size_t kEntryOverhead = 160;

    struct Entry {
        Version version;
        Text text;
    };
    using Lru = std::list<Entry>;  // most recently used first

    void erase(Lru::iterator it);

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    Lru lru_;
    std::unordered_map<std::int64_t, Lru::iterator> by_id_;
    Stats stats_;  // but hits and misses:
    std::atomic<std::uint64_t> hits_{0}, misses_{0};
};

}  // namespace switchyard::api
