// JSON text that has been through the one secret masker and that PostgreSQL
// stores as jsonb: how a job hands its result to the engine. The only ways to
// make one mask what goes in, so holding one is the proof that it is safe to
// store and show.
//
// A large document (a job's result over 10,000 devices) is written member by
// member with SafeJsonWriter: each member's tree is made safe, written, and
// dropped before the next is built, so the whole document never exists as a
// tree beside its text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::devices {

class SafeJsonText {
public:
    // `document` through make_safe (secret_masker.h), written as storable
    // JSON (json_text.h).
    static SafeJsonText of(nlohmann::json document);

    const std::string& text() const noexcept { return text_; }

private:
    friend class SafeJsonWriter;
    explicit SafeJsonText(std::string text) : text_(std::move(text)) {}
    std::string text_;
};

// Writes a JSON object member by member, each masked as make_safe would mask
// it inside the whole document (its key too, and a string member named like a
// secret). Objects nest with open() and close(). Members are written in the
// order they are added; adding a key twice is the caller's error (jsonb keeps
// the last).
class SafeJsonWriter {
public:
    SafeJsonWriter();

    SafeJsonWriter& add(std::string_view key, nlohmann::json value);
    // A member whose value is an object, written by the add() calls up to
    // the matching close().
    SafeJsonWriter& open(std::string_view key);
    SafeJsonWriter& close();
    // Closes what is open and hands the text over.
    SafeJsonText finish() &&;

private:
    // The member `"key":` made safe, as make_safe would rewrite the key of a
    // member holding `value` (a secret's name masks a string value).
    void write_member(std::string_view key, nlohmann::json value);

    std::string text_;
    std::vector<bool> has_members_;  // per open object: a member was written (a comma comes next)
};

}  // namespace switchyard::devices
