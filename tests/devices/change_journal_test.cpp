// ChangeJournal (devices/change_journal.h) against a real PostgreSQL: who may
// move a change. A job whose changes a recovery adopted (its worker declared
// dead, then back) must not close them under the recovery.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "devices/change_journal.h"
#include "support/pg_harness.h"

using namespace switchyard::devices;

namespace {

const std::string& url() {
    static const std::string u = switchyard::testing::fresh_database_url();
    return u;
}

ChangeJournal journal_of(std::int64_t job_id, int attempt) {
    return ChangeJournal(std::make_unique<pqxx::connection>(url()), job_id, attempt);
}

std::string phase_of(std::int64_t id) {
    pqxx::connection conn(url());
    pqxx::read_transaction tx(conn);
    return tx
        .exec_params1(
            "SELECT phase || CASE WHEN closed_at IS NULL THEN ' open' ELSE ' closed' END "
            "FROM device_change_journal WHERE id = $1",
            id)[0]
        .as<std::string>();
}

}  // namespace

TEST_CASE("a change moves only under the attempt that answers for it", "[change_journal]") {
    auto sync = journal_of(101, 1);
    auto id = sync.open("r1", "hostname r1\n", "hostname r1\nntp server 10.0.0.1\n");
    CHECK(phase_of(id) == "pushing open");
    CHECK(sync.advance(id, ChangePhase::committed));
    CHECK(phase_of(id) == "committed open");

    // Another attempt of the same job does not answer for it.
    CHECK_FALSE(journal_of(101, 2).advance(id, ChangePhase::verified));
    CHECK(phase_of(id) == "committed open");

    // A recovery adopts it: from then on the sync cannot close it...
    auto recovery = journal_of(202, 1);
    auto adopted = recovery.adopt(101);
    REQUIRE(adopted.size() == 1);
    CHECK(adopted[0].id == id);
    CHECK(adopted[0].sync_job_id == 101);
    CHECK(recovery.configs(id).config_before == "hostname r1\n");
    CHECK_THROWS_WITH(recovery.configs(id + 1000), Catch::Contains("no change"));
    CHECK(adopted[0].phase == ChangePhase::committed);
    CHECK_FALSE(sync.advance(id, ChangePhase::failed));
    CHECK(phase_of(id) == "committed open");
    {
        pqxx::connection conn(url());
        pqxx::read_transaction tx(conn);
        CHECK(ChangeJournal::open_for_job(tx, 101).empty());
        CHECK(ChangeJournal::open_for_job(tx, 202).size() == 1);
    }

    // ...and the recovery can; a closed change stays closed.
    CHECK(recovery.advance(id, ChangePhase::restored));
    CHECK(phase_of(id) == "restored closed");
    CHECK_FALSE(recovery.advance(id, ChangePhase::pushing));
    CHECK(phase_of(id) == "restored closed");
}

namespace {

// The confirm timer's job, as far as the journal sees it: an id, scheduled
// and cancelled through the callbacks (the engine's in the product).
struct TimerJobs {
    std::vector<std::int64_t> cancelled;
    ChangeJournal::CancelTimerJob cancel() {
        return [this](pqxx::transaction_base&, std::int64_t job) { cancelled.push_back(job); };
    }
};

// `sync` commits `host` on a confirm timer guarded by job `timer_job`, due
// in `timer`; the timers it disarms go to `jobs`.
std::int64_t armed_change(ChangeJournal& sync, TimerJobs& jobs, std::chrono::seconds timer,
                          const std::string& host = "r1", std::int64_t timer_job = 9001) {
    sync.on_timer_disarmed(jobs.cancel());
    auto id = sync.open(host, "hostname " + host + "\n", "hostname " + host + "\nntp server 10.0.0.1\n");
    REQUIRE(sync.await_confirm_armed(id, timer, [timer_job](pqxx::transaction_base&) { return timer_job; }));
    return id;
}

}  // namespace

TEST_CASE("confirm timer: a confirm in time disarms the timer, which then cannot take the change",
          "[change_journal][confirm_timer]") {
    TimerJobs jobs;
    auto sync = journal_of(301, 1);
    auto id = armed_change(sync, jobs, std::chrono::seconds(600));
    auto st = sync.state(id);
    REQUIRE(st);
    CHECK(st->confirm_timer_job_id == 9001);
    CHECK_FALSE(st->deadline_passed);
    // Moving to awaiting_confirm kept it armed: nothing cancelled yet.
    CHECK(jobs.cancelled.empty());

    // Before its deadline the timer job cannot take it.
    auto timer = journal_of(9001, 1);
    CHECK_FALSE(timer.take_at_deadline(id));

    CHECK(sync.claim_confirm(id));
    CHECK(phase_of(id) == "committed open");
    CHECK(jobs.cancelled == std::vector<std::int64_t>{9001});
    CHECK_FALSE(sync.state(id)->confirm_timer_job_id);
    CHECK(sync.advance(id, ChangePhase::verified));
    CHECK(jobs.cancelled.size() == 1);  // disarmed once
    CHECK_FALSE(timer.take_at_deadline(id));
}

TEST_CASE(
    "confirm timer: once the timer job took the change at its deadline, no confirm or rollback of the sync "
    "goes through",
    "[change_journal][confirm_timer]") {
    TimerJobs jobs;
    auto sync = journal_of(302, 1);
    // Applied, with a deadline now: due at once.
    auto id = armed_change(sync, jobs, std::chrono::seconds(0), "r1", 9002);
    CHECK(phase_of(id) == "awaiting_confirm open");
    auto timer = journal_of(9002, 1);

    // The confirm job adopted it (the timer stays armed) but comes late.
    auto confirm = journal_of(303, 1);
    confirm.on_timer_disarmed(jobs.cancel());
    REQUIRE(confirm.adopt(302).size() == 1);
    auto taken = timer.take_at_deadline(id);
    REQUIRE(taken);
    CHECK(taken->sync_job_id == 302);
    CHECK(taken->phase == ChangePhase::awaiting_confirm);

    CHECK_FALSE(confirm.claim_confirm(id));
    CHECK_FALSE(confirm.disarm(id));
    CHECK_FALSE(confirm.advance(id, ChangePhase::verified));
    // A recovery of the confirm job finds nothing of it to adopt.
    CHECK(journal_of(304, 1).adopt_disarming(303).empty());
    CHECK(jobs.cancelled.empty());
    CHECK(phase_of(id) == "awaiting_confirm open");

    // The timer job closes it; the entry keeps naming it as the one that settled it.
    CHECK(timer.advance(id, ChangePhase::restored));
    auto st = timer.state(id);
    REQUIRE(st);
    CHECK(st->phase == ChangePhase::restored);
    CHECK(st->job_id == 9002);
    CHECK(st->confirm_timer_job_id == 9002);
    CHECK(jobs.cancelled.empty());
}

TEST_CASE("confirm timer: a confirm past the deadline is refused while the change is still its own",
          "[change_journal][confirm_timer]") {
    TimerJobs jobs;
    auto sync = journal_of(305, 1);
    auto id = armed_change(sync, jobs, std::chrono::seconds(0));
    CHECK_FALSE(sync.claim_confirm(id));
    auto st = sync.state(id);
    REQUIRE(st);
    CHECK(st->job_id == 305);
    CHECK(st->deadline_passed);
    // Its owner may still roll it back itself: the timer goes first.
    CHECK(sync.disarm(id));
    CHECK(jobs.cancelled == std::vector<std::int64_t>{9001});
    CHECK_FALSE(journal_of(9001, 1).take_at_deadline(id));
}

TEST_CASE("confirm timer: a recovery that adopts a change disarms its timer", "[change_journal][confirm_timer]") {
    TimerJobs jobs;
    TimerJobs sync_jobs;
    auto sync = journal_of(306, 1);
    auto id = armed_change(sync, sync_jobs, std::chrono::seconds(0));
    auto recovery = journal_of(307, 1);
    recovery.on_timer_disarmed(jobs.cancel());
    REQUIRE(recovery.adopt_disarming(306).size() == 1);
    CHECK(jobs.cancelled == std::vector<std::int64_t>{9001});
    CHECK_FALSE(journal_of(9001, 1).take_at_deadline(id));
    CHECK(recovery.advance(id, ChangePhase::restored));
}

TEST_CASE(
    "confirm timer: a timer job that ended without taking its change leaves it to a recovery, which rolls it back "
    "whatever sync.on_interrupted says",
    "[change_journal][confirm_timer]") {
    TimerJobs jobs;
    auto sync = journal_of(308, 1);
    // Due now, guarded by timer job 9003, which will end without taking it
    // (its attempts ran out while another job held the device).
    auto late = armed_change(sync, jobs, std::chrono::seconds(0), "r8", 9003);
    // Due later, guarded by another timer job.
    auto ahead = armed_change(sync, jobs, std::chrono::seconds(600), "r9", 9004);
    {
        // What the engine asks when job 9003 ends abnormally: its change.
        pqxx::connection conn(url());
        pqxx::read_transaction tx(conn);
        auto open = ChangeJournal::open_for_job(tx, 9003);
        REQUIRE(open.size() == 1);
        CHECK(open[0].hostname == "r8");
        CHECK(open[0].phase == ChangePhase::awaiting_confirm);
        CHECK(ChangeJournal::open_for_job(tx, 308).size() == 2);
    }

    auto recovery = journal_of(309, 1);
    recovery.on_timer_disarmed(jobs.cancel());
    auto adopted = recovery.adopt_disarming(9003);
    REQUIRE(adopted.size() == 1);
    CHECK(adopted[0].id == late);
    CHECK(adopted[0].unconfirmed);
    CHECK(jobs.cancelled == std::vector<std::int64_t>{9003});
    // The sync lost it: it can neither confirm it nor settle it itself.
    CHECK_FALSE(sync.claim_confirm(late));
    CHECK_FALSE(sync.disarm(late));
    CHECK(phase_of(late) == "awaiting_confirm open");

    // A recovery of that recovery (its worker lost) still rolls it back.
    auto again = journal_of(310, 1);
    auto readopted = again.adopt_disarming(309);
    REQUIRE(readopted.size() == 1);
    CHECK(readopted[0].unconfirmed);
    CHECK(again.advance(late, ChangePhase::restored));
    CHECK(phase_of(late) == "restored closed");

    // A commit whose deadline is ahead, adopted from its sync, is not
    // unconfirmed: the recovery settles it as sync.on_interrupted says.
    auto of_sync = journal_of(311, 1);
    of_sync.on_timer_disarmed(jobs.cancel());
    auto other = of_sync.adopt_disarming(308);
    REQUIRE(other.size() == 1);
    CHECK(other[0].id == ahead);
    CHECK_FALSE(other[0].unconfirmed);
    CHECK(jobs.cancelled == std::vector<std::int64_t>{9003, 9004});
    CHECK(of_sync.advance(ahead, ChangePhase::completed));
}

TEST_CASE(
    "a change handed to a job that ended before it adopted it (a confirm or a recovery aborted while SCHEDULED) is "
    "left to that job's recovery",
    "[change_journal]") {
    {
        // Job 312 made the change and handed it on to job 313 as it ended
        // (its next_job_id); 313 was aborted before it began.
        pqxx::connection conn(url());
        pqxx::work tx(conn);
        tx.exec(
            "INSERT INTO jobs (id, status, function_name, timeout_seconds, next_job_id) VALUES "
            "(312, 'FINISHED', 'sync_devices', 60, 313), (313, 'ABORTED', 'confirm_devices', 60, NULL)");
        tx.commit();
    }
    auto sync = journal_of(312, 1);
    auto id = sync.open("r7", "hostname r7\n", "hostname r7\nntp server 10.0.0.1\n");
    REQUIRE(sync.advance(id, ChangePhase::awaiting_confirm));
    {
        pqxx::connection conn(url());
        pqxx::read_transaction tx(conn);
        auto open = ChangeJournal::open_for_job(tx, 313);
        REQUIRE(open.size() == 1);
        CHECK(open[0].hostname == "r7");
        CHECK(ChangeJournal::open_for_job(tx, 314).empty());
    }
    auto recovery = journal_of(314, 1);
    auto adopted = recovery.adopt_disarming(313);
    REQUIRE(adopted.size() == 1);
    CHECK(adopted[0].id == id);
    // No deadline of Switchyard's (a device with a timer of its own): the
    // recovery reads the device's pending commit to know.
    CHECK_FALSE(adopted[0].unconfirmed);
    CHECK_FALSE(sync.advance(id, ChangePhase::verified));
    CHECK(recovery.advance(id, ChangePhase::restored));
}

TEST_CASE("a journal writes through up to its number of connections, opened as writes overlap", "[change_journal]") {
    // The first connection is not handed out until a second is asked for
    // (or 10 s have passed): a journal that made overlapping writes wait for
    // one connection would open only one, and the check below fails.
    std::mutex m;
    std::condition_variable asked;
    int opened = 0;
    ChangeJournal journal(
        [&] {
            std::unique_lock lock(m);
            if (++opened == 1) asked.wait_for(lock, std::chrono::seconds(10), [&] { return opened >= 2; });
            asked.notify_all();
            lock.unlock();
            return std::make_unique<pqxx::connection>(url());
        },
        315, 1, 3);
    // Nothing is opened before the first write.
    CHECK(opened == 0);
    std::vector<std::thread> fanout;
    std::vector<std::int64_t> ids(12);
    for (std::size_t k = 0; k < ids.size(); ++k)
        fanout.emplace_back([&, k] {
            const std::string host = "pool" + std::to_string(k);
            ids[k] = journal.open(host, "hostname " + host + "\n", "hostname " + host + "\nntp server 10.0.0.1\n");
            journal.advance(ids[k], ChangePhase::committed);
            journal.advance(ids[k], ChangePhase::verified);
        });
    for (auto& t : fanout) t.join();
    CHECK(opened >= 1);
    CHECK(opened >= 2);  // writes that overlapped opened another connection
    CHECK(opened <= 3);
    for (auto id : ids) CHECK(phase_of(id) == "verified closed");
}
