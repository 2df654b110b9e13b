// Not built: sql_in_sql_files_finds_sql checks that the check refuses this
// file (SQL in a C++ literal).
const char* kInline = "SELECT id FROM jobs WHERE status = $1";
