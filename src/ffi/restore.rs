//! autorestore_restore, its parameters and mode names.

use std::ffi::c_char;

use super::engine::{c_str, AutorestoreEngine};
use super::panic::{guard, guard_value};
use super::{analysis, check_null, enum_field, field, image};
use super::{
    AutorestoreImage, AutorestoreMode, AutorestoreRestoreParams, AutorestoreStatus,
    AUTORESTORE_MAX_DEGRADATIONS,
};
use crate::engine::{Mode, RestoreParams};
use crate::error::{err, Result};
use crate::image::{copy_to_strided, ImageRef};
use crate::mode::ModeName;

/// Fills `*params` with the defaults: AUTO mode, strength 1, model-default steps, seed 0, no
/// analysis, no progress callback. NULL is ignored.
///
/// # Safety
/// `params` must be null or writable.
#[no_mangle]
pub unsafe extern "C" fn autorestore_restore_params_init(params: *mut AutorestoreRestoreParams) {
    guard_value((), || {
        if !params.is_null() {
            // the Rust defaults are the one owner; C gets them field by field
            let d = RestoreParams::default();
            // SAFETY: `params` is non-null and writable (contract).
            unsafe {
                params.write(AutorestoreRestoreParams {
                    mode: mode_to_c(&d.mode),
                    strength: d.strength,
                    steps: d.steps,
                    seed: d.seed,
                    mix: [0.0; AUTORESTORE_MAX_DEGRADATIONS],
                    analysis: std::ptr::null(),
                    progress: None,
                    progress_user_data: std::ptr::null_mut(),
                    noise_origin_x: u32::try_from(d.noise_origin.0).unwrap_or(u32::MAX),
                    noise_origin_y: u32::try_from(d.noise_origin.1).unwrap_or(u32::MAX),
                })
            }
        }
    })
}

/// Parses "auto", "denoise", "deblur", "dehaze", "lowlight" or "derain" (or a group name:
/// "noise", "blur", "haze", "rain"; "low-light"), as the Rust API and the CLI do.
///
/// # Safety
/// `name` must be a NUL-terminated string and `out` writable; NULL is an error.
#[no_mangle]
pub unsafe extern "C" fn autorestore_mode_from_name(
    name: *const c_char,
    out: *mut AutorestoreMode,
) -> AutorestoreStatus {
    guard(|| {
        check_null!(out);
        // SAFETY: `name` is null (an error) or a NUL-terminated string (contract).
        let m = crate::mode::lookup(unsafe { c_str(name) }?)?.c;
        // SAFETY: `out` is non-null and writable (contract).
        unsafe { out.write(m) };
        Ok(())
    })
}

/// The C value of a Rust mode (a group no named mode restores has no C name: CUSTOM).
fn mode_to_c(m: &Mode) -> AutorestoreMode {
    match m {
        Mode::Auto => AutorestoreMode::AUTORESTORE_MODE_AUTO,
        Mode::Only(g) => crate::mode::MODES
            .iter()
            .find(|n| n.group == Some(g.as_str()))
            .map_or(AutorestoreMode::AUTORESTORE_MODE_CUSTOM, |n| n.c),
        Mode::Mix(_) => AutorestoreMode::AUTORESTORE_MODE_CUSTOM,
    }
}

fn mode_from_raw(raw: u32, mix: &[f32], groups: usize) -> Result<Mode> {
    if raw == AutorestoreMode::AUTORESTORE_MODE_CUSTOM as u32 {
        return Ok(Mode::Mix(mix[..groups.min(mix.len())].to_vec()));
    }
    crate::mode::by_code(raw)
        .map(ModeName::mode)
        .ok_or_else(|| {
            err!(
                InvalidArgument,
                "mode {raw} is not one of AUTORESTORE_MODE_*"
            )
        })
}

/// Restores `input` into `output`.
///
/// `output` must have the input's width, height and channels; its sample type and row stride
/// may differ, and `output->data` may equal `input->data` (in place). The work happens in an
/// internal buffer that is copied to `output` only at the end, so on any failure, including
/// cancellation, the output memory is untouched. Alpha passes through unchanged. `params` may be
/// NULL for the defaults. An engine may run several restores at once from different threads.
///
/// AUTO mode restores with `strength * analysis.amount`; when the amount is 0 (nothing to
/// repair) the output receives the input's pixels unchanged (bit for bit for the same sample
/// type) and the model is not run. Manual modes ignore the amount. The analysis' `cond` is
/// given to every tile and sampler step in every mode.
///
/// # Safety
/// `engine` must be a live engine; `input` and `output` valid descriptors whose memory is
/// readable (input) and writable (output) for the call; `params` null or initialised.
#[no_mangle]
pub unsafe extern "C" fn autorestore_restore(
    engine: *mut AutorestoreEngine,
    input: *const AutorestoreImage,
    output: *const AutorestoreImage,
    params: *const AutorestoreRestoreParams,
) -> AutorestoreStatus {
    guard(|| {
        check_null!(engine);
        // SAFETY: `engine` is non-null and a live engine (contract); the engine is Sync, so a
        // shared reference is sound while other threads restore with it.
        let engine = unsafe { &(*engine).engine };
        // SAFETY: `input` and `output` are null or readable descriptors (contract).
        let (inp, out) = unsafe { (image::read(input, "input")?, image::read(output, "output")?) };
        if !inp.layout.same_shape(&out.layout) {
            return Err(err!(
                InvalidArgument,
                "output is {}x{}x{}, input is {}x{}x{}: they must match",
                out.layout.width,
                out.layout.height,
                out.layout.channels,
                inp.layout.width,
                inp.layout.height,
                inp.layout.channels
            ));
        }
        let groups = engine.info().degradations.len();
        let mut p = RestoreParams {
            output_sample: Some(out.layout.sample),
            ..RestoreParams::default()
        };
        let reused;
        let mut callback;
        if !params.is_null() {
            // SAFETY: `params` is non-null and initialised (contract). Each field is read by
            // value, the mode enum as its integer; `analysis` is null or points to an analysis
            // struct (the field's documented contract).
            let (mix, mode, a, progress, user) = unsafe {
                p.strength = field!(params, strength);
                p.steps = field!(params, steps);
                p.seed = field!(params, seed);
                p.noise_origin = (
                    u64::from(field!(params, noise_origin_x)),
                    u64::from(field!(params, noise_origin_y)),
                );
                let mix: [f32; AUTORESTORE_MAX_DEGRADATIONS] = field!(params, mix);
                (
                    mix,
                    enum_field!(params, mode),
                    field!(params, analysis),
                    field!(params, progress),
                    field!(params, progress_user_data),
                )
            };
            p.mode = mode_from_raw(mode, &mix, groups)?;
            if !a.is_null() {
                // SAFETY: non-null, and from autorestore_analyze (the field's contract).
                reused = unsafe { analysis::from_c(a) }?;
                p.analysis = Some(&reused);
            }
            if let Some(f) = progress {
                // SAFETY: the caller gave this callback and its user data for this call; it is
                // called on this thread only, between tiles.
                callback = move |fraction: f32| unsafe { f(fraction, user) };
                p.progress = Some(&mut callback);
            }
        }
        let (buf, _) = {
            // SAFETY: the caller keeps the input's memory readable for the call.
            let view = ImageRef::new(unsafe { inp.bytes() }, inp.layout)?;
            engine.restore(&view, p)?
        };
        // Every read of the input is done: only now touch the (possibly same) output memory.
        // SAFETY: the caller keeps the output's memory writable for the call, and the input
        // slice above is dead, so this is the only live slice of that memory.
        copy_to_strided(&buf, unsafe { out.bytes_mut() }, &out.layout)
    })
}
