// LeakSanitizer suppressions compiled into sanitizer builds (tests and the
// binary they start), so they apply however a program is run.
//
// libpqxx 6.4 leaks the PGresult libpq returns when a statement fails because
// the connection broke (its error path throws before freeing it). It shows
// only in tests that restart PostgreSQL; the allocation is entirely inside
// libpqxx/libpq. The fast unwinder often stops inside libpqxx (built without
// frame pointers), so the library itself is named, as well as the functions.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libpqxx-6.4.so\n"
           "leak:pqxx::connection_base::exec_params\n"
           "leak:pqxx::connection_base::exec_prepared\n"
           "leak:pqxx::connection_base::exec\n";
}
