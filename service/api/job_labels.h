// What a client may write on a job it schedules (device_syncto, apply_config):
// a comment and a ticket reference, with CNaaS-NMS's limits (db/job.py:
// comment Unicode(255), ticket_ref Unicode(32)). CNaaS-NMS cuts longer texts
// silently (scheduler/scheduler.py add_onetime_job); we refuse them with a
// 400 saying so, as its front end never sends more (cnaas-front
// src/components/ConfigChange/ConfigChangeStep4.js: maxLength 255 and 32).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace switchyard::api {

inline constexpr std::size_t kMaxCommentCharacters = 255;
inline constexpr std::size_t kMaxTicketRefCharacters = 32;

struct JobLabels {
    std::string comment;
    std::string ticket_ref;
};

// "comment" and "ticket_ref" of a request body (absent or null: empty).
JobLabels job_labels(const nlohmann::json& body);

// A string field of `body` ("" when absent or null), valid UTF-8, at most
// `max_characters` characters (code points, not bytes); BadRequest otherwise.
std::string text_field(const nlohmann::json& body, const char* name, std::size_t max_characters);

}  // namespace switchyard::api
