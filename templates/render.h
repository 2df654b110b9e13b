// Rendering a device's intended config: one mustache entry template per
// platform and device type, fed by YAML settings layered global -> device type
// -> group -> device, plus the device's own inventory fields.
//
// Templates directory (templates_dir):
//   PLATFORM/mapping.yml        {ACCESS: access.mustache, DIST: ..., CORE: ..., UNKNOWN: ...}
//   PLATFORM/*.mustache         entry templates and partials; `{{> ntp}}` loads
//                               PLATFORM/ntp.mustache
// Settings directory (settings_dir), every file optional:
//   global.yml, device_types/TYPE.yml, groups/GROUP.yml (in the device's group
//   order), devices/HOSTNAME.yml
//
// Layering: later layers override earlier ones. Mappings merge recursively,
// scalars and most lists are replaced, but these lists merge item by item by
// a key (an overriding item is merged into the earlier item with the same key,
// new items are appended in order):
//   interfaces: name   vlans: id   neighbors / bgp_neighbors: ip or address
//   users: name        static_routes: prefix
// Then the device's fields hostname, management_ip, platform, device_type and
// groups are set at the top level (they win over settings of the same name).
//
// Strictness: a `{{variable}}` that no layer defines is an error (mustache
// would render it empty); a section `{{#x}}...{{/x}}` over an absent key is an
// optional block and renders nothing. YAML null renders as empty / false.
// Output lines that are blank after rendering are dropped.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "devices/inventory.h"

namespace switchyard::templates {

// Every failure to render one device: the message starts with the hostname
// and names the cause (the template path, the missing variable and where it
// is used, the YAML file and line).
class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The example templates and settings shipped in templates/bundled/ (their
// absolute source path is compiled in as SWITCHYARD_BUNDLED_TEMPLATES_DIR).
std::string bundled_templates_dir();
std::string bundled_settings_dir();

// Where templates and settings are read from; defaults are the bundled ones.
// An empty settings_dir means no settings at all (only the device's fields).
struct RenderSources {
    std::string templates_dir = bundled_templates_dir();
    std::string settings_dir = bundled_settings_dir();
};

// The data a template sees: the layered settings plus the device's fields.
// Throws TemplateError (bad YAML, a list item without its merge key, a
// settings directory that does not exist).
nlohmann::json layered_settings(const devices::Device& d, const std::string& settings_dir);

// The device's intended config text. Throws TemplateError.
std::string render_device_config(const devices::Device& d, const RenderSources& src = {});

}  // namespace switchyard::templates
