#include "masking_log_sink.h"

#include "devices/secret_masker.h"

#include <spdlog/details/log_msg.h>

namespace switchyard {

void MaskingLogSink::log(const spdlog::details::log_msg& msg) {
    const std::string safe = devices::safe_text(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg masked(msg);
    masked.payload = spdlog::string_view_t(safe.data(), safe.size());
    inner_->log(masked);
}

}  // namespace switchyard
