// Internal to the templates library: reading a YAML file into JSON, with
// errors that name the file and line, shared by the settings loader and the
// mapping loader.
//
// libyaml's event parser builds the JSON directly: a settings file may hold a
// whole 2,000-line config and is read once per device per sync, where
// yaml-cpp's node tree cost seven times as long (6 against 0.8 ms a file).
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace switchyard::templates::detail {

// Where a scalar sits in its document, for the reader's observer.
class ScalarSite {
public:
    // "interfaces[0].description"; built on demand, as most scalars need no name.
    virtual std::string path() const = 0;
    // From 1.
    virtual int line() const = 0;

protected:
    ~ScalarSite() = default;
};

// Sees each scalar value (not mapping keys) as it is read, in document order.
class ScalarObserver {
public:
    virtual void scalar(const nlohmann::json& value, const ScalarSite& site) = 0;

protected:
    ~ScalarObserver() = default;
};

struct YamlDocument {
    // The document (a file holds one): mappings become objects (a repeated key: the last
    // wins), sequences arrays, plain scalars typed as YAML 1.2's core schema
    // reads them (null, true/false, integers without a leading zero; anything
    // else stays text), quoted and block scalars text. An alias is a copy of
    // its anchor's value. Null for an empty file.
    nlohmann::json root;
    int root_line = 1;
};

// A file expanding to more values, or to more bytes of text, than these
// (aliases of aliases: "a billion laughs"; one long text named a million
// times) is refused rather than built.
inline constexpr std::size_t kMaxYamlValues = 1'000'000;
inline constexpr std::size_t kMaxYamlBytes = std::size_t{64} << 20;
// Nesting deeper than this is refused: what reads the settings after (the
// merge, mustache) recurses once a level, and a file of `[[[[...` must fail
// one device, not overflow the process's stack (yaml-cpp refused it too).
inline constexpr std::size_t kMaxYamlDepth = 256;

// Throws TemplateError "invalid YAML in FILE line N: ..." (including a second
// document, a key that is a mapping or a list, an unknown alias, too many
// values or bytes, too deep a nesting), "invalid YAML in FILE at byte N: ..." for bytes that are not UTF-8,
// or "cannot read FILE".
YamlDocument read_yaml_file(const std::filesystem::path& file, ScalarObserver* observer = nullptr);

// "FILE line N".
std::string where(const std::filesystem::path& file, int line);

}  // namespace switchyard::templates::detail
