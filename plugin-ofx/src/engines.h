// Engines: one per device, shared by every instance of the plug-in in the process, created on
// first use from the model and ONNX Runtime carried in the bundle.
#pragma once

extern "C" {  // harmless if the header already declares C linkage
#include "autorestore.h"
}

namespace autorestore_ofx {

// The engine for a Device choice index; throws RenderError with the library's reason.
AutorestoreEngine *engineFor(int deviceIndex);

// Why the bundle cannot run on an NVIDIA GPU, in plain words; "" when it carries the CUDA
// provider (the GPU may still be missing at run time: the engine then says why).
const char *gpuUnavailableReason();

bool createEngineRegistry();
void destroyEngines();

}  // namespace autorestore_ofx
