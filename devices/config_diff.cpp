#include "devices/config_diff.h"

#include <openssl/evp.h>
#include <dtl/dtl.hpp>

#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "devices/normalize.h"

namespace switchyard::devices {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

// Both sides' lines as numbers, one per distinct line (views into the
// texts): dtl then compares and copies ints instead of strings. Equal
// numbers are equal lines, so the edit script, and the diff printed from
// it, is the one dtl finds on the strings.
struct InternedLines {
    std::vector<std::string_view> text_of;  // by number
    std::vector<int> from, to;
};

InternedLines intern(const std::vector<std::string_view>& from, const std::vector<std::string_view>& to) {
    InternedLines out;
    std::unordered_map<std::string_view, int> number;
    number.reserve(from.size() + to.size());
    auto add = [&](const std::vector<std::string_view>& lines, std::vector<int>& into) {
        into.reserve(lines.size());
        for (auto line : lines) {
            auto [it, fresh] = number.try_emplace(line, static_cast<int>(out.text_of.size()));
            if (fresh) out.text_of.push_back(line);
            into.push_back(it->second);
        }
    };
    add(from, out.from);
    add(to, out.to);
    return out;
}

}  // namespace

std::string unified_diff(std::string_view from, std::string_view to, std::string_view from_label,
                         std::string_view to_label) {
    if (from == to) return "";
    auto lines = intern(lines_of(from), lines_of(to));
    dtl::Diff<int> diff(lines.from, lines.to);
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
    // dtl's printUnifiedFormat, written with the lines' texts.
    std::string out;
    out.reserve(from.size() + to.size() / 4);
    out.append("--- ").append(from_label).append("\n+++ ").append(to_label).append("\n");
    auto line = [&](char mark, const std::pair<int, dtl::elemInfo>& e) {
        out.push_back(mark);
        out.append(lines.text_of[static_cast<std::size_t>(e.first)]);
        out.push_back('\n');
    };
    for (const auto& hunk : diff.getUniHunks()) {
        out.append("@@ -")
            .append(std::to_string(hunk.a))
            .append(",")
            .append(std::to_string(hunk.b))
            .append(" +")
            .append(std::to_string(hunk.c))
            .append(",")
            .append(std::to_string(hunk.d))
            .append(" @@\n");
        for (const auto& e : hunk.common[0]) line(' ', e);
        for (const auto& e : hunk.change)
            line(e.second.type == dtl::SES_ADD ? '+' : e.second.type == dtl::SES_DELETE ? '-' : ' ', e);
        for (const auto& e : hunk.common[1]) line(' ', e);
    }
    return out;
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
