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

/// Fills `*params` with the defaults: AUTO mode, strength 1, model-default steps, seed 0, no
/// analysis, no progress callback. NULL is ignored.
///
/// # Safety
/// `params` must be null or writable.
#[no_mangle]
pub unsafe extern "C" fn autorestore_restore_params_init(params: *mut AutorestoreRestoreParams) {
    guard_value((), || {
        if !params.is_null() {
            params.write(AutorestoreRestoreParams {
                mode: AutorestoreMode::AUTORESTORE_MODE_AUTO,
                strength: 1.0,
                steps: 0,
                seed: 0,
                mix: [0.0; AUTORESTORE_MAX_DEGRADATIONS],
                analysis: std::ptr::null(),
                progress: None,
                progress_user_data: std::ptr::null_mut(),
                noise_origin_x: 0,
                noise_origin_y: 0,
            })
        }
    })
}

/// Parses "auto", "denoise", "deblur", "dehaze", "lowlight" or "derain".
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
        use AutorestoreMode::*;
        let m = match c_str(name)?.trim().to_ascii_lowercase().as_str() {
            "auto" => AUTORESTORE_MODE_AUTO,
            "denoise" => AUTORESTORE_MODE_DENOISE,
            "deblur" => AUTORESTORE_MODE_DEBLUR,
            "dehaze" => AUTORESTORE_MODE_DEHAZE,
            "lowlight" => AUTORESTORE_MODE_LOWLIGHT,
            "derain" => AUTORESTORE_MODE_DERAIN,
            other => {
                return Err(err!(
                    InvalidArgument,
                    "unknown mode {other:?} (auto, denoise, deblur, dehaze, lowlight, derain)"
                ))
            }
        };
        out.write(m);
        Ok(())
    })
}

fn mode_from_raw(raw: u32, mix: &[f32], groups: usize) -> Result<Mode> {
    Ok(match raw {
        0 => Mode::Auto,
        1 => Mode::Only("noise".into()),
        2 => Mode::Only("blur".into()),
        3 => Mode::Only("haze".into()),
        4 => Mode::Only("lowlight".into()),
        5 => Mode::Only("rain".into()),
        6 => Mode::Mix(mix[..groups.min(mix.len())].to_vec()),
        _ => {
            return Err(err!(
                InvalidArgument,
                "mode {raw} is not one of AUTORESTORE_MODE_*"
            ))
        }
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
        let engine = &(*engine).engine;
        let inp = image::read(input, "input")?;
        let out = image::read(output, "output")?;
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
            let mix: [f32; AUTORESTORE_MAX_DEGRADATIONS] = field!(params, mix);
            p.mode = mode_from_raw(enum_field!(params, mode), &mix, groups)?;
            p.strength = field!(params, strength);
            p.steps = field!(params, steps);
            p.seed = field!(params, seed);
            p.noise_origin = (
                u64::from(field!(params, noise_origin_x)),
                u64::from(field!(params, noise_origin_y)),
            );
            let a = field!(params, analysis);
            if !a.is_null() {
                reused = analysis::from_c(a)?;
                p.analysis = Some(&reused);
            }
            if let Some(f) = field!(params, progress) {
                let user = field!(params, progress_user_data);
                callback = move |fraction: f32| f(fraction, user);
                p.progress = Some(&mut callback);
            }
        }
        let (buf, _) = {
            let view = ImageRef::new(inp.bytes(), inp.layout)?;
            engine.restore(&view, p)?
        };
        // Every read of the input is done: only now touch the (possibly same) output memory.
        copy_to_strided(&buf, out.bytes_mut(), &out.layout)
    })
}
