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
    model_dir: CString,
    runtime_path: CString,
}

pub(crate) fn device_from_raw(raw: u32) -> Result<Device> {
    Device::from_code(raw).ok_or_else(|| {
        let all: Vec<String> = crate::provider::DEVICES
            .iter()
            .map(|d| format!("{} ({})", d.text().to_ascii_uppercase(), d.c as u32))
            .collect();
        err!(InvalidArgument, "device {raw} is not {}", all.join(", "))
    })
}

/// # Safety
/// `p` must be null or a NUL-terminated string.
pub(crate) unsafe fn opt_path(p: *const c_char, what: &str) -> Result<Option<PathBuf>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: `p` is non-null and, by this function's contract, a NUL-terminated string.
    let s = unsafe { CStr::from_ptr(p) }
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
    // SAFETY: `p` is non-null and, by this function's contract, a NUL-terminated string.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| err!(InvalidArgument, "name is not UTF-8"))
}

/// A Rust default as a C field (the defaults are small; saturate rather than wrap).
fn c_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// One of the engine's strings for C, "" for a NULL engine (the text accessors below).
///
/// # Safety
/// `engine` must be null or a live engine.
unsafe fn engine_text(
    engine: *const AutorestoreEngine,
    field: impl FnOnce(&AutorestoreEngine) -> &CString,
) -> *const c_char {
    // SAFETY: `engine` is null or a live engine (this function's contract).
    let engine = unsafe { engine.as_ref() };
    guard_value(c"".as_ptr(), || match engine {
        Some(e) => field(e).as_ptr(),
        None => c"".as_ptr(),
    })
}

fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

/// Fills `*opts` with the defaults (those of the Rust `EngineOptions::default()`: all zero/NULL,
/// so search paths, AUTO device, default tiles).
///
/// # Safety
/// `opts` must be null (then nothing happens) or point to writable memory for the struct.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_options_init(opts: *mut AutorestoreEngineOptions) {
    guard_value((), || {
        if !opts.is_null() {
            // the Rust defaults are the one owner; C gets them field by field
            let d = EngineOptions::default();
            // SAFETY: `opts` is non-null and points to writable memory (contract).
            unsafe {
                opts.write(AutorestoreEngineOptions {
                    model_dir: std::ptr::null(),
                    ort_library_path: std::ptr::null(),
                    device: d.device.entry().c,
                    threads: c_u32(d.threads),
                    tile_size: c_u32(d.tile_size),
                    tile_overlap: c_u32(d.tile_overlap),
                    max_pixels: d.max_pixels,
                    max_sessions: c_u32(d.max_sessions),
                })
            }
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
        // SAFETY: `name` is null (an error) or a NUL-terminated string (contract).
        let d = Device::from_name(unsafe { c_str(name) }?)?;
        // SAFETY: `out` is non-null and writable (contract).
        unsafe { out.write(d.entry().c) };
        Ok(())
    })
}

/// A static name for a device ("auto", "cpu", "cuda", "webgpu"; "unknown" otherwise).
#[no_mangle]
pub extern "C" fn autorestore_device_name(device: u32) -> *const c_char {
    let s: &'static CStr = Device::from_code(device).map_or(c"unknown", |d| d.entry().name);
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
        // SAFETY: `out` is non-null and writable for one pointer (contract).
        unsafe { out.write(std::ptr::null_mut()) };
        let mut o = EngineOptions::default();
        if !opts.is_null() {
            // SAFETY: `opts` is non-null and points to an initialised struct (contract); each
            // field is read by value, the device enum as its integer, and the two strings are
            // NULL or NUL-terminated (contract).
            unsafe {
                o.model_dir = opt_path(field!(opts, model_dir), "model_dir")?;
                o.ort_library = opt_path(field!(opts, ort_library_path), "ort_library_path")?;
                o.device = device_from_raw(enum_field!(opts, device))?;
                o.threads = field!(opts, threads) as usize;
                o.tile_size = field!(opts, tile_size) as usize;
                o.tile_overlap = field!(opts, tile_overlap) as usize;
                o.max_pixels = field!(opts, max_pixels);
                o.max_sessions = field!(opts, max_sessions) as usize;
            }
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
            model_dir: cstring(&engine.model_dir().display().to_string()),
            runtime_path: cstring(&engine.runtime_path().display().to_string()),
            engine,
        });
        // SAFETY: as above; the caller owns the handle from here (freed by _destroy).
        unsafe { out.write(Box::into_raw(handle)) };
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
            // SAFETY: `engine` came from Box::into_raw in _create and is not freed yet, and no
            // call is running on it (contract), so this is the only owner.
            drop(unsafe { Box::from_raw(engine) });
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
    // SAFETY: `engine` is null or a live engine (this function's contract).
    let engine = unsafe { engine.as_ref() };
    guard_value(
        AutorestoreDevice::AUTORESTORE_DEVICE_AUTO,
        || match engine {
            Some(e) => e.engine.device().entry().c,
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
    // SAFETY: `engine` is null or a live engine (this function's contract).
    unsafe { engine_text(engine, |e| &e.note) }
}

/// "name version" of the loaded model. Owned by the engine.
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_model_name(
    engine: *const AutorestoreEngine,
) -> *const c_char {
    // SAFETY: `engine` is null or a live engine (this function's contract).
    unsafe { engine_text(engine, |e| &e.model_name) }
}

/// The model folder the engine loaded (the one named, or the one the search found). Owned by
/// the engine; "" for NULL.
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_model_dir(
    engine: *const AutorestoreEngine,
) -> *const c_char {
    // SAFETY: `engine` is null or a live engine (this function's contract).
    unsafe { engine_text(engine, |e| &e.model_dir) }
}

/// The ONNX Runtime library the process runs (the first one loaded stays). Owned by the
/// engine; "" for NULL.
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_runtime_path(
    engine: *const AutorestoreEngine,
) -> *const c_char {
    // SAFETY: `engine` is null or a live engine (this function's contract).
    unsafe { engine_text(engine, |e| &e.runtime_path) }
}

/// Number of degradation groups D (0 for NULL).
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_degradation_count(
    engine: *const AutorestoreEngine,
) -> u32 {
    // SAFETY: `engine` is null or a live engine (this function's contract).
    let engine = unsafe { engine.as_ref() };
    guard_value(0, || engine.map_or(0, |e| e.names.len() as u32))
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
    // SAFETY: `engine` is null or a live engine (this function's contract).
    let engine = unsafe { engine.as_ref() };
    guard_value(std::ptr::null(), || {
        engine
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
    // SAFETY: `engine` is null or a live engine (this function's contract).
    let engine = unsafe { engine.as_ref() };
    guard_value(0, || engine.map_or(0, |e| e.engine.info().default_steps))
}

/// Tile sizes must be multiples of this (the model's tile multiple; 0 for NULL). Useful to
/// hosts that pick regions.
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_tile_multiple(engine: *const AutorestoreEngine) -> u32 {
    // SAFETY: `engine` is null or a live engine (this function's contract).
    let engine = unsafe { engine.as_ref() };
    guard_value(0, || {
        engine.map_or(0, |e| e.engine.info().tile_multiple as u32)
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
    // SAFETY: `engine` is null or a live engine (this function's contract).
    let engine = unsafe { engine.as_ref() };
    guard_value(0, || {
        engine.map_or(0, |e| e.engine.info().receptive_field as u32)
    })
}

/// The engine's tile margin: the receptive field rounded up to the tile multiple, computed on
/// each inner side of a tile and discarded (0 for NULL).
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_tile_margin(engine: *const AutorestoreEngine) -> u32 {
    // SAFETY: `engine` is null or a live engine (this function's contract).
    let engine = unsafe { engine.as_ref() };
    guard_value(0, || {
        engine.map_or(0, |e| e.engine.info().tile_margin() as u32)
    })
}

/// The smallest `tile_size` this engine's model and overlap accept (0 for NULL).
///
/// # Safety
/// `engine` must be null or a live engine.
#[no_mangle]
pub unsafe extern "C" fn autorestore_engine_min_tile_size(engine: *const AutorestoreEngine) -> u32 {
    // SAFETY: `engine` is null or a live engine (this function's contract).
    let engine = unsafe { engine.as_ref() };
    guard_value(0, || engine.map_or(0, |e| e.engine.min_tile_size() as u32))
}
