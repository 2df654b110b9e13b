// The device selector of a request that schedules a device job
// (POST /device_syncto, POST /device_backup): hostname | device_type | group
// | all: true, as CNaaS-NMS's device_syncto takes them. Both routes read it
// here, so both refuse the same bad selectors with the same words.
#pragma once

#include "devices/device_selector.h"

#include <nlohmann/json.hpp>

namespace switchyard::api {

// The selector in `body` (a null or "" field counts as absent), and
// "resync" when `with_resync`; each text is checked (type, UTF-8, length).
// BadRequest saying what is wrong.
devices::DeviceSelector request_selector(const nlohmann::json& body, bool with_resync);

// Into a job's arguments: the selector as it was asked for (device_type,
// group, all; resync), as CNaaS-NMS keeps it in start_arguments, and
// "hostnames": the devices it selected, which the job runs on (CNaaS-NMS's
// key for one host), so a job can be re-read and re-run as it was.
void write_selection(const devices::DeviceSelector& selector, const devices::DeviceSelection& selection,
                     nlohmann::json& args);

}  // namespace switchyard::api
