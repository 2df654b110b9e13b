#include <catch2/catch.hpp>

#include "devices/text_lines.h"

using namespace switchyard::devices;
using Lines = std::vector<std::string>;
using Views = std::vector<std::string_view>;

TEST_CASE("line_views splits on '\\n' and keeps everything else", "[devices][text_lines]") {
    const std::string text = "hostname e1\r\n\n end";
    const Views lines = line_views(text);
    CHECK(lines == Views{"hostname e1\r", "", " end"});  // no '\n' at the end: the last line still counts
    CHECK(lines[0].data() == text.data());               // views into the text, not copies
    CHECK(line_views("a\n") == Views{"a"});
    CHECK(line_views("").empty());
    CHECK(line_views("\n") == Views{""});
}

TEST_CASE("text_lines also drops the '\\r' before '\\n'", "[devices][text_lines]") {
    CHECK(text_lines("hostname e1\r\ninterface Ethernet1\r\n") == Lines{"hostname e1", "interface Ethernet1"});
    CHECK(text_lines("a\nb") == Lines{"a", "b"});
    CHECK(text_lines("a\n\n b \n") == Lines{"a", "", " b "});
    CHECK(text_lines("a\r\r\n") == Lines{"a\r"});  // only one '\r', the one before '\n'
    CHECK(text_lines("a\r") == Lines{"a"});        // the last line's too
    CHECK(text_lines("").empty());
}
