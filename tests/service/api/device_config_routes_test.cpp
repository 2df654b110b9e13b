// GET /device/<hostname>/configs[/<id>[/diff]] in-process against a real
// PostgreSQL: paging, 404s, 400 for bad ids, secrets masked, roles.
#include "../api_server_fixture.h"
#include "devices/config_history.h"
#include "devices/device_store.h"

#include <httplib.h>

using namespace switchyard;
using nlohmann::json;

namespace {

const std::string kRunning = "hostname r1\nusername admin password hunter2\ninterface eth0\n ip address 10.0.0.1/24\n";
const std::string kPushed = "hostname r1\nusername admin password hunter3\ninterface eth0\n ip address 10.0.0.2/24\n";

struct ConfigApi : testing::ApiServerFixture {
    std::vector<std::int64_t> ids;  // r1's records, oldest first

    ConfigApi() {
        start_api();
        std::vector<devices::Device> list(2);
        list[0].hostname = "r1";
        list[0].management_ip = "192.0.2.1";
        list[1].hostname = "r2";
        list[1].management_ip = "192.0.2.2";
        list[1].platform = devices::Platform::eos;
        devices::DeviceStore(*conn).upsert_all(list);
        devices::ConfigHistory history(*conn);
        // read, pushed, re-read of the pushed config (same confhash), then r2's.
        history.record({{"r1", kRunning, 1, "read"},
                        {"r1", kPushed, 1, "pushed"},
                        {"r1", kPushed, 2, "read"},
                        {"r2", "hostname r2\n", std::nullopt, "read"}});
        for (auto& r : history.list("r1", 10, 0)) ids.insert(ids.begin(), r.id);
    }

    httplib::Result get(const std::string& path, const std::string& role = "read") {
        return client->Get(path.c_str(), as(role));
    }
    json data(const std::string& path) {
        auto r = get(path);
        REQUIRE(r);
        INFO(path << ": " << r->body);
        REQUIRE(r->status == 200);
        return json::parse(r->body)["data"];
    }
    int status(const std::string& path, const std::string& role = "read") {
        auto r = get(path, role);
        REQUIRE(r);
        INFO(path << ": " << r->body);
        auto b = json::parse(r->body);  // every answer is an envelope
        CHECK(b["status"] == (r->status == 200 ? "success" : "error"));
        return r->status;
    }
    std::string path(std::int64_t id, const std::string& rest = "") {
        return "/api/v1.0/device/r1/configs/" + std::to_string(id) + rest;
    }
};

}  // namespace

TEST_CASE_METHOD(ConfigApi, "GET /device/<hostname>/configs lists newest first with paging", "[api][config_history]") {
    auto r = get("/api/v1.0/device/r1/configs");
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("X-Total-Count") == "3");
    auto configs = json::parse(r->body)["data"]["configs"];
    REQUIRE(configs.size() == 3);
    CHECK(configs[0]["id"] == ids[2]);
    CHECK(configs[0]["source"] == "read");
    CHECK(configs[0]["job_id"] == 2);
    CHECK(configs[0]["hostname"] == "r1");
    CHECK(configs[1]["source"] == "pushed");
    CHECK(configs[0]["confhash"] == configs[1]["confhash"]);
    CHECK(configs[0]["confhash"] != configs[2]["confhash"]);
    CHECK(configs[0]["recorded_at"].get<std::string>().find('T') == 10);
    CHECK_FALSE(configs[0].contains("config"));

    auto page2 = data("/api/v1.0/device/r1/configs?page=2&per_page=2")["configs"];
    REQUIRE(page2.size() == 1);
    CHECK(page2[0]["id"] == ids[0]);
    CHECK(data("/api/v1.0/device/r1/configs?page=10000000&per_page=1000")["configs"].empty());
    CHECK(data("/api/v1.0/device/r2/configs")["configs"][0]["job_id"].is_null());
    // Each record says the platform its device had then (null: recorded
    // before Switchyard kept it).
    CHECK(configs[0]["platform"] == "frr");
    CHECK(data("/api/v1.0/device/r2/configs")["configs"][0]["platform"] == "eos");
    {
        pqxx::work tx(*conn);
        tx.exec0("UPDATE device_config_history SET platform = NULL WHERE hostname = 'r2'");
        tx.commit();
    }
    CHECK(data("/api/v1.0/device/r2/configs")["configs"][0]["platform"].is_null());

    CHECK(status("/api/v1.0/device/nosuch/configs") == 404);
    for (auto bad : {"page=0", "per_page=1001", "page=abc", "page=1&page=2", "sort=id", "page=99999999999999999999"}) {
        INFO(bad);
        CHECK(status(std::string("/api/v1.0/device/r1/configs?") + bad) == 400);
    }
    CHECK(status("/api/v1.0/device/bad%20host/configs") == 400);
}

TEST_CASE_METHOD(ConfigApi, "GET /device/<hostname>/configs/<id> has the config, secrets masked",
                 "[api][config_history]") {
    auto one = data(path(ids[0]));
    CHECK(one["id"] == ids[0]);
    CHECK(one["source"] == "read");
    auto config = one["config"].get<std::string>();
    CHECK(config.find("ip address 10.0.0.1/24") != std::string::npos);
    CHECK(config.find("password ****") != std::string::npos);
    CHECK(config.find("hunter2") == std::string::npos);

    CHECK(status(path(999999)) == 404);
    CHECK(status("/api/v1.0/device/r2/configs/" + std::to_string(ids[0])) == 404);  // another device's record
    auto missing = get("/api/v1.0/device/nosuch/configs/1");
    CHECK(missing->status == 404);
    CHECK(json::parse(missing->body)["message"].get<std::string>().find("device nosuch not found") !=
          std::string::npos);
    for (auto bad : {"abc", "0", "-1", "1.5", "99999999999999999999", "9223372036854775808", "%00", "1e3"}) {
        INFO(bad);
        CHECK(status(std::string("/api/v1.0/device/r1/configs/") + bad) == 400);
    }
    CHECK(status(path(ids[0], "?x=1")) == 400);
}

TEST_CASE_METHOD(ConfigApi, "GET /device/<hostname>/configs/<id>/diff against previous or an id",
                 "[api][config_history]") {
    // The newest record's previous config skips the pushed record with the same confhash.
    auto d = data(path(ids[2], "/diff"));
    CHECK(d["to"] == ids[2]);
    CHECK(d["from"] == ids[0]);
    auto diff = d["diff"].get<std::string>();
    CHECK(diff.find("-  ip address 10.0.0.1/24") == std::string::npos);  // unified: one marker column
    CHECK(diff.find("- ip address 10.0.0.1/24") != std::string::npos);
    CHECK(diff.find("+ ip address 10.0.0.2/24") != std::string::npos);
    CHECK(diff.find("hunter") == std::string::npos);
    CHECK(diff.find("password ****") != std::string::npos);
    CHECK(data(path(ids[2], "/diff?against=previous")) == d);

    auto same = data(path(ids[2], "/diff?against=" + std::to_string(ids[1])));
    CHECK(same["from"] == ids[1]);
    CHECK(same["diff"] == "");
    auto backwards = data(path(ids[0], "/diff?against=" + std::to_string(ids[2])));
    CHECK(backwards["diff"].get<std::string>().find("+ ip address 10.0.0.1/24") != std::string::npos);

    auto none = get(path(ids[0], "/diff"));
    CHECK(none->status == 404);
    CHECK(json::parse(none->body)["message"].get<std::string>().find("no previous config") != std::string::npos);
    CHECK(status(path(ids[2], "/diff?against=999999")) == 404);
    CHECK(status(path(999999, "/diff")) == 404);
    CHECK(status("/api/v1.0/device/nosuch/configs/1/diff") == 404);
    for (auto bad : {"?against=abc", "?against=", "?against=-3", "?against=99999999999999999999",
                     "?against=1&against=2", "?other=1"}) {
        INFO(bad);
        CHECK(status(path(ids[2], std::string("/diff") + bad)) == 400);
    }
    CHECK(status("/api/v1.0/device/r1/configs/x/diff") == 400);
}

TEST_CASE_METHOD(ConfigApi, "config history routes need a token with the read role", "[api][config_history][auth]") {
    for (auto p : {std::string("/api/v1.0/device/r1/configs"), path(ids[0]), path(ids[2], "/diff")}) {
        INFO(p);
        CHECK(status(p, "") == 401);
        CHECK(status(p, "read") == 200);
        CHECK(status(p, "operator") == 200);
        CHECK(status(p, "admin") == 200);
    }
}
