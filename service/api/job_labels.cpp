#include "job_labels.h"

#include "jobs_query.h"

namespace switchyard::api {

std::size_t utf8_length(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++n;  // every byte but a continuation byte starts a code point
    return n;
}

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
