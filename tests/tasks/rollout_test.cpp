// A sync's rollout argument (tasks/rollout.h): what is refused, naming the
// field, and the batches and failure budget a valid one makes.
#include "tasks/rollout.h"
#include "tasks/sync_job.h"

#include <catch2/catch.hpp>

using namespace switchyard::tasks;
using nlohmann::json;

namespace {

json live(json rollout) {
    return {{"all", true}, {"dry_run", false}, {"confirm_mode", 0}, {"rollout", std::move(rollout)}};
}

std::string refusal(const json& args) {
    try {
        parse_sync_options(args);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

std::vector<std::size_t> sizes(json batches, std::size_t devices) {
    return batch_sizes(*parse_rollout(live({{"batches", std::move(batches)}})), devices);
}

}  // namespace

TEST_CASE("a bad rollout is refused naming its field", "[rollout]") {
    struct Case {
        json rollout;
        std::string says;
    };
    const std::vector<Case> cases = {
        {json::array({1, "rest"}), "rollout must be an object"},
        {json::object(), "rollout.batches is required"},
        {{{"batches", json::array()}}, "rollout.batches is required"},
        {{{"batches", {0, "rest"}}}, "rollout.batches[0] is 0: a batch is at least 1 device"},
        {{{"batches", {1, -3}}}, "rollout.batches[1] is -3"},
        {{{"batches", {1, "0%"}}}, "rollout.batches[1] must be"},
        {{{"batches", {1, "101%"}}}, "rollout.batches[1] must be"},
        {{{"batches", {1, "25 %"}}}, "rollout.batches[1] must be"},
        {{{"batches", {1, 2.5}}}, "rollout.batches[1] must be"},
        {{{"batches", {1, "rest", 10}}}, "rollout.batches[1] is \"rest\", which must be the last batch"},
        {{{"batches", {"rest"}}}, "rollout.batches[0] is \"rest\" alone"},
        {{{"batches", {1}}, {"max_failed", -1}}, "rollout.max_failed must be"},
        {{{"batches", {1}}, {"max_failed", "120%"}}, "rollout.max_failed must be"},
        {{{"batches", {1}}, {"max_failed", true}}, "rollout.max_failed must be"},
        {{{"batches", {1}}, {"pause_seconds", -5}}, "rollout.pause_seconds must be"},
        {{{"batches", {1}}, {"pause_seconds", 86401}}, "rollout.pause_seconds must be"},
        {{{"batches", {1}}, {"pause_after_first", "yes"}}, "rollout.pause_after_first must be true or false"},
        {{{"batches", {1}}, {"max_fail", 2}}, "rollout.max_fail is not a rollout field"},
    };
    for (const auto& c : cases) {
        INFO(c.rollout.dump());
        CHECK_THAT(refusal(live(c.rollout)), Catch::Contains(c.says));
    }
}

TEST_CASE("a rollout needs a live run without a confirm job", "[rollout]") {
    json dry = live({{"batches", {1, "rest"}}});
    dry["dry_run"] = true;
    CHECK_THAT(refusal(dry), Catch::Contains("rollout needs a live run (dry_run false)"));
    json mode2 = live({{"batches", {1, "rest"}}});
    mode2["confirm_mode"] = 2;
    CHECK_THAT(refusal(mode2), Catch::Contains("rollout cannot be combined with confirm_mode 2"));
    mode2["confirm_all_or_nothing"] = true;
    CHECK_THAT(refusal(mode2), Catch::Contains("confirm_all_or_nothing"));
    json mode1 = live(
        {{"batches", {1, "25%", "rest"}}, {"max_failed", "10%"}, {"pause_seconds", 5}, {"pause_after_first", true}});
    mode1["confirm_mode"] = 1;
    CHECK(refusal(mode1) == "(accepted)");
    auto o = parse_sync_options(mode1);
    REQUIRE(o.rollout);
    CHECK(o.rollout->pause == std::chrono::seconds(5));
    CHECK(o.rollout->pause_after_first);
    CHECK(!parse_sync_options({{"all", true}, {"dry_run", false}}).rollout);
}

TEST_CASE("rollout batches: counts, percentages rounded up, rest, the last size repeated", "[rollout]") {
    CHECK(sizes({1, 10, "25%", "rest"}, 100) == std::vector<std::size_t>{1, 10, 25, 64});
    CHECK(sizes({1, 10, "25%", "rest"}, 20) == std::vector<std::size_t>{1, 10, 5, 4});
    CHECK(sizes({1, 10, "25%", "rest"}, 5) == std::vector<std::size_t>{1, 4});
    CHECK(sizes({1, 5}, 20) == std::vector<std::size_t>{1, 5, 5, 5, 4});
    CHECK(sizes({"10%"}, 15) == std::vector<std::size_t>{2, 2, 2, 2, 2, 2, 2, 1});
    CHECK(sizes({"1%", "rest"}, 3) == std::vector<std::size_t>{1, 2});
    CHECK(sizes({1, "rest"}, 0).empty());
    CHECK(sizes({1000000000000}, 3) == std::vector<std::size_t>{3});
}

TEST_CASE("rollout failure budget: a count, or a percentage rounded down; 0 by default", "[rollout]") {
    auto budget = [](json max_failed, std::size_t devices) {
        json spec = {{"batches", {1}}};
        if (!max_failed.is_null()) spec["max_failed"] = max_failed;
        return failure_budget(*parse_rollout(live(spec)), devices);
    };
    CHECK(budget(nullptr, 20) == 0);
    CHECK(budget(2, 20) == 2);
    CHECK(budget("10%", 15) == 1);
    CHECK(budget("10%", 20) == 2);
    CHECK(budget("0%", 20) == 0);
    CHECK(budget("100%", 7) == 7);
}
