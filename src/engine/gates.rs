//! The gate arithmetic: the restore graph's `gates` input from a mode and an analysis
//! (models/README.md, "Automatic mode" and "Manual mode").

use crate::engine::Analysis;
use crate::error::{err, Result};
use crate::mode::Mode;
use crate::model::ModelInfo;

/// Checks gates and scales them to sum 1.
pub fn normalise(mut g: Vec<f32>) -> Result<Vec<f32>> {
    if g.iter().any(|v| !v.is_finite() || *v < 0.0) {
        return Err(err!(
            InvalidArgument,
            "gates must be finite and non-negative"
        ));
    }
    let s: f32 = g.iter().sum();
    if s <= 0.0 {
        return Err(err!(InvalidArgument, "gates must not all be zero"));
    }
    for v in &mut g {
        *v /= s;
    }
    Ok(g)
}

/// Checks that an analysis (perhaps a caller's) fits the model.
pub fn check_analysis(info: &ModelInfo, analysis: &Analysis) -> Result<()> {
    let d = info.degradations.len();
    let k = info.subexperts;
    let c = info.cond_dim;
    if analysis.gates.len() != d * k || analysis.scores.len() != d || analysis.cond.len() != c {
        return Err(err!(
            InvalidArgument,
            "the analysis has {} scores, {} gates and {} cond values; this model has {d}, {} and {c}",
            analysis.scores.len(),
            analysis.gates.len(),
            analysis.cond.len(),
            d * k
        ));
    }
    if !(analysis.amount.is_finite() && (0.0..=1.0).contains(&analysis.amount)) {
        return Err(err!(
            InvalidArgument,
            "the analysis amount {} is not in [0, 1]",
            analysis.amount
        ));
    }
    if analysis.cond.iter().any(|v| !v.is_finite()) {
        return Err(err!(
            InvalidArgument,
            "the analysis cond values must be finite"
        ));
    }
    Ok(())
}

/// Gates for a restore: the analysis's in `Auto` mode, else the caller's groups combined with
/// the analysis's Intra-MoE weights.
pub fn for_mode(info: &ModelInfo, mode: &Mode, analysis: &Analysis) -> Result<Vec<f32>> {
    let d = info.degradations.len();
    let k = info.subexperts;
    check_analysis(info, analysis)?;
    let inter: Vec<f32> = match mode {
        Mode::Auto => return normalise(analysis.gates.clone()),
        Mode::Only(name) => {
            let i = info
                .degradations
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| {
                    err!(
                        InvalidArgument,
                        "this model has no {name:?} experts (it has {})",
                        info.degradations.join(", ")
                    )
                })?;
            (0..d).map(|j| if j == i { 1.0 } else { 0.0 }).collect()
        }
        Mode::Mix(w) => {
            if w.len() != d {
                return Err(err!(
                    InvalidArgument,
                    "mix has {} weights, the model has {d} groups",
                    w.len()
                ));
            }
            if w.iter().any(|v| !v.is_finite() || *v < 0.0) || w.iter().sum::<f32>() <= 0.0 {
                return Err(err!(
                    InvalidArgument,
                    "mix weights must be finite, non-negative and not all zero"
                ));
            }
            w.clone()
        }
    };
    let intra = analysis.intra(k);
    let gates = (0..d * k).map(|i| inter[i / k] * intra[i]).collect();
    normalise(gates)
}
