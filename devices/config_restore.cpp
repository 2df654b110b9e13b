#include "devices/config_restore.h"

#include "devices/config_compare.h"
#include "devices/queries.h"

#include <pqxx/pqxx>

#include <string_view>

namespace switchyard::devices {
namespace {

// What ConfigHistory::record puts in place of bytes that were not UTF-8.
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

}  // namespace

RestoreSource restore_source(pqxx::connection& conn, const std::string& hostname, std::int64_t id, Platform platform,
                             const std::string& which) {
    pqxx::read_transaction tx(conn);
    auto row = sql::config_history::restore_source(tx, {.hostname = hostname, .id = id});
    if (!row) return {};
    RestoreSource out;
    out.found = true;
    if (row->platform && *row->platform != to_string(platform))
        out.refused = which + " was recorded while " + hostname + " was a " + *row->platform + " device; it is " +
                      std::string(to_string(platform)) + " now, so that text cannot be restored to it";
    else if (row->config.find(kReplacementCharacter) != std::string::npos)
        out.refused = which +
                      " was stored with bytes that were not UTF-8 replaced (U+FFFD): it is not the text the device "
                      "ran, so it cannot be restored";
    else if (auto hidden = hidden_secrets(platform, row->config))
        out.refused = which + " holds " + std::to_string(hidden) +
                      " secret(s) the device hid from the account that read it (/* SECRET-DATA */): it cannot be "
                      "restored";
    else out.config = std::move(row->config);
    return out;
}

}  // namespace switchyard::devices
