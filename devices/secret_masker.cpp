// The masker's engine: patterns compiled once into flat token sequences,
// lines cut into tokens, rules tried at each token (see secret_masker.h).
// Work per line is linear: each token is looked at by a bounded number of
// rules of bounded length, and no step looks back more than a rule's length.
#include "devices/secret_masker.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "devices/valid_utf8.h"

namespace switchyard::devices {
namespace {

// ---- patterns ----------------------------------------------------------

enum class Kind { word, any, number, skip, secret };
constexpr std::size_t kMaxSkip = 12;

struct Element {
    Kind kind = Kind::word;
    std::vector<std::string> words;  // Kind::word: any of these (lowercase)
};
using Sequence = std::vector<Element>;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_pattern_delimiter(char c) { return c == ' ' || c == '(' || c == ')' || c == '[' || c == ']' || c == '|'; }

// A parsed pattern: a sequence of items, each a plain element or a group of
// alternatives (optional or not). Flattened below into plain sequences.
struct Item;
using Items = std::vector<Item>;
struct Item {
    Element element;  // when alternatives is empty
    std::vector<Items> alternatives;
    bool optional = false;
};

Items parse_items(std::string_view p, std::size_t& pos, bool in_group) {
    Items items;
    while (pos < p.size()) {
        char c = p[pos];
        if (c == ' ') {
            ++pos;
            continue;
        }
        if (c == '|' || c == ')' || c == ']') {
            if (!in_group) throw std::logic_error("secret rule '" + std::string(p) + "': stray '" + c + "'");
            return items;
        }
        Item item;
        if (c == '(' || c == '[') {
            const char close = c == '(' ? ')' : ']';
            item.optional = c == '[';
            ++pos;
            for (;;) {
                item.alternatives.push_back(parse_items(p, pos, true));
                if (pos >= p.size()) throw std::logic_error("secret rule '" + std::string(p) + "': unclosed group");
                if (p[pos++] == close) break;
            }
        } else {
            std::size_t end = pos;
            while (end < p.size() && !is_pattern_delimiter(p[end])) ++end;
            std::string_view w = p.substr(pos, end - pos);
            pos = end;
            if (w == "*") item.element.kind = Kind::any;
            else if (w == "#") item.element.kind = Kind::number;
            else if (w == "...") item.element.kind = Kind::skip;
            else if (w == "SECRET") item.element.kind = Kind::secret;
            else item.element.words = {lower(w)};
        }
        items.push_back(std::move(item));
    }
    if (in_group) throw std::logic_error("secret rule '" + std::string(p) + "': unclosed group");
    return items;
}

// Every plain sequence the items can spell. A group whose alternatives are
// single words stays one element (any of the words) to keep the count small.
void flatten(const Items& items, std::size_t i, Sequence& prefix, std::vector<Sequence>& out) {
    if (i == items.size()) {
        out.push_back(prefix);
        return;
    }
    const Item& item = items[i];
    if (item.alternatives.empty()) {
        prefix.push_back(item.element);
        flatten(items, i + 1, prefix, out);
        prefix.pop_back();
        return;
    }
    bool all_words = true;
    for (const auto& alt : item.alternatives)
        all_words = all_words && alt.size() == 1 && alt[0].alternatives.empty() && alt[0].element.kind == Kind::word;
    if (all_words) {
        Element any_of;
        for (const auto& alt : item.alternatives) any_of.words.push_back(alt[0].element.words[0]);
        prefix.push_back(any_of);
        flatten(items, i + 1, prefix, out);
        prefix.pop_back();
    } else {
        for (const auto& alt : item.alternatives) {
            Items rest(alt);
            rest.insert(rest.end(), items.begin() + static_cast<std::ptrdiff_t>(i) + 1, items.end());
            flatten(rest, 0, prefix, out);
        }
    }
    if (item.optional) flatten(items, i + 1, prefix, out);
}

// Flat sequences by their first word, longest first.
using RuleIndex = std::map<std::string, std::vector<Sequence>, std::less<>>;

RuleIndex build_index() {
    RuleIndex index;
    for (const auto& rule : secret_rules()) {
        std::size_t pos = 0;
        Items items = parse_items(rule.pattern, pos, false);
        std::vector<Sequence> flat;
        Sequence prefix;
        flatten(items, 0, prefix, flat);
        for (auto& seq : flat) {
            if (seq.empty() || seq[0].kind != Kind::word)
                throw std::logic_error("secret rule '" + std::string(rule.pattern) + "' must start with a word");
            if (std::none_of(seq.begin(), seq.end(), [](const Element& e) { return e.kind == Kind::secret; }))
                throw std::logic_error("secret rule '" + std::string(rule.pattern) + "' masks nothing");
            for (const auto& w : seq[0].words) index[w].push_back(seq);
        }
    }
    for (auto& [word, seqs] : index)
        std::stable_sort(seqs.begin(), seqs.end(),
                         [](const Sequence& a, const Sequence& b) { return a.size() > b.size(); });
    return index;
}

const RuleIndex& rule_index() {
    static const RuleIndex index = build_index();
    return index;
}

// ---- lines and tokens --------------------------------------------------

// A run of non-blank characters. `word` is what rules compare: lowercase,
// without the quotes that wrap a value or an echoed command ('...', "...",
// `...`) and without JunOS's trailing ';'.
struct Token {
    std::size_t begin = 0, end = 0;  // in the line
    std::string_view word;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_quote(char c) { return c == '"' || c == '\'' || c == '`'; }

void tokenize(std::string_view line, std::string_view lower_line, std::vector<Token>& tokens) {
    tokens.clear();
    std::size_t i = 0;
    // A unified diff's "+line" / "-line": the marker is no part of the config.
    if (line.size() > 1 && (line[0] == '+' || line[0] == '-') && line[1] != line[0]) i = 1;
    while (i < line.size()) {
        if (is_space(line[i])) {
            ++i;
            continue;
        }
        Token t;
        t.begin = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        t.end = i;
        std::size_t b = t.begin, e = t.end;
        while (b < e && is_quote(line[b])) ++b;
        while (e > b && (is_quote(line[e - 1]) || line[e - 1] == ';')) --e;
        t.word = lower_line.substr(b, e - b);
        tokens.push_back(t);
    }
}

bool is_structure(std::string_view word) {
    return word.empty() || word == "{" || word == "}" || word == "[" || word == "]";
}

bool is_number(std::string_view word) {
    return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool element_matches(const Element& e, std::string_view word) {
    switch (e.kind) {
        case Kind::word: return std::find(e.words.begin(), e.words.end(), word) != e.words.end();
        case Kind::any: return true;
        case Kind::number: return is_number(word);
        case Kind::secret: return !is_structure(word);
        case Kind::skip: break;
    }
    return false;
}

// Matches `seq` from element `ei` at token `ti`; on success fills `secrets`
// and `end` (one past the last token used). A skip tries its bounded widths.
bool match_from(const Sequence& seq, std::size_t ei, const std::vector<Token>& tokens, std::size_t ti,
                std::vector<std::size_t>& secrets, std::size_t& end) {
    for (; ei < seq.size(); ++ei) {
        const Element& e = seq[ei];
        if (e.kind == Kind::skip) {
            const std::size_t mark_size = secrets.size();
            for (std::size_t n = 0; n <= kMaxSkip && ti + n <= tokens.size(); ++n) {
                if (match_from(seq, ei + 1, tokens, ti + n, secrets, end)) return true;
                secrets.resize(mark_size);
            }
            return false;
        }
        if (ti >= tokens.size() || !element_matches(e, tokens[ti].word)) return false;
        if (e.kind == Kind::secret) secrets.push_back(ti);
        ++ti;
    }
    end = ti;
    return true;
}

// "$1$salt$hash", "$6$...", JunOS "$9$...": hashes and reversible secrets.
bool is_crypt_shaped(std::string_view v) {
    if (v.size() < 4 || v[0] != '$') return false;
    std::size_t i = 1;
    while (i < v.size() && ((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z'))) ++i;
    return i > 1 && i - 1 <= 2 && i + 1 < v.size() && v[i] == '$';
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// One line: tokens, the ranges to mask, and the output.
class LineMasker {
public:
    void mask(std::string_view line, std::string& out) {
        line_ = line;
        lower_ = lower(line);
        tokenize(line_, lower_, tokens_);
        ranges_.clear();
        quote_from_ = std::string::npos;
        for (const auto& t : tokens_) mask_token_shape(t);
        mask_junos_secret_data();
        apply_rules();
        write(out);
    }

private:
    // The value of a token: inside its double quotes (which may hold
    // blanks: up to the closing quote), or the token without the quotes and
    // ';' around it.
    void mask_value(const Token& t) {
        if (line_[t.begin] == '"') {
            std::size_t close = next_quote(t.begin + 1);
            ranges_.emplace_back(t.begin + 1, close == std::string::npos ? line_.size() : close);
            return;
        }
        std::size_t b = t.begin, e = t.end;
        while (b < e && is_quote(line_[b])) ++b;
        // A closing quote with punctuation after it ("'secret':" in an
        // echoed command) ends the value; else only JunOS's ';' does.
        std::size_t q = e;
        while (q > b && q + 3 > e &&
               (line_[q - 1] == ';' || line_[q - 1] == ':' || line_[q - 1] == ',' || line_[q - 1] == ')'))
            --q;
        if (q > b && is_quote(line_[q - 1])) {
            e = q;
            while (e > b && is_quote(line_[e - 1])) --e;
        } else {
            while (e > b && line_[e - 1] == ';') --e;
        }
        ranges_.emplace_back(b, e);
    }

    // Values are masked left to right, so the closing quotes searched for
    // move right too: remembering the last answer keeps this linear.
    std::size_t next_quote(std::size_t from) {
        if (quote_from_ == std::string::npos || from < quote_from_ ||
            (quote_at_ != std::string::npos && from > quote_at_)) {
            quote_from_ = from;
            quote_at_ = line_.find('"', from);
        }
        return quote_at_;
    }

    void mask_token_shape(const Token& t) {
        std::string_view text = line_.substr(t.begin, t.end - t.begin);
        std::string_view value = text;
        while (!value.empty() && is_quote(value.front())) value.remove_prefix(1);
        if (is_crypt_shaped(value)) {
            mask_value(t);
            return;
        }
        // scheme://user:password@host
        auto scheme = text.find("://");
        if (scheme == std::string_view::npos) return;
        std::size_t start = scheme + 3;
        std::size_t stop = text.find_first_of("/@\"", start);
        if (stop == std::string_view::npos || text[stop] != '@') return;
        auto colon = text.find(':', start);
        if (colon == std::string_view::npos || colon > stop) return;
        ranges_.emplace_back(t.begin + colon + 1, t.begin + stop);
    }

    // JunOS prints "## SECRET-DATA" after every value it considers secret.
    void mask_junos_secret_data() {
        for (std::size_t i = 1; i + 1 < tokens_.size(); ++i) {
            if (tokens_[i].word != "##" || tokens_[i + 1].word != "secret-data") continue;
            mask_value(tokens_[i - 1]);
            return;
        }
    }

    void apply_rules() {
        const RuleIndex& index = rule_index();
        std::size_t ti = 0;
        while (ti < tokens_.size()) {
            std::size_t next = ti + 1;
            auto it = index.find(tokens_[ti].word);
            if (it != index.end()) {
                for (const auto& seq : it->second) {
                    secrets_.clear();
                    std::size_t end = 0;
                    if (!match_from(seq, 0, tokens_, ti, secrets_, end)) continue;
                    for (auto s : secrets_) mask_value(tokens_[s]);
                    next = std::max(end, ti + 1);
                    break;
                }
            }
            ti = next;
        }
    }

    void write(std::string& out) {
        std::sort(ranges_.begin(), ranges_.end());
        std::size_t pos = 0;
        for (std::size_t i = 0; i < ranges_.size();) {
            auto [b, e] = ranges_[i];
            for (++i; i < ranges_.size() && ranges_[i].first <= e; ++i) e = std::max(e, ranges_[i].second);
            if (b < pos) b = pos;
            out.append(line_.substr(pos, b - pos));
            out.append(kSecretMask);
            pos = std::max(pos, e);
        }
        out.append(line_.substr(pos));
    }

    std::string_view line_;
    std::string lower_;
    std::vector<Token> tokens_;
    std::vector<std::pair<std::size_t, std::size_t>> ranges_;
    std::vector<std::size_t> secrets_;
    std::size_t quote_from_ = std::string::npos, quote_at_ = std::string::npos;
};

class Masker {
public:
    void line(std::string_view line, std::string& out) {
        // PEM private keys: the armour lines stay, what is between goes.
        if (contains(line, "-----BEGIN ") && contains(line, "PRIVATE KEY-----")) {
            in_private_key_ = true;
            out.append(line);
            return;
        }
        if (in_private_key_) {
            if (contains(line, "-----END ")) {
                in_private_key_ = false;
                out.append(line);
            } else {
                out.append(line.substr(0, std::min(line.size(), line.find_first_not_of(" \t"))));
                out.append(kSecretMask);
            }
            return;
        }
        line_masker_.mask(line, out);
    }

private:
    bool in_private_key_ = false;
    LineMasker line_masker_;
};

}  // namespace

std::string mask_secrets(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    Masker masker;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        std::size_t stop = nl == std::string_view::npos ? text.size() : nl;
        masker.line(text.substr(start, stop - start), out);
        if (nl == std::string_view::npos) break;
        out += '\n';
        start = nl + 1;
    }
    return out;
}

std::string safe_text(std::string_view text) { return mask_secrets(valid_utf8(text)); }

namespace {

// Documents we write are shallow; one nested deeper than this (built from
// hostile input) is cut rather than walked into a stack overflow.
constexpr int kMaxJsonDepth = 128;

// A JSON member named like a secret (settings, credentials) holds one.
bool is_secret_name(std::string_view name) {
    const std::string n = lower(name);
    static const std::set<std::string, std::less<>> names = {"key",
                                                             "community",
                                                             "key-string",
                                                             "key_string",
                                                             "authentication-key",
                                                             "authentication_key",
                                                             "pre-shared-key",
                                                             "pre_shared_key",
                                                             "privacy-key",
                                                             "privacy_key",
                                                             "private-key",
                                                             "private_key"};
    auto ends_with = [&](std::string_view suffix) { return n.size() >= suffix.size() && n.ends_with(suffix); };
    return names.count(n) > 0 || ends_with("password") || ends_with("secret") || ends_with("passphrase");
}

// In place: a job's result can hold thousands of devices' texts, and a
// masked copy beside the original doubled its memory at the job's end.
void make_safe_at(nlohmann::json& document, int depth) {
    using nlohmann::json;
    if (depth > kMaxJsonDepth && document.is_structured()) {
        document = "(nested too deep to show)";
        return;
    }
    switch (document.type()) {
        case json::value_t::string:
            document.get_ref<std::string&>() = safe_text(document.get_ref<const std::string&>());
            return;
        case json::value_t::array:
            for (auto& item : document) make_safe_at(item, depth + 1);
            return;
        case json::value_t::object: {
            bool keys_safe = true;
            for (auto it = document.begin(); it != document.end(); ++it) {
                if (it.value().is_string() && is_secret_name(it.key())) it.value() = std::string(kSecretMask);
                else make_safe_at(it.value(), depth + 1);
                keys_safe = keys_safe && safe_text(it.key()) == it.key();
            }
            if (keys_safe) return;
            // A key that is not valid UTF-8 or holds a secret: the object is
            // rebuilt under safe keys (rare; its values are already safe).
            json out = json::object();
            for (auto it = document.begin(); it != document.end(); ++it)
                out[safe_text(it.key())] = std::move(it.value());
            document = std::move(out);
            return;
        }
        default: return;
    }
}

}  // namespace

void make_safe(nlohmann::json& document, int depth) { make_safe_at(document, depth); }

nlohmann::json safe_json(const nlohmann::json& document) {
    nlohmann::json copy = document;
    make_safe(copy);
    return copy;
}

}  // namespace switchyard::devices
