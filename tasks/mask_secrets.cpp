// Secrets never reach a job result: configs and diffs pass through here.
#include "sync_environment.h"

#include <regex>

namespace switchyard::tasks {

std::string mask_secrets(const std::string& text) {
    // keyword [type-or-algorithm] value: keep the keyword (and a short type
    // token such as "0", "7", "sha512" or "encrypted-password"), mask the value.
    static const std::regex secret(
        R"(((?:^|\s)(?:password|secret|encrypted-password|authentication-key|key|community|pre-shared-key|md5)\s+(?:(?:0|5|7|8|9|sha256|sha512|plaintext|ciphertext)\s+)?)("[^"]*"|[^\s;]+))",
        std::regex::icase | std::regex::multiline);
    return std::regex_replace(text, secret, "$1****");
}

}  // namespace switchyard::tasks
