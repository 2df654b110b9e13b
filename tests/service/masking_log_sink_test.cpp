// Logs leave the process: the sink every logger writes through masks
// secrets and makes device bytes valid UTF-8.
#include "masking_log_sink.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <sstream>

TEST_CASE("every log message is masked and valid UTF-8 before a sink writes it", "[logs]") {
    std::ostringstream written;
    auto inner = std::make_shared<spdlog::sinks::ostream_sink_mt>(written);
    auto sink = std::make_shared<switchyard::MaskingLogSink>(inner);
    spdlog::logger logger("test", sink);
    logger.set_pattern("%l %v");
    logger.info("device r1 rejected 'neighbor 10.0.0.2 password Hunter2': % Invalid input");
    logger.warn("read {} bytes: {}", 12, "description Gr\xfcn");
    // A logger made from the same sinks (as the engine makes one per job) masks too.
    spdlog::logger job("job 7", logger.sinks().begin(), logger.sinks().end());
    job.error("snmp-server community S3cretComm ro");
    const std::string out = written.str();
    INFO(out);
    CHECK(out.find("Hunter2") == std::string::npos);
    CHECK(out.find("info device r1 rejected 'neighbor 10.0.0.2 password ****': % Invalid input") != std::string::npos);
    CHECK(out.find("description Gr\xEF\xBF\xBDn") != std::string::npos);
    CHECK(out.find("S3cretComm") == std::string::npos);
}
