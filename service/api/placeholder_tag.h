// A random tag that marks a place in a JSON text Switchyard serialises (where
// a job's devices or a device's texts go back in). Random, so that no string
// of a result (device output is hostile) can pass for one.
#pragma once

#include <string>

namespace switchyard::api {

// "switchyard-text-" and 32 random hex digits, then "-".
std::string placeholder_tag();

}  // namespace switchyard::api
