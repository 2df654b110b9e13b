// Normalisation before anything compares configs (docs/device-cli.md,
// "Normalisation"): what a device prints around its config, and lines that
// change without the config changing, must not show up as differences.
#pragma once

#include <string>
#include <string_view>
#include "devices/pattern.h"

namespace switchyard::devices {

// Drops `\r`, ANSI escapes and pager residue, trailing spaces, volatile lines
// (timestamps, "Building configuration..." banners, and lines that change
// with an OS upgrade: eos "! device:" and "! boot system", junos
// "version X;") and collapses runs of
// blank lines; leading and trailing blank lines go. The result ends in '\n'
// unless it is empty. Idempotent.
std::string normalize_config(std::string_view text);

// `text` without the spaces and tabs at either end.
std::string trim_blanks(std::string_view text);

// Removes `\r`, ANSI escapes (ESC [ ... final byte) and characters erased by
// backspaces.
std::string strip_terminal_codes(std::string_view text);

// Cleans what an interactive shell returned for one command: removes the
// echoed command (possibly behind a prompt) at the start and a prompt line
// at the end, `\r`, ANSI escapes and pager residue.
std::string strip_cli_output(std::string_view output, std::string_view command, const Pattern& prompt);

}  // namespace switchyard::devices
