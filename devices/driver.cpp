#include "devices/driver.h"

#include "devices/eos_driver.h"
#include "devices/errors.h"
#include "devices/frr_driver.h"
#include "devices/junos_driver.h"

namespace switchyard::devices {

void Driver::rollback(const PendingCommit& pending) {
    // A full replace with the old config works on every platform, whether or
    // not the device still holds a timer (a commit also confirms it, and the
    // timer would restore the same config anyway).
    load_candidate(pending.previous_config);
    commit();
}

std::unique_ptr<Driver> make_driver(Platform platform, DeviceCli& cli) {
    switch (platform) {
        case Platform::frr: return std::make_unique<FrrDriver>(cli);
        case Platform::eos: return std::make_unique<EosDriver>(cli);
        case Platform::junos: return std::make_unique<JunosDriver>(cli);
    }
    throw std::logic_error("no driver for this platform");
}

Pattern prompt_pattern(Platform platform) {
    switch (platform) {
        // r1# , r1(config)# , r1(config-router-af)#
        case Platform::frr: return Pattern(R"(^[A-Za-z0-9._-]+(\([A-Za-z0-9._-]+\))?# ?$)");
        // sw1> , sw1# , sw1(config-s-sy1a2b)# , sw1(config-s-sy1a2b-if-Et1)#
        case Platform::eos: return Pattern(R"(^[A-Za-z0-9._-]+(\([^)]*\))?[>#] ?$)");
        // admin@j1> , admin@j1#
        case Platform::junos: return Pattern(R"(^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+[>#] ?$)");
    }
    throw std::logic_error("no prompt for this platform");
}

void check_output(Platform platform, const std::string& device, const std::string& command, const std::string& output) {
    std::size_t start = 0;
    while (start < output.size()) {
        auto nl = output.find('\n', start);
        if (nl == std::string::npos) nl = output.size();
        std::string line = output.substr(start, nl - start);
        start = nl + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto first = line.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        std::string_view l(line.data() + first, line.size() - first);
        bool bad = platform == Platform::junos ? (l.rfind("error:", 0) == 0 || l.rfind("syntax error", 0) == 0)
                                               : l.rfind("% ", 0) == 0;
        if (bad) throw CommandError("device " + device + " rejected '" + command + "': " + std::string(l));
    }
}

}  // namespace switchyard::devices
