#include "listener.h"

namespace switchyard::engine {
namespace {

class ReadyReceiver : public pqxx::notification_receiver {
public:
    ReadyReceiver(pqxx::connection& conn, EngineCore& core)
        : pqxx::notification_receiver(conn, "switchyard_job_ready"), core_(core) {}
    void operator()(const std::string& payload, int) override { core_.wake(payload); }

private:
    EngineCore& core_;
};

class EventReceiver : public pqxx::notification_receiver {
public:
    EventReceiver(pqxx::connection& conn, EngineCore& core)
        : pqxx::notification_receiver(conn, "switchyard_job_events"), core_(core) {}
    void operator()(const std::string& payload, int) override {
        if (payload.find(to_string(JobStatus::aborting)) == std::string::npos) return;  // most events are not aborts
        auto doc = nlohmann::json::parse(payload, nullptr, false);
        if (doc.is_discarded() || !doc.contains("jobs")) return;
        for (auto& e : doc["jobs"])
            if (job_status_from_string(e.value("status", "")) == JobStatus::aborting)
                if (auto job = core_.running.find(e.value("id", std::int64_t{0})))
                    job->request_abort("abort requested", false);
    }

private:
    EngineCore& core_;
};

}  // namespace

void run_listener(EngineCore& core) {
    with_reconnects(core, "listener", [&](pqxx::connection& conn) {
        ReadyReceiver ready(conn, core);
        EventReceiver events(conn, core);
        core.wake("");  // notifications may have been missed while disconnected
        while (!core.stop_all.requested()) conn.await_notification(0, 200000);
    });
}

}  // namespace switchyard::engine
