//! AutoRestore: all-in-one photo restoration with a small MoE-in-MoE diffusion transformer,
//! run by ONNX Runtime, with a C ABI (`include/autorestore.h`) for image editors and hosts.
//!
//! The path of one image (docs/DESIGN.md, "Data path"): caller pixels ([`image`]) -> analysis of the whole image
//! ([`analysis`], [`Engine::analyze`]) -> overlapping tiles ([`tiling`]) each running the
//! few-step sampler ([`sampler`]) with the same gates -> feathered blend -> caller pixels.

pub mod analysis;
#[cfg(feature = "cuda")]
pub mod cuda;
pub mod engine;
pub mod error;
pub mod ffi;
pub mod image;
pub mod mode;
pub mod model;
pub mod provider;
pub mod runtime;
pub mod sampler;
mod tile_io;
pub mod tiling;

pub use engine::{Analysis, Engine, EngineOptions, Mode, RestoreParams, RunStats};
pub use error::{Error, ErrorKind, Result};
pub use image::{ImageBuf, ImageRef, Layout, SampleType};
pub use provider::Device;

/// The library version (from Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
