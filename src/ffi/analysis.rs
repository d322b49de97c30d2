//! autorestore_analyze and conversions between the C analysis struct and ours.

use super::engine::AutorestoreEngine;
use super::panic::guard;
use super::{check_null, field, image, AutorestoreAnalysis, AutorestoreImage, AutorestoreStatus};
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
    let d = field!(p, degradation_count) as usize;
    let g = field!(p, gate_count) as usize;
    let c = field!(p, cond_count) as usize;
    if d > AUTORESTORE_MAX_DEGRADATIONS || g > AUTORESTORE_MAX_GATES || c > AUTORESTORE_MAX_COND {
        return Err(err!(
            InvalidArgument,
            "analysis counts {d}/{g}/{c} (degradations/gates/cond) are out of range"
        ));
    }
    let scores: [f32; AUTORESTORE_MAX_DEGRADATIONS] = field!(p, scores);
    let gates: [f32; AUTORESTORE_MAX_GATES] = field!(p, gates);
    let cond: [f32; AUTORESTORE_MAX_COND] = field!(p, cond);
    Ok(Analysis {
        scores: scores[..d].to_vec(),
        gates: gates[..g].to_vec(),
        amount: field!(p, amount),
        cond: cond[..c].to_vec(),
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
        let img = image::read(image, "input")?;
        let view = ImageRef::new(img.bytes(), img.layout)?;
        let a = (*engine).engine.analyze(&view)?;
        out.write(to_c(&a));
        Ok(())
    })
}
