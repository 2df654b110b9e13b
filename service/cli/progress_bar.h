// A one-line progress display for long work, redrawn in place on a terminal
// and printed as plain lines (only when something changed) otherwise.
#pragma once

#include <unistd.h>
#include <ostream>
#include <string>

namespace switchyard::cli {

class ProgressBar {
public:
    explicit ProgressBar(std::ostream& out) : out_(out), tty_(isatty(STDERR_FILENO)) {}

    // `total` 0: unknown (no bar, just the count).
    void draw(const std::string& status, std::size_t done, std::size_t total) {
        std::string line = status;
        if (total > 0) {
            constexpr std::size_t width = 30;
            std::size_t filled = std::min(width, done * width / total);
            line = "[" + std::string(filled, '#') + std::string(width - filled, ' ') + "] " + std::to_string(done) +
                   "/" + std::to_string(total) + " devices  " + status;
        } else if (done > 0) {
            line = std::to_string(done) + " devices done  " + status;
        }
        if (line == last_) return;
        last_ = line;
        if (tty_) out_ << "\r\033[K" << line << std::flush;
        else out_ << line << "\n";
    }
    void finish() {
        if (tty_ && !last_.empty()) out_ << "\n";
    }

private:
    std::ostream& out_;
    bool tty_;
    std::string last_;
};

}  // namespace switchyard::cli
