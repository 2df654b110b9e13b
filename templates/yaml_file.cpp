// YAML files to JSON through libyaml's event parser (rules in yaml_file.h).
#include "templates/yaml_file.h"

#include <yaml.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "templates/render.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace switchyard::templates::detail {

std::string where(const fs::path& file, int line) { return file.string() + " line " + std::to_string(line); }

namespace {

std::string_view text_of(const yaml_char_t* p, std::size_t n) { return {reinterpret_cast<const char*>(p), n}; }

bool is_string_tag(const yaml_char_t* tag) {
    if (!tag) return false;
    const std::string_view t(reinterpret_cast<const char*>(tag));
    return t == "!" || t == YAML_STR_TAG;
}

// Plain scalars become typed JSON the way YAML 1.2's core schema reads them,
// so `asn: 65001` is a number and `shutdown: true` a boolean for sections;
// quoted and block scalars, and `!!str` ones, stay strings. Integers with a
// leading zero stay strings so "010" renders as written; so do other numbers
// ("1.5"), which templates print as text anyway.
json scalar_value(const yaml_event_t& e) {
    const auto& sc = e.data.scalar;
    const std::string_view s = text_of(sc.value, sc.length);
    if (sc.style != YAML_PLAIN_SCALAR_STYLE || is_string_tag(sc.tag)) return std::string(s);
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    std::string_view digits = s;
    if (digits.front() == '-') digits.remove_prefix(1);
    const bool leading_zero = digits.size() > 1 && digits.front() == '0';
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !leading_zero) return v;
    return std::string(s);
}

struct Parser {
    yaml_parser_t p;
    Parser() { yaml_parser_initialize(&p); }
    ~Parser() { yaml_parser_delete(&p); }
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;
};

struct Event {
    yaml_event_t e{};
    ~Event() { yaml_event_delete(&e); }
};

// The name of a value in its parent: a mapping key or a list index.
struct Segment {
    std::string text;
    bool index = false;
};

// A mapping or sequence being read.
struct Frame {
    json value;
    Segment name;          // in its parent
    std::string key;       // mappings: the key of the value being read
    bool want_key = true;  // mappings: the next node is a key
    int line = 0;
    std::string anchor;
    // In this subtree: values, itself included, and the bytes of their
    // texts and keys (what an alias of it copies).
    std::size_t values = 1;
    std::size_t bytes = 0;
};

struct Anchored {
    json value;
    std::size_t values = 0;
    std::size_t bytes = 0;
};

class Reader final : public ScalarSite {
public:
    Reader(const fs::path& file, ScalarObserver* observer) : file_(file), observer_(observer) {}

    YamlDocument read() {
        std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(file_.c_str(), "rb"), &std::fclose);
        if (!in) throw TemplateError("cannot read " + file_.string());
        Parser parser;
        yaml_parser_set_input_file(&parser.p, in.get());
        for (;;) {
            Event ev;
            if (!yaml_parser_parse(&parser.p, &ev.e)) fail_parse(parser.p);
            const yaml_event_t& e = ev.e;
            line_ = static_cast<int>(e.start_mark.line) + 1;
            switch (e.type) {
                case YAML_SCALAR_EVENT: on_scalar(e); break;
                case YAML_SEQUENCE_START_EVENT: open(json::array(), e.data.sequence_start.anchor); break;
                case YAML_MAPPING_START_EVENT: open(json::object(), e.data.mapping_start.anchor); break;
                case YAML_SEQUENCE_END_EVENT:
                case YAML_MAPPING_END_EVENT: close(); break;
                case YAML_ALIAS_EVENT: on_alias(e); break;
                // yaml-cpp's LoadFile read the first document and ignored the
                // rest; a file is one mapping, so a second is an error.
                case YAML_DOCUMENT_START_EVENT:
                    if (++documents_ > 1) fail("a second YAML document ('---'): the file is one document");
                    break;
                case YAML_STREAM_END_EVENT: return std::move(doc_);
                default: break;
            }
        }
    }

    std::string path() const override {
        std::string out;
        const auto add = [&](const Segment& s) {
            if (!s.index && !out.empty()) out += '.';
            out += s.text;
        };
        for (std::size_t i = 1; i < stack_.size(); ++i) add(stack_[i].name);
        if (!stack_.empty()) add(next_name());
        return out;
    }
    int line() const override { return line_; }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw TemplateError("invalid YAML in " + where(file_, line_) + ": " + why);
    }

    [[noreturn]] void fail_parse(const yaml_parser_t& p) const {
        const std::string problem = p.problem ? p.problem : "unreadable";
        // Bytes that are not UTF-8 are found before any line is counted.
        if (p.error == YAML_READER_ERROR)
            throw TemplateError("invalid YAML in " + file_.string() + " at byte " + std::to_string(p.problem_offset) +
                                ": " + problem);
        std::string msg = "invalid YAML in " + where(file_, static_cast<int>(p.problem_mark.line) + 1) + ": " + problem;
        if (p.context)
            msg += std::string(" (") + p.context + " started on line " + std::to_string(p.context_mark.line + 1) + ")";
        throw TemplateError(msg);
    }

    bool want_key() const { return !stack_.empty() && stack_.back().value.is_object() && stack_.back().want_key; }

    Segment next_name() const {
        const Frame& top = stack_.back();
        if (top.value.is_array()) return {"[" + std::to_string(top.value.size()) + "]", true};
        return {top.key, false};
    }

    static std::string anchor_of(const yaml_char_t* a) { return a ? reinterpret_cast<const char*>(a) : ""; }

    void on_scalar(const yaml_event_t& e) {
        const auto& sc = e.data.scalar;
        if (want_key()) {
            set_key(std::string(text_of(sc.value, sc.length)));
            if (sc.anchor) anchors_[anchor_of(sc.anchor)] = {json(stack_.back().key), 1, sc.length};
            return;
        }
        json v = scalar_value(e);
        if (observer_) observer_->scalar(v, *this);
        attach(std::move(v), 1, sc.length, line_, anchor_of(sc.anchor));
    }

    void on_alias(const yaml_event_t& e) {
        const std::string name = anchor_of(e.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) fail("alias *" + name + " names no anchor before it");
        if (want_key()) {
            const json& k = it->second.value;
            if (k.is_structured()) fail("a mapping key must be a plain value, not a list or mapping");
            set_key(k.is_string() ? k.get<std::string>() : k.is_null() ? "" : k.dump());
            return;
        }
        attach(json(it->second.value), it->second.values, it->second.bytes, line_, "");
    }

    void set_key(std::string key) {
        stack_.back().bytes += key.size();
        stack_.back().key = std::move(key);
        stack_.back().want_key = false;
    }

    void open(json container, const yaml_char_t* anchor) {
        if (want_key()) fail("a mapping key must be a plain value, not a list or mapping");
        if (stack_.size() >= kMaxYamlDepth)
            fail("lists and mappings nested more than " + std::to_string(kMaxYamlDepth) + " deep");
        Frame f;
        if (!stack_.empty()) f.name = next_name();
        f.value = std::move(container);
        f.line = line_;
        f.anchor = anchor_of(anchor);
        stack_.push_back(std::move(f));
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        attach(std::move(f.value), f.values, f.bytes, f.line, f.anchor);
    }

    // `values`: how many values `v` holds, itself included; `bytes`: the
    // bytes of its texts and keys.
    void attach(json v, std::size_t values, std::size_t bytes, int line, const std::string& anchor) {
        values_ += values;
        bytes_ += bytes;
        if (values_ > kMaxYamlValues)
            fail("more than " + std::to_string(kMaxYamlValues) + " values (aliases expanding without end?)");
        if (bytes_ > kMaxYamlBytes)
            fail("more than " + std::to_string(kMaxYamlBytes >> 20) + " MiB of text (aliases expanding without end?)");
        if (!anchor.empty()) anchors_[anchor] = {v, values, bytes};
        if (stack_.empty()) {
            doc_.root = std::move(v);
            doc_.root_line = line;
            return;
        }
        Frame& top = stack_.back();
        top.values += values;
        top.bytes += bytes;
        if (top.value.is_array()) {
            top.value.push_back(std::move(v));
        } else {
            top.value[top.key] = std::move(v);
            top.want_key = true;
        }
    }

    const fs::path& file_;
    ScalarObserver* observer_;
    std::vector<Frame> stack_;
    std::unordered_map<std::string, Anchored> anchors_;
    std::size_t values_ = 0;
    std::size_t bytes_ = 0;
    int line_ = 1;
    int documents_ = 0;
    YamlDocument doc_;
};

}  // namespace

YamlDocument read_yaml_file(const fs::path& file, ScalarObserver* observer) { return Reader(file, observer).read(); }

}  // namespace switchyard::templates::detail
