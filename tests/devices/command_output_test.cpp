// What a command prints, collected: the output limit, the unfinished last
// line as a prompt matcher sees it, valid UTF-8; device errors quoting it.
#include <catch2/catch.hpp>

#include "devices/command_output.h"
#include "devices/defaults.h"
#include "devices/errors.h"
#include "devices/pattern.h"
#include "devices/valid_utf8.h"

using namespace switchyard::devices;

TEST_CASE("output past the limit fails the command, naming the limit", "[output]") {
    CommandOutput out(100, "device r1 (10.0.0.1:22): ");
    out.append(std::string(60, 'a'));
    out.append(std::string(40, 'b'));
    CHECK(out.size() == 100);
    try {
        out.append("c");
        FAIL("no error past the limit");
    } catch (const DeviceError& e) {
        CHECK(std::string(e.what()).find("device r1 (10.0.0.1:22): printed more than 100 bytes") == 0);
        CHECK(std::string(e.what()).find("ssh.max_output_mib") != std::string::npos);
    }
    CommandOutput both(100, "");
    both.append(std::string(50, 'a'), 50);
    CHECK_THROWS_AS(both.append("x", 50), DeviceError);  // stdout and stderr count together
}

TEST_CASE("the tail is the unfinished last line, cleaned, at most a window long", "[output]") {
    CommandOutput out(std::size_t{1} << 30, "");
    out.append("line one\nline two\r\n\x1b[1mr1\x1b[0m# ");
    auto t = out.tail();
    CHECK(t.text == "r1# ");
    CHECK(t.whole_line);
    out.append("show run");
    CHECK(out.tail().text == "r1# show run");
    out.append("\n");
    CHECK(out.tail().text.empty());

    // A 400,000-character line: the tail stays one window long and is known
    // not to start the line, so a prompt anchored with ^ cannot match in it.
    for (int i = 0; i < 400; ++i) out.append(std::string(1000, 'x'));
    out.append("r1# ");
    t = out.tail();
    CHECK(t.text.size() == defaults::kPromptWindow);
    CHECK_FALSE(t.whole_line);
    Pattern prompt(R"(^[A-Za-z0-9._-]+# ?$)");
    CHECK_FALSE(prompt.search(t.text, t.whole_line));
    CHECK(prompt.search("r1# ", true));
    out.append("\nr1# ");
    t = out.tail();
    CHECK(t.whole_line);
    CHECK(prompt.search(t.text, t.whole_line));
}

TEST_CASE("output is handed out as valid UTF-8", "[output]") {
    CommandOutput out(1000, "");
    out.append("description Gr\xfcn\n");
    out.append(std::string("nul\0here\n", 9));
    CHECK(out.text() == "description Gr\xEF\xBF\xBDn\nnul\xEF\xBF\xBDhere\n");
    CHECK(is_valid_utf8(out.text()));
}

TEST_CASE("device errors quoting device output are valid UTF-8", "[output]") {
    TimeoutError e("device r1: no prompt; last output: Gr\xfc\xff");
    CHECK(std::string(e.what()) == "device r1: no prompt; last output: Gr\xEF\xBF\xBD\xEF\xBF\xBD");
    CommandError c(std::string("rejected 'x\0y'", 14));
    CHECK(is_valid_utf8(c.what()));
}

TEST_CASE("a pattern knows when it can only match at the start of a line", "[output]") {
    CHECK(Pattern(R"(^[A-Za-z0-9._-]+# ?$)").anchored());
    CHECK_FALSE(Pattern(R"(\[yes,no\])").anchored());
    CHECK_FALSE(Pattern(R"(^a|b$)").anchored());
}
