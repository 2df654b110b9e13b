// One-time sign-in links against a real PostgreSQL: a code works once, only
// its hash is stored, an expired link is refused (and spent), anything not
// shaped like a code is refused without a query, and of two browsers racing
// with the same link exactly one gets in.
#include "api/login_links.h"
#include "store/database.h"
#include "support/pg_harness.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace switchyard;
using namespace std::chrono_literals;

namespace {

struct LinkFixture {
    std::string url = testing::fresh_database_url();
    std::unique_ptr<pqxx::connection> conn = store::connect(url, std::chrono::seconds(5));

    std::string create(const api::LoginGrant& g, std::chrono::seconds ttl = 300s) {
        pqxx::work tx(*conn);
        auto code = api::create_login_link(tx, g, ttl);
        tx.commit();
        return code;
    }
    std::variant<api::LoginGrant, api::LoginLinkRefusal> redeem(const std::string& code) {
        pqxx::work tx(*conn);
        auto out = api::redeem_login_link(tx, code);
        tx.commit();
        return out;
    }
    long count(const std::string& sql) {
        pqxx::read_transaction tx(*conn);
        return tx.exec(sql)[0][0].as<long>();
    }
};

const api::LoginGrant kAlice{"alice", {api::Role::operator_, api::Role::read}, 8h};

}  // namespace

TEST_CASE_METHOD(LinkFixture, "a link is traded once for what it was made with", "[dashboard][links]") {
    auto code = create(kAlice);
    CHECK(code.size() == 43);
    auto first = redeem(code);
    REQUIRE(std::holds_alternative<api::LoginGrant>(first));
    auto& g = std::get<api::LoginGrant>(first);
    CHECK(g.subject == "alice");
    CHECK(g.roles == kAlice.roles);
    CHECK(g.token_ttl == 8h);
    auto again = redeem(code);
    REQUIRE(std::holds_alternative<api::LoginLinkRefusal>(again));
    CHECK(std::get<api::LoginLinkRefusal>(again) == api::LoginLinkRefusal::unknown);
    CHECK(count("SELECT count(*) FROM dashboard_login_links") == 0);
}

TEST_CASE_METHOD(LinkFixture, "only the code's SHA-256 is stored", "[dashboard][links]") {
    auto code = create(kAlice);
    pqxx::read_transaction tx(*conn);
    auto row = tx.exec("SELECT code_sha256, subject FROM dashboard_login_links")[0];
    CHECK(row[0].as<std::string>().size() == 64);
    CHECK(row[0].as<std::string>().find(code) == std::string::npos);
    CHECK(tx.exec_params("SELECT count(*) FROM dashboard_login_links WHERE strpos(code_sha256 || subject, $1) > 0",
                         code)[0][0]
              .as<long>() == 0);
}

TEST_CASE_METHOD(LinkFixture, "an expired link is refused, and spent", "[dashboard][links]") {
    auto code = create(kAlice, 60s);
    {
        pqxx::work tx(*conn);
        tx.exec("UPDATE dashboard_login_links SET expires_at = now() - interval '1 second'");
        tx.commit();
    }
    auto out = redeem(code);
    REQUIRE(std::holds_alternative<api::LoginLinkRefusal>(out));
    CHECK(std::get<api::LoginLinkRefusal>(out) == api::LoginLinkRefusal::expired);
    CHECK(std::get<api::LoginLinkRefusal>(redeem(code)) == api::LoginLinkRefusal::unknown);
}

TEST_CASE_METHOD(LinkFixture, "anything not shaped like a code is unknown", "[dashboard][links]") {
    auto code = create(kAlice);
    for (std::string bad : {std::string(), std::string("abc"), code.substr(1), code + "x", std::string(42, 'a') + "/",
                            std::string("' OR 1=1 --") + std::string(32, 'a'), std::string(43, '\0')}) {
        INFO(bad.size());
        auto out = redeem(bad);
        REQUIRE(std::holds_alternative<api::LoginLinkRefusal>(out));
        CHECK(std::get<api::LoginLinkRefusal>(out) == api::LoginLinkRefusal::unknown);
    }
    CHECK(std::holds_alternative<api::LoginGrant>(redeem(code)));
}

TEST_CASE_METHOD(LinkFixture, "of two racing redemptions exactly one gets in", "[dashboard][links]") {
    for (int round = 0; round < 10; ++round) {
        auto code = create(kAlice);
        std::atomic<int> granted{0}, refused{0};
        auto redeem_elsewhere = [&] {
            auto c = store::connect(url, std::chrono::seconds(5));
            pqxx::work tx(*c);
            auto out = api::redeem_login_link(tx, code);
            tx.commit();
            (std::holds_alternative<api::LoginGrant>(out) ? granted : refused)++;
        };
        std::thread a(redeem_elsewhere), b(redeem_elsewhere);
        a.join();
        b.join();
        CHECK(granted == 1);
        CHECK(refused == 1);
    }
}

TEST_CASE_METHOD(LinkFixture, "links need a subject, roles, a token lifetime and a link lifetime of 1 s to 24 h",
                 "[dashboard][links]") {
    pqxx::work tx(*conn);
    CHECK_THROWS_AS(api::create_login_link(tx, {"", {api::Role::read}, 1h}, 60s), std::invalid_argument);
    CHECK_THROWS_AS(api::create_login_link(tx, {"a", {}, 1h}, 60s), std::invalid_argument);
    CHECK_THROWS_AS(api::create_login_link(tx, {"a", {api::Role::read}, 0s}, 60s), std::invalid_argument);
    CHECK_THROWS_AS(api::create_login_link(tx, {"a", {api::Role::read}, 1h}, 0s), std::invalid_argument);
    CHECK_THROWS_AS(api::create_login_link(tx, {"a", {api::Role::read}, 1h}, 25h), std::invalid_argument);
}
