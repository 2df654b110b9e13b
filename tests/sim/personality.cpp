#include "personality.h"

#include "config_tree.h"

namespace sim {

void Personality::before_commit() {
    if (dev_.faults().drop_mid_commit) throw DropSession{};
}

std::unique_ptr<Personality> make_personality(Device& dev, const std::string& user, const SimClock& clock) {
    switch (dev.platform()) {
        case Platform::frr: return make_frr(dev, user, clock);
        case Platform::eos: return make_eos(dev, user, clock);
        case Platform::junos: return make_junos(dev, user, clock);
    }
    return nullptr;
}

Reply run_line(Personality& p, const Faults& faults, const std::string& line) {
    if (faults.is_command_error(line)) return {p.error_text(trim(line)), false, true};
    return p.line(line);
}

Reply run_exec(Personality& p, const Faults& faults, const std::string& command) {
    p.enter_exec_mode();
    Reply all;
    for (const auto& l : split_lines(command)) {
        Reply r = l == "\x04" ? p.end_of_input() : run_line(p, faults, l);
        all.text += r.text;
        all.error = all.error || r.error;
        if (r.close) break;
    }
    return all;
}

std::string canonical_config(Platform p, std::string_view text) {
    switch (p) {
        case Platform::frr: return frr_canonical(text);
        case Platform::eos: return eos_canonical(text);
        case Platform::junos: return junos_canonical(text);
    }
    return {};
}

std::string show_running_locked(const Device& dev) {
    switch (dev.platform()) {
        case Platform::frr: return frr_show(dev, dev.running);
        case Platform::eos: return eos_show(dev, dev.running, true);
        case Platform::junos: return junos_show(dev, dev.running);
    }
    return {};
}

}  // namespace sim
