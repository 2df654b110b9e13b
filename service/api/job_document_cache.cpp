#include "job_document_cache.h"

namespace switchyard::api {

JobDocumentCache::Text JobDocumentCache::owning(std::string text) {
    struct Owned {
        std::string text;
        PiecedText pieced;
    };
    auto owned = std::make_shared<Owned>();
    owned->text = std::move(text);
    owned->pieced = PiecedText(owned->text);
    return Text(owned, &owned->pieced);
}

std::vector<JobDocumentCache::Text> JobDocumentCache::find(const std::vector<Version>& versions) {
    std::vector<Text> out(versions.size());
    if (!enabled() || versions.empty()) return out;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < versions.size(); ++i) {
        auto it = by_id_.find(versions[i].id);
        if (it == by_id_.end() || it->second->version.row_version != versions[i].row_version) continue;
        lru_.splice(lru_.begin(), lru_, it->second);
        out[i] = it->second->text;
    }
    return out;
}

void JobDocumentCache::insert(const Version& version, Text text) {
    if (!text) return;
    std::size_t bytes = entry_bytes(text->size());
    if (bytes > capacity_) return;
    std::lock_guard lock(mutex_);
    // One version per job, the last one kept: two pages whose snapshots lie
    // either side of a change may each keep theirs, and the loser costs only
    // a miss on a later page.
    if (auto it = by_id_.find(version.id); it != by_id_.end()) erase(it->second);
    while (stats_.bytes + bytes > capacity_ && !lru_.empty()) {
        erase(std::prev(lru_.end()));
        ++stats_.evictions;
    }
    lru_.push_front({version, std::move(text)});
    by_id_.emplace(version.id, lru_.begin());
    stats_.bytes += bytes;
    stats_.entries = lru_.size();
}

void JobDocumentCache::erase(Lru::iterator it) {
    stats_.bytes -= entry_bytes(it->text->size());
    by_id_.erase(it->version.id);
    lru_.erase(it);
    stats_.entries = lru_.size();
}

JobDocumentCache::Stats JobDocumentCache::stats() const {
    std::lock_guard lock(mutex_);
    Stats s = stats_;
    s.hits = hits_;
    s.misses = misses_;
    return s;
}

}  // namespace switchyard::api
