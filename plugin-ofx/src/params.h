// The node's parameters: names, labels and hints (one block each), their definition in
// describe-in-context, and a snapshot of their values at one time.
#pragma once

#include "host.h"

namespace autorestore_ofx {

struct ChoiceOption {
  const char *name;   // the library's name (autorestore_mode_from_name / _device_from_name)
  const char *label;  // what the user sees
};

inline constexpr const char *kParamMode = "mode";
inline constexpr const char *kParamModeLabel = "Mode";
inline constexpr const char *kParamModeHint =
    "What to repair. Auto analyses the frame and mixes the experts for what it finds; the "
    "others force one kind of repair.";
inline constexpr ChoiceOption kModeOptions[] = {
    {"auto", "Auto"},         {"denoise", "Denoise"},    {"deblur", "Deblur"},
    {"dehaze", "Dehaze"},     {"lowlight", "Low light"}, {"derain", "Derain"},
};
inline constexpr int kModeCount = sizeof(kModeOptions) / sizeof(kModeOptions[0]);

inline constexpr const char *kParamStrength = "strength";
inline constexpr const char *kParamStrengthLabel = "Strength";
inline constexpr const char *kParamStrengthHint =
    "Blend between the input (0) and the full restoration (1).";

inline constexpr const char *kParamSteps = "steps";
inline constexpr const char *kParamStepsLabel = "Steps";
inline constexpr const char *kParamStepsHint =
    "Sampler steps per tile. 0 uses the model's default (the best measured); more steps add "
    "detail and cost time.";

inline constexpr const char *kParamSeed = "seed";
inline constexpr const char *kParamSeedLabel = "Seed";
inline constexpr const char *kParamSeedHint =
    "Seed of the sampler's noise (only used with more than one step).";

inline constexpr const char *kParamDevice = "device";
inline constexpr const char *kParamDeviceLabel = "Device";
inline constexpr const char *kParamDeviceHint =
    "Where the network runs. Auto picks a GPU when one is usable and falls back to the CPU.";
inline constexpr ChoiceOption kDeviceOptions[] = {
    {"auto", "Auto"}, {"cpu", "CPU"}, {"cuda", "CUDA (NVIDIA)"}, {"webgpu", "WebGPU (experimental)"},
};
inline constexpr int kDeviceCount = sizeof(kDeviceOptions) / sizeof(kDeviceOptions[0]);

inline constexpr const char *kParamLock = "lockAnalysis";
inline constexpr const char *kParamLockLabel = "Lock Analysis";
inline constexpr const char *kParamLockHint =
    "Analyse one reference frame once and restore every frame of the clip with its gates, so "
    "a sequence does not flicker when the analysis would change from frame to frame. Turning "
    "it on takes the current frame as the reference. Host tiles then fetch only their window "
    "plus the model's margin instead of the whole frame.";

inline constexpr const char *kParamLockFrame = "lockFrame";
inline constexpr const char *kParamLockFrameLabel = "Reference Frame";
inline constexpr const char *kParamLockFrameHint =
    "The frame whose analysis Lock Analysis keeps for the whole clip.";

inline constexpr const char *kParamAnalyze = "analyzeFrame";
inline constexpr const char *kParamAnalyzeLabel = "Analyze Frame";
inline constexpr const char *kParamAnalyzeHint =
    "Analyse the source at the current frame and show what is wrong with it below.";

inline constexpr const char *kParamAnalysis = "analysis";
inline constexpr const char *kParamAnalysisLabel = "Analysis";
inline constexpr const char *kParamAnalysisHint =
    "What the analysis found in the frame (probability of each degradation). Read-only.";

// Defines every parameter in a describe-in-context parameter set. A parameter the host
// refuses to define is skipped. The controls come first and the display-only ones (button,
// string) last, so a host that stops at the first type it lacks still has every control.
void defineParams(OfxParamSetHandle params);

// The instance's handles on its parameters; a parameter the host did not make is nullptr and
// reads as its default.
struct ParamHandles {
  OfxParamHandle mode = nullptr, strength = nullptr, steps = nullptr, seed = nullptr,
                 device = nullptr, lock = nullptr, lockFrame = nullptr, analysis = nullptr;
};

void fetchParamHandles(OfxImageEffectHandle effect, ParamHandles &h);

// Parameters at one time, snapshot once per action (defaults where the host has no value).
struct Settings {
  int mode = 0;
  double strength = 1.0;
  int steps = 0;
  int seed = 0;
  int device = 0;
  bool lock = false;
  int lockFrame = 0;
};

Settings readSettings(const ParamHandles &h, OfxTime t);

}  // namespace autorestore_ofx
