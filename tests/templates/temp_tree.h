// A throw-away directory of files for one test, removed when it goes out of
// scope; and the device most template tests render for.
#pragma once

#include "devices/inventory.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace switchyard::templates::test {

class TempTree {
public:
    TempTree() {
        std::random_device rd;
        root_ =
            std::filesystem::temp_directory_path() / ("sy-templates-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(root_);
    }
    ~TempTree() {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }
    TempTree(const TempTree&) = delete;
    TempTree& operator=(const TempTree&) = delete;

    // Writes `text` to root/relative, creating folders on the way.
    void write(const std::string& relative, const std::string& text) const {
        const auto file = root_ / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << text;
    }
    std::string path(const std::string& relative = "") const { return (root_ / relative).string(); }

private:
    std::filesystem::path root_;
};

inline devices::Device frr_core(std::string host = "r1") {
    devices::Device d;
    d.hostname = std::move(host);
    d.management_ip = "192.0.2.10";
    d.platform = devices::Platform::frr;
    d.device_type = devices::DeviceType::CORE;
    return d;
}

}  // namespace switchyard::templates::test
