// DeviceStore and PgHostKeyStore against a real PostgreSQL.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "devices/device_store.h"
#include "devices/errors.h"
#include "devices/host_key_policy.h"
#include "devices/pg_host_key_store.h"
#include "support/pg_harness.h"

using namespace switchyard::devices;

namespace {

// One migrated database for the binary, in the test harness's cluster.
const std::string& db_url() {
    static const std::string url = switchyard::testing::fresh_database_url();
    return url;
}

Device device(const std::string& name, const std::string& ip) {
    Device d;
    d.hostname = name;
    d.management_ip = ip;
    return d;
}

void clear(pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec("DELETE FROM devices; DELETE FROM device_host_keys;");
    tx.commit();
}

}  // namespace

TEST_CASE("upsert, list, get, update sync state, remove", "[devices][store]") {
    pqxx::connection conn(db_url());
    clear(conn);
    DeviceStore store(conn);
    auto r1 = device("r1", "192.0.2.1");
    r1.groups = {"edge", "lab"};
    r1.device_type = DeviceType::CORE;
    auto sw1 = device("sw1", "2001:db8::1");
    sw1.platform = Platform::eos;
    sw1.port = 2222;
    auto counts = store.upsert_all({r1, sw1});
    CHECK(counts.inserted == 2);
    CHECK(counts.updated == 0);

    auto all = store.list();
    REQUIRE(all.size() == 2);
    CHECK(all[0] == r1);
    CHECK(all[1] == sw1);

    CHECK(store.update_sync_state("r1", true, "abc123"));
    auto got = store.get("r1");
    REQUIRE(got);
    CHECK(got->synchronized);
    CHECK(got->confhash == "abc123");
    store.update_sync_states({{"r1", false, "def456"}, {"sw1", true, "789abc"}});
    CHECK(store.get("r1")->confhash == "def456");
    CHECK_FALSE(store.get("r1")->synchronized);
    CHECK(store.get("sw1")->synchronized);
    store.update_sync_state("r1", true, "abc123");
    got = store.get("r1");
    REQUIRE(got->last_seen);
    CHECK(std::chrono::system_clock::now() - *got->last_seen < std::chrono::minutes(5));

    // Re-import keeps the sync state unless the device moved.
    r1.groups = {"edge"};
    counts = store.upsert_all({r1});
    CHECK(counts.updated == 1);
    got = store.get("r1");
    CHECK(got->groups == std::vector<std::string>{"edge"});
    CHECK(got->synchronized);
    r1.management_ip = "192.0.2.99";
    store.upsert_all({r1});
    CHECK_FALSE(store.get("r1")->synchronized);

    CHECK(store.remove("sw1"));
    CHECK_FALSE(store.remove("sw1"));
    CHECK_FALSE(store.get("sw1"));
    CHECK_FALSE(store.update_sync_state("nope", true, ""));
}

TEST_CASE("a bad device in the list writes nothing", "[devices][store]") {
    pqxx::connection conn(db_url());
    clear(conn);
    DeviceStore store(conn);
    CHECK_THROWS_AS(store.upsert_all({device("r1", "10.0.0.1"), device("r2", "not-an-ip")}), InventoryError);
    CHECK(store.list().empty());
    CHECK_THROWS_AS(store.upsert_all({device("r1", "10.0.0.1"), device("r3", "10.0.0.3"), device("r1", "10.0.0.2")}),
                    InventoryError);
    CHECK(store.list().empty());
}

TEST_CASE("accept-new host keys persist in PostgreSQL", "[devices][store][hostkey]") {
    pqxx::connection conn(db_url());
    clear(conn);
    PgHostKeyStore keys(conn);
    HostKey a{"ssh-ed25519", "AAAAa", "SHA256:a"};
    HostKey b{"ssh-ed25519", "AAAAb", "SHA256:b"};
    CHECK_FALSE(keys.find("r1"));
    check_accept_new(keys, "r1", a);
    CHECK(keys.find("r1") == a);
    CHECK(keys.remember("r1", b) == a);  // first sight wins
    CHECK_THROWS_AS(check_accept_new(keys, "r1", b), HostKeyError);
    {
        pqxx::connection other(db_url());  // another process sees the same key
        PgHostKeyStore keys2(other);
        CHECK(keys2.find("r1") == a);
    }
    CHECK(keys.forget("r1"));
    CHECK_FALSE(keys.find("r1"));
    CHECK_FALSE(keys.forget("r1"));  // nothing left to forget
}

TEST_CASE("a host key trusted on first use is reported once and published; forgetting it too",
          "[devices][store][hostkey]") {
    pqxx::connection conn(db_url());
    clear(conn);
    pqxx::connection listener(db_url());
    std::vector<std::string> published;
    struct Receiver : pqxx::notification_receiver {
        std::vector<std::string>& out;
        Receiver(pqxx::connection& c, std::vector<std::string>& o)
            : pqxx::notification_receiver(c, "switchyard_host_key_events"), out(o) {}
        void operator()(const std::string& payload, int) override { out.push_back(payload); }
    } receiver(listener, published);

    std::vector<std::string> trusted;
    PgHostKeyStore keys(
        conn, [&](const std::string& host, const HostKey& key) { trusted.push_back(host + " " + key.fingerprint); });
    HostKey a{"ssh-ed25519", "AAAAa", "SHA256:a"};
    HostKey b{"ssh-ed25519", "AAAAb", "SHA256:b"};
    check_accept_new(keys, "r1", a);
    check_accept_new(keys, "r1", a);  // known: no second report
    CHECK(keys.remember("r1", b) == a);
    CHECK(trusted == std::vector<std::string>{"r1 SHA256:a"});

    check_accept_new(keys, "r0", b);
    auto listed = keys.list();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].hostname == "r0");
    CHECK(listed[0].key == b);
    CHECK(listed[1].hostname == "r1");
    CHECK(listed[1].first_seen.size() == 20);  // 2026-01-02T03:04:05Z
    CHECK(listed[1].first_seen.back() == 'Z');
    CHECK(keys.forget("r1"));

    // trusted r1, trusted r0, forgotten r1: one notification each.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (published.size() < 3 && std::chrono::steady_clock::now() < deadline) listener.await_notification(1, 0);
    REQUIRE(published.size() == 3);
    auto first = nlohmann::json::parse(published[0])["host_keys"][0];
    CHECK(first["hostname"] == "r1");
    CHECK(first["fingerprint"] == "SHA256:a");
    CHECK(first["key_type"] == "ssh-ed25519");
    CHECK(first["event"] == "trusted");
    auto last = nlohmann::json::parse(published[2])["host_keys"][0];
    CHECK(last["hostname"] == "r1");
    CHECK(last["event"] == "forgotten");
}
