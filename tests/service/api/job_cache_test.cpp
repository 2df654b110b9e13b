// GET /jobs with ended jobs' documents kept in memory (issue 14, the API
// tail; service/api/job_document_cache.h): the cache on its own (one version
// per job, least recently used out, bounded by bytes, shared by threads), then
// the API against a real PostgreSQL beside a server that keeps nothing: the
// same pages, a changed job read anew, a running job never kept, the bound,
// filter_jobresult trimming what is kept whole.
#include "../api_server_fixture.h"
#include "api/job_document_cache.h"
#include "defaults.h"

#include <httplib.h>

#include <atomic>
#include <thread>

using namespace switchyard;
using namespace switchyard::testing;
using api::JobDocumentCache;
using nlohmann::json;

namespace {

JobDocumentCache::Text text(std::size_t size, char fill) { return JobDocumentCache::owning(std::string(size, fill)); }

// How many of `versions` the cache holds.
std::size_t held(JobDocumentCache& cache, const std::vector<JobDocumentCache::Version>& versions) {
    std::size_t n = 0;
    for (auto& t : cache.find(versions)) n += t ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("the job document cache keeps one version per job, least recently used out", "[api][job_cache]") {
    const std::size_t entry = JobDocumentCache::entry_bytes(100);
    JobDocumentCache cache(3 * entry);
    REQUIRE(cache.enabled());
    cache.insert({1, 10}, text(100, 'a'));
    cache.insert({2, 20}, text(100, 'b'));
    cache.insert({3, 30}, text(100, 'c'));
    auto found = cache.find({{1, 10}, {2, 20}, {3, 30}, {4, 40}});
    REQUIRE(found[0]);
    CHECK(found[0]->joined() == std::string(100, 'a'));
    CHECK(found[2]->joined() == std::string(100, 'c'));
    CHECK_FALSE(found[3]);
    CHECK(cache.stats().entries == 3);
    CHECK(cache.stats().bytes == 3 * entry);

    // Another version of a job is a miss, and a kept one replaces it.
    CHECK_FALSE(cache.find({{1, 11}})[0]);
    cache.insert({1, 11}, text(100, 'A'));
    CHECK(cache.stats().entries == 3);
    CHECK_FALSE(cache.find({{1, 10}})[0]);
    CHECK(cache.find({{1, 11}})[0]->joined() == std::string(100, 'A'));

    // Used last: 1 (just now); 3 and 2 before it. Job 2 is used now, so the
    // next insert drops job 3, the least recently used, not the oldest insert.
    CHECK(held(cache, {{2, 20}}) == 1);
    cache.insert({4, 40}, text(100, 'd'));
    CHECK(cache.stats().evictions == 1);
    CHECK(held(cache, {{3, 30}}) == 0);
    CHECK(held(cache, {{1, 11}, {2, 20}, {4, 40}}) == 3);
    CHECK(cache.stats().bytes == 3 * entry);

    // A larger text makes room for itself; one beyond the whole bound is not
    // kept (and evicts nothing).
    cache.insert({5, 50}, text(200 + JobDocumentCache::entry_bytes(0), 'e'));
    CHECK(held(cache, {{5, 50}}) == 1);
    CHECK(cache.stats().bytes <= 3 * entry);
    auto before = cache.stats();
    cache.insert({6, 60}, text(3 * entry, 'f'));
    CHECK(held(cache, {{6, 60}}) == 0);
    CHECK(cache.stats().entries == before.entries);

    JobDocumentCache none(0);
    CHECK_FALSE(none.enabled());
    none.insert({1, 10}, text(1, 'a'));
    CHECK(held(none, {{1, 10}}) == 0);
    CHECK(none.stats().bytes == 0);
}

TEST_CASE("the job document cache is shared by threads within its bound", "[api][job_cache]") {
    const std::size_t bound = 50 * JobDocumentCache::entry_bytes(64);
    JobDocumentCache cache(bound);
    std::atomic<int> wrong{0};  // texts found that are not the job's (Catch2 asserts on this thread only)
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20000; ++i) {
                std::int64_t id = (i * 7 + t) % 120;
                JobDocumentCache::Version v{id, i % 3};
                auto got = cache.find({v})[0];
                cache.count(got ? 1 : 0, got ? 0 : 1);
                if (!got) cache.insert(v, text(64 + id % 5, 'x'));
                else if (got->size() != 64 + static_cast<std::size_t>(id % 5)) ++wrong;
            }
        });
    for (auto& t : threads) t.join();
    CHECK(wrong == 0);
    auto s = cache.stats();
    CHECK(s.bytes <= bound);
    CHECK(s.hits + s.misses == 80000);
    CHECK(s.evictions > 0);
    // What it counts is what it holds.
    std::vector<JobDocumentCache::Version> all;
    for (std::int64_t id = 0; id < 120; ++id)
        for (std::int64_t v = 0; v < 3; ++v) all.push_back({id, v});
    std::size_t bytes = 0;
    for (auto& t : cache.find(all))
        if (t) bytes += JobDocumentCache::entry_bytes(t->size());
    CHECK(bytes == s.bytes);
}

namespace {

// Two API servers on one fresh database: the fixture's own keeping ended
// jobs' documents (api.job_cache_bytes as the test sets it), `uncached`
// keeping none.
struct CachedApi : ApiServerFixture {
    InProcessApi uncached;

    void start_api(std::size_t cache_bytes = 64 << 20) {
        Settings with = settings;
        with.api.job_cache_bytes = static_cast<int>(cache_bytes);
        open(with, registry, url, auth, std::chrono::seconds(30));
        with.api.job_cache_bytes = 0;
        uncached.open(with, registry, url, auth, std::chrono::seconds(30));
        REQUIRE(ctx->job_documents.enabled());
        REQUIRE_FALSE(uncached.ctx->job_documents.enabled());
    }

    httplib::Result get(httplib::Client& c, const std::string& path) {
        auto r = c.Get(path.c_str(), as("read"));
        REQUIRE(r);
        INFO(path << " -> " << r->status << ": " << r->body.substr(0, 2000));
        REQUIRE(r->status == 200);
        return r;
    }
    json jobs(const std::string& query) {
        return json::parse(get(*client, "/api/v1.0/jobs?" + query)->body)["data"]["jobs"];
    }
    // The one job `id` as GET /jobs shows it, through the caching server.
    json listed(std::int64_t id) {
        auto page = jobs("filter[id]=" + std::to_string(id));
        REQUIRE(page.size() == 1);
        return page[0];
    }
    JobDocumentCache::Stats stats() { return ctx->job_documents.stats(); }

    // A job ended by hand as the engine ends one (`kind` need not be
    // registered: only the document's function_name matters here).
    std::int64_t ended(const std::string& status, const std::string& kind = "noop", const json& result = {}) {
        auto id = enqueue("noop");
        exec("UPDATE jobs SET status = '" + status + "', function_name = '" + kind +
             "', attempt = 1, start_time = now() - interval '2 seconds', finish_time = now(), result = '" +
             (result.is_null() ? json{{"message", "done"}} : result).dump() + "' WHERE id = " + std::to_string(id));
        return id;
    }
    // A job running in its first attempt, no estimate (its eta_seconds null,
    // so two servers' pages can be compared byte for byte).
    std::int64_t running() {
        auto id = enqueue("noop");
        exec(
            "UPDATE jobs SET status = 'RUNNING', attempt = 1, start_time = now(), estimated_seconds = NULL "
            "WHERE id = " +
            std::to_string(id));
        return id;
    }
};

// A sync job's result as CNaaS-NMS shows it: per device, the config it
// generated and the diff, which filter_jobresult drops.
const json kSyncResult = json::parse(R"({"devices": {"sw1": {"failed": false, "job_tasks": [
    {"task_name": "push_sync_device", "result": null, "diff": "", "failed": false},
    {"task_name": "Generate device config", "result": "hostname sw1\n", "diff": "", "failed": false},
    {"task_name": "Sync device config", "result": null, "diff": "+hostname sw1\n", "failed": false}]}}})");

}  // namespace

TEST_CASE_METHOD(CachedApi, "GET /jobs answers the same with and without the job cache", "[api][job_cache]") {
    start_api();
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 6; ++i) ids.push_back(ended(i % 3 == 0 ? "FINISHED" : i % 3 == 1 ? "EXCEPTION" : "ABORTED"));
    ids.push_back(ended("FINISHED", "sync_devices", kSyncResult));
    ids.push_back(running());
    ids.push_back(enqueue("noop"));  // SCHEDULED
    auto aborting = running();
    exec("UPDATE jobs SET status = 'ABORTING' WHERE id = " + std::to_string(aborting));

    const std::vector<std::string> queries = {
        "",
        "sort=-id",
        "per_page=3&page=2&sort=-id",
        "per_page=4&page=3",
        "sort=-finish_time",
        "sort=status",
        "filter[status]=FINISHED",
        "filter[status]=RUNNING",
        "filter[function_name]=sync_devices&filter_jobresult=config,diff",
        "filter_jobresult=diff",
        "filter[result][contains]=done&sort=-id&per_page=2",
        "filter[attempt]=1&per_page=5",
        "page=9",
    };
    // Twice: the first pass fills the cache, the second answers from it.
    for (int pass = 1; pass <= 2; ++pass)
        for (auto& q : queries) {
            auto path = "/api/v1.0/jobs?" + q;
            auto cached = get(*client, path);
            auto plain = get(*uncached.client, path);
            INFO("pass " << pass << ": " << path);
            CHECK(cached->body == plain->body);
            CHECK(cached->get_header_value("X-Total-Count") == plain->get_header_value("X-Total-Count"));
            CHECK(cached->get_header_value("Link") == plain->get_header_value("Link"));
        }
    CHECK(json::parse(get(*client, "/api/v1.0/jobs?per_page=1000")->body)["data"]["jobs"].size() == ids.size() + 1);
    // The count rides on the page's rows; an empty page counts apart.
    CHECK(get(*client, "/api/v1.0/jobs?per_page=2")->get_header_value("X-Total-Count") == "10");
    CHECK(get(*client, "/api/v1.0/jobs?filter[status]=FINISHED")->get_header_value("X-Total-Count") == "3");
    CHECK(get(*client, "/api/v1.0/jobs?page=9")->get_header_value("X-Total-Count") == "10");
    CHECK(get(*client, "/api/v1.0/jobs?filter[comment][contains]=none")->get_header_value("X-Total-Count") == "0");
    auto s = stats();
    // Only the seven ended jobs are kept: never the running, aborting or
    // scheduled ones.
    CHECK(s.entries == 7);
    CHECK(s.hits > s.misses);
    CHECK(uncached.ctx->job_documents.stats().hits + uncached.ctx->job_documents.stats().misses == 0);
}

// An ended job's document is read in pieces, its devices a row each
// (service/api/jobs_page.h), and sent without being joined: the page is the
// one the view's whole document makes, byte for byte, whatever the devices
// are called and whatever the rest of the result holds, also when the page is
// large enough to be sent in slices across the pieces.
TEST_CASE_METHOD(CachedApi, "an ended job's document read in pieces is the view's document, byte for byte",
                 "[api][job_cache]") {
    start_api();
    auto with_result = [&](const json& result, const std::string& kind = "sync_devices") {
        auto id = ended("FINISHED", kind);
        pqxx::work tx(*conn);
        tx.exec_params("UPDATE jobs SET result = $1::jsonb WHERE id = $2", result.dump(), id);
        tx.commit();
        return id;
    };
    json hostile = json::object();
    for (std::string name :
         {std::string("sw\"1"), std::string("back\\slash"), std::string("tab\there"), std::string("caf\u00e9 \u2603"),
          std::string("ctl\x01"), std::string("'; DROP TABLE jobs; --"), std::string("devices"),
          std::string("\"devices\": {}"), std::string("")})
        hostile[name] = {{"failed", false}, {"note", name + " \"devices\": \"switchyard-text-0-\""}};
    json large = json::object();
    for (int i = 0; i < 3000; ++i)
        large["sw" + std::to_string(i)] = {{"failed", i % 7 == 0},
                                           {"change_score", i % 101},
                                           {"job_tasks", kSyncResult["devices"]["sw1"]["job_tasks"]},
                                           {"padding", std::string(300, 'x')}};
    const std::vector<std::int64_t> ids = {
        with_result(
            {{"devices", hostile}, {"message", "with a \"devices\": {} inside"}, {"a", {{"devices", json::object()}}}}),
        with_result({{"devices", json::object()}}),
        with_result({{"devices", "not an object"}}),
        with_result({{"devices", json::array({1, 2})}, {"x", 1}}),
        with_result(json::object()),
        with_result({{"devices", large}, {"message", "large"}}),
        with_result({{"devices", large}, {"message", "large too"}}),
        with_result({{"devices", hostile}, {"message", "not a sync: not trimmed"}}, "noop"),
    };
    // Each alone, then all on one page (two large documents, sent in slices);
    // trimmed by filter_jobresult a device at a time, as the whole job is.
    for (int pass = 1; pass <= 2; ++pass) {
        for (auto id : ids)
            for (std::string filter : {"", "&filter_jobresult=config,diff", "&filter_jobresult=diff"}) {
                auto path = "/api/v1.0/jobs?filter[id]=" + std::to_string(id) + filter;
                INFO("pass " << pass << ": " << path);
                CHECK(get(*client, path)->body == get(*uncached.client, path)->body);
            }
        auto trimmed = json::parse(get(*client, "/api/v1.0/jobs?sort=id&filter_jobresult=config")->body);
        CHECK(trimmed["data"]["jobs"][5]["result"]["devices"]["sw7"]["job_tasks"].size() == 2);
        CHECK(trimmed["data"]["jobs"][0]["result"]["devices"] == hostile);
        auto cached = get(*client, "/api/v1.0/jobs?sort=id");
        CHECK(cached->body == get(*uncached.client, "/api/v1.0/jobs?sort=id")->body);
        CHECK(cached->body.size() > 2 * defaults::kJobTextBatchBytes);
        CHECK(json::parse(cached->body)["data"]["jobs"][0]["result"]["devices"] == hostile);
    }
    CHECK(stats().entries == ids.size());
}

TEST_CASE_METHOD(CachedApi, "an ended job comes from memory until its row changes; a running job is read every time",
                 "[api][job_cache]") {
    start_api();
    auto done = ended("FINISHED");
    auto busy = running();

    CHECK(listed(done)["status"] == "FINISHED");
    CHECK(stats().misses == 1);
    CHECK(stats().hits == 0);
    CHECK(listed(done)["status"] == "FINISHED");
    CHECK(stats().misses == 1);
    CHECK(stats().hits == 1);

    // Any change to the row (here the comment, as a hand edit would; RETRY's
    // retried_by is another) names a version the cache does not hold.
    exec("UPDATE jobs SET comment = 'looked at' WHERE id = " + std::to_string(done));
    CHECK(listed(done)["comment"] == "looked at");
    CHECK(stats().misses == 2);
    CHECK(listed(done)["comment"] == "looked at");
    CHECK(stats().hits == 2);

    // A running job: each page shows its last write, and it is never kept.
    CHECK(listed(busy)["finished_devices"] == json::array());
    exec("UPDATE jobs SET finished_devices = '[\"sw1\"]', progress = '{\"total\": 2}' WHERE id = " +
         std::to_string(busy));
    CHECK(listed(busy)["finished_devices"] == json::array({"sw1"}));
    exec("UPDATE jobs SET finished_devices = '[\"sw1\", \"sw2\"]' WHERE id = " + std::to_string(busy));
    CHECK(listed(busy)["finished_devices"] == json::array({"sw1", "sw2"}));
    CHECK(stats().entries == 1);
    CHECK(stats().hits + stats().misses == 4);  // the running job's pages never asked the cache
    // Its end shows on the next page, then comes from memory.
    exec("UPDATE jobs SET status = 'FINISHED', finish_time = now(), result = '{\"devices\": {}}' WHERE id = " +
         std::to_string(busy));
    CHECK(listed(busy)["status"] == "FINISHED");
    CHECK(listed(busy)["result"] == json{{"devices", json::object()}});
    CHECK(stats().entries == 2);
    CHECK(stats().hits == 3);

    // A job the cleaner deleted is gone from the page, whatever is kept.
    exec("DELETE FROM jobs WHERE id = " + std::to_string(done));
    CHECK(jobs("filter[id]=" + std::to_string(done)).empty());
    CHECK(jobs("sort=id").size() == 1);
}

TEST_CASE_METHOD(CachedApi, "the job cache stays within api.job_cache_bytes", "[api][job_cache]") {
    // Room for about two of the jobs below.
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 6; ++i) ids.push_back(ended("FINISHED"));
    std::size_t one = 0;
    {
        pqxx::read_transaction tx(*conn);
        one = tx.exec("SELECT max(length(document)) FROM job_documents")[0][0].as<std::size_t>();
    }
    const std::size_t bound = 2 * JobDocumentCache::entry_bytes(one) + 10;
    start_api(bound);
    for (int pass = 0; pass < 2; ++pass) {
        auto page = jobs("sort=id");
        REQUIRE(page.size() == ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) CHECK(page[i]["id"] == ids[i]);
        CHECK(stats().bytes <= bound);
        CHECK(stats().entries == 2);
    }
    // Each pass looks the whole page up before keeping what it lacked: the
    // second finds the two the first kept last, then keeps (and drops) the
    // four others again.
    CHECK(stats().hits == 2);
    CHECK(stats().evictions == 2 * (ids.size() - 2));
    CHECK(get(*client, "/api/v1.0/jobs?sort=id")->body == get(*uncached.client, "/api/v1.0/jobs?sort=id")->body);

    // What /metrics says of it.
    auto metrics = client->Get("/api/v1.0/metrics", as("read"));
    REQUIRE(metrics);
    auto s = stats();
    INFO(metrics->body);
    CHECK(metrics->body.find("switchyard_job_cache_lookups_total{outcome=\"hit\"} " + std::to_string(s.hits) + "\n") !=
          std::string::npos);
    CHECK(metrics->body.find("switchyard_job_cache_lookups_total{outcome=\"miss\"} " + std::to_string(s.misses) +
                             "\n") != std::string::npos);
    CHECK(metrics->body.find("switchyard_job_cache_bytes " + std::to_string(s.bytes) + "\n") != std::string::npos);
}

TEST_CASE_METHOD(CachedApi, "filter_jobresult trims a kept document, which stays whole", "[api][job_cache]") {
    start_api();
    auto sync = ended("FINISHED", "sync_devices", kSyncResult);
    auto task_names = [](const json& job) {
        std::vector<std::string> names;
        for (auto& t : job["result"]["devices"]["sw1"]["job_tasks"]) names.push_back(t["task_name"]);
        return names;
    };
    const std::vector<std::string> whole = {"push_sync_device", "Generate device config", "Sync device config"};
    CHECK(task_names(listed(sync)) == whole);
    CHECK(stats().misses == 1);
    auto trimmed = jobs("filter_jobresult=config,diff");
    REQUIRE(trimmed.size() == 1);
    CHECK(task_names(trimmed[0]) == std::vector<std::string>{"push_sync_device"});
    CHECK(task_names(jobs("filter_jobresult=diff")[0]) ==
          std::vector<std::string>{"push_sync_device", "Generate device config"});
    CHECK(stats().hits == 2);
    // Trimming worked on a copy: the kept text is whole.
    CHECK(task_names(listed(sync)) == whole);
    CHECK(stats().hits == 3);
    CHECK(stats().misses == 1);
}
