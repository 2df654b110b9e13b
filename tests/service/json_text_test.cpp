#include "devices/json_text.h"

#include <catch2/catch.hpp>

using nlohmann::json;
using switchyard::devices::storable_json;

TEST_CASE("storable JSON replaces invalid UTF-8 and NULs, and nothing else", "[json_text]") {
    CHECK(storable_json({{"a", "plain"}}) == R"({"a":"plain"})");
    CHECK(storable_json(json(std::string("Gr\xfc\xdf"))) == "\"Gr\xef\xbf\xbd\xef\xbf\xbd\"");
    CHECK(storable_json(json(std::string("a\0b", 3))) == R"("a\ufffdb")");
    // The text \u0000 (an escaped backslash, then u0000) is not a NUL.
    CHECK(storable_json(json(std::string("a\\u0000b"))) == R"("a\\u0000b")");
    CHECK(storable_json(json(std::string("\\\0", 2))) == R"("\\\ufffd")");
    CHECK(storable_json({{std::string("k\0", 2), std::string("\0", 1)}}) == R"({"k\ufffd":"\ufffd"})");
    CHECK(json::parse(storable_json(json(std::string(1000, '\0')))).get<std::string>().size() ==
          3000);  // U+FFFD is three bytes
}

// A batch of device texts is written a row at a time (config history, a
// job's texts): the text is the one the whole array would make.
TEST_CASE("a storable JSON array written a row at a time is the whole array's storable JSON", "[json_text]") {
    const std::vector<json> rows = {
        {{"hostname", "sw1"}, {"text", std::string("Gr\xfc\xdf\nline\0two", 13)}},
        {{"hostname", std::string("k\0", 2)}, {"text", "a\\u0000b"}},
        json::object(),
        {{"n", 1}, {"list", {1, "x", nullptr}}},
    };
    switchyard::devices::StorableJsonArray array(16);
    CHECK(array.empty());
    for (auto& row : rows) array.add(row);
    CHECK_FALSE(array.empty());
    CHECK(array.finish() == storable_json(json(rows)));
    CHECK(array.empty());
    CHECK(array.finish() == "[]");

    // Read as it grows (a running job's finished devices), rows made storable
    // by the caller: the same text, and the array kept.
    CHECK(array.text() == "[]");
    for (auto& row : rows) array.add_storable(storable_json(row));
    CHECK(array.text() == storable_json(json(rows)));
    CHECK_FALSE(array.empty());
    CHECK(array.finish() == storable_json(json(rows)));
}
