// Generated starting configs, so `--devices N` needs no config files. Each
// device gets distinct loopback, router-id and AS derived from its index.
#pragma once

#include <string>

#include "device.h"

namespace sim {

// Text in the platform's own show format (vtysh, EOS, JunOS curly braces).
std::string default_config(Platform p, const std::string& hostname, int index);

}  // namespace sim
