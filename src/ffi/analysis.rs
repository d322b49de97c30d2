//! autorestore_analyze and conversions between the C analysis struct and ours.

use super::engine::AutorestoreEngine;
use super::panic::guard;
use super::{check_null, image, AutorestoreAnalysis, AutorestoreImage, AutorestoreStatus};
use super::{AUTORESTORE_MAX_COND, AUTORESTORE_MAX_DEGRADATIONS, AUTORESTORE_MAX_GATES};
use crate::engine::Analysis;
use crate::error::{err, Result};
use crate::image::ImageRef;

pub(crate) fn to_c(a: &Analysis) -> AutorestoreAnalysis {
    let mut c = AutorestoreAnalysis {
        degradation_count: a.scores.len().min(AUTORESTORE_MAX_DEGRADATIONS) as u32,
        scores: [0.0; AUTORESTORE_MAX_DEGRADATIONS],
        gate_count: a.gates.len().min(AUTORESTORE_MAX_GATES) as u32,
        gates: [0.0; AUTORESTORE_MAX_GATES],
        amount: a.amount,
        cond_count: a.cond.len().min(AUTORESTORE_MAX_COND) as u32,
        cond: [0.0; AUTORESTORE_MAX_COND],
    };
    for (d, s) in c.scores.iter_mut().zip(&a.scores) {
        *d = *s;
    }
    for (d, s) in c.gates.iter_mut().zip(&a.gates) {
        *d = *s;
    }
    for (d, s) in c.cond.iter_mut().zip(&a.cond) {
        *d = *s;
    }
    c
}

/// # Safety
/// `p` must point to a readable analysis struct.
pub(crate) unsafe fn from_c(p: *const AutorestoreAnalysis) -> Result<Analysis> {
    // SAFETY: the caller promises `p` points to a readable struct. Every field is a plain
    // integer or float (no enum, no pointer), so any bits C left there are a valid value.
    let a = unsafe { p.read() };
    let d = a.degradation_count as usize;
    let g = a.gate_count as usize;
    let c = a.cond_count as usize;
    if d > AUTORESTORE_MAX_DEGRADATIONS || g > AUTORESTORE_MAX_GATES || c > AUTORESTORE_MAX_COND {
        return Err(err!(
            InvalidArgument,
            "analysis counts {d}/{g}/{c} (degradations/gates/cond) are out of range"
        ));
    }
    Ok(Analysis {
        scores: a.scores[..d].to_vec(),
        gates: a.gates[..g].to_vec(),
        amount: a.amount,
        cond: a.cond[..c].to_vec(),
    })
}

/// Analyses an image: what is wrong (scores per degradation), which experts to use (gates),
/// how much one click repairs (`amount`; 0 = nothing to repair) and the image's condition
/// (`cond`). `*out` is written only on success.
///
/// # Safety
/// `engine` must be a live engine, `image` a valid descriptor whose memory is readable for the
/// call, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn autorestore_analyze(
    engine: *mut AutorestoreEngine,
    image: *const AutorestoreImage,
    out: *mut AutorestoreAnalysis,
) -> AutorestoreStatus {
    guard(|| {
        check_null!(engine);
        check_null!(out);
        // SAFETY: `image` is null or a readable descriptor (this function's contract).
        let img = unsafe { image::read(image, "input") }?;
        // SAFETY: the caller keeps the image's memory readable for the call.
        let view = ImageRef::new(unsafe { img.bytes() }, img.layout)?;
        // SAFETY: `engine` is non-null and a live engine from autorestore_engine_create; the
        // engine is Sync, so a shared reference is sound while other threads use it too.
        let a = unsafe { &*engine }.engine.analyze(&view)?;
        // SAFETY: `out` is non-null and writable (contract); it is written only on success.
        unsafe { out.write(to_c(&a)) };
        Ok(())
    })
}
