// A finished recipe kept on disk (the benchmark protocol's resumable runs): its student,
// the adapted teacher (cast) and its stage scores, so a second call with the same
// settings reads the outcome instead of training again.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/recipes/recipes.h"

namespace distillery {

// Writes DIR/outcome.json last, so a folder without it never counts as finished.
Status saveRecipeOutcome(RecipeOutcome& outcome, const std::filesystem::path& dir,
                         const std::vector<std::string>& classNames);
// nullopt: no finished outcome in DIR; an error names the file that could not be read.
std::optional<Result<RecipeOutcome>> loadRecipeOutcome(const std::filesystem::path& dir);

// A short stable key for settings and the data they run on (folder names).
std::string settingsFingerprint(const nlohmann::json& settings);

}  // namespace distillery
