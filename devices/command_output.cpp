#include "devices/command_output.h"

#include <algorithm>
#include <cstring>

#include "devices/defaults.h"
#include "devices/errors.h"
#include "devices/valid_utf8.h"

namespace switchyard::devices {

CommandOutput::CommandOutput(std::size_t max_bytes, std::string where)
    : max_bytes_(max_bytes), where_(std::move(where)) {}

void CommandOutput::append(std::string_view bytes, std::size_t counted_elsewhere) {
    if (bytes.empty()) return;
    if (bytes_.size() + bytes.size() + counted_elsewhere > max_bytes_)
        throw DeviceError(where_ + "printed more than " + std::to_string(max_bytes_) +
                          " bytes for one command (the output limit, setting ssh.max_output_mib); giving up on it");
    // Only the new bytes are searched for the last line break.
    if (const void* nl = memrchr(bytes.data(), '\n', bytes.size()))
        line_start_ = bytes_.size() + static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data()) + 1;
    bytes_.append(bytes);
}

CommandOutput::Tail CommandOutput::tail() const {
    // Escape sequences shrink when removed: take twice the window, clean it,
    // then keep the window.
    const std::size_t from =
        std::max(line_start_, bytes_.size() > 2 * defaults::kPromptWindow ? bytes_.size() - 2 * defaults::kPromptWindow
                                                                          : std::size_t{0});
    std::string_view raw(bytes_.data() + from, bytes_.size() - from);
    Tail t;
    t.whole_line = from == line_start_;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\r') continue;
        if (raw[i] == '\x1b' && i + 1 < raw.size() && raw[i + 1] == '[') {
            i += 2;
            while (i < raw.size() && !(raw[i] >= '@' && raw[i] <= '~')) ++i;
            continue;
        }
        t.text += raw[i];
    }
    if (t.text.size() > defaults::kPromptWindow) {
        t.text.erase(0, t.text.size() - defaults::kPromptWindow);
        t.whole_line = false;
    }
    return t;
}

std::string CommandOutput::text() const { return valid_utf8(bytes_); }

}  // namespace switchyard::devices
