// Rendering with kainjow mustache, made strict: mustache renders an undefined
// variable as nothing, which would push a config with holes in it, so every
// variable tag is marked before parsing and a missing one is reported.
#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include <kainjow/mustache.hpp>

#include "templates/control_characters.h"
#include "templates/render.h"
#include "templates/yaml_file.h"

namespace fs = std::filesystem;
namespace mm = kainjow::mustache;
using nlohmann::json;

namespace switchyard::templates {
namespace {

// Prefix of a marked variable name: MARK origin MARK name. Not a character a
// settings key or a template would contain.
constexpr char kMark = '\x01';

std::optional<std::string> read_text(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Template {
    std::string text;                   // with variable tags marked
    std::vector<std::string> partials;  // names of the partials it includes
};

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Rewrites `{{name}}`, `{{{name}}}` and `{{&name}}` to carry a mark with the
// file and line, so the lookup can tell a variable (must exist) from a
// section (may be absent) and say where the variable is used.
Template mark_variables(const std::string& text, const fs::path& file) {
    Template t;
    t.text.reserve(text.size() + text.size() / 8);
    std::size_t pos = 0;
    int line = 1;
    for (;;) {
        const auto open = text.find("{{", pos);
        const auto upto = open == std::string::npos ? text.size() : open + 2;
        line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(pos),
                                            text.begin() + static_cast<std::ptrdiff_t>(upto), '\n'));
        t.text.append(text, pos, upto - pos);
        if (open == std::string::npos) break;
        std::size_t i = open + 2;
        const char kind = i < text.size() ? text[i] : '\0';
        if (kind == '=')
            throw TemplateError(file.string() + " line " + std::to_string(line) +
                                ": set-delimiter tags are not supported");
        if (kind == '>') {
            const auto close = text.find("}}", i);
            if (close != std::string::npos) t.partials.push_back(trim(text.substr(i + 1, close - i - 1)));
        }
        if (kind == '#' || kind == '^' || kind == '/' || kind == '>' || kind == '!') {
            pos = i;
            continue;
        }
        if (kind == '{' || kind == '&') t.text += text[i++];
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) t.text += text[i++];
        t.text += kMark;
        t.text += file.filename().string() + " line " + std::to_string(line);
        t.text += kMark;
        pos = i;
    }
    return t;
}

// Partial names become file names in the platform folder; nothing may leave it.
bool valid_partial_name(const std::string& name) {
    if (name.empty() || name.front() == '.') return false;
    return name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") ==
           std::string::npos;
}

Template load_template(const fs::path& file) {
    auto text = read_text(file);
    if (!text) throw TemplateError("missing template " + file.string());
    Template t = mark_variables(*text, file);
    mm::mustache check{t.text};
    if (!check.is_valid()) throw TemplateError("invalid template " + file.string() + ": " + check.error_message());
    return t;
}

// Loads every partial reachable from `t` up front, so a missing partial is
// reported even when its section is not rendered, and a partial including
// itself (which would recurse without end) is refused.
void load_partials(const Template& t, const fs::path& dir, std::map<std::string, std::string>& out,
                   std::vector<std::string>& chain) {
    for (const auto& name : t.partials) {
        if (std::find(chain.begin(), chain.end(), name) != chain.end())
            throw TemplateError("partial " + name + " includes itself in " + dir.string());
        if (out.count(name)) continue;
        if (!valid_partial_name(name)) throw TemplateError("invalid partial name '" + name + "' in " + dir.string());
        Template p = load_template(dir / (name + ".mustache"));
        out.emplace(name, p.text);
        chain.push_back(name);
        load_partials(p, dir, out, chain);
        chain.pop_back();
    }
}

mm::data to_data(const json& j) {
    switch (j.type()) {
        case json::value_t::object: {
            mm::data o{mm::data::type::object};
            for (const auto& [k, v] : j.items()) o.set(k, to_data(v));
            return o;
        }
        case json::value_t::array: {
            mm::data l{mm::data::type::list};
            for (const auto& v : j) l.push_back(to_data(v));
            return l;
        }
        case json::value_t::string: return mm::data{j.get<std::string>()};
        case json::value_t::boolean: return mm::data{j.get<bool>()};
        case json::value_t::null: return mm::data{false};
        default:  // numbers: rendered as written in JSON
            return mm::data{j.dump()};
    }
}

// The default lookup, plus: a marked (variable) name that resolves to nothing,
// to a list or mapping, or to text holding a control character (config
// injection) is recorded as a problem; partials come from the preloaded map.
class StrictContext : public mm::basic_context<std::string> {
public:
    StrictContext(const mm::data* root, const std::map<std::string, std::string>& partials,
                  const std::vector<detail::UnsafeSetting>& unsafe)
        : inner_(root), unsafe_(unsafe) {
        for (const auto& [name, text] : partials) partials_.emplace(name, mm::data{text});
    }
    void push(const mm::data* d) override { inner_.push(d); }
    void pop() override { inner_.pop(); }

    const mm::data* get(const std::string& name) const override {
        if (name.empty() || name.front() != kMark) return inner_.get(name);
        const auto second = name.find(kMark, 1);
        const std::string origin = name.substr(1, second - 1);
        const std::string var = name.substr(second + 1);
        const mm::data* d = inner_.get(var);
        if (!d) note("missing variable '" + var + "' (not set in any settings layer) at " + origin);
        else if (d->is_object() || d->is_list())
            note("variable '" + var + "' at " + origin + " is a list or mapping, not a value");
        else if (d->is_string())
            if (auto cc = detail::find_control_character(d->string_value())) {
                note(unsafe_value(var, origin, d->string_value(), cc->name));
                return &blank_;  // rendered as nothing: the output is thrown away anyway
            }
        return d;
    }
    const mm::data* get_partial(const std::string& name) const override {
        auto it = partials_.find(name);
        return it == partials_.end() ? nullptr : &it->second;
    }
    const std::vector<std::string>& problems() const { return problems_; }

private:
    // Names the setting and the settings file it came from: the last layer
    // that set this exact text wins, as in the merge.
    std::string unsafe_value(const std::string& var, const std::string& origin, const std::string& value,
                             const std::string& character) const {
        for (auto it = unsafe_.rbegin(); it != unsafe_.rend(); ++it) {
            if (it->value != value) continue;
            std::string where = it->line > 0 ? it->file + " line " + std::to_string(it->line) : it->file;
            return "setting '" + it->setting + "' (" + where + ") holds a " + it->character + ", used as '" + var +
                   "' at " + origin + ": a rendered value may not hold control characters (config injection)";
        }
        return "variable '" + var + "' at " + origin + " holds a " + character +
               ": a rendered value may not hold control characters (config injection)";
    }

    // A variable inside a list is looked up once per item: report it once.
    void note(std::string problem) const {
        if (std::find(problems_.begin(), problems_.end(), problem) == problems_.end())
            problems_.push_back(std::move(problem));
    }
    mm::context<std::string> inner_;
    const std::vector<detail::UnsafeSetting>& unsafe_;
    const mm::data blank_{std::string()};
    std::map<std::string, mm::data> partials_;
    mutable std::vector<std::string> problems_;
};

// The line of a top-level value of mapping.yml, to point at a bad entry.
class LineOfKey final : public detail::ScalarObserver {
public:
    explicit LineOfKey(std::string key) : key_(std::move(key)) {}
    void scalar(const json&, const detail::ScalarSite& site) override {
        if (site.path() == key_) line_ = site.line();  // a repeated key: the last wins, as in the document
    }
    int line() const { return line_; }

private:
    std::string key_;
    int line_ = 0;
};

fs::path entry_template(const fs::path& platform_dir, devices::DeviceType type) {
    const fs::path mapping = platform_dir / "mapping.yml";
    std::error_code ec;
    if (!fs::is_regular_file(mapping, ec)) throw TemplateError("missing template mapping " + mapping.string());
    const std::string key(devices::to_string(type));
    LineOfKey entry_line(key);
    const detail::YamlDocument doc = detail::read_yaml_file(mapping, &entry_line);
    if (!doc.root.is_object())
        throw TemplateError(detail::where(mapping, doc.root_line) + ": expected a mapping of device types");
    const auto entry = doc.root.find(key);
    if (entry == doc.root.end() || !entry->is_string() || entry->get_ref<const std::string&>().empty())
        throw TemplateError(mapping.string() + " names no template for device type " + key);
    const std::string& name = entry->get_ref<const std::string&>();
    if (!valid_partial_name(name))
        throw TemplateError(detail::where(mapping, entry_line.line()) + ": template name must be a file in " +
                            platform_dir.string());
    return platform_dir / name;
}

// Optional blocks leave debris no device prints back: blank lines, a `!`
// separator right after the same separator (frr, eos), and `name {` right
// before its own `}` (an empty JunOS block). Dropping it here keeps templates
// simple and keeps diffs against the running config free of it.
std::string tidy(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    const auto indent = [](const std::string& l) { return l.find_first_not_of(' '); };
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
        if (line.empty()) continue;
        const std::string bare = line.substr(indent(line));
        if (!lines.empty()) {
            const std::string& prev = lines.back();
            if (bare == "!" && prev == line) continue;
            if (bare == "}" && prev.size() > 2 && prev.ends_with(" {") && indent(prev) == indent(line)) {
                lines.pop_back();
                continue;
            }
        }
        lines.push_back(std::move(line));
    }
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace

std::string render_device_config(const devices::Device& d, const RenderSources& src) {
    std::vector<detail::UnsafeSetting> unsafe;
    const json settings = detail::layered_settings_checked(d, src.settings_dir, unsafe);  // errors name the host
    try {
        const fs::path platform_dir = fs::path(src.templates_dir) / std::string(devices::to_string(d.platform));
        const fs::path entry = entry_template(platform_dir, d.device_type);
        const Template t = load_template(entry);
        std::map<std::string, std::string> partials;
        std::vector<std::string> chain;
        load_partials(t, platform_dir, partials, chain);

        const mm::data root = to_data(settings);
        StrictContext ctx(&root, partials, unsafe);
        mm::mustache tmpl{t.text};
        tmpl.set_custom_escape([](const std::string& s) { return s; });  // configs are not HTML
        const std::string out = tmpl.render(ctx);
        if (!tmpl.is_valid()) throw TemplateError("rendering " + entry.string() + ": " + tmpl.error_message());
        if (!ctx.problems().empty()) {
            std::string msg = ctx.problems().front();
            for (std::size_t i = 1; i < ctx.problems().size(); ++i) msg += "; " + ctx.problems()[i];
            throw TemplateError(msg + " (template " + entry.string() + ")");
        }
        std::string config = tidy(out);
        // The templates themselves (trusted, but hand-edited) must not put a
        // control character into a config either.
        std::size_t start = 0;
        for (int line = 1; start < config.size(); ++line) {
            const std::size_t end = config.find('\n', start);
            if (auto cc = detail::find_control_character(std::string_view(config).substr(start, end - start)))
                throw TemplateError("the rendered config holds a " + cc->name + " on line " + std::to_string(line) +
                                    " (template " + entry.string() + "); nothing was rendered");
            start = end == std::string::npos ? config.size() : end + 1;
        }
        return config;
    } catch (const TemplateError& e) {
        throw TemplateError(d.hostname + ": " + e.what());
    }
}

}  // namespace switchyard::templates
