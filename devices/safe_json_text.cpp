#include "safe_json_text.h"

#include "json_text.h"
#include "secret_masker.h"

#include <stdexcept>
#include <utility>

namespace switchyard::devices {

SafeJsonText SafeJsonText::of(nlohmann::json document) {
    make_safe(document);
    return SafeJsonText(storable_json(document));
}

SafeJsonWriter::SafeJsonWriter(JsonTextSink* sink, std::size_t part_bytes)
    : sink_(sink), part_bytes_(part_bytes), text_("{"), has_members_{false} {}

void SafeJsonWriter::write_member(std::string_view key, nlohmann::json value) {
    // The member is masked and written inside an object of its own at the
    // depth it has in the whole document: the masker's rules for keys and
    // secret names apply exactly as to the whole tree. Its text is that
    // object's, without the braces.
    nlohmann::json one = nlohmann::json::object();
    one[std::string(key)] = std::move(value);
    make_safe(one, static_cast<int>(has_members_.size()) - 1);
    std::string text = storable_json(one);
    if (has_members_.back()) text_ += ',';
    has_members_.back() = true;
    text_.append(text, 1, text.size() - 2);
}

void SafeJsonWriter::maybe_spill() {
    // Only after a whole member: a part never ends inside a string, so it is
    // valid UTF-8 on its own.
    if (!sink_ || text_.size() < part_bytes_) return;
    sink_->write_part(std::exchange(text_, {}));
    spilled_ = true;
}

SafeJsonWriter& SafeJsonWriter::add(std::string_view key, nlohmann::json value) {
    write_member(key, std::move(value));
    maybe_spill();
    return *this;
}

SafeJsonWriter& SafeJsonWriter::open(std::string_view key) {
    // An empty object is written, then reopened: its key is masked as any.
    write_member(key, nlohmann::json::object());
    text_.pop_back();  // "}"
    has_members_.push_back(false);
    return *this;
}

SafeJsonWriter& SafeJsonWriter::close() {
    if (has_members_.size() < 2) throw std::logic_error("SafeJsonWriter::close without open");
    text_ += '}';
    has_members_.pop_back();
    maybe_spill();
    return *this;
}

std::optional<SafeJsonText> SafeJsonWriter::finish() && {
    while (has_members_.size() > 1) close();
    text_ += '}';
    has_members_.clear();
    if (!spilled_) return SafeJsonText(std::move(text_));
    sink_->write_part(std::move(text_));
    sink_->end();
    return std::nullopt;
}

}  // namespace switchyard::devices
