// The rescuer: finds workers whose heartbeat is older than their lease, and
// ends or retries the jobs they were running, releasing their locks, all in
// one transaction.
#include "locks/lock_store.h"
#include "maintenance.h"

namespace switchyard::engine {

using nlohmann::json;

std::size_t rescue_lost_jobs(EngineCore& core, pqxx::connection& conn) {
    pqxx::work tx(conn);
    for (auto row : tx.exec(std::string(store::sql("maintenance/mark_dead.sql"))))
        spdlog::warn("worker {} ({} pid {}) stopped heartbeating; rescuing its jobs", row[0].as<std::int64_t>(),
                     row[1].as<std::string>(), row[2].as<int>());

    json decisions = json::array();
    std::vector<std::int64_t> ids;
    for (auto row : tx.exec(std::string(store::sql("maintenance/lost_jobs.sql")))) {
        std::int64_t id = row[0].as<std::int64_t>();
        std::string status = row[1].as<std::string>();
        int attempt = row[2].as<int>();
        int max_attempts = row[3].as<int>();
        bool retry_safe = row[4].as<bool>();
        std::string kind = row[5].as<std::string>();
        std::string worker = "worker " + (row[9].is_null() ? std::string("?") : row[9].as<std::string>()) + " (" +
                             row[6].as<std::string>() + " pid " + row[7].as<std::string>() + ")";
        std::string why = worker + " died while running attempt " + std::to_string(attempt) + ": " +
                          row[8].as<std::string>();

        json d = {{"id", id}, {"attempt", attempt}};
        d["error"] = {{"attempt", attempt}, {"message", why}, {"type", "WorkerLost"}, {"trace", json::array()}};
        if (status == "ABORTING") {
            d["status"] = "ABORTED";
            d["result"] = {{"message", "Job aborted; " + why}};
        } else if (retry_safe && attempt < max_attempts) {
            d["status"] = "SCHEDULED";
        } else {
            d["status"] = "EXCEPTION";
            std::string message = why + (retry_safe ? "; no attempts left" : "; job kind " + kind +
                                                         " is not safe to run again, so it was not retried");
            d["exception"] = {{"message", message}, {"type", "WorkerLost"}, {"args", json::array()},
                              {"traceback", json::array()}};
        }
        spdlog::warn("job {}: {} -> {}", id, why, d["status"].get<std::string>());
        decisions.push_back(std::move(d));
        ids.push_back(id);
    }
    std::size_t rescued = 0;
    if (!decisions.empty()) {
        rescued = tx.exec_params(std::string(store::sql("maintenance/rescue.sql")), decisions.dump()).size();
        locks::release_for_jobs(tx, ids);
    }
    for (auto& stale : locks::release_stale(tx)) spdlog::warn("released lock {}: its job is not running", stale);
    tx.commit();
    core.counters.rescued += rescued;
    return rescued;
}

}  // namespace switchyard::engine
