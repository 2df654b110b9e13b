// Internal to the templates library: reading YAML files with errors that name
// the file and line, shared by the settings loader and the mapping loader.
#pragma once

#include <filesystem>
#include <string>

#include <yaml-cpp/yaml.h>

namespace switchyard::templates::detail {

// Parses `file`; throws TemplateError "invalid YAML in FILE line N: ..." or
// "cannot read FILE".
YAML::Node load_yaml_file(const std::filesystem::path& file);

// "FILE line N" for a node of a document loaded from FILE.
std::string where(const std::filesystem::path& file, const YAML::Node& node);

}  // namespace switchyard::templates::detail
