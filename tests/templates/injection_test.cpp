// Config injection: a rendered value holding a control character is a
// template error naming the setting and its settings file; nothing renders.
#include <catch2/catch.hpp>

#include "templates/render.h"
#include "tests/templates/temp_tree.h"

using namespace switchyard;
using templates::test::frr_core;
using templates::test::TempTree;

namespace {

void write_templates(const TempTree& t) {
    t.write("tpl/frr/mapping.yml", "CORE: core.mustache\n");
    t.write("tpl/frr/core.mustache",
            "hostname {{hostname}}\n{{#interfaces}}\ninterface {{name}}\n description "
            "{{description}}\nexit\n{{/interfaces}}\n");
}

std::string error_of(const devices::Device& d, const templates::RenderSources& src) {
    try {
        auto out = templates::render_device_config(d, src);
        return "no error; rendered:\n" + out;
    } catch (const templates::TemplateError& e) {
        return e.what();
    }
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a newline in a settings value is an error naming the setting and the file, not a route", "[injection]") {
    TempTree t;
    write_templates(t);
    t.write("settings/global.yml", "interfaces:\n  - {name: eth1, description: core link}\n");
    // issue 9's sample: YAML's "\n" escape in a double-quoted scalar.
    t.write("settings/devices/r1.yml",
            "interfaces:\n  - name: eth1\n    description: \"uplink\\nip route 0.0.0.0/0 Null0\"\n");
    const std::string e = error_of(frr_core(), {t.path("tpl"), t.path("settings")});
    INFO(e);
    CHECK(has(e, "r1: "));
    CHECK(has(e, "setting 'interfaces[0].description'"));
    CHECK(has(e, t.path("settings/devices/r1.yml") + " line 3"));
    CHECK(has(e, "line feed (U+000A)"));
    CHECK(has(e, "core.mustache line 4"));
    CHECK_FALSE(has(e, "rendered:"));
    // Another device, without the bad value, renders.
    CHECK(has(templates::render_device_config(frr_core("r2"), {t.path("tpl"), t.path("settings")}),
              " description core link\n"));
}

TEST_CASE("every control character is refused: CR, NUL, Ctrl-D, tab, escape, DEL, C1", "[injection]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"\\r", "carriage return (U+000D)"},
        {"\\0", "NUL (U+0000)"},
        {"\\x04", "Ctrl-D (U+0004)"},
        {"\\t", "tab (U+0009)"},
        {"\\e", "escape (U+001B)"},
        {"\\x7f", "delete (U+007F)"},
        {"\\x85", "control character U+0085"},
        {"\\x1a", "control character U+001A"},
    };
    for (const auto& [escape, name] : cases) {
        TempTree t;
        write_templates(t);
        t.write("settings/global.yml", "interfaces:\n  - {name: eth1, description: \"a" + escape + "b\"}\n");
        const std::string e = error_of(frr_core(), {t.path("tpl"), t.path("settings")});
        INFO(escape << ": " << e);
        CHECK(has(e, "setting 'interfaces[0].description' (" + t.path("settings/global.yml") + " line 2)"));
        CHECK(has(e, name));
    }
}

TEST_CASE("a bad value that no template renders is no error; the winning layer is named", "[injection]") {
    TempTree t;
    write_templates(t);
    t.write("settings/global.yml",
            "unused_banner: \"line one\\nline two\"\ninterfaces:\n  - {name: eth1, description: \"x\\ny\"}\n");
    t.write("settings/device_types/CORE.yml", "interfaces:\n  - {name: eth1, description: \"p\\nq\"}\n");
    const std::string e = error_of(frr_core(), {t.path("tpl"), t.path("settings")});
    INFO(e);
    CHECK(has(e, t.path("settings/device_types/CORE.yml") + " line 2"));
    CHECK_FALSE(has(e, "unused_banner"));
}

TEST_CASE("a device field from the inventory is checked too", "[injection]") {
    TempTree t;
    write_templates(t);
    t.write("settings/global.yml", "interfaces: []\n");
    const std::string e = error_of(frr_core("r1\nno router bgp 65000"), {t.path("tpl"), t.path("settings")});
    INFO(e);
    CHECK(has(e, "setting 'hostname' (the inventory)"));
}

TEST_CASE("a template that writes a control character itself is refused", "[injection]") {
    TempTree t;
    t.write("tpl/frr/mapping.yml", "CORE: core.mustache\n");
    t.write("tpl/frr/core.mustache", std::string("hostname {{hostname}}\nbanner \x04 end\n"));
    const std::string e = error_of(frr_core(), {t.path("tpl"), ""});
    INFO(e);
    CHECK(has(e, "Ctrl-D (U+0004) on line 2"));
}

TEST_CASE("UTF-8 text renders as written", "[injection]") {
    TempTree t;
    write_templates(t);
    t.write("settings/global.yml",
            "interfaces:\n  - {name: eth1, description: \"Gr\xC3\xBCn \xE2\x86\x92 K\xC3\xB6ln\"}\n");
    CHECK(has(templates::render_device_config(frr_core(), {t.path("tpl"), t.path("settings")}),
              " description Gr\xC3\xBCn \xE2\x86\x92 K\xC3\xB6ln\n"));
}
