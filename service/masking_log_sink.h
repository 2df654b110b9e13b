// Logs leave the process: every message goes through the one secret masker
// (devices/secret_masker.h) before any sink writes it. Installed once, as the
// sink of the default logger (configure_logging); loggers made from its sinks
// (one per job) mask too.
#pragma once

#include <spdlog/sinks/sink.h>

#include <memory>

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

}  // namespace switchyard
