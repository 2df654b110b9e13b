#include "masking_log_sink.h"

#include "devices/secret_masker.h"

#include <spdlog/details/log_msg.h>
#include <spdlog/spdlog.h>

namespace switchyard {

void MaskingLogSink::log(const spdlog::details::log_msg& msg) {
    const std::string safe = devices::safe_text(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg masked(msg);
    masked.payload = spdlog::string_view_t(safe.data(), safe.size());
    inner_->log(masked);
}

void install_masking_logger(spdlog::sink_ptr out, const std::string& level) {
    auto logger = std::make_shared<spdlog::logger>("switchyard", std::make_shared<MaskingLogSink>(std::move(out)));
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
    logger->set_level(spdlog::level::from_str(level));
    spdlog::set_default_logger(logger);
}

}  // namespace switchyard
