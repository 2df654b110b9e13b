// The job type catalogue (GET /job_types) of the kinds serve registers,
// without a database: every name a job can be enqueued under is listed once,
// a shown name with the rules of that name (sync_devices (dry_run) is safe to
// run again and takes no lock, the live sync is neither; so is
// backup_configs).
#include "engine/job_types.h"
#include "tasks/device_job_catalog.h"
#include "tasks/sync_environment.h"

#include <catch2/catch.hpp>
#include <map>

using namespace switchyard;
using nlohmann::json;

TEST_CASE("job types: each kind and each shown name once, with that name's rules", "[job_types]") {
    tasks::TaskRegistry registry;
    tasks::register_builtin_tasks(registry);
    tasks::register_sync_tasks(registry, [] { return std::shared_ptr<tasks::SyncEnvironment>(); });
    Settings settings;
    json types = engine::describe_job_types(registry, settings);

    std::map<std::string, json> by_name;
    for (auto& t : types) {
        INFO(t.dump());
        auto name = t["function_name"].get<std::string>();
        CHECK(by_name.count(name) == 0);
        by_name[name] = t;
        CHECK_FALSE(t["description"].get<std::string>().empty());
        CHECK(t["arguments"]["type"] == "object");
    }
    CHECK(by_name.size() == registry.names().size());

    REQUIRE(by_name.count("sync_devices"));
    REQUIRE(by_name.count("sync_devices (dry_run)"));
    const json& live = by_name["sync_devices"];
    const json& dry = by_name["sync_devices (dry_run)"];
    CHECK(live["retry_safe"] == false);
    CHECK(live["locks"] == json::array({"device:<hostname> of each device (live runs only)"}));
    CHECK(live["device_job"] == true);
    CHECK_FALSE(live.contains("kind"));
    CHECK(dry["kind"] == "sync_devices");
    CHECK(dry["implied_arguments"] == json({{"dry_run", true}}));
    CHECK(dry["retry_safe"] == true);
    CHECK(dry["default_max_attempts"] == 2);
    CHECK(dry["locks"] == json::array());
    CHECK(dry["description"] != live["description"]);
    CHECK(dry["arguments"]["properties"].contains("device_type"));
    CHECK(by_name["confirm_devices"]["device_job"] == true);
    // confirm_mode's default is the setting (here, with no environment, its
    // named default: 1 as CNaaS-NMS); confirm_all_or_nothing beside it.
    const json& props = live["arguments"]["properties"];
    CHECK(props["confirm_mode"]["enum"] == json::array({0, 1, 2}));
    CHECK(props["confirm_mode"]["default"] == 1);
    CHECK(props["confirm_all_or_nothing"]["type"] == "boolean");
    CHECK(props["confirm_all_or_nothing"]["default"] == false);
    // A staged rollout (our extension): its fields, none other.
    CHECK(props["rollout"]["required"] == json({"batches"}));
    CHECK(props["rollout"]["additionalProperties"] == false);
    for (auto key : {"batches", "max_failed", "pause_seconds", "pause_after_first"})
        CHECK(props["rollout"]["properties"].contains(key));
    // A backup only reads: safe to run again, no lock, a device selector as its arguments.
    REQUIRE(by_name.count("backup_configs"));
    const json& backup = by_name["backup_configs"];
    CHECK(backup["retry_safe"] == true);
    CHECK(backup["locks"] == json::array());
    CHECK(backup["device_job"] == true);
    CHECK(backup["default_timeout_seconds"].is_number_integer());
    for (auto key : {"hostname", "hostnames", "device_type", "group", "all"})
        CHECK(backup["arguments"]["properties"].contains(key));
    CHECK(backup["arguments"]["additionalProperties"] == false);
    CHECK(by_name["noop"]["device_job"] == false);
    CHECK(by_name["noop"]["default_timeout_seconds"] == settings.jobs.default_timeout_seconds.count());
}

TEST_CASE("a device job's arguments name its devices, or leave the count to the run", "[job_types]") {
    CHECK(tasks::named_device_count({{"hostnames", {"a", "b", "c"}}, {"device_type", "ACCESS"}}) == 3u);
    CHECK(tasks::named_device_count({{"hostname", "a"}}) == 1u);
    CHECK_FALSE(tasks::named_device_count({{"device_type", "ACCESS"}}).has_value());
    CHECK_FALSE(tasks::named_device_count({{"all", true}}).has_value());
    CHECK_FALSE(tasks::named_device_count({{"hostnames", "not a list"}}).has_value());
}

TEST_CASE("apply_config: listed with its arguments, and its check refuses what it cannot run", "[job_types][restore]") {
    tasks::TaskRegistry registry;
    tasks::register_sync_tasks(registry, [] { return std::shared_ptr<tasks::SyncEnvironment>(); });
    Settings settings;
    json types = engine::describe_job_types(registry, settings);
    json restore;
    for (auto& t : types)
        if (t["function_name"] == "apply_config") restore = t;
    INFO(types.dump());
    REQUIRE(restore.is_object());
    CHECK(restore["retry_safe"] == false);
    CHECK(restore["device_job"] == true);
    CHECK(restore["locks"] == json::array({"device:<hostname> (live runs only)"}));
    CHECK(restore["arguments"]["required"] == json({"hostname", "config_id"}));
    CHECK(restore["arguments"]["properties"]["confirm_mode"]["enum"] == json::array({0, 1}));
    CHECK(restore["arguments"]["properties"]["confirm_mode"]["default"] == 1);
    CHECK(tasks::named_device_count({{"hostname", "r1"}, {"config_id", 3}}) == 1u);

    // As every enqueue checks them: defaults and configured defaults filled in.
    auto check = [&](json args) {
        auto resolved = registry.resolve("apply_config", std::move(args));
        REQUIRE(resolved);
        resolved->kind->check_arguments(resolved->args);
    };
    CHECK_NOTHROW(check({{"hostname", "r1"}, {"config_id", 3}}));
    CHECK_NOTHROW(
        check({{"hostname", "r1"}, {"config_id", 3}, {"dry_run", false}, {"force", true}, {"confirm_mode", 0}}));
    auto refused = [&](json args, const std::string& named) {
        INFO(args.dump());
        try {
            check(std::move(args));
            FAIL("accepted");
        } catch (const std::invalid_argument& e) {
            CHECK_THAT(e.what(), Catch::Contains(named));
        }
    };
    refused({{"hostname", "r1"}}, "config_id");
    for (json bad : {json("3"), json(0), json(-1), json(1.5), json(nullptr), json(18446744073709551615ull)})
        refused({{"hostname", "r1"}, {"config_id", bad}}, "config_id");
    refused({{"config_id", 3}}, "hostname");
    refused({{"hostname", "bad host!"}, {"config_id", 3}}, "hostname");
    refused({{"hostname", 7}, {"config_id", 3}}, "hostname");
    refused({{"hostname", "r1"}, {"config_id", 3}, {"dry_run", "false"}}, "dry_run");
    refused({{"hostname", "r1"}, {"config_id", 3}, {"confirm_mode", 2}}, "confirm_mode");
    refused({{"hostname", "r1"}, {"config_id", 3}, {"confirm_mode", 7}}, "confirm_mode");
    refused({{"hostname", "r1"}, {"config_id", 3}, {"rollout", {{"batches", {1}}}}}, "rollout");
    refused({{"hostnames", {"r1", "r2"}}, {"config_id", 3}}, "hostnames");
    refused(json::array(), "JSON object");
}
