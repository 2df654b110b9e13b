// GET /job/<id> keeps CNaaS-NMS's shape although a sync's result holds its
// texts by reference (tasks/sync_devices.cpp, issue 16): each job_tasks entry
// naming a "config_id" gets that generated config back as its "result", each
// naming a "diff_id" its whole diff as its "diff", masked as every text that
// leaves the process. GET /jobs returns the references as stored.
//
// A job of 10,000 devices names gigabytes of texts, so the answer is never
// built in memory. The document around the texts (the job as stored, which
// names them by id and stays small) is cut where the texts go; the texts are
// then read, masked and written a batch of at most
// defaults::kJobTextBatchBytes at a time (one text when it alone is larger),
// each batch read on an API worker with a pooled connection borrowed for
// that one query (ResponseStream::pull_blocks). The next batch is read once
// the previous one is written: a slow client holds its socket and one batch,
// never a thread or a database connection, and one that stops reading is
// cut when a write has waited api.write_timeout_seconds (as every response).
//
// What the client sees:
//   - a document no larger than one batch: the whole answer at once, with a
//     Content-Length (an error is a 5xx, as on any route);
//   - a larger one: chunked, the connection closing after it. An error once
//     the first byte is sent (the database lost, say) can no longer be a
//     status: the connection is cut without the chunked body's last chunk,
//     so the client's HTTP library reports an incomplete response and the
//     JSON is unterminated, never a shorter document that parses. The
//     server stopping cuts a stream the same way.
//   - a text gone since the document was planned (its job deleted while it
//     is read): the value the stored result holds for it (null).
#pragma once

#include "http_message.h"
#include "store/database.h"

#include <nlohmann/json.hpp>

namespace switchyard::api {

// Answers `res` with {"status":"success","data":{"jobs":[job]}}, job
// `job_id`'s texts in place. Plans on `conn` (which texts exist, their
// sizes); a streamed answer borrows from `pool` later.
void send_job_document(store::ConnectionPool& pool, pqxx::connection& conn, std::int64_t job_id, nlohmann::json job,
                       HttpResponse& res);

}  // namespace switchyard::api
