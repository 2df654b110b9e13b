// The registry's names: a kind's arguments decide what a job does, and the
// name it is shown under follows from them (CNaaS-NMS's "sync_devices
// (dry_run)"); a job asked for under a shown name gets what the name implies.
#include "tasks/task_registry.h"

#include <catch2/catch.hpp>

using namespace switchyard::tasks;
using nlohmann::json;

namespace {

TaskRegistry sync_like() {
    TaskRegistry r;
    r.add({.function_name = "sync",
           .run = [](JobContext&) {},
           .retry_safe = false,
           .default_max_attempts = 1,
           .default_args = {{"dry_run", true}},
           .shown_as = {{.name = "sync (dry_run)",
                         .implied_args = {{"dry_run", true}},
                         .retry_safe = true,
                         .default_max_attempts = 2}}});
    return r;
}

// A resolved job's name and retry rules in one line: a check compares all
// three, and a failure shows them side by side.
std::string name_and_retries(const ResolvedJob& j) {
    return j.function_name + (j.retry_safe ? ", retry-safe" : ", not retry-safe") + ", max attempts " +
           std::to_string(j.default_max_attempts);
}

}  // namespace

TEST_CASE("a job's arguments decide the name it is shown under", "[tasks][registry]") {
    auto r = sync_like();
    auto live = r.resolve("sync", {{"dry_run", false}, {"x", 1}});
    REQUIRE(live);
    CHECK(name_and_retries(*live) == "sync, not retry-safe, max attempts 1");
    CHECK(live->args == json{{"dry_run", false}, {"x", 1}});

    auto dry = r.resolve("sync", {{"dry_run", true}});
    CHECK(name_and_retries(*dry) == "sync (dry_run), retry-safe, max attempts 2");

    // Left out: the kind's default, and the name that goes with it.
    auto unsaid = r.resolve("sync", json::object());
    CHECK(unsaid->function_name == "sync (dry_run)");
    CHECK(unsaid->args["dry_run"] == true);
}

TEST_CASE("a job asked for under a shown name gets what the name implies", "[tasks][registry]") {
    auto r = sync_like();
    auto old = r.resolve("sync (dry_run)", {{"dry_run", false}, {"hostnames", {"a"}}});
    REQUIRE(old);
    CHECK(old->kind == r.find("sync"));
    CHECK(old->function_name == "sync (dry_run)");
    CHECK(old->args["dry_run"] == true);
    CHECK(r.find("sync (dry_run)") == r.find("sync"));
    CHECK_FALSE(r.resolve("nosuch", json::object()));
    CHECK_THROWS_AS(r.resolve("sync", json::array()), std::invalid_argument);
    CHECK(r.names() == std::vector<std::string>{"sync", "sync (dry_run)"});
}

TEST_CASE("a job's arguments decide whether it is retry-safe, its name unchanged", "[tasks][registry]") {
    TaskRegistry r;
    r.add({.function_name = "apply",
           .run = [](JobContext&) {},
           .default_args = {{"dry_run", true}},
           .retry_by_args = {{.implied_args = {{"dry_run", true}}, .retry_safe = true, .default_max_attempts = 2}}});
    auto dry = r.resolve("apply", json::object());
    REQUIRE(dry);
    CHECK(name_and_retries(*dry) == "apply, retry-safe, max attempts 2");
    auto live = r.resolve("apply", {{"dry_run", false}});
    CHECK(name_and_retries(*live) == "apply, not retry-safe, max attempts 1");
}

TEST_CASE("names are unique across kinds and shown names", "[tasks][registry]") {
    auto r = sync_like();
    CHECK_THROWS_AS(r.add({.function_name = "sync (dry_run)", .run = [](JobContext&) {}}), std::invalid_argument);
    CHECK_THROWS_AS(r.add({.function_name = "other",
                           .run = [](JobContext&) {},
                           .shown_as = {{.name = "sync", .implied_args = {{"a", 1}}}}}),
                    std::invalid_argument);
    CHECK_THROWS_AS(r.add({.function_name = "other",
                           .run = [](JobContext&) {},
                           .shown_as = {{.name = "other (x)", .implied_args = json::object()}}}),
                    std::invalid_argument);
}

TEST_CASE("maintenance hooks need a name, a function and a schedule", "[tasks][registry]") {
    TaskRegistry r;
    r.add_maintenance({.name = "sweep", .every_rounds = 30, .run = [](pqxx::connection&) {}});
    CHECK(r.maintenance_hooks().size() == 1);
    CHECK_THROWS(r.add_maintenance({.name = "", .every_rounds = 1, .run = [](pqxx::connection&) {}}));
    CHECK_THROWS(r.add_maintenance({.name = "x", .every_rounds = 0, .run = [](pqxx::connection&) {}}));
}

TEST_CASE("a default that is a setting is asked for each time a job is resolved", "[tasks][registry]") {
    int setting = 1;
    TaskRegistry r;
    r.add({.function_name = "sync",
           .run = [](JobContext&) {},
           .default_args = {{"dry_run", true}},
           .configured_default_args =
               [&setting] {
                   return json{{"mode", setting}};
               }});
    CHECK(r.resolve("sync", json::object())->args == json{{"dry_run", true}, {"mode", 1}});
    setting = 0;
    CHECK(r.resolve("sync", json::object())->args["mode"] == 0);
    // Named by the job: kept.
    CHECK(r.resolve("sync", {{"mode", 2}})->args["mode"] == 2);
}

TEST_CASE("sleep_idempotent is the sleep kind declared safe to run again", "[tasks][registry]") {
    TaskRegistry registry;
    register_builtin_tasks(registry);
    const TaskKind* sleep = registry.find("sleep");
    const TaskKind* idempotent = registry.find("sleep_idempotent");
    REQUIRE(sleep);
    REQUIRE(idempotent);
    CHECK_FALSE(sleep->retry_safe);
    CHECK(sleep->default_max_attempts == 1);
    CHECK(sleep->description == "sleeps, optionally holding a lock or failing (tests, demos)");
    CHECK(idempotent->retry_safe);
    CHECK(idempotent->default_max_attempts == 3);
    CHECK(idempotent->description == "sleep, declared safe to run again after its worker died");
    CHECK(idempotent->arguments_schema == sleep->arguments_schema);
    CHECK(idempotent->locks == std::vector<std::string>{"the lock named by argument 'lock', if any"});
    CHECK(idempotent->locks == sleep->locks);
    CHECK(idempotent->queue == sleep->queue);
}
