//! Engine options, creation, destruction and queries.

use std::ffi::{c_char, CStr, CString};
use std::path::PathBuf;

use super::panic::{guard, guard_value};
use super::{
    check_null, enum_field, field, AutorestoreDevice, AutorestoreEngineOptions, AutorestoreStatus,
};
use crate::engine::{Engine, EngineOptions};
use crate::error::{err, Result};
use crate::provider::Device;

/// An engine: the loaded model on one execution provider. Opaque; create with
/// `autorestore_engine_create`, free with `autorestore_engine_destroy`.
///
/// One engine may be used from several threads at once (analyze and restore are thread-safe);
/// it must not be destroyed while a call on it is running.
pub struct AutorestoreEngine {
    pub(crate) engine: Engine,
    names: Vec<CString>,
    note: CString,
    model_name: CString,
}

pub(crate) fn device_from_raw(raw: u32) -> Result<Device> {
    match raw {
        0 => Ok(Device::Auto),
        1 => Ok(Device::Cpu),
        2 => Ok(Device::Cuda),
        3 => Ok(Device::WebGpu),
        _ => Err(err!(
            InvalidArgument,
            "device {raw} is not AUTO (0), CPU (1), CUDA (2) or WEBGPU (3)"
        )),
    }
}

fn device_to_c(d: Device) -> AutorestoreDevice {
    match d {
        Device::Auto => AutorestoreDevice::AUTORESTORE_DEVICE_AUTO,
        Device::Cpu => AutorestoreDevice::AUTORESTORE_DEVICE_CPU,
        Device::Cuda => AutorestoreDevice::AUTORESTORE_DEVICE_CUDA,
        Device::WebGpu => AutorestoreDevice::AUTORESTORE_DEVICE_WEBGPU,
    }
}

/// # Safety
/// `p` must be null or a NUL-terminated string.
pub(crate) unsafe fn opt_path(p: *const c_char, what: &str) -> Result<Option<PathBuf>> {
    if p.is_null() {
        return Ok(None);
    }
    let s = CStr::from_ptr(p)
        .to_str()
        .map_err(|_| err!(InvalidArgument, "{what} is not UTF-8"))?;
    Ok(if s.is_empty() {
        None
    } else {
        Some(PathBuf::from(s))
    })
}

/// # Safety
/// `p` must be null or a NUL-terminated string.
pub(crate) unsafe fn c_str<'a>(p: *const c_char) -> Result<&'a str> {
    check_null!(p);
    CStr::from_ptr(p)
        .to_str()
        .map_err(|_| err!(InvalidArgument, "name is not UTF-8"))
}

fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

/// Fills `*opts` with the defaults (all zero/NULL: search paths, AUTO device, default tiles).
///
/// # Safety
/// `opts` must be null (then nothing happens) or point to writable memory for the struct.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_options_init(opts: *mut AutorestoreEngineOptions) {
    guard_value((), || {
        if !opts.is_null() {
            opts.write(AutorestoreEngineOptions {
                model_dir: std::ptr::null(),
                ort_library_path: std::ptr::null(),
                device: AutorestoreDevice::AUTORESTORE_DEVICE_AUTO,
                threads: 0,
                tile_size: 0,
                tile_overlap: 0,
                max_pixels: 0,
                max_sessions: 0,
            })
        }
    })
}

/// Parses "auto", "cpu", "cuda" or "webgpu".
///
/// # Safety
/// `name` must be a NUL-terminated string, `out` writable; either may be NULL (an error).
#[no_mangle]
pub unsafe extern "C" fn autorestore_device_from_name(
    name: *const c_char,
    out: *mut AutorestoreDevice,
) -> AutorestoreStatus {
    guard(|| {
        check_null!(out);
        let d = Device::from_name(c_str(name)?)?;
        out.write(device_to_c(d));
        Ok(())
    })
}

/// A static name for a device ("auto", "cpu", "cuda", "webgpu"; "unknown" otherwise).
#[no_mangle]
pub extern "C" fn autorestore_device_name(device: u32) -> *const c_char {
    let s: &'static CStr = match device {
        0 => c"auto",
        1 => c"cpu",
        2 => c"cuda",
        3 => c"webgpu",
        _ => c"unknown",
    };
    s.as_ptr()
}

/// Creates an engine: loads ONNX Runtime (once per process), checks the model against its
/// SHA-256 manifest, creates the sessions on the requested device (AUTO falls back from CUDA to
/// CPU; `autorestore_engine_device` tells which runs). `opts` may be NULL for defaults.
/// On failure `*out` is set to NULL.
///
/// # Safety
/// `opts` must be null or point to an initialised options struct (strings NUL-terminated);
/// `out` must point to writable memory for one pointer.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_create(
    opts: *const AutorestoreEngineOptions,
    out: *mut *mut AutorestoreEngine,
) -> AutorestoreStatus {
    guard(|| {
        check_null!(out);
        out.write(std::ptr::null_mut());
        let mut o = EngineOptions::default();
        if !opts.is_null() {
            o.model_dir = opt_path(field!(opts, model_dir), "model_dir")?;
            o.ort_library = opt_path(field!(opts, ort_library_path), "ort_library_path")?;
            o.device = device_from_raw(enum_field!(opts, device))?;
            o.threads = field!(opts, threads) as usize;
            o.tile_size = field!(opts, tile_size) as usize;
            o.tile_overlap = field!(opts, tile_overlap) as usize;
            o.max_pixels = field!(opts, max_pixels);
            o.max_sessions = field!(opts, max_sessions) as usize;
        }
        let engine = Engine::new(&o)?;
        let names = engine
            .info()
            .degradations
            .iter()
            .map(|n| cstring(n))
            .collect();
        let handle = Box::new(AutorestoreEngine {
            names,
            note: cstring(engine.device_note()),
            model_name: cstring(&format!("{} {}", engine.info().name, engine.info().version)),
            engine,
        });
        out.write(Box::into_raw(handle));
        Ok(())
    })
}

/// Frees an engine. NULL is fine. No call may be running on it.
///
/// # Safety
/// `engine` must be null or come from `autorestore_engine_create` and not be freed yet.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_destroy(engine: *mut AutorestoreEngine) {
    guard_value((), || {
        if !engine.is_null() {
            drop(Box::from_raw(engine));
        }
    })
}

/// The provider that actually runs (never AUTO for a live engine; AUTO for NULL).
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_device(
    engine: *const AutorestoreEngine,
) -> AutorestoreDevice {
    guard_value(
        AutorestoreDevice::AUTORESTORE_DEVICE_AUTO,
        || match engine.as_ref() {
            Some(e) => device_to_c(e.engine.device()),
            None => AutorestoreDevice::AUTORESTORE_DEVICE_AUTO,
        },
    )
}

/// Why AUTO did not get its first choice (e.g. why CUDA could not load); "" otherwise.
/// Owned by the engine.
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_device_note(
    engine: *const AutorestoreEngine,
) -> *const c_char {
    guard_value(c"".as_ptr(), || match engine.as_ref() {
        Some(e) => e.note.as_ptr(),
        None => c"".as_ptr(),
    })
}

/// "name version" of the loaded model. Owned by the engine.
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_model_name(
    engine: *const AutorestoreEngine,
) -> *const c_char {
    guard_value(c"".as_ptr(), || match engine.as_ref() {
        Some(e) => e.model_name.as_ptr(),
        None => c"".as_ptr(),
    })
}

/// Number of degradation groups D (0 for NULL).
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_degradation_count(
    engine: *const AutorestoreEngine,
) -> u32 {
    guard_value(0, || engine.as_ref().map_or(0, |e| e.names.len() as u32))
}

/// Name of degradation group `index` ("noise", "blur", ...), owned by the engine; NULL when
/// out of range.
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_degradation_name(
    engine: *const AutorestoreEngine,
    index: u32,
) -> *const c_char {
    guard_value(std::ptr::null(), || {
        engine
            .as_ref()
            .and_then(|e| e.names.get(index as usize))
            .map_or(std::ptr::null(), |n| n.as_ptr())
    })
}

/// The model's default number of sampler steps (0 for NULL).
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_default_steps(engine: *const AutorestoreEngine) -> u32 {
    guard_value(0, || {
        engine.as_ref().map_or(0, |e| e.engine.info().default_steps)
    })
}

/// Tile sizes must be multiples of this (the model's tile multiple; 0 for NULL). Useful to
/// hosts that pick regions.
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_tile_multiple(engine: *const AutorestoreEngine) -> u32 {
    guard_value(0, || {
        engine
            .as_ref()
            .map_or(0, |e| e.engine.info().tile_multiple as u32)
    })
}

/// Pixels of context each side that determine an output pixel of the restore graph (model
/// metadata autorestore.receptive_field; 0 for NULL). A host that restores regions of a frame
/// separately gives each region at least this much context beyond the pixels it keeps (or the
/// frame border), at an origin that is a multiple of autorestore_engine_tile_multiple(), and
/// gets the whole-frame result there.
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_receptive_field(
    engine: *const AutorestoreEngine,
) -> u32 {
    guard_value(0, || {
        engine
            .as_ref()
            .map_or(0, |e| e.engine.info().receptive_field as u32)
    })
}

/// The engine's tile margin: the receptive field rounded up to the tile multiple, computed on
/// each inner side of a tile and discarded (0 for NULL).
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_tile_margin(engine: *const AutorestoreEngine) -> u32 {
    guard_value(0, || {
        engine
            .as_ref()
            .map_or(0, |e| e.engine.info().tile_margin() as u32)
    })
}

/// The smallest `tile_size` this engine's model and overlap accept (0 for NULL).
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_min_tile_size(engine: *const AutorestoreEngine) -> u32 {
    guard_value(0, || {
        engine
            .as_ref()
            .map_or(0, |e| e.engine.min_tile_size() as u32)
    })
}
