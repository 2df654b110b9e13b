// Logs leave the process: every message goes through the one secret masker
// (devices/secret_masker.h) before any sink writes it. Installed once, as the
// sink of the default logger (install_masking_logger, which the command line's
// configure_logging calls); loggers made from its sinks (one per job) mask too.
#pragma once

#include <spdlog/sinks/sink.h>

#include <memory>
#include <string>

namespace switchyard {

class MaskingLogSink final : public spdlog::sinks::sink {
public:
    explicit MaskingLogSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) {}

    void log(const spdlog::details::log_msg& msg) override;
    void flush() override { inner_->flush(); }
    void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
        inner_->set_formatter(std::move(formatter));
    }

private:
    spdlog::sink_ptr inner_;
};

// Makes the default logger write to `out` through a MaskingLogSink, at
// `level` ("info", "debug", ...), in the one log format.
void install_masking_logger(spdlog::sink_ptr out, const std::string& level);

}  // namespace switchyard
