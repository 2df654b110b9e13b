// Texts a job made for a device that are not configs the device ran: the
// config it generated, and a diff too large for the job's result. A job's
// result names them by id (tasks/sync_devices.cpp); GET /job/<id> puts them
// back in place. Stored once per text beside config history's texts (tables
// from service/sql/migrations/0086_baseline.sql, which says why they
// are not config history records). Raw text, like config history: masked
// where it leaves the process.
// Not thread-safe, like the pqxx::connection it borrows: one per thread.
#pragma once

#include <pqxx/connection>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace switchyard::devices {

enum class JobTextKind { generated, diff };

struct JobText {
    std::string hostname;
    JobTextKind kind = JobTextKind::generated;
    std::string text;
};

class JobTexts {
public:
    explicit JobTexts(pqxx::connection& conn) : conn_(conn) {}

    // Stores every text of job `job_id` in one transaction (at most one per
    // hostname and kind); their ids, in the order of `texts`. NUL bytes are
    // dropped and invalid UTF-8 replaced (U+FFFD), as config history does.
    std::vector<std::int64_t> store(std::int64_t job_id, const std::vector<JobText>& texts);
    // The texts of job `job_id` among `ids`, by id (an id of another job, or
    // gone with its job, is left out).
    std::map<std::int64_t, std::string> texts(std::int64_t job_id, const std::vector<std::int64_t>& ids);
    // The size in bytes of each of those texts, by id, without reading them:
    // a reader that must stay bounded (GET /job/<id>) plans its batches
    // with it.
    std::map<std::int64_t, std::size_t> sizes(std::int64_t job_id, const std::vector<std::int64_t>& ids);
    // The first `chars` characters of each of those texts, by id; PostgreSQL
    // decompresses a stored text only as far as that.
    std::map<std::int64_t, std::string> prefixes(std::int64_t job_id, const std::vector<std::int64_t>& ids, int chars);

private:
    pqxx::connection& conn_;
};

}  // namespace switchyard::devices
