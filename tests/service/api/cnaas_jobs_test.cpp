// GET /jobs and PUT /job as CNaaS-NMS's clients use them, against a real
// PostgreSQL: filter[<any job column>] (src/cnaas_nms/api/generic.py
// build_filter), [contains] refused only on enum, integer and time columns,
// times as the span they name, JSON columns; PUT /job answering with the job;
// device_syncto's comment and ticket_ref limits and the selector kept in
// start_arguments.
#include "api/time_filter.h"
#include "cnaas_fixture.h"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

struct JobsApi : CnaasApi {
    JobsApi() { start_api(); }

    std::vector<std::int64_t> ids(const std::string& query) {
        std::vector<std::int64_t> out;
        auto data = ok(get("/api/v1.0/jobs?per_page=1000&" + query));
        for (auto& j : data["jobs"]) out.push_back(j["id"]);
        return out;
    }
    std::string refusal(const std::string& query) {
        auto a = get("/api/v1.0/jobs?" + query);
        INFO(query << " -> " << a.body.dump());
        CHECK(a.status == 400);
        return a.body.value("message", "");
    }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a time in a filter is the span its precision names", "[api][jobs][time]") {
    using api::parse_time_span;
    auto day = parse_time_span("2024-05-01");
    REQUIRE(day);
    CHECK(day->start == "2024-05-01T00:00:00+00:00");
    CHECK(day->length == "1 day");
    CHECK(parse_time_span("2024-05-01T10")->length == "1 hour");
    CHECK(parse_time_span("2024-05-01 10:30")->length == "1 minute");
    auto exact = parse_time_span("2019-12-05T13:06:05.775562");  // as CNaaS-NMS prints finish_time
    REQUIRE(exact);
    CHECK(exact->start == "2019-12-05T13:06:05.775562+00:00");
    CHECK(exact->length == "0.000001 second");
    CHECK(parse_time_span("2024-05-01T10:30:00.5")->length == "0.1 second");
    CHECK(parse_time_span("2024-05-01T10:30:00+02:00")->start == "2024-05-01T10:30:00+02:00");
    CHECK(parse_time_span("2024-05-01T10:30:00 02:00")->start ==
          "2024-05-01T10:30:00+02:00");  // '+' decoded as a space
    CHECK(parse_time_span("2024-05-01T10:30:00-0530")->start == "2024-05-01T10:30:00-05:30");
    CHECK(parse_time_span("2024-05-01T10:30:00Z")->start == "2024-05-01T10:30:00+00:00");
    CHECK(parse_time_span("2024-02-29"));
    for (auto bad : {"", "2024", "2024-5-1", "2023-02-29", "2024-13-01", "2024-05-01T24:00", "2024-05-01T10:60",
                     "2024-05-01T10:30:61", "2024-05-01T10:30:00.1234567", "2024-05-01T", "yesterday",
                     "2024-05-01T10:30:00+02:00x", "2024-05-01 02:00 trailing", "0000-01-01",
                     "2024-05-01T10:30:00+16:00", "2024-05-01T10:30:00-2359"}) {
        INFO(bad);
        CHECK_FALSE(parse_time_span(bad));
    }
    CHECK(parse_time_span("2024-05-01 02")->length == "1 hour");  // a space for the T
    // PostgreSQL's widest offset.
    CHECK(parse_time_span("2024-05-01T10:30-15:59")->start == "2024-05-01T10:30:00-15:59");
    CHECK(parse_time_span("9999-12-31T23:59:59.999999+15:00")->start == "9999-12-31T23:59:59.999999+15:00");
}

TEST_CASE_METHOD(JobsApi, "filter[<any job column>] as CNaaS-NMS allows it", "[api][jobs]") {
    engine::EnqueueRequest r;
    r.comment = "core swap";
    r.ticket_ref = "CHG-1";
    r.scheduled_by = "alice";
    auto a = enqueue("sleep", {{"seconds", 0}, {"lock", "devices"}}, r);
    auto b = enqueue("noop");
    auto c = enqueue("noop");
    exec(
        "UPDATE jobs SET status = 'FINISHED', start_time = '2024-05-01T10:29:59Z', "
        "finish_time = '2024-05-01T10:30:05.250Z', finished_devices = '[\"sw1\", \"sw2\"]', "
        "result = '{\"devices\": {\"sw1\": {\"failed\": false}}}' WHERE id = " +
        std::to_string(a));
    exec(
        "UPDATE jobs SET status = 'EXCEPTION', finish_time = '2024-05-02T00:00:00Z', "
        "exception = '{\"message\": \"boom\", \"type\": \"X\", \"args\": [], \"traceback\": \"a\\nb\"}' WHERE id = " +
        std::to_string(b));

    // The jobs a query finds, by the names above ("bc": b, then c), so that
    // the table reads as what each filter matches and a failure says so.
    auto found = [&](const std::string& query) {
        std::string names;
        for (auto id : ids(query)) names += id == a ? "a" : id == b ? "b" : id == c ? "c" : "?" + std::to_string(id);
        return names;
    };
    const std::pair<const char*, const char*> searches[] = {
        // The front end's job search (cnaas-front src/components/JobList/JobList.js:69-83):
        // [contains] on function_name, scheduled_by, ticket_ref and comment,
        // plain filters on id, status and finish_time.
        {"filter[finish_time]=2024-05-01", "a"},
        {"filter[finish_time]=2024-05-01T10:30", "a"},
        {"filter[finish_time]=2024-05-01T10:30:05.25", "a"},
        {"filter[finish_time]=2024-05-01T12:30%2B02:00", "a"},
        {"filter[finish_time]=2024-05-01T10:30:06", ""},
        {"filter[finish_time]=2024-05-02", "b"},
        {"filter[start_time]=2024-05-01T10:29:59", "a"},
        {"sort=-finish_time&filter[status]=finished", "a"},
        {"filter[ticket_ref][contains]=chg", "a"},
        {"filter[comment][contains]=swap", "a"},
        {"filter[scheduled_by][contains]=lic", "a"},
        {"filter[function_name][contains]=noo", "bc"},
        // CNaaS-NMS's documentation spells it filter[function.name] (docs/apiref/jobs.rst).
        {"filter[function.name][contains]=sle", "a"},

        // JSON columns: [contains] on their text, plain filters compare JSON.
        {"filter[finished_devices][contains]=sw2", "a"},
        {"filter[finished_devices]=%5B%22sw1%22%2C%22sw2%22%5D", "a"},
        {"filter[result][contains]=sw1", "a"},
        {"filter[exception][contains]=boom", "b"},
        {"filter[start_arguments][contains]=devices", "a"},
        {"filter[start_arguments]=%7B%22lock%22%3A%22devices%22%2C%22seconds%22%3A0%7D", "a"},
    };
    for (auto [query, expected] : searches) {
        INFO(query);
        CHECK(found(query) == expected);
    }
    // The engine's columns, beside CNaaS-NMS's.
    CHECK(ids("filter[attempt]=0").size() == 3);
    CHECK(ids("filter[max_attempts]=" + job(b)["max_attempts"].dump() + "&filter[function_name]=noop") ==
          std::vector<std::int64_t>{b, c});
    // X-Total-Count counts the same rows, whichever columns are named.
    auto counted = get("/api/v1.0/jobs?filter[finished_devices][contains]=sw&filter[status]=FINISHED");
    CHECK(counted.header("X-Total-Count") == "1");

    const std::pair<const char*, const char*> refusals[] = {
        // 'contains' is refused on enum, integer and time columns only, as in
        // CNaaS-NMS (generic.py:160-166), with a message naming the kind.
        {"filter[status][contains]=RUN", "'contains' cannot be used on enum fields"},
        {"filter[id][contains]=1", "'contains' cannot be used on integer fields"},
        {"filter[change_score][contains]=1", "integer"},
        {"filter[finish_time][contains]=2024", "'contains' cannot be used on date and time fields"},
        {"filter[finish_time]=yesterday", "must be a date"},
        // An offset PostgreSQL would refuse is the client's error, not a 500.
        {"filter[finish_time]=2024-05-01T10:30%2B20:00", "must be a date"},
        // A number the column can never hold (beyond its type or its CHECK) is
        // the client's 400 naming the field's range (issue 9), not a failed
        // statement (priority and change_score are smallint, attempt integer).
        {"filter[priority]=3000000000", "filter[priority] must be between 1 and 10"},
        {"filter[attempt]=-3000000000", "filter[attempt] must be between 0 and 2147483647"},
        {"filter[change_score]=70000", "filter[change_score] must be between 0 and 100"},
        {"filter[result]=not json", "compares JSON"},
        {"filter[nosuch]=1", "unknown filter field 'nosuch'"},
        {"filter[id][gt]=1", "unknown filter operator"},
    };
    for (auto [query, message] : refusals) {
        INFO(query);
        CHECK(has(refusal(query), message));
    }
}

TEST_CASE_METHOD(JobsApi, "filter_jobresult accepts CNaaS-NMS's values only", "[api][jobs]") {
    enqueue("noop");
    CHECK(ok(get("/api/v1.0/jobs?filter_jobresult=config")).contains("jobs"));
    CHECK(ok(get("/api/v1.0/jobs?filter_jobresult=diff,config")).contains("jobs"));
    CHECK(has(refusal("filter_jobresult=everything"), "config and/or diff"));
}

TEST_CASE_METHOD(JobsApi, "PUT /job/<id> answers with the job, as CNaaS-NMS does", "[api][jobs][abort]") {
    engine::EnqueueRequest later;
    later.delay_seconds = 3600;
    auto id = enqueue("noop", {}, later);
    auto data =
        ok(put("/api/v1.0/job/" + std::to_string(id), {{"action", "abort"}, {"abort_reason", "window"}}, "operator"));
    REQUIRE(data["jobs"].size() == 1);
    auto& j = data["jobs"][0];
    CHECK(j["id"] == id);
    CHECK(j["status"] == "ABORTED");
    CHECK(j["result"]["message"] == "Job aborted: window");
    CHECK(j.contains("start_arguments"));
    // What our CLI reads stays.
    CHECK(data["status"] == "ABORTED");
    CHECK(has(data["message"], "SCHEDULED -> ABORTED"));
}

TEST_CASE_METHOD(JobsApi, "device_syncto: comment at most 255 characters, ticket_ref at most 32; the selector kept",
                 "[api][syncto]") {
    std::vector<devices::Device> inventory(3);
    for (int i = 0; i < 3; ++i) {
        inventory[i].hostname = "sw" + std::to_string(i + 1);
        inventory[i].management_ip = "192.0.2." + std::to_string(i + 1);
        inventory[i].device_type = i == 0 ? devices::DeviceType::ACCESS : devices::DeviceType::CORE;
        inventory[i].groups = {"site-a"};
    }
    devices::DeviceStore(*conn).upsert_all(inventory);

    // Characters, not bytes: 255 two-byte characters are fine.
    std::string umlauts;
    for (int i = 0; i < 255; ++i) umlauts += "\xc3\xa4";
    auto fine =
        post("/api/v1.0/device_syncto", {{"all", true}, {"comment", umlauts}, {"ticket_ref", std::string(32, 't')}});
    auto job_id = fine.body["job_id"].get<std::int64_t>();
    CHECK(ok(fine).is_string());
    CHECK(job(job_id)["comment"] == umlauts);
    CHECK(job(job_id)["ticket_ref"] == std::string(32, 't'));
    auto long_comment = post("/api/v1.0/device_syncto", {{"all", true}, {"comment", umlauts + "x"}});
    CHECK(long_comment.status == 400);
    CHECK(has(long_comment.body["message"], "'comment' is longer than 255 characters"));
    auto long_ticket = post("/api/v1.0/device_syncto", {{"all", true}, {"ticket_ref", std::string(33, 't')}});
    CHECK(long_ticket.status == 400);
    CHECK(has(long_ticket.body["message"], "'ticket_ref' is longer than 32 characters"));

    // start_arguments keep the selector asked for (CNaaS-NMS: device_type,
    // group; "hostnames" for one host), beside the devices it selected.
    auto args = [&](const json& body) {
        auto a = post("/api/v1.0/device_syncto", body);
        REQUIRE(a.status == 200);
        return job(a.body["job_id"].get<std::int64_t>())["start_arguments"];
    };
    auto by_type = args({{"device_type", "core"}});
    CHECK(by_type["device_type"] == "CORE");
    CHECK(by_type["hostnames"] == json({"sw2", "sw3"}));
    auto by_group = args({{"group", "site-a"}, {"resync", true}});
    CHECK(by_group["group"] == "site-a");
    CHECK(by_group["hostnames"].size() == 3);
    CHECK(args({{"all", true}})["all"] == true);
    auto one = args({{"hostname", "sw1"}, {"dry_run", true}});
    CHECK(one["hostnames"] == json({"sw1"}));
    CHECK(one["dry_run"] == true);
}

namespace {

// True when `ours` has every key of `reference` with the same JSON type, all
// the way down (a null in the reference stands for any value; an array is
// compared through its first element). `where` collects the first mismatch.
bool same_shape(const json& reference, const json& ours, std::string& where, const std::string& path = "") {
    if (reference.is_null()) return true;
    bool same_type = reference.is_number() ? ours.is_number() : reference.type() == ours.type();
    if (!same_type) {
        where = path + ": CNaaS-NMS has " + reference.type_name() + ", ours " + ours.type_name();
        return false;
    }
    if (reference.is_object()) {
        for (auto& [key, value] : reference.items()) {
            if (!ours.contains(key)) {
                where = path + "/" + key + ": missing";
                return false;
            }
            if (!same_shape(value, ours[key], where, path + "/" + key)) return false;
        }
    }
    if (reference.is_array() && !reference.empty()) {
        if (ours.empty()) {
            where = path + ": empty";
            return false;
        }
        return same_shape(reference[0], ours[0], where, path + "[0]");
    }
    return true;
}

// A finished sync job as CNaaS-NMS's documentation prints it
// (docs/apiref/jobs.rst), with scheduled_by, comment and ticket_ref as a
// scheduled job has them, and an exception as db/job.py finish_exception
// writes it.
const json kCnaasJob = json::parse(R"({
  "id": 101, "status": "FINISHED",
  "scheduled_time": "2019-12-05T13:06:03.319761", "start_time": "2019-12-05T13:06:03.375200",
  "finish_time": "2019-12-05T13:06:05.775562", "function_name": "sync_devices",
  "scheduled_by": "admin", "comment": "core swap", "ticket_ref": "CHG-1", "next_job_id": null,
  "result": {"devices": {"eosdist": {"failed": false, "job_tasks": [
      {"diff": "", "failed": false, "result": null, "task_name": "push_sync_device"},
      {"diff": "", "failed": false, "result": "hostname eosdist\n", "task_name": "Generate device config"},
      {"diff": "@@ -16,8 +16,6 @@\n +hostname eosdist\n", "failed": false, "result": null, "task_name": "Sync device config"}]}}},
  "exception": null, "finished_devices": ["eosdist"], "change_score": 21,
  "start_arguments": {"hostnames": ["eosdist"], "dry_run": true, "force": false, "resync": false}
})");
const json kCnaasException = json::parse(R"({"message": "boom", "type": "ValueError", "args": ["boom"],
  "traceback": "Traceback (most recent call last):\n  File ...\nValueError: boom"})");

}  // namespace

TEST_CASE_METHOD(JobsApi, "the job documents the front end reads have CNaaS-NMS's shape", "[api][jobs][shape]") {
    // A sync job as device_syncto schedules it, finished by hand with the
    // documented result; a failed job from the engine's own exception.
    devices::Device sw;
    sw.hostname = "eosdist";
    sw.management_ip = "192.0.2.1";
    devices::DeviceStore(*conn).upsert_all({sw});
    auto scheduled =
        post("/api/v1.0/device_syncto", {{"hostname", "eosdist"}, {"comment", "core swap"}, {"ticket_ref", "CHG-1"}});
    REQUIRE(scheduled.status == 200);
    auto sync = scheduled.body["job_id"].get<std::int64_t>();
    exec(
        "UPDATE jobs SET status = 'FINISHED', start_time = now(), finish_time = now(), change_score = 21, "
        "finished_devices = '[\"eosdist\"]', result = '" +
        kCnaasJob["result"].dump() + "' WHERE id = " + std::to_string(sync));
    auto failed = enqueue("sleep", {{"seconds", "not a number"}});
    start();
    REQUIRE(wait_status(failed, "EXCEPTION"));

    std::string where;
    // cnaas-front's job list (JobList.js: sort, one filter, page, per_page 20).
    auto listed = get("/api/v1.0/jobs?sort=-id&filter[ticket_ref][contains]=CHG&page=1&per_page=20");
    auto jobs = ok(listed)["jobs"];
    REQUIRE(jobs.size() == 1);
    CHECK(listed.header("X-Total-Count") == "1");
    {
        bool same = same_shape(kCnaasJob, jobs[0], where);
        INFO(where);
        CHECK(same);
    }
    // The documentation's request (docs/apiref/jobs.rst), and the job the
    // front end polls after a sync (ConfigChange.js: GET /job/<id>).
    auto documented = ok(get("/api/v1.0/jobs?filter[function.name][contains]=sync&filter_jobresult=config"))["jobs"];
    REQUIRE(documented.size() == 1);
    CHECK(documented[0]["result"]["devices"]["eosdist"]["job_tasks"].size() == 2);
    auto polled = ok(get("/api/v1.0/job/" + std::to_string(sync)))["jobs"];
    REQUIRE(polled.size() == 1);
    {
        bool same = same_shape(kCnaasJob, polled[0], where);
        INFO(where);
        CHECK(same);
    }
    // An exception as the front end shows it (JobDetails.js: traceback a string).
    auto broken = ok(get("/api/v1.0/job/" + std::to_string(failed)))["jobs"][0];
    {
        bool same = same_shape(kCnaasException, broken["exception"], where);
        INFO(where);
        CHECK(same);
    }
    CHECK(broken["status"] == "EXCEPTION");
}
