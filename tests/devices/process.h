// Test helpers: find a free TCP port, make a temporary directory, read and
// write files; child processes come from tests/support/child_process.h.
#pragma once

#include "child_process.h"

#include <string>
#include <vector>

namespace switchyard::devices::testing {

// Child processes: the tests' one helper (tests/support/child_process.h).
using switchyard::testing::ChildProcess;
using switchyard::testing::run_command;

int free_port();
// The first of `count` consecutive ports that are free now, below the
// kernel's ephemeral range (outgoing connections take ports there).
int free_port_range(int count);
// True once 127.0.0.1:port accepts a connection (waits up to `seconds`).
bool wait_for_port(int port, int seconds);
std::string make_temp_dir(const std::string& prefix);
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text, int mode = 0644);

}  // namespace switchyard::devices::testing
