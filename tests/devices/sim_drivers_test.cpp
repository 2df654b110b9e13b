// Every driver against the device simulator (tests/sim): the dialogues of
// docs/device-cli.md over real SSH, through DeviceConnection.
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <thread>

#include "devices/device_connection.h"
#include "devices/errors.h"
#include "devices/frr_changeset.h"
#include "devices/normalize.h"
#include "sim_fixture.h"

using namespace switchyard::devices;
using namespace switchyard::devices::testing;
using namespace std::chrono_literals;

namespace {

SimFixture& sim() {
    // One of each platform; junos "minutes" last one second.
    // The simulator accepts any config line, so the rejected ones are faults.
    static SimFixture fixture(
        3, "frr,eos,junos", "lab",
        {"--confirm-minute-seconds", "1", "--fault", "lab0001:command_error=ip prefix-list BAD seq 5 deny any",
         "--fault", "lab0002:command_error=ntp server 10.9.9.9"});
    return fixture;
}

const Device& device_of(Platform p) {
    for (auto& d : sim().devices())
        if (d.device.platform == p) return d.device;
    throw std::runtime_error("no simulated device of that platform");
}

std::unique_ptr<DeviceConnection> connect(Platform p) {
    return std::make_unique<DeviceConnection>(device_of(p), sim().key_credentials(), sim().strict_options());
}

std::string running(Platform p) { return normalize_config(connect(p)->driver().running_config()); }

// One recognisable change per platform: the config text that makes it, and
// a line of it to look for in a running config.
struct Marker {
    const char* config;
    const char* line;
};
Marker marker_of(Platform p) {
    switch (p) {
        case Platform::frr:
            return {"route-map SY-TEST permit 10\n set local-preference 200\nexit\n", "route-map SY-TEST permit 10"};
        case Platform::eos: return {"ntp server 10.0.0.99\n", "ntp server 10.0.0.99"};
        case Platform::junos: return {"snmp {\n    community sy-test;\n}\n", "community sy-test;"};
    }
    return {"", ""};
}
// What to load: the device's own config plus the marker.
std::string with_marker(Platform p, const std::string& config) { return config + marker_of(p).config; }
const char* marker(Platform p) { return marker_of(p).line; }
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A connection whose candidate is the device's config from before plus the
// marker, as every change case starts.
std::unique_ptr<DeviceConnection> connect_with_marker(Platform p, const std::string& before) {
    auto c = connect(p);
    c->driver().load_candidate(with_marker(p, before));
    return c;
}

// Two configs say the same, ignoring order and separators.
bool same_config(Platform p, const std::string& a, const std::string& b) {
    if (p == Platform::frr) return frr_changeset(a, b).empty();
    return normalize_config(a) == normalize_config(b);
}

const Platform kPlatforms[] = {Platform::frr, Platform::eos, Platform::junos};

// Runs `check` on each of `platforms` in turn with the device's running
// config from before it, the platform named in any failure.
template <class Check>
void for_each_platform(std::span<const Platform> platforms, Check&& check) {
    for (auto p : platforms) {
        INFO(to_string(p));
        check(p, running(p));
    }
}

}  // namespace

TEST_CASE("sim: the simulator's inventory parses and every device answers", "[devices][sim]") {
    REQUIRE(sim().devices().size() == 3);
    for_each_platform(kPlatforms, [](Platform p, const std::string& config) {
        CHECK(has(config, device_of(p).hostname));
        CHECK_FALSE(has(config, "## Last commit"));
        CHECK_FALSE(has(config, "Building configuration"));
    });
}

TEST_CASE("sim: load, device diff, commit, idempotent reload, restore", "[devices][sim]") {
    for_each_platform(kPlatforms, [](Platform p, const std::string& before) {
        {
            auto c = connect_with_marker(p, before);
            std::string diff = c->driver().candidate_diff();
            INFO(diff);
            CHECK(has(diff, p == Platform::junos ? "community sy-test" : marker(p)));
            c->driver().commit();
        }
        std::string after = running(p);
        CHECK(has(after, marker(p)));
        {
            auto c = connect_with_marker(p, before);
            CHECK(c->driver().candidate_diff().empty());
            c->driver().discard();
            c->driver().load_candidate(before);
            c->driver().commit();
        }
        CHECK(same_config(p, running(p), before));
    });
}

TEST_CASE("sim: discard leaves the running config alone", "[devices][sim]") {
    for_each_platform(kPlatforms, [](Platform p, const std::string& before) {
        auto c = connect_with_marker(p, before);
        c->driver().discard();
        CHECK(same_config(p, running(p), before));
        if (p == Platform::frr) {
            // frr has no candidate on the device, so the check above holds
            // whatever discard does; what it must do is forget the change
            // set, leaving a commit nothing to apply.
            CHECK_THROWS_AS(c->driver().commit(), std::logic_error);
            CHECK_FALSE(has(running(p), marker(p)));
        }
    });
}

// Commits the marker with a confirm timer on a connection of its own, as a
// sync job would before a later confirm job.
PendingCommit commit_marker_confirmed(Platform p, const std::string& before) {
    auto c = connect_with_marker(p, before);
    auto pending = c->driver().commit_confirmed(120s);
    CHECK(has(running(p), marker(p)));
    return pending;
}

TEST_CASE("sim: commit confirmed, then confirm from a new connection", "[devices][sim]") {
    for_each_platform(kPlatforms, [](Platform p, const std::string& before) {
        PendingCommit pending = commit_marker_confirmed(p, before);
        connect(p)->driver().confirm(pending);
        CHECK(has(running(p), marker(p)));
        connect(p)->driver().rollback(pending);  // back to the start for the next case
        CHECK(same_config(p, running(p), before));
    });
}

TEST_CASE("sim: rollback of an unconfirmed commit restores the previous config", "[devices][sim]") {
    for_each_platform(kPlatforms, [](Platform p, const std::string& before) {
        PendingCommit pending = commit_marker_confirmed(p, before);
        connect(p)->driver().rollback(pending);
        CHECK(same_config(p, running(p), before));
    });
}

TEST_CASE("sim: eos and junos roll back by themselves when not confirmed", "[devices][sim]") {
    for_each_platform(std::array{Platform::eos, Platform::junos}, [](Platform p, const std::string& before) {
        {
            auto c = connect_with_marker(p, before);
            // eos: 1 s timer; junos: 1 "minute" = 1 s in this simulator.
            auto pending = c->driver().commit_confirmed(1s);
            CHECK(pending.device_enforces_timer);
        }
        bool restored = false;
        for (int i = 0; i < 150 && !restored; ++i) {
            std::this_thread::sleep_for(100ms);
            restored = !has(running(p), marker(p));
        }
        CHECK(restored);
    });
}

TEST_CASE("sim: a rejected line is a CommandError and changes nothing", "[devices][sim]") {
    for_each_platform(kPlatforms, [](Platform p, const std::string& before) {
        auto c = connect(p);
        std::string bad = p == Platform::junos ? before + "bogus {{{\n"
                          : p == Platform::eos ? before + "ntp server 10.9.9.9\n"
                                               // frr: a good change first, so the restore has work to do
                                               : with_marker(p, before) + "ip prefix-list BAD seq 5 deny any\n";
        bool rejected = false;
        try {
            c->driver().load_candidate(bad);
            c->driver().commit();
        } catch (const CommandError& e) {
            rejected = true;
            if (p == Platform::frr) CHECK(has(e.what(), "the previous config was restored"));
        }
        CHECK(rejected);
        CHECK(same_config(p, running(p), before));
    });
}

TEST_CASE("sim: password login works and a wrong one is refused", "[devices][sim][auth]") {
    Credentials good;
    good.username = "admin";
    good.password = "admin";
    DeviceConnection ok(device_of(Platform::frr), good, sim().strict_options());
    CHECK(has(ok.driver().running_config(), "hostname"));
    Credentials bad = good;
    bad.password = "not-the-password";
    try {
        DeviceConnection nope(device_of(Platform::frr), bad, sim().strict_options());
        FAIL("wrong password accepted");
    } catch (const AuthError& e) {
        CHECK_FALSE(has(e.what(), "not-the-password"));
    }
}

TEST_CASE("sim: a finished connection gives its socket back", "[devices][sim]") {
    auto open_fds = [] {
        return std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                             std::filesystem::directory_iterator{});
    };
    running(Platform::frr);  // whatever libssh opens once (random source, ...) is open from here on
    auto before = open_fds();
    for (int i = 0; i < 5; ++i)
        for (auto p : kPlatforms) CHECK_FALSE(running(p).empty());
    // libssh's ssh_disconnect used to leave the socket we gave it open: one
    // leaked socket, and a session held on the device, per connection.
    CHECK(open_fds() == before);
}
