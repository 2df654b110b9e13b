#include "requested_job.h"

#include "engine/job_store.h"
#include "request_errors.h"

namespace switchyard::api {

std::int64_t enqueue_requested_job(ApiContext& ctx, pqxx::connection& conn, const std::string& function_name,
                                   nlohmann::json args, const Principal& who, const JobLabels& labels) {
    engine::EnqueueRequest r;
    r.function_name = function_name;
    r.args = std::move(args);
    r.scheduled_by = who.subject;
    r.comment = labels.comment;
    r.ticket_ref = labels.ticket_ref;
    pqxx::work tx(conn);
    try {
        auto out = engine::enqueue(tx, ctx.registry, ctx.settings, r);
        tx.commit();
        return out.id;
    } catch (const std::invalid_argument& e) {
        throw BadRequest(e.what());
    }
}

}  // namespace switchyard::api
