// The run state machine the pipeline controls follow. The app owns the truth (the
// engine's worker reports it); the widgets only request transitions.
//
//   idle --start--> running --pause--> paused --resume--> running
//   running|paused --cancel--> cancelling --checkpoint saved--> idle
//   running|paused --finished or failed--> idle
#pragma once

#include <QString>

namespace distillery {

enum class RunState { Idle, Running, Paused, Cancelling };

QString toString(RunState s);

// Whether the worker can move from `from` to `to` (staying put is always allowed).
bool isValidTransition(RunState from, RunState to);

// Which controls are usable in a state.
struct RunControls {
  bool start = false;  // Adapt teacher, Distill, Refine, Run all, and the config form
  bool pause = false;
  bool resume = false;
  bool cancel = false;
};
RunControls runControls(RunState s);

}  // namespace distillery
