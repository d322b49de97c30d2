//! Execution providers: which hardware runs the graphs.
//!
//! Each provider is registered with `error_on_failure`, so one that cannot load is an error with
//! ONNX Runtime's reason rather than a silent fall-back inside `ort`. `auto` falls back itself
//! (CUDA, then CPU), keeps the reason, and the engine reports which provider actually runs.
//! WebGPU is opt-in and experimental (docs/DESIGN.md, "Devices": it has given wrong numbers), never chosen by
//! `auto`.

use ort::ep::ExecutionProviderDispatch;
use ort::session::builder::SessionBuilder;

use std::ffi::CStr;

use crate::error::{err, Result};
use crate::ffi::AutorestoreDevice;

/// A requested or running provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Device {
    /// CUDA when it loads, otherwise CPU.
    Auto,
    /// ONNX Runtime's CPU provider; always available.
    Cpu,
    /// NVIDIA GPU through the CUDA provider (the GPU build of ONNX Runtime, CUDA 13, cuDNN 9);
    /// asked for by name it does not fall back.
    Cuda,
    /// Experimental.
    WebGpu,
}

/// A device's entry in [`DEVICES`].
pub struct DeviceName {
    /// The Rust value, equal to the entry's index.
    pub device: Device,
    /// The C value, equal to the entry's index.
    pub c: AutorestoreDevice,
    /// The name, NUL-terminated for the C API (`autorestore_device_name`).
    pub name: &'static CStr,
    /// Other lower-case spellings [`Device::from_name`] accepts.
    pub aliases: &'static [&'static str],
}

/// The one table of device names and C values: [`Device::name`], [`Device::from_name`] and
/// the C functions (`autorestore_device_from_name`, `autorestore_device_name`, the
/// `AutorestoreDevice` values) all read it.
pub const DEVICES: &[DeviceName] = &[
    DeviceName {
        device: Device::Auto,
        c: AutorestoreDevice::AUTORESTORE_DEVICE_AUTO,
        name: c"auto",
        aliases: &[],
    },
    DeviceName {
        device: Device::Cpu,
        c: AutorestoreDevice::AUTORESTORE_DEVICE_CPU,
        name: c"cpu",
        aliases: &[],
    },
    DeviceName {
        device: Device::Cuda,
        c: AutorestoreDevice::AUTORESTORE_DEVICE_CUDA,
        name: c"cuda",
        aliases: &["gpu"],
    },
    DeviceName {
        device: Device::WebGpu,
        c: AutorestoreDevice::AUTORESTORE_DEVICE_WEBGPU,
        name: c"webgpu",
        aliases: &[],
    },
];

// Entry i is C value i and Rust variant i, so lookups by either are an index.
const _: () = {
    let mut i = 0;
    while i < DEVICES.len() {
        assert!(DEVICES[i].c as usize == i && DEVICES[i].device as usize == i);
        i += 1;
    }
};

impl DeviceName {
    /// The name as text, e.g. "cuda".
    pub fn text(&self) -> &'static str {
        // the names above are ASCII
        self.name.to_str().unwrap_or("unknown")
    }
}

impl Device {
    /// This device's entry in [`DEVICES`].
    pub fn entry(self) -> &'static DeviceName {
        &DEVICES[self as usize]
    }

    /// The lower-case name: "auto", "cpu", "cuda" or "webgpu".
    pub fn name(self) -> &'static str {
        self.entry().text()
    }

    /// The device of a raw C value, if it is one.
    pub fn from_code(raw: u32) -> Option<Device> {
        DEVICES.get(raw as usize).map(|d| d.device)
    }

    /// Parses a name or alias, ignoring case and surrounding space; an unknown one is
    /// `InvalidArgument` with the list of names.
    pub fn from_name(name: &str) -> Result<Device> {
        let key = name.trim().to_ascii_lowercase();
        DEVICES
            .iter()
            .find(|d| d.text() == key || d.aliases.contains(&key.as_str()))
            .map(|d| d.device)
            .ok_or_else(|| {
                let all: Vec<&str> = DEVICES.iter().map(DeviceName::text).collect();
                err!(
                    InvalidArgument,
                    "unknown device {key:?} ({})",
                    all.join(", ")
                )
            })
    }

    /// The concrete providers to try, in order.
    pub fn plan(self) -> &'static [Device] {
        match self {
            Device::Auto => &[Device::Cuda, Device::Cpu],
            Device::Cpu => &[Device::Cpu],
            Device::Cuda => &[Device::Cuda],
            Device::WebGpu => &[Device::WebGpu],
        }
    }

    /// The `ort` dispatch for a concrete provider (CPU needs none: it is always there).
    fn dispatch(self) -> Result<Option<ExecutionProviderDispatch>> {
        match self {
            Device::Auto => Err(err!(Internal, "auto is not a concrete provider")),
            Device::Cpu => Ok(None),
            Device::Cuda => cuda(),
            Device::WebGpu => webgpu(),
        }
    }

    /// Registers this provider on a session builder; an error says why it cannot load.
    pub fn register(self, builder: SessionBuilder) -> Result<SessionBuilder> {
        match self.dispatch()? {
            None => Ok(builder),
            Some(d) => builder
                .with_execution_providers([d.error_on_failure()])
                .map_err(|e| {
                    let hint = if self == Device::Cuda {
                        " (CUDA needs the onnxruntime-gpu build of libonnxruntime with \
                         libonnxruntime_providers_cuda.so beside it, CUDA 13 and cuDNN 9)"
                    } else {
                        ""
                    };
                    err!(
                        ProviderUnavailable,
                        "the {} execution provider cannot be used: {e}{hint}",
                        self.name()
                    )
                }),
        }
    }
}

#[cfg(feature = "cuda")]
fn cuda() -> Result<Option<ExecutionProviderDispatch>> {
    // The provider and the CUDA libraries live beside the ONNX Runtime that runs (cuda.rs).
    let rt =
        crate::runtime::loaded().ok_or_else(|| err!(Internal, "ONNX Runtime is not loaded"))?;
    let dir = rt.path.parent().unwrap_or(std::path::Path::new("."));
    crate::cuda::preflight(dir)?;
    Ok(Some(ort::ep::CUDA::default().build()))
}
#[cfg(not(feature = "cuda"))]
fn cuda() -> Result<Option<ExecutionProviderDispatch>> {
    Err(err!(
        ProviderUnavailable,
        "this build of autorestore has no CUDA support (feature `cuda`)"
    ))
}

#[cfg(feature = "webgpu")]
fn webgpu() -> Result<Option<ExecutionProviderDispatch>> {
    Ok(Some(ort::ep::WebGPU::default().build()))
}
#[cfg(not(feature = "webgpu"))]
fn webgpu() -> Result<Option<ExecutionProviderDispatch>> {
    Err(err!(
        ProviderUnavailable,
        "this build of autorestore has no WebGPU support (experimental feature `webgpu`)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for d in [Device::Auto, Device::Cpu, Device::Cuda, Device::WebGpu] {
            assert_eq!(Device::from_name(d.name()).unwrap(), d);
        }
        assert!(Device::from_name("tpu").is_err());
        assert_eq!(Device::Auto.plan(), &[Device::Cuda, Device::Cpu]);
    }
}
