// The default tool (V, or Esc from another tool): a click selects the topmost instance under
// the cursor, a click on empty image clears the selection.
#pragma once

#include "widgets/tools/abstract_tool.h"

namespace distillery {

class SelectTool : public AbstractTool {
  Q_OBJECT

 public:
  explicit SelectTool(ImageCanvas* canvas);

  void mousePressed(const ToolMouseEvent& event) override;
};

}  // namespace distillery
