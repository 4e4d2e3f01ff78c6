#include "widgets/pipeline/run_state.h"

namespace distillery {

QString toString(RunState s) {
  switch (s) {
    case RunState::Idle:
      return "idle";
    case RunState::Running:
      return "running";
    case RunState::Paused:
      return "paused";
    case RunState::Cancelling:
      return "cancelling";
  }
  return "idle";
}

bool isValidTransition(RunState from, RunState to) {
  if (from == to) return true;
  switch (from) {
    case RunState::Idle:
      return to == RunState::Running;
    case RunState::Running:
      return true;  // paused, cancelling, or idle when it ends
    case RunState::Paused:
      return true;  // resumed, cancelled, or ended
    case RunState::Cancelling:
      return to == RunState::Idle;
  }
  return false;
}

RunControls runControls(RunState s) {
  switch (s) {
    case RunState::Idle:
      return {true, false, false, false};
    case RunState::Running:
      return {false, true, false, true};
    case RunState::Paused:
      return {false, false, true, true};
    case RunState::Cancelling:
      return {false, false, false, false};
  }
  return {};
}

}  // namespace distillery
