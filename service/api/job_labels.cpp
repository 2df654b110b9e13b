#include "job_labels.h"

#include "jobs_query.h"

#include <utf8cpp/utf8.h>

namespace switchyard::api {

namespace {

// Code points in `text`, which must be valid UTF-8 (utfcpp's unchecked walk
// reads past the end of a truncated sequence): text_field checks it first.
std::size_t utf8_length(std::string_view text) {
    return static_cast<std::size_t>(utf8::unchecked::distance(text.begin(), text.end()));
}

}  // namespace

std::string text_field(const nlohmann::json& body, const char* name, std::size_t max_characters) {
    if (!body.contains(name) || body[name].is_null()) return "";
    if (!body[name].is_string()) throw BadRequest(std::string("field '") + name + "' must be a string");
    std::string v = body[name];
    require_utf8(v, name);
    if (utf8_length(v) > max_characters)
        throw BadRequest(std::string("field '") + name + "' is longer than " + std::to_string(max_characters) +
                         " characters");
    return v;
}

JobLabels job_labels(const nlohmann::json& body) {
    return {text_field(body, "comment", kMaxCommentCharacters),
            text_field(body, "ticket_ref", kMaxTicketRefCharacters)};
}

}  // namespace switchyard::api
