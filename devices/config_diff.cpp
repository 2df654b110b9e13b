#include "devices/config_diff.h"

#include <openssl/evp.h>
#include <dtl/dtl.hpp>

#include <sstream>
#include <stdexcept>
#include <vector>

#include "devices/normalize.h"

namespace switchyard::devices {
namespace {

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        out.emplace_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

}  // namespace

std::string unified_diff(std::string_view from, std::string_view to, std::string_view from_label,
                         std::string_view to_label) {
    if (from == to) return "";
    auto a = lines_of(from);
    auto b = lines_of(to);
    dtl::Diff<std::string> diff(a, b);
    // Not onHuge(): it bounds nothing (compose() stops at dtl's
    // MAX_CORDINATES_SIZE edit-path points either way); it reserves that
    // bound, 48 MB, up front on every diff. A block that size is always
    // mapped apart (glibc maps anything above 32 MB whatever the threshold),
    // so each diff mapped it, faulted in the pages it touched and unmapped
    // it (a 2,000-line junos config against a 50-line one: 9.1 ms with it,
    // 2.0 ms without, on one thread; worse with 50 devices in flight). The
    // edit path grows as needed instead (1.7 MB for that pair), in the
    // malloc arenas (cli/malloc_tuning.cpp).
    diff.compose();
    if (diff.getEditDistance() == 0) return "";
    diff.composeUnifiedHunks();
    std::ostringstream out;
    out << "--- " << from_label << "\n+++ " << to_label << "\n";
    diff.printUnifiedFormat(out);
    return out.str();
}

DiffStats diff_stats(std::string_view unified) {
    DiffStats s;
    auto lines = lines_of(unified);
    // The first two lines are the "---"/"+++" header, not changes.
    for (std::size_t i = 2; i < lines.size(); ++i) {
        if (!lines[i].empty() && lines[i][0] == '+') ++s.added;
        if (!lines[i].empty() && lines[i][0] == '-') ++s.removed;
    }
    return s;
}

std::string config_hash(std::string_view config) {
    std::string normal = normalize_config(config);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(normal.data(), normal.size(), digest, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed in OpenSSL");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0xf];
    }
    return hex;
}

}  // namespace switchyard::devices
