#include <catch2/catch.hpp>

#include "templates/render.h"
#include "tests/templates/temp_tree.h"

using namespace switchyard;
using templates::test::frr_core;
using templates::test::TempTree;

namespace {

// A minimal frr template tree: core.mustache uses a partial and settings.
void write_tree(const TempTree& t, const std::string& core) {
    t.write("tpl/frr/mapping.yml", "CORE: core.mustache\nACCESS: access.mustache\n");
    t.write("tpl/frr/core.mustache", core);
    t.write("tpl/frr/ntp.mustache", "{{#ntp_servers}}ntp {{.}}\n{{/ntp_servers}}");
    t.write("settings/global.yml", "ntp_servers: [192.0.2.1, 192.0.2.2]\nasn: 65000\ndescription: a \"quoted\" <b>\n");
}

std::string error_of(const devices::Device& d, const templates::RenderSources& src) {
    try {
        templates::render_device_config(d, src);
    } catch (const templates::TemplateError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("renders the entry template with partials, settings and device fields") {
    TempTree t;
    write_tree(t, "hostname {{hostname}}\n{{> ntp}}\n\nrouter bgp {{asn}}\n description {{description}}\n");
    const auto out = templates::render_device_config(frr_core(), {t.path("tpl"), t.path("settings")});
    // No HTML escaping, no blank lines.
    CHECK(out == "hostname r1\nntp 192.0.2.1\nntp 192.0.2.2\nrouter bgp 65000\n description a \"quoted\" <b>\n");
}

TEST_CASE("an absent section is an optional block, not an error") {
    TempTree t;
    write_tree(t, "hostname {{hostname}}\n{{#bgp}}\nrouter bgp {{asn}}\n{{/bgp}}\n{{^bgp}}\n! no bgp\n{{/bgp}}\n");
    CHECK(templates::render_device_config(frr_core(), {t.path("tpl"), t.path("settings")}) ==
          "hostname r1\n! no bgp\n");
}

TEST_CASE("a missing variable names the variable and where it is used") {
    TempTree t;
    write_tree(t, "hostname {{hostname}}\n{{> ntp}}\nrouter bgp {{ asn }}\n bgp router-id {{router_id}}\n");
    t.write("tpl/frr/ntp.mustache", "{{#ntp_servers}}\nntp {{.}} key {{ntp_key}}\n{{/ntp_servers}}\n");
    const auto msg = error_of(frr_core(), {t.path("tpl"), t.path("settings")});
    CHECK_THAT(msg, Catch::StartsWith("r1: "));
    CHECK_THAT(msg, Catch::Contains("missing variable 'router_id'") && Catch::Contains("core.mustache line 4"));
    CHECK_THAT(msg, Catch::Contains("missing variable 'ntp_key'") && Catch::Contains("ntp.mustache line 2"));
    CHECK_THAT(msg, !Catch::Contains("'asn'"));
}

TEST_CASE("a variable defined only in a later layer or as null is not missing") {
    TempTree t;
    write_tree(t, "x {{router_id}}{{{note}}}{{&note}}\n");
    t.write("settings/devices/r1.yml", "router_id: 10.0.0.1\nnote: ~\n");
    CHECK(templates::render_device_config(frr_core(), {t.path("tpl"), t.path("settings")}) == "x 10.0.0.1\n");
    CHECK_THAT(error_of(frr_core("r2"), {t.path("tpl"), t.path("settings")}),
               Catch::Contains("missing variable 'router_id'") && Catch::Contains("missing variable 'note'"));
}

TEST_CASE("a list or mapping used as a value is an error") {
    TempTree t;
    write_tree(t, "ntp {{ntp_servers}}\n");
    CHECK_THAT(error_of(frr_core(), {t.path("tpl"), t.path("settings")}),
               Catch::Contains("'ntp_servers'") && Catch::Contains("list or mapping"));
}

TEST_CASE("a missing template names the path") {
    TempTree t;
    write_tree(t, "hostname {{hostname}}\n");
    auto access = frr_core();
    access.device_type = devices::DeviceType::ACCESS;
    const auto msg = error_of(access, {t.path("tpl"), t.path("settings")});
    CHECK_THAT(msg, Catch::Contains("missing template " + t.path("tpl/frr/access.mustache")));

    auto dist = frr_core();
    dist.device_type = devices::DeviceType::DIST;
    CHECK_THAT(error_of(dist, {t.path("tpl"), t.path("settings")}),
               Catch::Contains(t.path("tpl/frr/mapping.yml")) && Catch::Contains("DIST"));

    auto eos = frr_core();
    eos.platform = devices::Platform::eos;
    CHECK_THAT(error_of(eos, {t.path("tpl"), t.path("settings")}),
               Catch::Contains("missing template mapping " + t.path("tpl/eos/mapping.yml")));
}

TEST_CASE("a missing partial names its path, even inside an unrendered section") {
    TempTree t;
    write_tree(t, "hostname {{hostname}}\n{{#nothing}}{{> snmp}}{{/nothing}}\n");
    CHECK_THAT(error_of(frr_core(), {t.path("tpl"), t.path("settings")}),
               Catch::Contains("missing template " + t.path("tpl/frr/snmp.mustache")));
}

TEST_CASE("partials that include themselves and bad partial names are refused") {
    TempTree t;
    write_tree(t, "{{> loop}}\n");
    t.write("tpl/frr/loop.mustache", "x\n{{> loop}}\n");
    CHECK_THAT(error_of(frr_core(), {t.path("tpl"), t.path("settings")}), Catch::Contains("includes itself"));
    write_tree(t, "{{> ../../etc/passwd}}\n");
    CHECK_THAT(error_of(frr_core(), {t.path("tpl"), t.path("settings")}), Catch::Contains("invalid partial name"));
}

TEST_CASE("invalid mustache and invalid mapping YAML name the file") {
    TempTree t;
    write_tree(t, "{{#open}}\nno close\n");
    CHECK_THAT(error_of(frr_core(), {t.path("tpl"), t.path("settings")}),
               Catch::Contains("invalid template " + t.path("tpl/frr/core.mustache")));
    t.write("tpl/frr/mapping.yml", "CORE: core.mustache\n  bad: : indent\n");
    CHECK_THAT(error_of(frr_core(), {t.path("tpl"), t.path("settings")}),
               Catch::Contains("invalid YAML in " + t.path("tpl/frr/mapping.yml") + " line 2"));
}

TEST_CASE("settings errors reach the caller of render naming the host once") {
    TempTree t;
    write_tree(t, "hostname {{hostname}}\n");
    t.write("settings/devices/r1.yml", "a: [\n");
    const auto msg = error_of(frr_core(), {t.path("tpl"), t.path("settings")});
    CHECK_THAT(msg, Catch::StartsWith("r1: invalid YAML in " + t.path("settings/devices/r1.yml")));
}

TEST_CASE("debris of optional blocks is dropped: repeated separators, empty brace blocks") {
    TempTree t;
    write_tree(t,
               "a\n!\n{{#none}}x\n{{/none}}!\n  !\n  !\nb {\n    c {\n{{#none}}        d;\n{{/none}}    }\n}\n"
               "e {\n    f;\n}\n");
    CHECK(templates::render_device_config(frr_core(), {t.path("tpl"), t.path("settings")}) ==
          "a\n!\n  !\ne {\n    f;\n}\n");
}
