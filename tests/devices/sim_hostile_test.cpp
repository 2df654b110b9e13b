// The SSH transport against devices that misbehave on purpose (the
// simulator's transport faults, tests/sim/README.md): bytes that are not
// UTF-8, a 400,000-character line, output that never ends. Each device fails
// alone or succeeds with its bytes replaced; nothing hangs, nothing crashes.
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>

#include "devices/device_connection.h"
#include "devices/errors.h"
#include "devices/valid_utf8.h"
#include "sim_fixture.h"

using namespace switchyard::devices;
using namespace switchyard::devices::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// hz0001 frr, hz0002 eos, hz0003 junos, hz0004 frr (never given a fault).
SimFixture& sim() {
    static SimFixture fixture(4, "frr,eos,junos", "hz");
    return fixture;
}

const Device& device(const std::string& host) { return sim().device(host).device; }

void set_faults(const std::string& host, const json& faults) {
    auto reply = sim().control({{"op", "faults"}, {"host", host}, {"faults", faults}});
    REQUIRE(reply["ok"] == true);
}

std::string canonical_config(const std::string& host) {
    auto reply = sim().control({{"op", "get"}, {"host", host}});
    REQUIRE(reply["ok"] == true);
    return reply["canonical"];
}

void set_config(const std::string& host, const std::string& config) {
    auto reply = sim().control({{"op", "set"}, {"host", host}, {"config", config}});
    INFO(reply.dump());
    REQUIRE(reply["ok"] == true);
}

std::string insert_after(std::string text, const std::string& anchor, const std::string& line) {
    auto at = text.find(anchor);
    REQUIRE(at != std::string::npos);
    return text.insert(at + anchor.size(), line);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The untouched device still answers: one device's misbehaviour is its own.
void healthy_device_still_answers() {
    DeviceConnection conn(device("hz0004"), sim().key_credentials(), sim().strict_options());
    CHECK(has(conn.driver().running_config(), "hostname hz0004"));
}

template <typename F>
std::chrono::seconds timed(F&& f) {
    auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace

TEST_CASE("a device sending Latin-1 bytes: its config comes back as valid UTF-8 with U+FFFD", "[hostile]") {
    const std::string replaced = "Gr" + std::string(kReplacementCharacter) + "n";
    for (auto [host, anchor, line] : {std::tuple{"hz0001", "interface lo\n", " description Gr\xC3\xBCn\n"},
                                      std::tuple{"hz0002", "interface Ethernet1\n", "   description Gr\xC3\xBCn\n"}}) {
        INFO(host);
        const std::string before = canonical_config(host);
        set_config(host, insert_after(before, anchor, line));
        set_faults(host, {{"latin1_output", true}});
        DeviceConnection conn(device(host), sim().key_credentials(), sim().strict_options());
        const std::string config = conn.driver().running_config();
        INFO(config);
        CHECK(is_valid_utf8(config));
        CHECK(has(config, "description " + replaced));
        CHECK_FALSE(has(config, "\xFC"));
        set_faults(host, json::object());
        set_config(host, before);
    }
    healthy_device_still_answers();
}

TEST_CASE("a 400,000-character line in a config is read whole, on every platform", "[hostile]") {
    for (std::string host : {"hz0001", "hz0002", "hz0003"}) {
        INFO(host);
        set_faults(host, {{"huge_line", 400000}});
        DeviceConnection conn(device(host), sim().key_credentials(), sim().strict_options());
        std::string config = conn.driver().running_config();
        CHECK(has(config, std::string(400000, 'x')));
        // The session is still in step with the device: a second read works.
        CHECK(has(conn.driver().running_config(), std::string(400000, 'x')));
        set_faults(host, json::object());
    }
    healthy_device_still_answers();
}

TEST_CASE("a device that never stops sending fails at the output limit", "[hostile]") {
    auto options = sim().strict_options();
    options.max_output_bytes = 1 << 20;
    for (std::string host : {"hz0001", "hz0002", "hz0003"}) {
        INFO(host);
        set_faults(host, {{"endless_output", 100}});
        auto read = [&] {
            DeviceConnection conn(device(host), sim().key_credentials(), options);
            conn.driver().running_config();
        };
        auto took = timed([&] { CHECK_THROWS_WITH(read(), Catch::Contains("printed more than 1048576 bytes")); });
        CHECK(took < 60s);
        set_faults(host, json::object());
    }
    healthy_device_still_answers();
}

TEST_CASE("exec channels: the output limit and the deadline hold while data keeps arriving", "[hostile]") {
    set_faults("hz0001", {{"endless_output", 100}});
    {
        auto options = sim().strict_options();
        options.max_output_bytes = 1 << 20;
        SshSession session({"hz0001", device("hz0001").management_ip, device("hz0001").port}, sim().key_credentials(),
                           options);
        session.connect();
        CHECK_THROWS_WITH(session.exec("show running-config"), Catch::Contains("printed more than"));
    }
    {
        // A limit the device cannot reach in time: the command deadline ends it.
        auto options = sim().strict_options();
        options.max_output_bytes = std::size_t{4} << 30;
        SshSession session({"hz0001", device("hz0001").management_ip, device("hz0001").port}, sim().key_credentials(),
                           options);
        session.connect();
        auto took = timed([&] { CHECK_THROWS_AS(session.exec("show running-config", 1s), TimeoutError); });
        CHECK(took < 60s);
    }
    set_faults("hz0001", json::object());
    healthy_device_still_answers();
}

TEST_CASE("shells: the deadline holds while data keeps arriving", "[hostile]") {
    // Output trickles forever (slow_output), far under the limit: only the
    // command deadline can end the read.
    set_faults("hz0002", {{"endless_output", 100}, {"slow_output", {{"bytes", 512}, {"interval_ms", 5}}}});
    auto options = sim().strict_options();
    options.command_timeout = 2s;
    auto read = [&] {
        DeviceConnection conn(device("hz0002"), sim().key_credentials(), options);
        conn.driver().running_config();
    };
    auto took = timed([&] { CHECK_THROWS_AS(read(), TimeoutError); });
    CHECK(took < 60s);
    set_faults("hz0002", json::object());
    healthy_device_still_answers();
}
