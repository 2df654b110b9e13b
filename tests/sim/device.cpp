#include "device.h"

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "files.h"
#include "host_keys.h"

namespace sim {

namespace {

std::string utc_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

constexpr size_t kHistoryDepth = 49;  // junos keeps rollback 0..49

}  // namespace

Platform parse_platform(const std::string& name) {
    if (name == "frr") return Platform::frr;
    if (name == "eos") return Platform::eos;
    if (name == "junos") return Platform::junos;
    throw std::invalid_argument("unknown platform: " + name);
}

const char* platform_name(Platform p) {
    switch (p) {
        case Platform::frr: return "frr";
        case Platform::eos: return "eos";
        case Platform::junos: return "junos";
    }
    return "?";
}

Device::Device(DeviceSpec spec, const std::filesystem::path& state_root, const std::string& canonical_initial)
    : spec_(std::move(spec)), dir_(state_root / spec_.hostname) {
    std::filesystem::create_directories(dir_);
    key_ = load_or_create_host_key(dir_ / "hostkey");
    changed_key_ = load_or_create_host_key(dir_ / "hostkey-changed");
    fingerprint_ = sha256_fingerprint(key_);
    public_key_ = public_key_line(key_);
    if (std::filesystem::exists(dir_ / "running.conf")) {
        running = read_text_file(dir_ / "running.conf");
        if (std::filesystem::exists(dir_ / "meta.json")) {
            auto meta = nlohmann::json::parse(read_text_file(dir_ / "meta.json"), nullptr, false);
            if (meta.is_object()) {
                last_commit = meta.value("last_commit", "");
                last_commit_user = meta.value("last_commit_user", "");
            }
        }
    } else {
        running = canonical_initial;
        last_commit = utc_now();
        last_commit_user = "root";
        persist_locked();
    }
    if (spec_.faults.lockout_on_change) lockout_baseline_ = running;
}

Device::~Device() {
    ssh_key_free(key_);
    ssh_key_free(changed_key_);
}

ssh_key Device::serving_key() { return faults().changed_host_key ? changed_key_ : key_; }

Faults Device::faults() const {
    std::lock_guard lk(mu);
    return spec_.faults;
}

bool Device::locked_out() const {
    std::lock_guard lk(mu);
    return spec_.faults.lockout_on_change && running != lockout_baseline_;
}

void Device::set_faults(Faults f) {
    std::lock_guard lk(mu);
    // A second copy of the config (tens of KB at --config-lines) only while the fault needs it.
    if (f.lockout_on_change) lockout_baseline_ = running;
    else std::string().swap(lockout_baseline_);  // gives its buffer back (= "" would keep it)
    spec_.faults = std::move(f);
}

CliTraits Device::cli_traits() const {
    std::lock_guard lk(mu);
    return spec_.cli;
}

void Device::set_cli_traits(CliTraits t) {
    std::lock_guard lk(mu);
    spec_.cli = std::move(t);
}

int Device::latency_ms() const { return spec_.latency_ms; }

void Device::commit_locked(std::string next, const std::string& user) {
    history.push_front(running);
    if (history.size() > kHistoryDepth) history.pop_back();
    running = std::move(next);
    last_commit = utc_now();
    last_commit_user = user;
    persist_locked();
}

void Device::persist_locked() const {
    write_file_atomic(dir_ / "running.conf", running);
    nlohmann::json meta = {{"last_commit", last_commit}, {"last_commit_user", last_commit_user}};
    write_file_atomic(dir_ / "meta.json", meta.dump());
}

}  // namespace sim
