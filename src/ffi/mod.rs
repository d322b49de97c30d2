//! The C ABI (`include/autorestore.h`, generated from this module by cbindgen).
//!
//! Conventions, as in rustls-ffi:
//! - every exported function body runs inside `panic::guard`: a Rust panic becomes
//!   `AUTORESTORE_ERR_INTERNAL`, it never unwinds into the host;
//! - pointers are checked with `check_null!` and turned into `AUTORESTORE_ERR_NULL_ARGUMENT`;
//! - a failing call stores a message for [`error::autorestore_last_error`] on the calling thread;
//! - C enums are read from caller memory as raw integers and checked, never trusted as Rust
//!   enums (an out-of-range value from C would otherwise be undefined behaviour);
//! - opaque handles are `Box`es: created by `_create`, released by `_destroy` (`NULL` is fine).

use std::ffi::c_void;

pub mod analysis;
pub mod engine;
pub mod error;
pub mod image;
pub mod panic;
pub mod restore;

/// Most degradation groups a model may have (size of the fixed arrays below).
pub const AUTORESTORE_MAX_DEGRADATIONS: usize = 8;
/// Most gates (degradations x sub-experts) a model may have.
pub const AUTORESTORE_MAX_GATES: usize = 64;
/// Longest condition vector (`cond`, model metadata `autorestore.cond_dim`) a model may have.
pub const AUTORESTORE_MAX_COND: usize = 128;

// The engine's limits (src/model.rs) are these constants: what the arrays below can hold.
const _: () = {
    assert!(crate::model::MAX_DEGRADATIONS == AUTORESTORE_MAX_DEGRADATIONS);
    assert!(crate::model::MAX_GATES == AUTORESTORE_MAX_GATES);
    assert!(crate::model::MAX_COND == AUTORESTORE_MAX_COND);
    assert!(AUTORESTORE_MAX_GATES >= AUTORESTORE_MAX_DEGRADATIONS);
};

/// Result of every fallible call. `AUTORESTORE_OK` is 0; on anything else
/// `autorestore_last_error()` gives a message on the same thread.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutorestoreStatus {
    /// Success (the thread's last error is not cleared).
    AUTORESTORE_OK = 0,
    /// A required pointer was NULL.
    AUTORESTORE_ERR_NULL_ARGUMENT = 1,
    /// Bad size, stride, channels, parameter, NaN/Inf pixel or option.
    AUTORESTORE_ERR_INVALID_ARGUMENT = 2,
    /// libonnxruntime missing, not loadable or older than 1.31.
    AUTORESTORE_ERR_RUNTIME_NOT_FOUND = 3,
    /// Model missing, corrupt, checksum mismatch or wrong contract.
    AUTORESTORE_ERR_MODEL = 4,
    /// The requested execution provider cannot be used; the message says why.
    AUTORESTORE_ERR_PROVIDER_UNAVAILABLE = 5,
    /// ONNX Runtime failed while running.
    AUTORESTORE_ERR_INFERENCE = 6,
    /// The progress callback returned false.
    AUTORESTORE_ERR_CANCELLED = 7,
    /// Over the configured pixel cap, or memory could not be allocated.
    AUTORESTORE_ERR_TOO_LARGE = 8,
    /// File input/output failed.
    AUTORESTORE_ERR_IO = 9,
    /// A caught panic or a bug.
    AUTORESTORE_ERR_INTERNAL = 10,
}

/// Sample type of an image.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutorestoreSampleType {
    /// 0..255
    AUTORESTORE_SAMPLE_U8 = 0,
    /// 0..65535, native byte order
    AUTORESTORE_SAMPLE_U16 = 1,
    /// 0..1 (values outside are clamped; NaN/Inf is an error), native byte order
    AUTORESTORE_SAMPLE_F32 = 2,
    /// IEEE 754 half float (binary16), otherwise as F32: 0..1, NaN/Inf is an error, native
    /// byte order. What OpenFX hosts call `half`; results are rounded to nearest even.
    AUTORESTORE_SAMPLE_F16 = 3,
}

/// Execution provider.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutorestoreDevice {
    /// CUDA if it loads, else CPU.
    AUTORESTORE_DEVICE_AUTO = 0,
    /// ONNX Runtime's CPU provider; always available.
    AUTORESTORE_DEVICE_CPU = 1,
    /// NVIDIA GPU through the CUDA provider, no fallback: when it cannot load, engine creation
    /// fails with AUTORESTORE_ERR_PROVIDER_UNAVAILABLE and the message says why.
    AUTORESTORE_DEVICE_CUDA = 2,
    /// Experimental, opt-in.
    AUTORESTORE_DEVICE_WEBGPU = 3,
}

/// Which experts restore the image. For a single-group mode whose group the model lacks,
/// autorestore_restore() fails with AUTORESTORE_ERR_INVALID_ARGUMENT.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutorestoreMode {
    /// The analysis decides.
    AUTORESTORE_MODE_AUTO = 0,
    /// Only the "noise" experts.
    AUTORESTORE_MODE_DENOISE = 1,
    /// Only the "blur" experts.
    AUTORESTORE_MODE_DEBLUR = 2,
    /// Only the "haze" experts.
    AUTORESTORE_MODE_DEHAZE = 3,
    /// Only the "lowlight" experts.
    AUTORESTORE_MODE_LOWLIGHT = 4,
    /// Only the "rain" experts.
    AUTORESTORE_MODE_DERAIN = 5,
    /// Use `params.mix`, one weight per degradation group.
    AUTORESTORE_MODE_CUSTOM = 6,
}

/// An image in caller memory (borrowed; never freed by the library).
///
/// `channels`: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (alpha last; it passes through untouched).
/// `row_stride` is in bytes and at least `width * channels * sample size`. Samples are
/// sRGB-encoded as stored in the file; f32 and f16 samples are 0..1.
#[repr(C)]
pub struct AutorestoreImage {
    /// First byte of the top row; must not be NULL. Borrowed for the call only: readable (and
    /// writable for an output) over `row_stride * (height - 1) + width * channels * sample
    /// size` bytes.
    pub data: *mut c_void,
    /// Width in pixels, 1 to 2^24 - 1.
    pub width: u32,
    /// Height in pixels (rows), 1 to 2^24 - 1.
    pub height: u32,
    /// Bytes from the start of one row to the start of the next (padding allowed).
    pub row_stride: usize,
    /// Type of each sample; a value outside AutorestoreSampleType is
    /// AUTORESTORE_ERR_INVALID_ARGUMENT.
    pub sample_type: AutorestoreSampleType,
    /// Samples per pixel, 1 to 4 (see above).
    pub channels: u32,
}

/// Engine options. Initialise with `autorestore_engine_options_init()`, then set fields.
#[repr(C)]
pub struct AutorestoreEngineOptions {
    /// NULL: AUTORESTORE_MODEL_DIR when set (then it must hold the model), else the first
    /// folder with a manifest.json of: beside the library `model/`, `../model/`,
    /// `autorestore/model/`, `../share/autorestore/model/`; the folder `make install` copied the
    /// model to; the source tree's models/shipped. autorestore_engine_model_dir() tells which.
    pub model_dir: *const std::ffi::c_char,
    /// NULL: search AUTORESTORE_ORT_LIB, ORT_DYLIB_PATH, beside libautorestore.so, the source
    /// tree's .setup/. The first library loaded stays for the life of the process.
    pub ort_library_path: *const std::ffi::c_char,
    /// Default AUTORESTORE_DEVICE_AUTO.
    pub device: AutorestoreDevice,
    /// Intra-op threads per session, 0 = ONNX Runtime's default (one per core).
    pub threads: u32,
    /// Largest tile side in pixels, 0 = default (1024; 1536 on CUDA); rounded down to the model's
    /// tile multiple. An image is cut into as few tiles of at most this side as cover it, each as
    /// small as that count allows. Each
    /// tile computes a margin of context (the model's receptive field rounded up to the tile
    /// multiple, autorestore_engine_tile_margin()) on each inner side that is discarded, so the
    /// tiled result equals the whole-image one; sizes below
    /// autorestore_engine_min_tile_size() are refused with AUTORESTORE_ERR_INVALID_ARGUMENT.
    pub tile_size: u32,
    /// Feather width in pixels, 0 = none (the default): neighbouring tiles overlap by this
    /// much on top of both margins and are blended with a linear ramp there. Both tiles are
    /// exact in that band, so it only smooths float-level differences (e.g. between GPU
    /// kernels); it costs a little more tiling.
    pub tile_overlap: u32,
    /// 0 = no cap; larger images fail with AUTORESTORE_ERR_TOO_LARGE before any work.
    pub max_pixels: u64,
    /// Most concurrent runs per engine (one ONNX Runtime session each), 0 = cores, at most 4.
    /// More concurrent callers wait for a free session.
    pub max_sessions: u32,
}

/// What the analysis found.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct AutorestoreAnalysis {
    /// D, the number of degradation groups (names: autorestore_engine_degradation_name).
    pub degradation_count: u32,
    /// Probability that each degradation is present, in [0, 1].
    pub scores: [f32; AUTORESTORE_MAX_DEGRADATIONS],
    /// D*K.
    pub gate_count: u32,
    /// Merged two-level gates, summing to 1.
    pub gates: [f32; AUTORESTORE_MAX_GATES],
    /// How much of the restoration one click applies, in [0, 1] (AUTO mode restores with
    /// `strength * amount`). 0 means "nothing to repair": AUTO mode then returns the input
    /// unchanged, bit for bit, without running the restore graph. Manual modes ignore it.
    pub amount: f32,
    /// C, the length of `cond` (model metadata autorestore.cond_dim).
    pub cond_count: u32,
    /// The image's global condition, passed unchanged to every tile and step of a restore (in
    /// every mode). Opaque: keep it with the scores and gates when passing `params.analysis`.
    pub cond: [f32; AUTORESTORE_MAX_COND],
}

/// Progress callback: `fraction` done in [0, 1]; return false to cancel (the call then fails
/// with AUTORESTORE_ERR_CANCELLED and the output is untouched). Called between tiles/steps on
/// the calling thread.
pub type AutorestoreProgressFn =
    Option<unsafe extern "C" fn(fraction: f32, user_data: *mut c_void) -> bool>;

/// Restore parameters. Initialise with `autorestore_restore_params_init()`.
#[repr(C)]
pub struct AutorestoreRestoreParams {
    /// Default AUTORESTORE_MODE_AUTO.
    pub mode: AutorestoreMode,
    /// [0, 1], default 1: blend between the input (0) and the full restoration (1).
    pub strength: f32,
    /// Sampler steps, 0 = the model's default.
    pub steps: u32,
    /// Seed of the sampler noise; the same seed gives the same bytes. Default 0.
    pub seed: u64,
    /// For AUTORESTORE_MODE_CUSTOM: one non-negative weight per degradation group.
    pub mix: [f32; AUTORESTORE_MAX_DEGRADATIONS],
    /// Optional: reuse an earlier analysis (so every tile of a frame uses the same gates,
    /// condition and amount). It must come from autorestore_analyze() with this model (its
    /// counts are checked); in AUTO mode its amount decides the strength and whether there is
    /// anything to repair.
    pub analysis: *const AutorestoreAnalysis,
    /// Optional (NULL: no progress reports, no cancellation).
    pub progress: AutorestoreProgressFn,
    /// Passed unchanged to every `progress` call; the library never reads or frees it.
    pub progress_user_data: *mut c_void,
    /// Position of the image's top-left pixel in a larger frame (default 0, 0). Set it when
    /// restoring regions of one frame separately (tiles of a host): the multi-step sampler's
    /// noise is keyed on frame coordinates, so the regions agree with a whole-frame restore.
    pub noise_origin_x: u32,
    /// Row of the image's top-left pixel in the larger frame (see `noise_origin_x`).
    pub noise_origin_y: u32,
}

/// Returns `AUTORESTORE_ERR_NULL_ARGUMENT` from the enclosing function when a pointer is null.
macro_rules! check_null {
    ($p:expr) => {
        if $p.is_null() {
            return Err($crate::error::Error::new(
                $crate::error::ErrorKind::NullArgument,
                concat!("argument `", stringify!($p), "` is NULL"),
            ));
        }
    };
}
pub(crate) use check_null;

/// Reads field `$f` of `*$p` without forming a reference to the whole struct. Use it inside an
/// `unsafe` block whose SAFETY comment says why `$p` points to a readable struct.
macro_rules! field {
    ($p:expr, $f:ident) => {
        std::ptr::addr_of!((*$p).$f).read()
    };
}
pub(crate) use field;

/// Reads a C enum field as its raw integer (C may store any int there).
macro_rules! enum_field {
    ($p:expr, $f:ident) => {
        std::ptr::addr_of!((*$p).$f).cast::<u32>().read()
    };
}
pub(crate) use enum_field;
