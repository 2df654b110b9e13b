// Small file helpers shared by state persistence and the inventory writer.
#pragma once

#include <filesystem>
#include <string>

namespace sim {

std::string read_text_file(const std::filesystem::path& p);  // "" when missing
// Write-then-rename so a crash mid-write never leaves a torn file behind.
void write_file_atomic(const std::filesystem::path& p, const std::string& text);

}  // namespace sim
