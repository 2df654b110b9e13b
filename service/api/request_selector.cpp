#include "request_selector.h"

#include "job_labels.h"
#include "request_errors.h"

namespace switchyard::api {

using nlohmann::json;

devices::DeviceSelector request_selector(const json& body, bool with_resync) {
    for (auto name : {"hostname", "device_type", "group"}) text_field(body, name, 1000);  // type, UTF-8 and length
    json fields = json::object();
    for (auto name : {"hostname", "device_type", "group", "all", "resync"}) {
        if (!with_resync && std::string_view(name) == "resync") continue;
        if (body.contains(name) && !body[name].is_null() && body[name] != "") fields[name] = body[name];
    }
    try {
        return devices::selector_from_json(fields);
    } catch (const std::invalid_argument& e) {
        throw BadRequest(e.what());
    }
}

void write_selection(const devices::DeviceSelector& selector, const devices::DeviceSelection& selection, json& args) {
    devices::selector_to_json(selector, args);
    args.erase("hostname");
    args["hostnames"] = json::array();
    for (auto& d : selection.devices) args["hostnames"].push_back(d.hostname);
}

}  // namespace switchyard::api
