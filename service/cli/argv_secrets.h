// Secrets do not belong on a command line: any local user can read a
// process's arguments (ps, /proc/PID/cmdline) and shells keep them in their
// history. A secret found there is warned about (masked) and blanked in the
// process's own argv, which hides it from then on.
#pragma once

#include <string>
#include <vector>

namespace switchyard::cli {

// The options whose value is (or may hold) a secret: --database-url with a
// password, --set of a password, passphrase, secret or URL with a password
// (database.url, sync.templates_repo.url, ...), --token.
// Returns one warning per secret found, the secret masked, and overwrites
// the secret's characters in argv with '*'. Call after the command line was
// parsed (the parser keeps its own copies).
std::vector<std::string> blank_secrets_in_argv(int argc, char** argv);

}  // namespace switchyard::cli
