// ConfigHistory (devices/config_history.h) against a real PostgreSQL.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include <chrono>

#include "devices/config_diff.h"
#include "devices/config_history.h"
#include "devices/device_store.h"
#include "devices/normalize.h"
#include "support/pg_harness.h"

using namespace switchyard::devices;

namespace {

// One migrated database for the binary; each test starts from empty tables.
pqxx::connection& empty_db() {
    static const std::string url = switchyard::testing::fresh_database_url();
    static pqxx::connection conn(url);
    pqxx::work tx(conn);
    tx.exec("DELETE FROM device_config_history; DELETE FROM device_config_texts; DELETE FROM devices;");
    tx.commit();
    return conn;
}

void add_devices(pqxx::connection& conn, int n, const std::string& prefix = "r") {
    std::vector<Device> list;
    for (int i = 0; i < n; ++i) {
        Device d;
        d.hostname = prefix + std::to_string(i);
        d.management_ip = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
        list.push_back(d);
    }
    DeviceStore(conn).upsert_all(list);
}

long count(pqxx::connection& conn, const std::string& sql) {
    pqxx::read_transaction tx(conn);
    return tx.exec(sql)[0][0].as<long>();
}

const std::string kA = "hostname r0\ninterface eth0\n ip address 10.0.0.1/24\n";
const std::string kB = "hostname r0\ninterface eth0\n ip address 10.0.0.2/24\n";

}  // namespace

TEST_CASE("record, list, get, text and count", "[devices][config_history]") {
    auto& conn = empty_db();
    add_devices(conn, 2);
    ConfigHistory history(conn);
    history.record({{"r0", kA, 7, "read"}, {"r0", kB, 7, "pushed"}, {"r1", kA, std::nullopt, "read"}});

    CHECK(history.count("r0") == 2);
    CHECK(history.count("r1") == 1);
    CHECK(history.count("nope") == 0);
    auto list = history.list("r0", 10, 0);
    REQUIRE(list.size() == 2);
    CHECK(list[0].id > list[1].id);  // newest first: the last entry given
    CHECK(list[0].source == "pushed");
    CHECK(list[1].source == "read");
    CHECK(list[0].job_id == 7);
    CHECK(list[0].hostname == "r0");
    CHECK(list[0].confhash == config_hash(normalize_config(kB)));
    CHECK(list[0].recorded_at.size() >= 19);
    CHECK(list[0].recorded_at.substr(10, 1) == "T");
    CHECK(history.list("r0", 1, 1).at(0).id == list[1].id);
    CHECK(history.list("r0", 10, 2).empty());

    auto one = history.get("r1", history.list("r1", 1, 0).at(0).id);
    REQUIRE(one);
    CHECK_FALSE(one->job_id);
    CHECK(history.config_text("r0", list[0].id) == kB);
    CHECK(history.config_text("r0", list[1].id) == kA);
    // A record is only found under its own device.
    CHECK_FALSE(history.get("r1", list[0].id));
    CHECK_FALSE(history.config_text("r1", list[0].id));
    CHECK_FALSE(history.get("r0", 999999));
}

TEST_CASE("identical texts are stored once", "[devices][config_history]") {
    auto& conn = empty_db();
    add_devices(conn, 3);
    ConfigHistory history(conn);
    history.record({{"r0", kA, 1, "read"}, {"r1", kA, 1, "read"}, {"r2", kA, 1, "read"}});
    history.record({{"r0", kA, 2, "read"}, {"r0", kB, 2, "pushed"}});
    CHECK(count(conn, "SELECT count(*) FROM device_config_history") == 5);
    CHECK(count(conn, "SELECT count(*) FROM device_config_texts") == 2);
    // The same normalised config with other volatile lines: its own text, the same confhash.
    std::string noisy = "Building configuration...\n" + kA;
    history.record({{"r1", noisy, 3, "read"}});
    CHECK(count(conn, "SELECT count(*) FROM device_config_texts") == 3);
    CHECK(history.list("r1", 1, 0).at(0).confhash == config_hash(normalize_config(kA)));
    CHECK(history.config_text("r1", history.list("r1", 1, 0).at(0).id) == noisy);
}

TEST_CASE("previous is the newest older record with another confhash", "[devices][config_history]") {
    auto& conn = empty_db();
    add_devices(conn, 2);
    ConfigHistory history(conn);
    history.record({{"r0", kA, 1, "read"}});
    auto first = history.list("r0", 1, 0).at(0).id;
    CHECK_FALSE(history.previous("r0", first));
    history.record({{"r1", kB, 2, "read"}, {"r0", kB, 2, "pushed"}, {"r0", kB, 3, "read"}});
    auto newest = history.list("r0", 1, 0).at(0).id;
    auto prev = history.previous("r0", newest);
    REQUIRE(prev);
    CHECK(prev->id == first);  // skips the pushed record with the same confhash
    CHECK_FALSE(history.previous("r1", history.list("r1", 1, 0).at(0).id));  // never another device's
    CHECK_FALSE(history.previous("r0", 999999));
    CHECK_FALSE(history.previous("r1", newest));
}

TEST_CASE("bad entries: unknown source refused, unknown device skipped, odd bytes stored",
          "[devices][config_history]") {
    auto& conn = empty_db();
    add_devices(conn, 1);
    ConfigHistory history(conn);
    CHECK_THROWS_AS(history.record({{"r0", kA, 1, "read"}, {"r0", kA, 1, "guessed"}}), std::invalid_argument);
    CHECK(history.count("r0") == 0);
    history.record({{"gone", kA, 1, "read"}, {"r0", kA, 1, "read"}});
    CHECK(history.count("r0") == 1);
    CHECK(history.count("gone") == 0);
    history.record({});
    std::string odd = std::string("hostname r0\n") + '\0' + "banner \xff\xfe\n";
    history.record({{"r0", odd, 2, "read"}});
    auto text = history.config_text("r0", history.list("r0", 1, 0).at(0).id);
    REQUIRE(text);
    CHECK(text->find('\0') == std::string::npos);
    CHECK(text->find("hostname r0\nbanner ") == 0);
}

TEST_CASE("keeps the newest records per device and drops unused texts", "[devices][config_history]") {
    auto& conn = empty_db();
    add_devices(conn, 2);
    ConfigHistory history(conn);
    const int n = ConfigHistory::kKeepPerDevice + 5;
    std::vector<ConfigEntry> entries;
    for (int i = 0; i < n; ++i)
        entries.push_back({"r0", "hostname r0\n! version " + std::to_string(i) + "\n", i, "read"});
    entries.push_back({"r1", kA, 0, "read"});
    history.record(entries);
    history.sweep_unused_texts();  // the cleaner's part
    CHECK(history.count("r0") == ConfigHistory::kKeepPerDevice);
    CHECK(history.count("r1") == 1);
    auto kept = history.list("r0", n, 0);
    REQUIRE(kept.size() == static_cast<std::size_t>(ConfigHistory::kKeepPerDevice));
    CHECK(kept.front().job_id == n - 1);
    CHECK(kept.back().job_id == 5);
    CHECK(count(conn, "SELECT count(*) FROM device_config_texts") == ConfigHistory::kKeepPerDevice + 1);
    // One more pushes out the oldest, and its text.
    history.record({{"r0", kB, n, "pushed"}});
    history.sweep_unused_texts();
    CHECK(history.count("r0") == ConfigHistory::kKeepPerDevice);
    CHECK(history.list("r0", n, 0).back().job_id == 6);
    CHECK(count(conn, "SELECT count(*) FROM device_config_texts") == ConfigHistory::kKeepPerDevice + 1);
}

TEST_CASE("deleting a device deletes its history", "[devices][config_history]") {
    auto& conn = empty_db();
    add_devices(conn, 2);
    ConfigHistory history(conn);
    history.record({{"r0", kA, 1, "read"}, {"r0", kB, 1, "pushed"}, {"r1", kA, 1, "read"}});
    REQUIRE(DeviceStore(conn).remove("r0"));
    CHECK(history.count("r0") == 0);
    CHECK(history.count("r1") == 1);
    CHECK(count(conn, "SELECT count(*) FROM device_config_history") == 1);
    // The cleaner's sweep drops the text only r0 used.
    history.record({{"r1", kA, 2, "read"}});
    history.sweep_unused_texts();
    CHECK(count(conn, "SELECT count(*) FROM device_config_texts") == 1);
}

TEST_CASE("1,000 devices in one call", "[devices][config_history][scale]") {
    auto& conn = empty_db();
    add_devices(conn, 1000);
    // A realistic size: ~20 kB per config, half of them identical.
    std::string body;
    for (int i = 0; i < 400; ++i)
        body += "interface eth" + std::to_string(i) + "\n description uplink number " + std::to_string(i) + "\n";
    std::vector<ConfigEntry> entries;
    for (int i = 0; i < 1000; ++i)
        entries.push_back({"r" + std::to_string(i),
                           (i % 2 ? "hostname r" + std::to_string(i) + "\n" : std::string()) + body, 42, "read"});
    ConfigHistory history(conn);
    auto start = std::chrono::steady_clock::now();
    history.record(entries);
    auto took = std::chrono::steady_clock::now() - start;
    WARN("recorded 1,000 configs in " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
    CHECK(count(conn, "SELECT count(*) FROM device_config_history") == 1000);
    CHECK(count(conn, "SELECT count(*) FROM device_config_texts") == 501);
    // Only a sanity bound: most of the time is hashing and JSON in C++ (slow
    // under sanitizers); the database part is three statements.
    CHECK(took < std::chrono::seconds(60));
    start = std::chrono::steady_clock::now();
    history.record(entries);
    took = std::chrono::steady_clock::now() - start;
    WARN("again (texts known) in " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
    CHECK(count(conn, "SELECT count(*) FROM device_config_history") == 2000);
    CHECK(history.count("r999") == 2);
}

TEST_CASE("record_if_changed stores a config only when the newest record holds another", "[devices][config_history]") {
    auto& conn = empty_db();
    add_devices(conn, 2);
    ConfigHistory history(conn);
    auto first = history.record_if_changed({"r0", kA, 1, "read"});
    REQUIRE(first);
    CHECK(first->stored);
    CHECK(history.count("r0") == 1);
    // The same config once normalised (a volatile line more): unchanged, the record holding it named.
    auto same = history.record_if_changed({"r0", "Building configuration...\n" + kA, 2, "read"});
    REQUIRE(same);
    CHECK_FALSE(same->stored);
    CHECK(same->id == first->id);
    CHECK(history.count("r0") == 1);
    // Another device's records do not count.
    auto other = history.record_if_changed({"r1", kA, 2, "read"});
    REQUIRE(other);
    CHECK(other->stored);
    // Compared with the newest record only: back to a config stored before is a change.
    history.record({{"r0", kB, 3, "pushed"}});
    auto back = history.record_if_changed({"r0", kA, 4, "read"});
    REQUIRE(back);
    CHECK(back->stored);
    CHECK(back->id > first->id);
    CHECK(history.count("r0") == 3);
    auto newest = history.get("r0", back->id);
    REQUIRE(newest);
    CHECK(newest->job_id == 4);
    CHECK(newest->source == "read");
    CHECK(history.config_text("r0", back->id) == kA);
    // Text is stored as record() stores it: no NUL, valid UTF-8.
    const char latin1_and_nul[] = "hostname r1\n descr Gr\xfcn\0x\n";
    auto odd = history.record_if_changed({"r1", std::string(latin1_and_nul, sizeof latin1_and_nul - 1), 5, "read"});
    REQUIRE(odd);
    CHECK(odd->stored);
    CHECK(history.config_text("r1", odd->id) == "hostname r1\n descr Gr\xEF\xBF\xBDnx\n");
    // A device not in the inventory: nothing stored, nothing said.
    CHECK_FALSE(history.record_if_changed({"gone", kA, 6, "read"}).has_value());
    CHECK(count(conn, "SELECT count(*) FROM device_config_history WHERE hostname = 'gone'") == 0);
    CHECK_THROWS_AS(history.record_if_changed({"r0", kA, 7, "restored"}), std::invalid_argument);
}
