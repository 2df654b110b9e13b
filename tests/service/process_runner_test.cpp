// run_process starts PostgreSQL's programs (store/process_runner.h); pg_ctl's
// server outlives the process that started it, so it must take none of that
// process's descriptors with it.
#include "store/process_runner.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <string>

TEST_CASE("a program run by run_process inherits no descriptor but stdin, stdout and stderr", "[process_runner]") {
    // As `flock FILE make test` hands its lock down: open, not close-on-exec.
    int held = open("/dev/null", O_RDONLY);
    REQUIRE(held > 2);
    std::string fd = std::to_string(held);
    auto r = switchyard::store::run_process(
        {"/bin/sh", "-c",
         "if [ -e /proc/$$/fd/" + fd + " ]; then echo inherited; else echo closed; fi; ls /proc/$$/fd"});
    close(held);
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.rfind("closed\n", 0) == 0);
}
