// SQL files under devices/sql, compiled into the library by embed_sql
// (cmake/EmbedSql.cmake). Names are paths relative to devices/sql.
#pragma once

#include <map>
#include <string_view>

namespace switchyard::devices {

std::string_view sql(std::string_view name);
std::map<std::string_view, std::string_view> sql_files(std::string_view prefix);

}  // namespace switchyard::devices
