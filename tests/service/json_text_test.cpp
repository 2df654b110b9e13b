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
