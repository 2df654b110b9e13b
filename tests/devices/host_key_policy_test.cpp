#include <catch2/catch.hpp>

#include "devices/errors.h"
#include "devices/host_key_policy.h"

using namespace switchyard::devices;

TEST_CASE("policy names", "[devices][hostkey]") {
    CHECK(host_key_policy_from_string("strict") == HostKeyPolicy::strict);
    CHECK(host_key_policy_from_string("accept-new") == HostKeyPolicy::accept_new);
    CHECK(host_key_policy_from_string("off") == HostKeyPolicy::off);
    CHECK_FALSE(host_key_policy_from_string("yes"));
    CHECK(to_string(HostKeyPolicy::accept_new) == "accept-new");
}

TEST_CASE("accept-new remembers the first key and refuses a changed one", "[devices][hostkey]") {
    MemoryHostKeyStore store;
    HostKey first{"ssh-ed25519", "AAAAfirst", "SHA256:first"};
    HostKey other{"ssh-ed25519", "AAAAother", "SHA256:other"};

    CHECK_NOTHROW(check_accept_new(store, "r1", first));
    REQUIRE(store.find("r1"));
    CHECK(*store.find("r1") == first);
    CHECK_NOTHROW(check_accept_new(store, "r1", first));  // same key again

    try {
        check_accept_new(store, "r1", other);
        FAIL("a changed key was accepted");
    } catch (const HostKeyError& e) {
        std::string msg = e.what();
        CHECK(msg.find("r1") != std::string::npos);
        CHECK(msg.find("SHA256:first") != std::string::npos);
        CHECK(msg.find("SHA256:other") != std::string::npos);
    }
    CHECK(*store.find("r1") == first);  // never overwritten

    CHECK_NOTHROW(check_accept_new(store, "r2", other));  // per device
    CHECK(store.forget("r1"));
    CHECK_FALSE(store.forget("r1"));
    CHECK_NOTHROW(check_accept_new(store, "r1", other));  // operator removed the old key
}

TEST_CASE("the first writer wins when two sessions meet a new device", "[devices][hostkey]") {
    MemoryHostKeyStore store;
    HostKey a{"ssh-ed25519", "A", "SHA256:a"};
    HostKey b{"ssh-ed25519", "B", "SHA256:b"};
    CHECK(store.remember("r1", a) == a);
    CHECK(store.remember("r1", b) == a);
}
