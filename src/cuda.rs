//! What the CUDA execution provider needs before ONNX Runtime may try it, checked in plain words.
//!
//! ONNX Runtime's own failure when CUDA cannot work is a loader message about a missing
//! `libcublasLt.so.13` or an abort inside cuDNN. So before the provider is registered we check,
//! in order: the ONNX Runtime that runs is the GPU build (its CUDA provider library lies beside
//! it; `make setup-cuda` fetches it), an NVIDIA driver is installed (`libcuda.so.1`), it starts
//! and sees a device; then we load the CUDA 13 and cuDNN 9 libraries that `make setup-cuda` put
//! beside ONNX Runtime, by full path and globally, so that the provider (which has no RUNPATH)
//! and cuDNN (which opens its parts by name) find them without `LD_LIBRARY_PATH`.
//!
//! The check runs once per process; its outcome (the device name, or the reason) is kept.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{err, Result};

/// ONNX Runtime's CUDA provider, beside `libonnxruntime.so` in the GPU build.
pub const PROVIDER_LIB: &str = "libonnxruntime_providers_cuda.so";

/// The libraries the provider and cuDNN open, in an order where each one's dependencies come
/// first (`make setup-cuda` extracts exactly these; models/README.md and Makefile list them).
pub const LIBS: &[&str] = &[
    "libcudart.so.13",
    "libcublasLt.so.13",
    "libcublas.so.13",
    "libcurand.so.10",
    "libnvrtc.so.13",
    "libcudnn_graph.so.9",
    "libcudnn_engines_precompiled.so.9",
    "libcudnn_engines_runtime_compiled.so.9",
    "libcudnn_engines_tensor_ir.so.9",
    "libcudnn_heuristic.so.9",
    "libcudnn_ops.so.9",
    "libcudnn_cnn.so.9",
    "libcudnn_adv.so.9",
    "libcudnn_ext.so.9",
    "libcudnn.so.9",
];

const CUDA_SUCCESS: i32 = 0;
const CUDA_ERROR_NO_DEVICE: i32 = 100;

static CHECKED: OnceLock<std::result::Result<String, String>> = OnceLock::new();

/// Checks that CUDA can run beside the ONNX Runtime in `runtime_dir`; returns the name of
/// device 0. Errors are `ProviderUnavailable` with the reason in plain words.
pub fn preflight(runtime_dir: &Path) -> Result<String> {
    CHECKED
        .get_or_init(|| check(runtime_dir))
        .clone()
        .map_err(|why| err!(ProviderUnavailable, "{why}"))
}

fn check(dir: &Path) -> std::result::Result<String, String> {
    if !dir.join(PROVIDER_LIB).is_file() {
        return Err(format!(
            "the ONNX Runtime in {} is the CPU-only build (no {PROVIDER_LIB} beside it): \
             run `make setup-cuda` to fetch the CUDA build",
            dir.display()
        ));
    }
    let device = driver_device()?;
    let missing: Vec<String> = LIBS
        .iter()
        .filter_map(|name| preload(dir, name).err())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "CUDA libraries missing beside ONNX Runtime in {}: {} (run `make setup-cuda`)",
            dir.display(),
            missing.join("; ")
        ));
    }
    Ok(device)
}

/// Opens the NVIDIA driver and asks it for a device.
fn driver_device() -> std::result::Result<String, String> {
    // SAFETY: libcuda.so.1 is the NVIDIA driver library; its initialisers are safe to run.
    let lib = unsafe { libloading::Library::new("libcuda.so.1") }
        .map_err(|e| format!("no NVIDIA driver: libcuda.so.1 not found ({e})"))?;
    type Init = unsafe extern "C" fn(u32) -> i32;
    type Count = unsafe extern "C" fn(*mut i32) -> i32;
    type Name = unsafe extern "C" fn(*mut libc::c_char, i32, i32) -> i32;
    // SAFETY: the signatures are those of the CUDA driver API (cuda.h): cuInit(unsigned int),
    // cuDeviceGetCount(int*), cuDeviceGetName(char*, int, CUdevice); the buffer outlives the call.
    let name = unsafe {
        let sym = |s: &[u8]| {
            lib.get::<*const ()>(s)
                .map_err(|e| format!("the NVIDIA driver library lacks {s:?} ({e}): is it too old?"))
        };
        let init: Init = std::mem::transmute(*sym(b"cuInit\0")?);
        let count: Count = std::mem::transmute(*sym(b"cuDeviceGetCount\0")?);
        let get_name: Name = std::mem::transmute(*sym(b"cuDeviceGetName\0")?);
        match init(0) {
            CUDA_SUCCESS => {}
            CUDA_ERROR_NO_DEVICE => {
                return Err("no CUDA device (the NVIDIA driver sees none)".into())
            }
            e => {
                return Err(format!(
                    "the NVIDIA driver did not start (cuInit error {e})"
                ))
            }
        }
        let mut n = 0;
        if count(&mut n) != CUDA_SUCCESS || n == 0 {
            return Err("no CUDA device (the NVIDIA driver sees none)".into());
        }
        let mut buf = [0 as libc::c_char; 128];
        if get_name(buf.as_mut_ptr(), buf.len() as i32, 0) == CUDA_SUCCESS {
            std::ffi::CStr::from_ptr(buf.as_ptr())
                .to_string_lossy()
                .into_owned()
        } else {
            "CUDA device 0".to_string()
        }
    };
    // The driver stays loaded for the life of the process (the provider uses it).
    std::mem::forget(lib);
    Ok(name)
}

/// Loads `name` from `dir` (or, if it is not there, from the system's library path) globally,
/// and keeps it loaded; the error is the library's name and why.
fn preload(dir: &Path, name: &str) -> std::result::Result<(), String> {
    use libloading::os::unix::{Library, RTLD_GLOBAL, RTLD_NOW};
    let local: PathBuf = dir.join(name);
    let target = if local.is_file() {
        local.into_os_string()
    } else {
        name.into()
    };
    // SAFETY: these are NVIDIA's CUDA/cuDNN libraries; loading runs their initialisers only.
    match unsafe { Library::open(Some(&target), RTLD_NOW | RTLD_GLOBAL) } {
        Ok(lib) => {
            std::mem::forget(lib);
            Ok(())
        }
        Err(e) => Err(format!("{name} ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_only_runtime_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let e = check(dir.path()).unwrap_err();
        assert!(
            e.contains("CPU-only build") && e.contains("make setup-cuda"),
            "{e}"
        );
    }

    #[test]
    fn missing_driver_or_libraries_are_named() {
        // A folder with the provider file but no CUDA libraries: on a machine without the
        // driver the driver is named; with one, the missing libraries are.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PROVIDER_LIB), b"").unwrap();
        match check(dir.path()) {
            Err(e) => assert!(
                e.contains("libcuda.so.1")
                    || e.contains("no CUDA device")
                    || e.contains("missing beside ONNX Runtime"),
                "{e}"
            ),
            // a machine with the driver and CUDA 13 + cuDNN 9 on its library path
            Ok(name) => assert!(!name.is_empty()),
        }
    }
}
