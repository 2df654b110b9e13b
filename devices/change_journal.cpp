#include "devices/change_journal.h"

#include "devices/queries.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace switchyard::devices {
namespace {

constexpr std::array<std::pair<ChangePhase, std::string_view>, 8> kPhaseNames{{
    {ChangePhase::pushing, "pushing"},
    {ChangePhase::committed, "committed"},
    {ChangePhase::awaiting_confirm, "awaiting_confirm"},
    {ChangePhase::verified, "verified"},
    {ChangePhase::restored, "restored"},
    {ChangePhase::completed, "completed"},
    {ChangePhase::failed, "failed"},
    {ChangePhase::unreachable, "unreachable"},
}};

ChangePhase phase_from_column(const std::string& text) {
    if (auto p = change_phase_from_string(text)) return *p;
    throw std::runtime_error("device_change_journal: unknown phase '" + text + "'");
}

}  // namespace

std::string_view to_string(ChangePhase phase) {
    for (auto& [p, name] : kPhaseNames)
        if (p == phase) return name;
    throw std::logic_error("ChangePhase without a name");
}

std::optional<ChangePhase> change_phase_from_string(std::string_view text) {
    for (auto& [p, name] : kPhaseNames)
        if (name == text) return p;
    return std::nullopt;
}

bool is_open(ChangePhase phase) {
    return phase == ChangePhase::pushing || phase == ChangePhase::committed || phase == ChangePhase::awaiting_confirm;
}

ChangeJournal::ChangeJournal(std::unique_ptr<pqxx::connection> conn, std::int64_t job_id, int attempt)
    : pool_(std::move(conn)), job_id_(job_id), attempt_(attempt) {}

ChangeJournal::ChangeJournal(Connect connect, std::int64_t job_id, int attempt, std::size_t max_connections)
    : pool_(std::move(connect), max_connections), job_id_(job_id), attempt_(attempt) {}

ChangeJournal::~ChangeJournal() = default;

// One statement of the owner's that may disarm a confirm timer: the timer's
// job is cancelled in the same transaction. True when a row moved.
template <typename Statement>
bool ChangeJournal::disarming(Statement statement) {
    auto conn = pool_.lease();
    pqxx::work tx(*conn);
    auto row = statement(tx);
    if (row) cancel_disarmed(tx, row->disarmed_timer_job_id);
    tx.commit();
    return row.has_value();
}

std::int64_t ChangeJournal::open(const std::string& hostname, const std::string& config_before,
                                 const std::string& intended) {
    auto conn = pool_.lease();
    pqxx::work tx(*conn);
    auto row = sql::change_journal::open(tx, {.job_id = job_id_,
                                              .attempt = attempt_,
                                              .hostname = hostname,
                                              .config_before = config_before,
                                              .intended = intended});
    tx.commit();
    return row.id;
}

bool ChangeJournal::advance(std::int64_t id, ChangePhase phase) {
    return disarming([&](pqxx::transaction_base& tx) {
        return sql::change_journal::advance(
            tx, {.id = id, .job_id = job_id_, .attempt = attempt_, .phase = std::string(to_string(phase))});
    });
}

void ChangeJournal::on_timer_disarmed(CancelTimerJob cancel) {
    std::lock_guard lock(mutex_);
    cancel_timer_ = std::move(cancel);
}

void ChangeJournal::cancel_disarmed(pqxx::transaction_base& tx, const std::optional<std::int64_t>& timer_job_id) {
    if (!timer_job_id) return;
    CancelTimerJob cancel;
    {
        std::lock_guard lock(mutex_);
        cancel = cancel_timer_;
    }
    if (cancel) cancel(tx, *timer_job_id);
}

bool ChangeJournal::await_confirm_armed(std::int64_t id, std::chrono::seconds timer,
                                        const std::function<std::int64_t(pqxx::transaction_base& tx)>& schedule) {
    auto conn = pool_.lease();
    pqxx::work tx(*conn);
    auto timer_job = schedule(tx);
    auto armed = sql::change_journal::await_confirm_armed(tx, {.id = id,
                                                               .job_id = job_id_,
                                                               .attempt = attempt_,
                                                               .timer_job_id = timer_job,
                                                               .timer_seconds = static_cast<double>(timer.count())});
    if (!armed) return false;  // the job is not scheduled either: tx rolls back
    tx.commit();
    return true;
}

bool ChangeJournal::claim_confirm(std::int64_t id) {
    return disarming([&](pqxx::transaction_base& tx) {
        return sql::change_journal::claim_confirm(tx, {.id = id, .job_id = job_id_, .attempt = attempt_});
    });
}

bool ChangeJournal::disarm(std::int64_t id) {
    return disarming([&](pqxx::transaction_base& tx) {
        return sql::change_journal::disarm(tx, {.id = id, .job_id = job_id_, .attempt = attempt_});
    });
}

std::optional<JournalEntry> ChangeJournal::take_at_deadline(std::int64_t id) {
    auto conn = pool_.lease();
    pqxx::work tx(*conn);
    auto row = sql::change_journal::take_at_deadline(tx, {.id = id, .job_id = job_id_, .attempt = attempt_});
    tx.commit();
    if (!row) return std::nullopt;
    return JournalEntry{row->id, row->hostname, row->sync_job_id, phase_from_column(row->phase)};
}

std::optional<ChangeState> ChangeJournal::state(std::int64_t id) {
    auto conn = pool_.lease();
    pqxx::read_transaction tx(*conn);
    auto row = sql::change_journal::state(tx, {.id = id});
    if (!row) return std::nullopt;
    return ChangeState{
        row->hostname,       row->sync_job_id, row->job_id, phase_from_column(row->phase), row->confirm_timer_job_id,
        row->deadline_passed};
}

std::optional<std::int64_t> ChangeJournal::change_of_sync(std::int64_t sync_job_id, const std::string& hostname) {
    auto conn = pool_.lease();
    pqxx::read_transaction tx(*conn);
    auto row = sql::change_journal::of_sync(tx, {.sync_job_id = sync_job_id, .hostname = hostname});
    if (!row) return std::nullopt;
    return row->id;
}

std::vector<JournalEntry> ChangeJournal::adopt(std::int64_t from_job_id) {
    auto conn = pool_.lease();
    pqxx::work tx(*conn);
    std::vector<JournalEntry> entries;
    for (auto& row :
         sql::change_journal::adopt(tx, {.from_job_id = from_job_id, .job_id = job_id_, .attempt = attempt_}))
        entries.push_back({row.id, row.hostname, row.sync_job_id, phase_from_column(row.phase)});
    tx.commit();
    return entries;
}

std::vector<JournalEntry> ChangeJournal::adopt_disarming(std::int64_t from_job_id) {
    auto conn = pool_.lease();
    pqxx::work tx(*conn);
    std::vector<JournalEntry> entries;
    for (auto& row : sql::change_journal::adopt_disarming(
             tx, {.from_job_id = from_job_id, .job_id = job_id_, .attempt = attempt_})) {
        cancel_disarmed(tx, row.disarmed_timer_job_id);
        entries.push_back({row.id, row.hostname, row.sync_job_id, phase_from_column(row.phase), row.unconfirmed});
    }
    tx.commit();
    return entries;
}

ChangeConfigs ChangeJournal::configs(std::int64_t id) {
    auto conn = pool_.lease();
    pqxx::read_transaction tx(*conn);
    auto row = sql::change_journal::configs(tx, {.id = id});
    if (!row) throw std::runtime_error("device_change_journal: no change " + std::to_string(id));
    return {std::move(row->config_before), std::move(row->intended)};
}

std::vector<UnsettledChange> ChangeJournal::unsettled_on(const std::vector<std::string>& hostnames) {
    auto conn = pool_.lease();
    pqxx::read_transaction tx(*conn);
    std::vector<UnsettledChange> out;
    for (auto& row : sql::change_journal::open_on_devices(tx, {.hostnames = hostnames, .job_id = job_id_}))
        out.push_back({row.id, row.hostname, row.job_id, row.sync_job_id, phase_from_column(row.phase),
                       row.confirm_timer_job_id});
    return out;
}

std::vector<OpenChange> ChangeJournal::open_for_job(pqxx::transaction_base& tx, std::int64_t job_id) {
    std::vector<OpenChange> open;
    for (auto& row : sql::change_journal::open_for_job(tx, {.job_id = job_id}))
        open.push_back({row.hostname, phase_from_column(row.phase)});
    return open;
}

void ChangeJournal::prune(pqxx::connection& conn, int keep_days) {
    pqxx::work tx(conn);
    sql::change_journal::prune(tx, {.keep_days = keep_days});
    tx.commit();
}

}  // namespace switchyard::devices
