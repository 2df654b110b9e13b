// The lines that turn an EOS running config into an intended one when typed
// into a configuration session, which starts as a copy of the running config
// (EOS User Manual, "Configure Sessions"; NAPALM's eos.py load_merge_candidate
// types into such a session without `rollback clean-config`). A change of one
// line then types a few lines instead of the whole config: the full replace
// (`rollback clean-config` and every line) typed 1,741 lines per device to
// change one (bench/sync, issue 16).
//
// It reads both configs as trees by their indentation and, per context, types
// `no LINE` for each line only the running config has (`LINE` for a shown
// negation `no LINE`), then each line only the intended one has, then its new
// blocks whole, then goes into the sub-contexts both have. A context's own
// lines come before its sub-contexts, so EOS's fallback to the parent mode
// never meets a parent's line typed from inside a child. Removed blocks go
// by `no HEADER`.
//
// It is a guess about the CLI's semantics, not a promise: the driver reads
// the session's config back and falls back to the full replace when the two
// differ (devices/eos_driver.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::devices {

// Commands that read text up to `EOF` lines (NAPALM eos.py HEREDOC_COMMANDS):
// how many EOF-terminated blocks follow; 0 for any other line.
int eos_heredoc_blocks(std::string_view trimmed);

// The config text to type (indented three spaces per context level, empty
// when nothing differs), or nullopt when the configs hold what this cannot
// place: heredoc blocks (banners, comments), `!!` mode comments, tabs, or
// nesting deeper than any EOS config has.
std::optional<std::string> eos_config_delta(std::string_view running, std::string_view intended);

}  // namespace switchyard::devices
