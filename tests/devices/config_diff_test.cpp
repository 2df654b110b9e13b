// unified_diff against dtl's own unified format (the reference below is what
// devices/config_diff.cpp printed before it wrote hunks itself), and, where
// one-sided lines are left out of dtl's search, a diff that turns one text
// into the other with as few changed lines as dtl's.
#include "devices/config_diff.h"

#include <catch2/catch.hpp>
#include <dtl/dtl.hpp>

#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace switchyard::devices;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string text_of(const std::vector<std::string>& lines) {
    std::string out;
    for (auto& l : lines) out += l + "\n";
    return out;
}

// dtl 1.20's composeUnifiedHunks, printed as its printUnifiedFormat does.
std::string dtl_unified(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    dtl::Diff<std::string> diff(a, b);
    diff.compose();
    if (diff.getEditDistance() == 0) return "";
    diff.composeUnifiedHunks();
    std::string out = "--- running\n+++ intended\n";
    for (const auto& hunk : diff.getUniHunks()) {
        out += "@@ -" + std::to_string(hunk.a) + "," + std::to_string(hunk.b) + " +" + std::to_string(hunk.c) + "," +
               std::to_string(hunk.d) + " @@\n";
        for (const auto& e : hunk.common[0]) out += " " + e.first + "\n";
        for (const auto& e : hunk.change)
            out += (e.second.type == dtl::SES_ADD      ? "+"
                    : e.second.type == dtl::SES_DELETE ? "-"
                                                       : " ") +
                   e.first + "\n";
        for (const auto& e : hunk.common[1]) out += " " + e.first + "\n";
    }
    return out;
}

long long dtl_distance(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    dtl::Diff<std::string> diff(a, b);
    diff.onOnlyEditDistance();
    diff.compose();
    return diff.getEditDistance();
}

// Applies a unified diff to `from`; checks each hunk's counts and that its
// old lines are where its header says. Returns the new text's lines.
std::vector<std::string> patched(const std::string& diff, const std::vector<std::string>& from) {
    auto lines = lines_of(diff);
    REQUIRE(lines.size() >= 2);
    std::vector<std::string> out;
    std::size_t next = 0;  // the next line of `from` not yet copied
    static const std::regex header(R"(^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$)");
    for (std::size_t k = 2; k < lines.size();) {
        std::smatch m;
        REQUIRE(std::regex_match(lines[k], m, header));
        const std::size_t a = std::stoul(m[1]), b = std::stoul(m[2]), d = std::stoul(m[4]);
        const std::size_t start = b == 0 ? next : a - 1;
        REQUIRE(start >= next);
        while (next < start) out.push_back(from.at(next++));
        std::size_t old_n = 0, new_n = 0;
        for (++k; k < lines.size() && lines[k].rfind("@@ ", 0) != 0; ++k) {
            char mark = lines[k][0];
            std::string text = lines[k].substr(1);
            if (mark != '+') {
                REQUIRE(next < from.size());
                REQUIRE(from[next] == text);
                ++next;
                ++old_n;
            }
            if (mark != '-') {
                out.push_back(text);
                ++new_n;
            }
        }
        CHECK(old_n == b);
        CHECK(new_n == d);
    }
    while (next < from.size()) out.push_back(from[next++]);
    return out;
}

long long changed_lines(const std::string& diff) {
    long long n = 0;
    auto lines = lines_of(diff);
    for (std::size_t k = 2; k < lines.size(); ++k) n += lines[k][0] == '+' || lines[k][0] == '-';
    return n;
}

std::vector<std::string> random_lines(std::mt19937& rng, int count, int alphabet, const std::string& prefix) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) out.push_back(prefix + std::to_string(rng() % alphabet));
    return out;
}

}  // namespace

TEST_CASE("unified_diff prints dtl's hunks while few lines are on one side only", "[devices][diff]") {
    std::mt19937 rng(20261206);
    for (int t = 0; t < 20000; ++t) {
        const int alphabet = 2 + static_cast<int>(rng() % 20);
        auto a = random_lines(rng, static_cast<int>(rng() % 40), alphabet, "line ");
        std::vector<std::string> b;
        if (rng() % 2) {
            b = a;  // a few edits: the common case of a config and its next version
            for (int k = static_cast<int>(rng() % 5); k-- > 0;) {
                auto at = [&](std::size_t n) { return b.begin() + static_cast<long>(n ? rng() % n : 0); };
                switch (rng() % 3) {
                    case 0:
                        if (!b.empty()) b.erase(at(b.size()));
                        break;
                    case 1: b.insert(at(b.size() + 1), "line " + std::to_string(rng() % (alphabet + 10))); break;
                    default:
                        if (!b.empty()) *at(b.size()) = "line " + std::to_string(rng() % (alphabet + 10));
                }
            }
        } else {
            b = random_lines(rng, static_cast<int>(rng() % 40), alphabet + 5, "line ");
        }
        INFO("case " << t << "\nfrom:\n" << text_of(a) << "to:\n" << text_of(b));
        REQUIRE(unified_diff(text_of(a), text_of(b)) == dtl_unified(a, b));
    }
}

TEST_CASE("with many one-sided lines, the diff still turns one text into the other in as few lines",
          "[devices][diff]") {
    std::mt19937 rng(6122026);
    for (int t = 0; t < 300; ++t) {
        // Shared lines (repeats among them) between runs of lines of one side only.
        std::vector<std::string> a, b;
        for (int block = static_cast<int>(rng() % 12); block-- > 0;) {
            for (auto& l : random_lines(rng, static_cast<int>(rng() % 20), 8, "shared ")) {
                if (rng() % 4) a.push_back(l);
                if (rng() % 4) b.push_back(l);
            }
            for (int k = static_cast<int>(rng() % 30); k-- > 0;)
                a.push_back("old " + std::to_string(t) + "." + std::to_string(rng()));
            for (int k = static_cast<int>(rng() % 30); k-- > 0;)
                b.push_back("new " + std::to_string(t) + "." + std::to_string(rng()));
        }
        INFO("case " << t << "\nfrom:\n" << text_of(a) << "to:\n" << text_of(b));
        auto diff = unified_diff(text_of(a), text_of(b));
        if (a == b) {
            CHECK(diff.empty());
            continue;
        }
        CHECK(patched(diff, a) == b);
        CHECK(changed_lines(diff) == dtl_distance(a, b));
    }
}

TEST_CASE("a long running config against a short intended one sharing few lines", "[devices][diff]") {
    std::vector<std::string> running, intended;
    for (int i = 0; i < 2000; ++i)
        running.push_back(i % 7 == 0 ? "interface Ethernet" + std::to_string(i)
                                     : "   seq " + std::to_string(i * 10) + " permit 10.0." + std::to_string(i % 250) +
                                           ".0/24");
    for (int i = 0; i < 5; ++i) intended.push_back(running[static_cast<std::size_t>(i * 300)]);
    for (int i = 0; i < 55; ++i) intended.push_back("ip route 10.9." + std::to_string(i) + ".0/24 Null0");
    auto diff = unified_diff(text_of(running), text_of(intended));
    CHECK(patched(diff, running) == intended);
    CHECK(changed_lines(diff) == dtl_distance(running, intended));
    CHECK(diff_stats(diff).removed == 1995);
    CHECK(diff_stats(diff).added == 55);
}
