// Keeps freed tensor memory in the process instead of returning it to the OS.
//
// glibc serves large blocks with mmap and trims the heap eagerly, so every training
// step faulted in tens of MB of fresh pages again: about 20% of a student step was
// kernel time in page faults (docs/models.md). Called once when a model is built;
// the cost is that the resident size stays at its high-water mark. Torch-free.
#pragma once

namespace distillery {

// Idempotent; a no-op outside glibc.
void keepFreedTensorMemory();

}  // namespace distillery
