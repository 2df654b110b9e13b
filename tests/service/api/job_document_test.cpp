// GET /job/<id> of a job whose texts weigh far more than the API may hold
// (issue 16 item 2): the document is streamed a batch of texts at a time,
// whole and valid, masked; memory stays far below its size; a client that
// stops reading is cut without pinning a worker or a database connection; an
// error after the first byte cuts the connection rather than ending a
// shorter document that parses.
//
// The texts are stored directly (devices::JobTexts) under a job whose result
// names them as a sync's does, so no device is needed.
#include "api/jobs_page.h"
#include "defaults.h"
#include "devices/job_texts.h"
#include "devices/secret_masker.h"
#include "http_fixture.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <streambuf>
#include <thread>

#include <unistd.h>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

#if defined(__SANITIZE_ADDRESS__)
// ASan keeps freed memory in a quarantine of 256 MB: every batch the server
// frees would stay resident and the peak would measure the quarantine, not
// the server. This binary only measures memory, so its quarantine is small.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=1:thread_local_quarantine_size_kb=64"; }
#endif

namespace {

const std::string kSecret = "CommunitySecret7";

// About `bytes` of config lines, a secret among them every 100 lines.
std::string config_body(std::size_t bytes) {
    std::string body;
    for (int i = 0; body.size() < bytes; ++i) {
        body += "interface Ethernet" + std::to_string(i) + "\n description uplink " + std::to_string(i) +
                " towards the aggregation layer\n";
        if (i % 100 == 0) body += "snmp-server community " + kSecret + " ro\n";
    }
    return body;
}

std::string diff_body(std::size_t bytes) {
    std::string body = "--- running\n+++ generated\n";
    for (int i = 0; body.size() < bytes; ++i)
        body +=
            "+snmp-server community " + kSecret + " ro\n+ip route 10." + std::to_string(i % 250) + ".0.0/16 Null0\n";
    return body;
}

std::string host_name(int i) {
    char name[16];
    std::snprintf(name, sizeof name, "dev%05d", i);
    return name;
}

// A job of `devices` devices, each naming its generated config (`config`
// bytes, "hostname <host>" first) as a sync's result does; every
// `diff_every`-th device names its whole diff too ("diff of <host>" first).
struct JobShape {
    int devices;
    std::size_t config_bytes;
    int diff_every;
};

// Stored in batches, so that setting the job up does not raise this
// process's peak as much as the request could.
// Ended (FINISHED) unless `status` says otherwise.
std::int64_t make_job(EngineFixture& f, const JobShape& shape, std::size_t diff_bytes = 50 * 1024,
                      const std::string& status = "FINISHED") {
    // A noop that no engine runs, made a sync (this binary registers no sync).
    auto id = f.enqueue("noop");
    const std::string config = config_body(shape.config_bytes), diff = diff_body(diff_bytes);
    json devices_result = json::object();
    devices::JobTexts store(*f.conn);
    for (int from = 0; from < shape.devices; from += 50) {
        std::vector<devices::JobText> texts;
        for (int i = from; i < std::min(shape.devices, from + 50); ++i) {
            texts.push_back(
                {host_name(i), devices::JobTextKind::generated, "hostname " + host_name(i) + "\n" + config});
            if (i % shape.diff_every == 0)
                texts.push_back({host_name(i), devices::JobTextKind::diff, "diff of " + host_name(i) + "\n" + diff});
        }
        auto ids = store.store(id, texts);
        for (std::size_t t = 0; t < texts.size(); ++t) {
            auto& device = devices_result[texts[t].hostname];
            if (texts[t].kind == devices::JobTextKind::diff) {
                device["job_tasks"][2]["diff_id"] = ids[t];
                continue;
            }
            device["failed"] = false;
            device["job_tasks"] = {
                {{"task_name", "push_sync_device"}, {"result", nullptr}, {"diff", ""}, {"failed", false}},
                {{"task_name", "Generate device config"},
                 {"result", nullptr},
                 {"diff", ""},
                 {"failed", false},
                 {"config_id", ids[t]}},
                {{"task_name", "Sync device config"}, {"result", "dry run"}, {"diff", "cut"}, {"failed", false}}};
        }
    }
    pqxx::work tx(*f.conn);
    tx.exec_params(
        "UPDATE jobs SET function_name = 'sync_devices', status = $3, start_time = now(), "
        "finish_time = CASE WHEN $3 IN ('FINISHED', 'EXCEPTION', 'ABORTED') THEN now() END, "
        "result = $1::jsonb WHERE id = $2",
        json{{"devices", std::move(devices_result)}}.dump(), id, status);
    tx.commit();
    return id;
}

// A response's header, and what of its body came with it.
std::pair<std::string, std::string> read_head(RawClient& c) {
    std::string data;
    std::size_t end;
    while ((end = data.find("\r\n\r\n")) == std::string::npos) {
        auto more = c.read_some(60s);
        if (more.empty()) return {data, ""};
        data += more;
    }
    return {data.substr(0, end + 2), data.substr(end + 4)};
}

// A response body as it arrives (chunked, or of a Content-Length), for a
// SAX parser: one piece held at a time.
class BodyReader : public std::streambuf {
public:
    BodyReader(RawClient& c, const std::string& head, std::string already) : c_(c), raw_(std::move(already)) {
        chunked_ = head.find("Transfer-Encoding: chunked") != std::string::npos;
        auto at = head.find("Content-Length: ");
        if (!chunked_ && at != std::string::npos) left_ = std::stoul(head.substr(at + 16));
    }
    bool chunked() const { return chunked_; }
    bool complete() const { return complete_; }  // the body ended as HTTP says it ends
    bool cut() const { return cut_; }            // the connection closed before
    std::size_t bytes() const { return bytes_; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (!next_piece()) return traits_type::eof();
        setg(piece_.data(), piece_.data(), piece_.data() + piece_.size());
        return traits_type::to_int_type(*gptr());
    }

private:
    bool fill(std::size_t n) {
        while (raw_.size() < n) {
            auto more = c_.read_some(60s);
            if (more.empty()) {
                cut_ = true;
                return false;
            }
            raw_ += more;
        }
        return true;
    }

    bool next_piece() {
        if (complete_ || cut_) return false;
        if (chunked_ && left_ == 0) {
            std::size_t eol;
            while ((eol = raw_.find("\r\n")) == std::string::npos)
                if (!fill(raw_.size() + 1)) return false;
            left_ = std::stoul(raw_.substr(0, eol), nullptr, 16);
            raw_.erase(0, eol + 2);
            if (left_ == 0) {
                complete_ = fill(2) && raw_.compare(0, 2, "\r\n") == 0;
                return false;
            }
        }
        if (!chunked_ && left_ == 0) {
            complete_ = true;
            return false;
        }
        if (!fill(1)) return false;
        std::size_t n = std::min(left_, raw_.size());
        piece_ = raw_.substr(0, n);
        raw_.erase(0, n);
        left_ -= n;
        bytes_ += n;
        if (chunked_ && left_ == 0 && fill(2)) raw_.erase(0, 2);
        return true;
    }

    RawClient& c_;
    std::string raw_, piece_;
    std::size_t left_ = 0, bytes_ = 0;
    bool chunked_ = false, complete_ = false, cut_ = false;
};

// Builds the document with each long string (a config, a diff) replaced by
// what it is ("hostname dev00001 + config", say), so that the texts
// are checked as they arrive and never held.
class SummarisingSax {
public:
    SummarisingSax(std::string masked_config, std::string masked_diff)
        : masked_config_(std::move(masked_config)), masked_diff_(std::move(masked_diff)) {}

    json document;
    std::size_t secrets_seen = 0;

    bool null() { return dom_.null(); }
    bool boolean(bool v) { return dom_.boolean(v); }
    bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
    bool number_float(json::number_float_t v, const std::string& s) { return dom_.number_float(v, s); }
    bool string(std::string& s) {
        if (s.find(kSecret) != std::string::npos) ++secrets_seen;
        if (s.size() <= 1024) return dom_.string(s);
        auto nl = s.find('\n');
        std::string_view rest = std::string_view(s).substr(nl + 1);
        std::string what = s.substr(0, nl) + (rest == masked_config_ ? " + config"
                                              : rest == masked_diff_ ? " + diff"
                                                                     : " + something else");
        return dom_.string(what);
    }
    bool binary(json::binary_t& b) { return dom_.binary(b); }
    bool start_object(std::size_t n) { return dom_.start_object(n); }
    bool key(std::string& k) { return dom_.key(k); }
    bool end_object() { return dom_.end_object(); }
    bool start_array(std::size_t n) { return dom_.start_array(n); }
    bool end_array() { return dom_.end_array(); }
    template <class Exception>
    bool parse_error(std::size_t at, const std::string& token, const Exception& e) {
        return dom_.parse_error(at, token, e);
    }

private:
    std::string masked_config_, masked_diff_;
    nlohmann::detail::json_sax_dom_parser<json> dom_{document, false};
};

// The peak resident size starts again from the current one (Linux 4.0).
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

// The hostname of device i of a plain job: mostly dev00000 ..., and a few
// that JSON must escape, or that look like the server's own placeholders.
std::string plain_host(int i) {
    switch (i) {
        case 0: return "quote\"back\\slash";
        case 1:
            return "\xc3\xbc"
                   "n\xc3\xaf"
                   "code-\xe2\x82\xac";  // ünïcode-€
        case 2: return "switchyard-text-00000000000000000000000000000000-0";
        default: return host_name(i);
    }
}

// Device i's entry in a plain job's result: about 800 bytes, no texts named.
json plain_entry(int i) {
    const std::string host = plain_host(i);
    return {{"failed", i % 7 == 0},
            {"job_tasks",
             {{{"task_name", "push_sync_device"},
               {"result", "pushed " + host + std::string(600, '.')},
               {"diff", ""},
               {"failed", false}},
              {{"task_name", "Generate device config"}, {"result", nullptr}, {"diff", ""}, {"failed", false}},
              {{"task_name", "Sync device config"},
               {"result", "dry run"},
               {"diff", "+ntp server " + std::to_string(i)},
               {"failed", i % 7 == 0}}}}};
}

// An ended sync of `devices` devices whose entries are plain_entry(i),
// built by PostgreSQL, so that this process (which serves the API, and
// whose peak the tests measure) never holds the result.
std::int64_t make_plain_job(EngineFixture& f, int devices) {
    auto id = f.enqueue("noop");
    pqxx::work tx(*f.conn);
    tx.exec_params(R"(
        UPDATE jobs SET function_name = 'sync_devices', status = 'FINISHED', start_time = now(), finish_time = now(),
               result = jsonb_build_object('devices', (
                   SELECT jsonb_object_agg(h.name, jsonb_build_object(
                       'failed', i % 7 = 0,
                       'job_tasks', jsonb_build_array(
                           jsonb_build_object('task_name', 'push_sync_device',
                                              'result', 'pushed ' || h.name || repeat('.', 600),
                                              'diff', '', 'failed', false),
                           jsonb_build_object('task_name', 'Generate device config', 'result', NULL,
                                              'diff', '', 'failed', false),
                           jsonb_build_object('task_name', 'Sync device config', 'result', 'dry run',
                                              'diff', '+ntp server ' || i, 'failed', i % 7 = 0))))
                   FROM generate_series(0, $2 - 1) AS i,
                        LATERAL (SELECT CASE i WHEN 0 THEN $3 WHEN 1 THEN $4 WHEN 2 THEN $5
                                               ELSE 'dev' || lpad(i::text, 5, '0') END AS name) AS h))
        WHERE id = $1)",
                   id, devices, plain_host(0), plain_host(1), plain_host(2));
    tx.commit();
    return id;
}

// GET `path` into the file `to`, a piece at a time: what the tests measure
// is the server's memory, not the client's.
struct Fetched {
    std::string head;
    bool chunked = false, complete = false, cut = false;
    std::size_t bytes = 0;
};
Fetched fetch_to_file(int port, const std::string& path, const std::string& token, const std::string& to) {
    RawClient c(port);
    Fetched out;
    if (!c.send_all(http_get(path, token))) return out;
    auto [head, rest] = read_head(c);
    out.head = head;
    BodyReader body(c, head, std::move(rest));
    std::istream in(&body);
    std::ofstream file(to, std::ios::binary | std::ios::trunc);
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) file.write(buffer, in.gcount());
    out.chunked = body.chunked();
    out.complete = body.complete();
    out.cut = body.cut();
    out.bytes = body.bytes();
    return out;
}

json read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return json::parse(in);
}

const json* task_named(const json& job, const std::string& host, const std::string& name) {
    for (auto& t : job["result"]["devices"][host]["job_tasks"])
        if (t["task_name"] == name) return &t;
    return nullptr;
}

}  // namespace

TEST_CASE_METHOD(HttpFixture,
                 "GET /job/<id> streams 2,000 devices' configs (170 MB) whole and masked in bounded memory; "
                 "filter_jobresult=config strips them",
                 "[api][job_document]") {
    // 80 KB configs: a 170 MB document, so that the fixed costs (the job's
    // result parsed and cut, ASan's own) leave the bound a wide margin.
    const JobShape shape{2000, 80 * 1024, 10};
    auto id = make_job(*this, shape);
    const std::string masked_config = devices::safe_text(config_body(shape.config_bytes));
    const std::string masked_diff = devices::safe_text(diff_body(50 * 1024));
    REQUIRE(masked_config.find("snmp-server community **** ro\n") != std::string::npos);
    REQUIRE(masked_config.find(kSecret) == std::string::npos);
    REQUIRE(masked_diff.find(kSecret) == std::string::npos);

    auto get = [&](const std::string& query) {
        RawClient c(port());
        REQUIRE(c.send_all(http_get("/api/v1.0/job/" + std::to_string(id) + query, token("read"))));
        auto [head, rest] = read_head(c);
        INFO(head);
        REQUIRE(head.rfind("HTTP/1.1 200", 0) == 0);
        BodyReader body(c, head, std::move(rest));
        std::istream in(&body);
        SummarisingSax sax(masked_config, masked_diff);
        bool valid = json::sax_parse(in, &sax);
        CHECK(body.chunked());
        CHECK(valid);
        CHECK(body.complete());
        CHECK(sax.secrets_seen == 0);
        return std::pair(std::move(sax.document), body.bytes());
    };

    reset_peak_rss();
    const long peak_before = proc_status_kib("VmHWM:");
    auto [shown, bytes] = get("");
    const long growth_kib = proc_status_kib("VmHWM:") - peak_before;
    INFO("document " << bytes / 1024 << " KiB, peak resident size grew by " << growth_kib << " KiB");
    REQUIRE(bytes > 160u * 1024 * 1024);
    CHECK(growth_kib * 1024 < static_cast<long>(bytes / 4));

    REQUIRE(shown["status"] == "success");
    auto& job = shown["data"]["jobs"][0];
    CHECK(job["id"] == id);
    REQUIRE(job["result"]["devices"].size() == static_cast<std::size_t>(shape.devices));
    int configs = 0, diffs = 0;
    for (int i = 0; i < shape.devices; ++i) {
        auto host = host_name(i);
        auto* generated = task_named(job, host, "Generate device config");
        auto* sync = task_named(job, host, "Sync device config");
        REQUIRE(generated);
        REQUIRE(sync);
        configs += (*generated)["result"] == "hostname " + host + " + config";
        CHECK((*generated)["config_id"].is_number_integer());
        if (i % shape.diff_every == 0) diffs += (*sync)["diff"] == "diff of " + host + " + diff";
        else diffs += (*sync)["diff"] == "cut";
    }
    CHECK(configs == shape.devices);
    CHECK(diffs == shape.devices);

    // filter_jobresult=config: no config, the diffs still in place.
    auto [slim, slim_bytes] = get("?filter_jobresult=config");
    auto& slim_job = slim["data"]["jobs"][0];
    CHECK(slim_bytes < bytes / 5);  // the 200 whole diffs
    CHECK_FALSE(task_named(slim_job, host_name(0), "Generate device config"));
    CHECK_FALSE(task_named(slim_job, host_name(1999), "Generate device config"));
    CHECK((*task_named(slim_job, host_name(10), "Sync device config"))["diff"] ==
          "diff of " + host_name(10) + " + diff");
    CHECK(slim.dump().find("+ config") == std::string::npos);
}

namespace {

// One API worker and one pooled connection: a request served while a
// client stalls a stream shows that the stream holds neither. Writes time
// out after 2 s.
void one_worker_one_connection(Settings& s) {
    s.api.threads = 1;
    s.database.pool_size = 1;
    s.api.write_timeout_seconds = std::chrono::seconds(2);
}
using StalledDocument = HttpFixtureWith<one_worker_one_connection>;

}  // namespace

TEST_CASE_METHOD(StalledDocument,
                 "a client reading a job document one byte a second is cut within api.write_timeout_seconds, "
                 "holding no worker or database connection meanwhile",
                 "[api][job_document]") {
    auto big = make_job(*this, {400, 50 * 1024, 1000});  // 20 MB
    auto small = make_job(*this, {1, 1024, 1000});

    RawClient slow(port(), 4096);
    auto started = std::chrono::steady_clock::now();
    REQUIRE(slow.send_all(http_get("/api/v1.0/job/" + std::to_string(big), token("read"))));
    std::string got;
    bool served_meanwhile = false, let_go = false, counted = false;
    // One byte a second until the server lets go of the connection.
    while (std::chrono::steady_clock::now() - started < 60s) {
        char byte;
        if (::recv(slow.fd(), &byte, 1, MSG_DONTWAIT) == 1) got += byte;
        if (!served_meanwhile && got.size() >= 2) {
            // The only worker and the only pooled connection are free while
            // the stream waits for its client.
            auto r = request(http_get("/api/v1.0/job/" + std::to_string(small), token("read")));
            served_meanwhile = r.status == 200 && r.body.find("hostname dev00000") != std::string::npos;
        }
        // No connection counted yet may mean not accepted yet (it once
        // read as "let go" at 0 s on a loaded machine): only a connection
        // seen, or bytes from it, make a count of 0 mean it was closed.
        if (server->connections() > 0) counted = true;
        if ((counted || !got.empty()) && server->connections() == 0) {
            let_go = true;
            break;
        }
        std::this_thread::sleep_for(1s);
    }
    auto held = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
    INFO("held " << held.count() << " s, the client had read " << got.size() << " bytes");
    CHECK(served_meanwhile);
    REQUIRE(let_go);
    // The socket buffers take what the server wrote before it stalled; then
    // one write waits 2 s. Generous: a loaded machine, the pulls themselves.
    CHECK(held < 20s);
    CHECK(got.size() < 40);

    // What was in flight still arrives: a streamed document, cut short (no
    // last chunk).
    REQUIRE(slow.wait_closed(60s, &got));
    auto head_end = got.find("\r\n\r\n");
    REQUIRE(head_end != std::string::npos);
    CHECK(got.substr(0, head_end).find("Transfer-Encoding: chunked") != std::string::npos);
    CHECK(got.size() < 20u * 1024 * 1024);
    CHECK(got.substr(got.size() - 5) != "0\r\n\r\n");
}

namespace {

// Job `id`'s document (over 20 MB) is asked for, its head read, then
// `statement` run while the client reads no more: the server can have
// written what the socket buffers hold (a few MB). What follows must be a
// cut connection, never the end of a shorter document.
void check_cut_when(HttpFixture& f, std::int64_t id, const std::string& statement) {
    RawClient c(f.port(), 4096);
    REQUIRE(c.send_all(http_get("/api/v1.0/job/" + std::to_string(id), f.token("read"))));
    auto [head, rest] = read_head(c);
    INFO(head);
    REQUIRE(head.rfind("HTTP/1.1 200", 0) == 0);
    {
        pqxx::work tx(*f.conn);
        tx.exec(statement);
        tx.commit();
    }
    BodyReader body(c, head, std::move(rest));
    std::istream in(&body);
    SummarisingSax sax("", "");
    CHECK_FALSE(json::sax_parse(in, &sax));
    CHECK(body.chunked());
    CHECK(body.cut());
    CHECK_FALSE(body.complete());
    CHECK(body.bytes() < 20u * 1024 * 1024);
}

}  // namespace

TEST_CASE_METHOD(HttpFixture, "an error after a job document's first byte cuts the connection, never ends the document",
                 "[api][job_document]") {
    auto id = make_job(*this, {400, 50 * 1024, 1000});  // 20 MB
    check_cut_when(*this, id, "ALTER TABLE device_config_texts RENAME TO device_config_texts_gone");
}

namespace {
// One API worker: each worker keeps freed memory of its own in the
// allocator's cache, which a peak would count once per worker that served a
// part.
void one_worker(Settings& s) { s.api.threads = 1; }
using OneWorker = HttpFixtureWith<one_worker>;
}  // namespace

TEST_CASE_METHOD(OneWorker,
                 "GET /job/<id> reads an ended job's 30,000 devices a batch at a time: the whole result, in memory "
                 "far below its size; filter_jobresult trims every device",
                 "[api][job_document]") {
    const int devices = 30000;
    auto id = make_plain_job(*this, devices);
    const std::string file =
        (std::filesystem::temp_directory_path() / ("switchyard-job-document-" + std::to_string(::getpid()) + ".json"))
            .string();
    struct Removed {
        std::string path;
        ~Removed() { std::filesystem::remove(path); }
    } removed{file};

    // The first streamed answer starts API workers and pooled connections
    // (20 MB and more under ASan, whatever the document's size): a smaller
    // job is read first, so that the peak measures the document.
    auto warm =
        fetch_to_file(port(), "/api/v1.0/job/" + std::to_string(make_plain_job(*this, 3000)), token("read"), file);
    REQUIRE(warm.complete);

    reset_peak_rss();
    const long peak_before = proc_status_kib("VmHWM:");
    auto got = fetch_to_file(port(), "/api/v1.0/job/" + std::to_string(id), token("read"), file);
    const long growth_kib = proc_status_kib("VmHWM:") - peak_before;
    INFO(got.head);
    INFO("document " << got.bytes / 1024 << " KiB, peak resident size grew by " << growth_kib << " KiB");
    REQUIRE(got.head.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(got.chunked);
    REQUIRE(got.complete);
    REQUIRE(got.bytes > 20u * 1024 * 1024);
    // Built as a tree, the result took five to seven times its text. Read a
    // batch at a time, the peak stops growing after a few batches (about
    // 10 MB here, most of it ASan's); one worker, so that each worker's own
    // allocator cache is not counted again.
    CHECK(growth_kib * 1024 < static_cast<long>(got.bytes / 2));

    json shown = read_json_file(file);
    REQUIRE(shown["status"] == "success");
    auto& job = shown["data"]["jobs"][0];
    CHECK(job["id"] == id);
    CHECK(job["status"] == "FINISHED");
    auto& result = job["result"]["devices"];
    REQUIRE(result.size() == static_cast<std::size_t>(devices));
    int same = 0;
    for (int i = 0; i < devices; ++i) same += result.value(plain_host(i), json()) == plain_entry(i);
    CHECK(same == devices);

    // Only the push task is left of each device's three.
    got = fetch_to_file(port(), "/api/v1.0/job/" + std::to_string(id) + "?filter_jobresult=config,diff", token("read"),
                        file);
    REQUIRE(got.complete);
    json slim = read_json_file(file);
    auto& slim_result = slim["data"]["jobs"][0]["result"]["devices"];
    REQUIRE(slim_result.size() == static_cast<std::size_t>(devices));
    int trimmed = 0;
    for (int i = 0; i < devices; ++i) {
        json expected = plain_entry(i);
        expected["job_tasks"] = json::array({expected["job_tasks"][0]});
        trimmed += slim_result.value(plain_host(i), json()) == expected;
    }
    CHECK(trimmed == devices);
}

TEST_CASE_METHOD(HttpFixture, "a job deleted while its document is read cuts the connection, never ends the document",
                 "[api][job_document]") {
    auto id = make_plain_job(*this, 30000);  // 24 MB
    check_cut_when(*this, id, "DELETE FROM jobs WHERE id = " + std::to_string(id));
}

TEST_CASE_METHOD(HttpFixture, "a running job's document is read whole, its texts in place, with a Content-Length",
                 "[api][job_document]") {
    auto id = make_job(*this, {3, 4096, 1}, 2048, "RUNNING");
    auto r = request(http_get("/api/v1.0/job/" + std::to_string(id), token("read")));
    REQUIRE(r.status == 200);
    CHECK(r.head.find("Content-Length: ") != std::string::npos);
    CHECK(r.head.find("Transfer-Encoding: chunked") == std::string::npos);
    auto job = json::parse(r.body)["data"]["jobs"][0];
    CHECK(job["status"] == "RUNNING");
    REQUIRE(job["result"]["devices"].size() == 3);
    for (int i = 0; i < 3; ++i) {
        auto host = host_name(i);
        CHECK((*task_named(job, host, "Generate device config"))["result"] ==
              "hostname " + host + "\n" + devices::safe_text(config_body(4096)));
        CHECK((*task_named(job, host, "Sync device config"))["diff"] ==
              "diff of " + host + "\n" + devices::safe_text(diff_body(2048)));
    }
    CHECK(r.body.find(kSecret) == std::string::npos);
}

// GET /jobs never inlines texts, but the result of a job of many devices is
// large on its own (13.5 MB at 10,000 devices): a page over 1 MiB is sent
// from the texts the page holds, a slice at a time (chunked), not copied
// into one body first (service/api/jobs_routes.cpp).
TEST_CASE_METHOD(HttpFixture, "a GET /jobs page over 1 MiB is streamed whole, with its count and links",
                 "[api][job_document][jobs_page]") {
    auto id = make_job(*this, {4000, 64, 1000});
    const auto stored = job(id)["result"];
    for (int pass = 0; pass < 2; ++pass) {  // read from PostgreSQL, then from the cache
        INFO("pass " << pass);
        RawClient c(port());
        REQUIRE(c.send_all(http_get("/api/v1.0/jobs?filter[id]=" + std::to_string(id), token("read"))));
        auto [head, rest] = read_head(c);
        INFO(head);
        REQUIRE(head.rfind("HTTP/1.1 200", 0) == 0);
        CHECK(head.find("X-Total-Count: 1\r\n") != std::string::npos);
        CHECK(head.find("Link: ") != std::string::npos);
        BodyReader body(c, head, std::move(rest));
        std::istream in(&body);
        json page = json::parse(in);
        CHECK(body.chunked());
        CHECK(body.complete());
        CHECK(body.bytes() > (1u << 20));
        REQUIRE(page["data"]["jobs"].size() == 1);
        CHECK(page["status"] == "success");
        CHECK(page["data"]["jobs"][0]["id"] == id);
        CHECK(page["data"]["jobs"][0]["result"] == stored);
    }
    // A small page keeps its Content-Length.
    auto small = make_job(*this, {3, 64, 1000});
    auto r = request(http_get("/api/v1.0/jobs?filter[id]=" + std::to_string(small), token("read")));
    REQUIRE(r.status == 200);
    CHECK(r.head.find("Content-Length: ") != std::string::npos);
}

// libpq keeps its input buffer at the size of the largest answer a
// connection read until that connection closes: a pooled connection that
// read a 10,000-device job's document kept 13.5 MB for the life of the
// process. A page that read more than kPooledConnectionMaxReadBytes closes
// its connection; one that read little gives it back (service/api/jobs_page.cpp).
TEST_CASE_METHOD(HttpFixture, "a GET /jobs page that read a large document does not keep its connection",
                 "[api][job_document][jobs_page]") {
    auto large = make_job(*this, {4000, 64, 1000});
    auto small = make_job(*this, {3, 64, 1000});
    REQUIRE(job(large).dump().size() > defaults::kPooledConnectionMaxReadBytes);
    store::ConnectionPool pool(url, 1, std::chrono::seconds(10));
    api::JobDocumentCache cache(std::size_t{64} << 20);
    auto backend = [&] { return pool.with([](pqxx::connection& c) { return c.backendpid(); }); };
    auto page_of = [&](std::int64_t id) {
        auto page = api::read_jobs_page(pool, cache, api::parse_jobs_query({{"filter[id]", std::to_string(id)}}));
        REQUIRE(page.documents.size() == 1);
        return page;
    };

    const int first = backend();
    page_of(small);
    CHECK(backend() == first);
    page_of(large);  // read from PostgreSQL: the connection is closed
    const int second = backend();
    CHECK(second != first);
    page_of(large);  // from the cache: nothing large was read
    CHECK(backend() == second);
}
