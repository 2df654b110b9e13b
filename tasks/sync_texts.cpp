#include "sync_texts.h"

#include "devices/config_diff.h"
#include "devices/defaults.h"
#include "devices/secret_masker.h"
#include "sync_job.h"

#include <algorithm>

#include <utf8cpp/utf8.h>

namespace switchyard::tasks {

SyncTexts::SyncTexts(SyncEnvironment& env, std::int64_t job_id, DiffLimits diff_limits,
                     std::chrono::milliseconds flush_interval)
    : env_(env),
      job_id_(job_id),
      diff_limits_(diff_limits),
      unpark_pool_([&env] { return env.connect(); }, kUnparkConnections),
      schedule_(flush_interval) {}

std::string diff_head(const std::string& diff) {
    std::size_t end = 0;
    for (std::size_t n = 0; n < devices::defaults::kDiffSummaryLines && end < diff.size(); ++n) {
        auto nl = diff.find('\n', end);
        end = nl == std::string::npos ? diff.size() : nl + 1;
    }
    return diff.substr(0, std::min(end, devices::defaults::kDiffSummaryMaxBytes));
}

void SyncTexts::take(SyncWork& w) {
    if (w.texts_taken) return;
    w.texts_taken = true;
    if (hold(w)) flush();
}

bool SyncTexts::hold(SyncWork& w) {
    std::lock_guard lock(mutex_);
    const auto& host = w.device.hostname;
    // Worked out before hold_read moves the read away. A parked device
    // never unparked (not pushed: skipped, or the job ended first) has
    // neither text here and still runs what was read.
    // Read through const: a device without texts gets none made to compare.
    const SyncWork& texts = w;
    const bool pushed = w.reached && texts.running() != texts.read() && !w.failed;
    if (w.reached) {
        // A device nothing was pushed to still runs what was read: its hash
        // is the read's (2,000 lines normalised and hashed once, not thrice).
        w.running_hash = texts.running() == texts.read() && !w.read_hash.empty()
                             ? w.read_hash
                             : devices::ConfigHash::of(texts.running());
    }
    if (!w.read_texts_taken) hold_read(w);
    if (pushed) {
        bytes_ += w.running().size();
        history_.push_back({host, std::move(w.running()), job_id_, "pushed", w.running_hash.hex()});
    }
    // Moved-from strings may keep their buffers: these go with them.
    w.drop_texts();
    return due();
}

void SyncTexts::hold_read(SyncWork& w) {
    w.read_texts_taken = true;
    Pending p{&w};
    const auto& host = w.device.hostname;
    if (w.generated) {
        p.generated = texts_.size();
        bytes_ += w.intended().size();
        texts_.push_back({host, devices::JobTextKind::generated, std::move(w.intended())});
    }
    w.diff_bytes = w.diff().size();
    const bool fits = w.diff().size() <= diff_limits_.per_device;
    const bool within_job = inline_diff_bytes_ + w.diff().size() <= diff_limits_.per_job;
    if (fits && within_job) {
        inline_diff_bytes_ += w.diff().size();
        w.result_diff = devices::safe_text(w.diff());
    } else {
        w.result_diff = devices::safe_text(diff_head(w.diff()));
        w.diff_cut = true;
        w.diff_cut_by_job_limit = fits;
        p.diff = texts_.size();
        bytes_ += w.diff().size();
        texts_.push_back({host, devices::JobTextKind::diff, std::move(w.diff())});
    }
    if (w.reached) {
        bytes_ += w.read().size();
        history_.push_back({host, std::move(w.read()), job_id_, "read", w.read_hash.hex()});
    }
    pending_.push_back(p);
}

void SyncTexts::park(SyncWork& w) {
    bool due_now = false;
    {
        std::lock_guard lock(mutex_);
        // Copies: hold_read moves the read and the intended config into
        // their records. At most a batch (BatchSchedule::kBytes) of them at a time.
        bytes_ += w.read().size() + w.intended().size();
        parked_.push_back({w.device.hostname, w.read(), w.intended()});
        parked_any_ = true;
        w.parked = true;
        hold_read(w);
        w.drop_texts();
        due_now = due();
    }
    if (due_now) flush();
}

void SyncTexts::unpark(SyncWork& w) {
    if (!w.parked) return;
    std::optional<devices::ParkedConfigs> back;
    try {
        auto conn = unpark_pool_.lease();
        back = devices::ParkedConfigStore(*conn).take(job_id_, w.device.hostname);
    } catch (const std::exception& e) {
        throw std::runtime_error(
            std::string("its configs as read, kept in PostgreSQL until its push, could not be loaded back (") +
            e.what() + "); nothing was pushed to it");
    }
    if (!back)
        throw std::runtime_error(
            "its configs as read, kept in PostgreSQL until its push, are gone (PostgreSQL restarted since the "
            "read?); nothing was pushed to it: sync it again");
    w.parked = false;
    w.read() = std::move(back->read);
    w.running() = w.read();
    w.intended() = std::move(back->intended);
}

void SyncTexts::drop_parked() {
    {
        std::lock_guard lock(mutex_);
        for (auto& p : parked_) bytes_ -= p.read.size() + p.intended.size();
        parked_.clear();
        if (!parked_any_) return;
        parked_any_ = false;
    }
    if (!conn_ || !conn_->is_open()) conn_ = env_.connect();
    try {
        devices::ParkedConfigStore(*conn_).drop(job_id_);
    } catch (...) {
        conn_.reset();
        throw;
    }
}

bool SyncTexts::due() const { return schedule_.due(pending_.size(), bytes_); }

void SyncTexts::add_read(const std::string& hostname, std::string config) {
    std::lock_guard lock(mutex_);
    bytes_ += config.size();
    history_.push_back({hostname, std::move(config), job_id_, "read"});
}

void SyncTexts::flush() {
    std::vector<Pending> pending;
    std::vector<devices::ConfigEntry> history;
    std::vector<devices::JobText> texts;
    std::vector<devices::ParkedConfigs> parked;
    {
        std::lock_guard lock(mutex_);
        pending.swap(pending_);
        history.swap(history_);
        texts.swap(texts_);
        parked.swap(parked_);
        bytes_ = 0;
        schedule_.attempting();
    }
    if (pending.empty() && history.empty() && parked.empty()) return;
    if (!conn_ || !conn_->is_open()) conn_ = env_.connect();
    // Three transactions. A crash between them leaves the first written:
    // parked configs only this attempt takes back (they go with the job), or
    // history whose job texts the job's result then does not name.
    std::vector<std::int64_t> ids;
    try {
        devices::ParkedConfigStore(*conn_).park(job_id_, parked);
        parked.clear();
        devices::ConfigHistory(*conn_).record(history);
        ids = devices::JobTexts(*conn_).store(job_id_, texts);
    } catch (...) {
        conn_.reset();  // perhaps broken: the next try opens another
        // Kept for the next try, before what came meanwhile (history may be
        // written twice then: a record more, never one lost).
        std::lock_guard lock(mutex_);
        schedule_.failed();
        for (auto& p : pending_) {
            if (p.generated != SIZE_MAX) p.generated += texts.size();
            if (p.diff != SIZE_MAX) p.diff += texts.size();
        }
        for (auto& t : texts) bytes_ += t.text.size();
        for (auto& h : history) bytes_ += h.config.size();
        for (auto& p : parked) bytes_ += p.read.size() + p.intended.size();
        parked.insert(parked.end(), std::make_move_iterator(parked_.begin()), std::make_move_iterator(parked_.end()));
        parked_ = std::move(parked);
        pending.insert(pending.end(), pending_.begin(), pending_.end());
        pending_ = std::move(pending);
        history.insert(history.end(), std::make_move_iterator(history_.begin()),
                       std::make_move_iterator(history_.end()));
        history_ = std::move(history);
        texts.insert(texts.end(), std::make_move_iterator(texts_.begin()), std::make_move_iterator(texts_.end()));
        texts_ = std::move(texts);
        throw;
    }
    {
        std::lock_guard lock(mutex_);
        schedule_.succeeded();
    }
    for (auto& p : pending) {
        if (p.generated != SIZE_MAX) p.work->generated_id = ids[p.generated];
        if (p.diff != SIZE_MAX) {
            p.work->diff_id = ids[p.diff];
            // Cut: its first lines can be made again from the whole diff.
            std::string().swap(p.work->result_diff);
            p.work->result_diff_stored = true;
        }
    }
}

namespace {

// True when diff_head(prefix) is the head of the whole text that `prefix`,
// its first `chars` characters (fewer: the whole text), begins.
bool holds_head(const std::string& prefix, int chars) {
    if (static_cast<std::size_t>(std::count(prefix.begin(), prefix.end(), '\n')) >=
        devices::defaults::kDiffSummaryLines)
        return true;
    // PostgreSQL's text is valid UTF-8.
    return utf8::unchecked::distance(prefix.begin(), prefix.end()) < chars;
}

}  // namespace

std::map<std::int64_t, std::string> SyncTexts::diff_heads(const std::vector<std::int64_t>& diff_ids) {
    if (!conn_ || !conn_->is_open()) conn_ = env_.connect();
    std::map<std::int64_t, std::string> heads;
    try {
        devices::JobTexts texts(*conn_);
        std::vector<std::int64_t> longer;
        for (auto& [id, text] : texts.prefixes(job_id_, diff_ids, kDiffHeadFirstReadChars)) {
            if (holds_head(text, kDiffHeadFirstReadChars)) heads.emplace(id, devices::safe_text(diff_head(text)));
            else longer.push_back(id);
        }
        if (!longer.empty())
            for (auto& [id, text] : texts.prefixes(job_id_, longer, kDiffHeadReadChars))
                heads.emplace(id, devices::safe_text(diff_head(text)));
    } catch (...) {
        conn_.reset();
        throw;
    }
    return heads;
}

}  // namespace switchyard::tasks
