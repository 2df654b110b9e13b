#include "json_text.h"

#include <utility>

namespace switchyard::devices {

std::string storable_json(const nlohmann::json& doc) {
    std::string text = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // dump() writes a NUL character as the escape \u0000; a backslash that
    // is itself escaped (\\u0000 is the text "\u0000") is left alone.
    static constexpr std::string_view kNul = "\\u0000";
    std::string out;
    std::size_t from = 0;
    for (std::size_t at = text.find(kNul); at != std::string::npos; at = text.find(kNul, at + 1)) {
        std::size_t backslashes = 0;
        while (backslashes < at && text[at - 1 - backslashes] == '\\') ++backslashes;
        if (backslashes % 2 != 0) continue;
        out.append(text, from, at - from).append("\\ufffd");
        from = at + kNul.size();
    }
    if (from == 0) return text;
    out.append(text, from, std::string::npos);
    return out;
}

StorableJsonArray::StorableJsonArray(std::size_t bytes) : text_("[") { text_.reserve(bytes + 2); }

void StorableJsonArray::add(const nlohmann::json& row) { add_storable(storable_json(row)); }

void StorableJsonArray::add_storable(std::string_view row) {
    if (!empty()) text_ += ',';
    text_ += row;
}

std::string StorableJsonArray::finish() {
    text_ += ']';
    std::string out = std::move(text_);
    text_ = std::string(1, '[');
    return out;
}

}  // namespace switchyard::devices
