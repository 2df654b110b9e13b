// Reading settings and mapping files: YAML to JSON through libyaml's events,
// and what a hostile or careless file gets back.
#include <catch2/catch.hpp>

#include "templates/render.h"
#include "templates/yaml_file.h"
#include "tests/templates/temp_tree.h"

using namespace switchyard;
using nlohmann::json;
using templates::test::TempTree;

namespace {

json read(const TempTree& t, const std::string& text) {
    t.write("f.yml", text);
    return templates::detail::read_yaml_file(t.path("f.yml")).root;
}

std::string error_of(const TempTree& t, const std::string& text) {
    try {
        read(t, text);
    } catch (const templates::TemplateError& e) {
        return e.what();
    }
    return "no error";
}

// Every scalar's path and line, as the settings loader sees them.
struct Sites final : templates::detail::ScalarObserver {
    std::vector<std::pair<std::string, int>> seen;
    void scalar(const json&, const templates::detail::ScalarSite& site) override {
        seen.emplace_back(site.path(), site.line());
    }
};

}  // namespace

TEST_CASE("scalars: plain ones typed by YAML 1.2's core schema, quoted, block and !!str ones text") {
    TempTree t;
    const json j = read(t,
                        "n: 65000\nneg: -3\nlead: 010\nyes: true\nno: False\ntilde: ~\nempty:\nfloat: 1.5\n"
                        "q: '5'\ndq: \"true\"\ntagged: !!str 10\nbare: ! 11\nblock: |\n  two\n  lines\n"
                        "folded: >\n  one\n  line\n");
    CHECK(j["n"] == 65000);
    CHECK(j["neg"] == -3);
    CHECK(j["lead"] == "010");
    CHECK(j["yes"] == true);
    CHECK(j["no"] == false);
    CHECK(j["tilde"].is_null());
    CHECK(j["empty"].is_null());
    CHECK(j["float"] == "1.5");
    CHECK(j["q"] == "5");
    CHECK(j["dq"] == "true");
    CHECK(j["tagged"] == "10");
    CHECK(j["bare"] == "11");
    CHECK(j["block"] == "two\nlines\n");
    CHECK(j["folded"] == "one line\n");
}

TEST_CASE("keys stay text; a repeated key: the last wins; an empty file is null") {
    TempTree t;
    const json j = read(t, "10: ten\ntrue: yes\nk: 1\nk: 2\n");
    CHECK(j["10"] == "ten");
    CHECK(j["true"] == "yes");
    CHECK(j["k"] == 2);
    CHECK(read(t, "").is_null());
    CHECK(read(t, "# only a comment\n").is_null());
}

TEST_CASE("an alias is a copy of its anchor's value") {
    TempTree t;
    const json j = read(t, "base: &b {mtu: 9000, lldp: true}\nuplink: *b\nname: &n eth1\nport: *n\nkeyed: {*n : x}\n");
    CHECK(j["uplink"] == json({{"mtu", 9000}, {"lldp", true}}));
    CHECK(j["port"] == "eth1");
    CHECK(j["keyed"]["eth1"] == "x");
    CHECK_THAT(error_of(t, "a: *nope\n"), Catch::Contains("line 1") && Catch::Contains("*nope names no anchor"));
}

TEST_CASE("aliases of aliases that expand without end are refused before they are built") {
    TempTree t;
    std::string laughs = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i <= 9; ++i) {
        laughs += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
        for (int k = 0; k < 10; ++k) laughs += (k ? ", *l" : "*l") + std::to_string(i - 1);
        laughs += "]\n";
    }
    CHECK_THAT(error_of(t, laughs), Catch::Contains("more than 1000000 values"));

    // Few values, but each a copy of one long text.
    std::string copies = "big: &big \"" + std::string(1 << 20, 'x') + "\"\nmany: [";
    for (int k = 0; k < 100; ++k) copies += (k ? ", *big" : "*big");
    copies += "]\n";
    CHECK_THAT(error_of(t, copies), Catch::Contains("more than 64 MiB of text"));
}

TEST_CASE("nesting deeper than the bound is an error, not a stack overflow later") {
    TempTree t;
    const std::size_t deep = templates::detail::kMaxYamlDepth + 1;
    CHECK_THAT(error_of(t, "a: " + std::string(deep, '[') + std::string(deep, ']') + "\n"),
               Catch::Contains("nested more than 256 deep"));
    std::string maps = "a: ";
    for (std::size_t k = 0; k < 100000; ++k) maps += "{a: ";
    CHECK_THAT(error_of(t, maps), Catch::Contains("nested more than 256 deep"));
    // Within the bound: read whole.
    const std::size_t ok = templates::detail::kMaxYamlDepth - 1;
    const json j = read(t, "a: " + std::string(ok, '[') + std::string(ok, ']') + "\n");
    CHECK(j["a"].is_array());
}

TEST_CASE("what a file may not hold is an error naming the file and where") {
    TempTree t;
    const std::string f = t.path("f.yml");
    CHECK_THAT(error_of(t, "ok: 1\nname: \xff\xfe\n"),
               Catch::StartsWith("invalid YAML in " + f + " at byte 12") && Catch::Contains("UTF-8"));
    CHECK_THAT(error_of(t, "ok: 1\n? {a: 1}\n: v\n"),
               Catch::StartsWith("invalid YAML in " + f + " line 2") && Catch::Contains("key must be a plain value"));
    CHECK_THAT(error_of(t, "a: 1\n---\nb: 2\n"),
               Catch::StartsWith("invalid YAML in " + f + " line 2") && Catch::Contains("second YAML document"));
    CHECK_THAT(error_of(t, "a:\n  - [1, 2\n"), Catch::StartsWith("invalid YAML in " + f + " line 3"));
    CHECK_THROWS_WITH(templates::detail::read_yaml_file(t.path("absent.yml")), "cannot read " + t.path("absent.yml"));
}

TEST_CASE("the observer sees each value with its path and line, not the keys") {
    TempTree t;
    t.write("f.yml", "interfaces:\n  - name: eth1\n    description: up\n  - {name: eth2}\nntp: [a, b]\nlone: 1\n");
    Sites sites;
    templates::detail::read_yaml_file(t.path("f.yml"), &sites);
    const std::vector<std::pair<std::string, int>> expected{{"interfaces[0].name", 2},
                                                            {"interfaces[0].description", 3},
                                                            {"interfaces[1].name", 4},
                                                            {"ntp[0]", 5},
                                                            {"ntp[1]", 5},
                                                            {"lone", 6}};
    CHECK(sites.seen == expected);
}
