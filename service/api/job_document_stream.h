// GET /job/<id>'s answer, never built whole in memory (issue 16).
//
// It keeps CNaaS-NMS's shape although a sync's result holds its texts by
// reference (tasks/sync_devices.cpp): each job_tasks entry naming a
// "config_id" gets that generated config back as its "result", each naming a
// "diff_id" its whole diff as its "diff", masked as every text that leaves
// the process. GET /jobs returns the references as stored.
//
// An ended 10,000-device sync's result is about 14 MB of JSON and names
// gigabytes of texts. So:
//   - the job's document is read without its result's devices (its outline,
//     jobs/outline.sql); an ended job's devices are then read
//     a batch of about defaults::kJobDocumentDeviceBatchBytes at a time, by hostname
//     (jobs/result_devices.sql), and each device is trimmed
//     (filter_jobresult), its texts' places marked, and serialised on its
//     own: one batch of devices is held, never the result as a tree. A job
//     not yet ended is read whole (its result is not yet final);
//   - the texts are read, masked and written a batch of at most
//     defaults::kJobTextBatchBytes at a time (one text when it alone is
//     larger).
// Each batch is read on an API worker with a pooled connection borrowed for
// that one read (ResponseStream::pull_blocks); the next is read once the
// previous one is written: a slow client holds its socket and one batch,
// never a thread or a database connection, and one that stops reading is
// cut when a write has waited api.write_timeout_seconds (as every response).
//
// What the client sees:
//   - a document no larger than one batch of texts: the whole answer at
//     once, with a Content-Length (an error is a 5xx, as on any route);
//   - a larger one: chunked, the connection closing after it. An error once
//     the first byte is sent (the database lost, the job deleted while it
//     is read) can no longer be a status: the connection is cut without the
//     chunked body's last chunk, so the client's HTTP library reports an
//     incomplete response and the JSON is unterminated, never a shorter
//     document that parses. The server stopping cuts a stream the same way.
//   - a text gone since its device was read: the value the stored result
//     holds for it (null).
#pragma once

#include "http_message.h"
#include "job_result_tasks.h"
#include "store/database.h"

namespace switchyard::api {

// Answers `res` with {"status":"success","data":{"jobs":[job]}} for job
// `job_id`, trimmed by `omit`, its texts in place; false (and `res`
// untouched) when there is no such job. Plans and reads the first batches on
// `conn`; a streamed answer borrows from `pool` later.
bool send_job_document(store::ConnectionPool& pool, pqxx::connection& conn, std::int64_t job_id, ResultOmissions omit,
                       HttpResponse& res);

}  // namespace switchyard::api
