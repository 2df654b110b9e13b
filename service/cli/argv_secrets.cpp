#include "argv_secrets.h"

#include "settings.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>

namespace switchyard::cli {
namespace {

struct Secret {
    std::string masked;    // the option's value as the warning shows it
    std::size_t from = 0;  // the secret's characters in the value: [from, to)
    std::size_t to = std::string::npos;
};

// The characters of `text` that `masked` replaced: between their common
// prefix and their common suffix (a URL keeps its user, host and database).
Secret differing(const std::string& text, std::string masked, std::size_t offset) {
    std::size_t prefix = 0;
    while (prefix < text.size() && prefix < masked.size() && text[prefix] == masked[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < text.size() - prefix && suffix < masked.size() - prefix &&
           text[text.size() - 1 - suffix] == masked[masked.size() - 1 - suffix])
        ++suffix;
    return {std::move(masked), offset + prefix, offset + text.size() - suffix};
}

// The secret in `value` of `option`, or nullopt when it holds none.
std::optional<Secret> find_secret(std::string_view option, const std::string& value) {
    if (option == "--token") return Secret{"****"};
    if (option == "--database-url") {
        std::string masked = mask_database_url(value);
        if (masked == value) return std::nullopt;
        return differing(value, masked, 0);
    }
    if (option == "--set") {
        auto eq = value.find('=');
        if (eq == std::string::npos) return std::nullopt;
        std::string path = value.substr(0, eq), setting = value.substr(eq + 1);
        std::string field = path.substr(path.rfind('.') + 1);
        // Any URL (database.url, sync.*_repo.url) may carry a password.
        if (field == "url") {
            std::string masked = mask_database_url(setting);
            if (masked == setting) return std::nullopt;
            Secret s = differing(setting, masked, eq + 1);
            s.masked = path + "=" + s.masked;
            return s;
        }
        // Judged by the field's name, whatever holds it (credentials.*,
        // sync.*_repo, settings still to come): one masked too many is
        // harmless, one missed is not.
        bool secret_field = field.ends_with("password") || field.ends_with("passphrase") || field.ends_with("secret");
        if (secret_field && !setting.empty()) return Secret{path + "=****", eq + 1};
    }
    return std::nullopt;
}

std::string advice(std::string_view option) {
    if (option == "--token") return "use SWITCHYARD_TOKEN instead";
    if (option == "--database-url")
        return "use --database-url-file FILE, SWITCHYARD_DATABASE_URL, PGPASSFILE or the config "
               "file instead";
    return "use the config file (--config) or the SWITCHYARD_* environment variable instead";
}

}  // namespace

std::vector<std::string> blank_secrets_in_argv(int argc, char** argv) {
    std::vector<std::string> warnings;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        for (std::string_view option : {"--database-url", "--set", "--token"}) {
            char* value = nullptr;
            if (arg == option && i + 1 < argc) value = argv[i + 1];
            else if (arg.size() > option.size() && arg.substr(0, option.size()) == option && arg[option.size()] == '=')
                value = argv[i] + option.size() + 1;
            if (!value) continue;
            auto secret = find_secret(option, value);
            if (!secret) continue;
            warnings.push_back("a credential was given on the command line (" + std::string(option) + " " +
                               secret->masked +
                               "): other local users can read a process's arguments and shells keep them in "
                               "their history; " +
                               advice(option));
            std::size_t length = std::strlen(value);
            std::size_t to = std::min(secret->to, length);
            if (secret->from < to) std::memset(value + secret->from, '*', to - secret->from);
        }
    }
    return warnings;
}

}  // namespace switchyard::cli
