#include "safe_json_text.h"

#include "json_text.h"
#include "secret_masker.h"

#include <stdexcept>

namespace switchyard::devices {

SafeJsonText SafeJsonText::of(nlohmann::json document) {
    make_safe(document);
    return SafeJsonText(storable_json(document));
}

SafeJsonWriter::SafeJsonWriter() : text_("{"), has_members_{false} {}

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

SafeJsonWriter& SafeJsonWriter::add(std::string_view key, nlohmann::json value) {
    write_member(key, std::move(value));
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
    return *this;
}

SafeJsonText SafeJsonWriter::finish() && {
    while (has_members_.size() > 1) close();
    text_ += '}';
    has_members_.clear();
    return SafeJsonText(std::move(text_));
}

}  // namespace switchyard::devices
