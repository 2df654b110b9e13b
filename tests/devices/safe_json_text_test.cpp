// SafeJsonWriter writes a document member by member; what it writes must be
// what the masker makes of the whole document at once (SafeJsonText::of).
#include <catch2/catch.hpp>

#include "devices/safe_json_text.h"

using namespace switchyard::devices;
using nlohmann::json;

namespace {

// A value nested `levels` arrays deep around a string.
json nested(int levels) {
    json v = "bottom";
    for (int i = 0; i < levels; ++i) v = json::array({v});
    return v;
}

// The result document of a device job, as one tree.
json whole_result(const json& devices, const json& fields) {
    json doc = fields;
    doc["devices"] = devices;
    return doc;
}

}  // namespace

TEST_CASE("SafeJsonWriter writes member by member what SafeJsonText::of masks whole", "[masker][safe_json_text]") {
    json devices = {
        {"r1", {{"diff", "+ snmp-server community s3cr3t RO"}, {"failed", false}}},
        {"Gr\xfcn", {{"message", "bad byte \xff and a NUL " + std::string("\0", 1)}}},
        {"password", "a device named like a secret"},
        {"r2", {{"settings", {{"bgp_password", "pw"}, {"k\xfe", "v"}}}, {"deep", nested(125)}}},
        {"r3", {{"deeper", nested(140)}}},
    };
    json fields = {{"auto_push", {{"scheduled", false}}}, {"secret", "top-level secret"}, {"count", 3}};

    SafeJsonWriter w;
    w.open("devices");
    for (auto& [host, entry] : devices.items()) w.add(host, entry);
    w.close();
    for (auto& [key, value] : fields.items()) w.add(key, value);
    std::string text = std::move(w).finish()->text();

    std::string expected = SafeJsonText::of(whole_result(devices, fields)).text();
    CHECK(json::parse(text) == json::parse(expected));
    CHECK(text.find("s3cr3t") == std::string::npos);
    CHECK(text.find("top-level secret") == std::string::npos);
    CHECK(text.find("\\u0000") == std::string::npos);  // PostgreSQL's jsonb refuses it
    auto parsed = json::parse(text);
    CHECK(parsed["devices"]["r2"]["settings"]["bgp_password"] == "****");
    // The nesting limit counts from the document's root, not the member's:
    // r3's value is cut at the same level in both.
    CHECK(parsed["devices"]["r3"]["deeper"].dump().find("nested too deep") != std::string::npos);
    CHECK(parsed["devices"]["r2"]["deep"].dump().find("nested too deep") == std::string::npos);
}

TEST_CASE("SafeJsonWriter: empty objects, keys that need masking, unclosed objects", "[masker][safe_json_text]") {
    CHECK(SafeJsonWriter().finish()->text() == "{}");
    SafeJsonWriter empty_devices;
    empty_devices.open("devices").close();
    CHECK(std::move(empty_devices).finish()->text() == R"({"devices":{}})");
    // finish() closes what is left open.
    SafeJsonWriter unclosed;
    unclosed.open("a").open("b").add("c", 1);
    CHECK(std::move(unclosed).finish()->text() == R"({"a":{"b":{"c":1}}})");
    SafeJsonWriter bad_key;
    bad_key.open("Gr\xfcn").add("x", 1).close().add("y", 2);
    CHECK(json::parse(std::move(bad_key).finish()->text()) == json::parse("{\"Gr\xEF\xBF\xBDn\":{\"x\":1},\"y\":2}"));
    CHECK_THROWS_AS(SafeJsonWriter().close(), std::logic_error);
}

namespace {

// Keeps what a writer hands it.
struct Parts : JsonTextSink {
    std::vector<std::string> parts;
    int ends = 0;

private:
    void write_part(std::string part) override { parts.push_back(std::move(part)); }
    void end() override { ++ends; }
};

}  // namespace

TEST_CASE("SafeJsonWriter with a sink hands on whole members in parts that join into its text",
          "[masker][safe_json_text]") {
    auto write = [](SafeJsonWriter& w) {
        w.open("devices");
        for (int i = 0; i < 40; ++i)
            w.add("r" + std::to_string(i),
                  {{"diff", "+ enable secret s3cr3t" + std::to_string(i)}, {"message", "Gr\xfcn \xe2\x82\xac"}});
        w.close();
        w.add("secret", "top-level secret");
    };
    SafeJsonWriter whole;
    write(whole);
    std::string expected = std::move(whole).finish()->text();

    Parts sink;
    SafeJsonWriter in_parts(&sink, 200);
    write(in_parts);
    CHECK(sink.ends == 0);
    CHECK_FALSE(std::move(in_parts).finish().has_value());
    CHECK(sink.ends == 1);
    REQUIRE(sink.parts.size() > 5);
    std::string joined;
    for (auto& p : sink.parts) {
        // Each part is whole members: valid UTF-8 as PostgreSQL's text wants
        // it (the euro sign's three bytes never split; dump() throws on a
        // split one).
        CHECK_NOTHROW(json(p).dump());
        CHECK(p.find("s3cr3t") == std::string::npos);
        joined += p;
    }
    CHECK(joined == expected);

    // Short of one part, nothing goes to the sink: the text is returned.
    Parts unused;
    SafeJsonWriter small(&unused, 1 << 20);
    write(small);
    auto text = std::move(small).finish();
    REQUIRE(text.has_value());
    CHECK(text->text() == expected);
    CHECK(unused.parts.empty());
    CHECK(unused.ends == 0);
}
