// JSON text that has been through the one secret masker and that PostgreSQL
// stores as jsonb: how a job hands its result to the engine. The only ways to
// make one mask what goes in, so holding one is the proof that it is safe to
// store and show.
//
// A large document (a job's result over 10,000 devices) is written member by
// member with SafeJsonWriter: each member's tree is made safe, written, and
// dropped before the next is built, so the whole document never exists as a
// tree beside its text. Given a JsonTextSink, it hands its text on in parts
// as it grows, so the whole text never exists in memory either.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
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

// Where a SafeJsonWriter's text goes in parts: a job's result stored as it is
// written (the engine's RunningJob). Only the writer calls it, so every part
// is masked text; their concatenation, in order, is one JSON document.
class JsonTextSink {
public:
    virtual ~JsonTextSink() = default;

private:
    friend class SafeJsonWriter;
    // The next part: whole members, valid UTF-8.
    virtual void write_part(std::string part) = 0;
    // The document is complete (its last part was written).
    virtual void end() = 0;
};

// Writes a JSON object member by member, each masked as make_safe would mask
// it inside the whole document (its key too, and a string member named like a
// secret). Objects nest with open() and close(). Members are written in the
// order they are added; adding a key twice is the caller's error (jsonb keeps
// the last).
class SafeJsonWriter {
public:
    SafeJsonWriter() : SafeJsonWriter(nullptr) {}
    // Hands its text to `sink` in parts of about `part_bytes` (whole members)
    // once it exceeds that; the sink must outlive the writer.
    explicit SafeJsonWriter(JsonTextSink* sink, std::size_t part_bytes = kPartBytes);

    static constexpr std::size_t kPartBytes = 256 * 1024;

    SafeJsonWriter& add(std::string_view key, nlohmann::json value);
    // A member whose value is an object, written by the add() calls up to
    // the matching close().
    SafeJsonWriter& open(std::string_view key);
    SafeJsonWriter& close();
    // Closes what is open and hands the text over: returned, or, once parts
    // went to the sink, as the last part (and nothing is returned).
    std::optional<SafeJsonText> finish() &&;

private:
    // The member `"key":` made safe, as make_safe would rewrite the key of a
    // member holding `value` (a secret's name masks a string value).
    void write_member(std::string_view key, nlohmann::json value);
    // Hands the text to the sink once it is a part's size.
    void maybe_spill();

    JsonTextSink* sink_;
    std::size_t part_bytes_;
    bool spilled_ = false;  // a part went to the sink
    std::string text_;
    std::vector<bool> has_members_;  // per open object: a member was written (a comma comes next)
};

}  // namespace switchyard::devices
