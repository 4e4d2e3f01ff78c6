// Teacher classes onto the project's: when a teacher was trained on other classes
// (or in another order), its class head is re-headed before adaptation. mapping[t]
// is the project class index teacher class t becomes, or -1 to drop it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

class SegmentationModel;
using ClassMapping = std::vector<int>;

// The class names a Distillery checkpoint was saved with.
Result<std::vector<std::string>> checkpointClassNames(const std::filesystem::path& checkpoint);

// Equal names (case-insensitive) map onto each other; other teacher classes drop.
ClassMapping classMappingByName(const std::vector<std::string>& teacher,
                                const std::vector<std::string>& project);

// "disc=balloon,ring=balloon" (teacher=project); teacher classes not named drop.
// Errors name the unknown class and list the known ones.
Result<ClassMapping> parseClassMapping(const std::string& spec, const std::vector<std::string>& teacher,
                                       const std::vector<std::string>& project);

// The mapping a run uses: the spec when given; else identity for equal lists, a
// permutation when both hold the same names; otherwise an error that shows both
// lists and how to map them.
Result<ClassMapping> resolveClassMapping(const std::string& spec, const std::vector<std::string>& teacher,
                                         const std::vector<std::string>& project);

bool isIdentity(const ClassMapping& mapping, size_t projectClasses);

// A copy of a Distillery model whose class head predicts the project's classes.
// Project class j takes the head row of the first teacher class mapped to it (a
// fresh row when none is); the no-object row and every other weight are copied.
Result<std::unique_ptr<SegmentationModel>> remapClasses(SegmentationModel& model,
                                                        const ClassMapping& mapping, int projectClasses);

}  // namespace distillery
