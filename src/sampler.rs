//! The `flow-v1` few-step sampler of models/README.md and its counter-based Gaussian.
//!
//! ```text
//! x = y
//! for i in 0..K:
//!     t = 1 - i/K;  x0 = restore(x, y, t, gates);  t_next = t - 1/K
//!     if i == K-1: return x0
//!     x = (1-t_next) x0 + t_next y + sigma sqrt(t_next (1-t_next)) eps(seed, i, c, gy, gx)
//! ```
//! `eps` is keyed on the pixel's position in the whole image, so tiling does not change the noise
//! and the same seed gives the same bytes.

/// splitmix64 finaliser, wrapping u64 arithmetic.
#[inline]
pub fn splitmix64(z: u64) -> u64 {
    let mut z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Standard normal sample for (seed, step, channel, row, column); `gy, gx < 2^24`, `c < 4`.
#[inline]
pub fn gauss(seed: u64, step: u64, c: u64, gy: u64, gx: u64) -> f32 {
    let key = ((step.wrapping_mul(4).wrapping_add(c)) << 48) ^ (gy << 24) ^ gx;
    let h = splitmix64(seed ^ splitmix64(key));
    let two24 = (1u64 << 24) as f64;
    let u1 = ((h >> 40) as f64 + 0.5) / two24;
    let u2 = ((h & 0xFF_FFFF) as f64 + 0.5) / two24;
    ((-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()) as f32
}

/// Sampler time of step `i` of `k`: `t = 1 - i/k`.
#[inline]
pub fn time(i: u32, k: u32) -> f32 {
    (1.0 - i as f64 / k as f64) as f32
}

/// One step of the schedule: step `index` of `k` runs at time `t`; the next one (if any) at
/// `t_next`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// Step number, `0..k`.
    pub index: u32,
    /// Time of this step, `1 - index/k` (1: the degraded input, 0: the clean estimate).
    pub t: f32,
    /// Time of the next step, `t - 1/k` (0 after the last).
    pub t_next: f32,
    /// The last step returns the estimate; the others re-noise it for the next.
    pub last: bool,
}

/// The `k` steps of the flow-v1 loop, in order: the step loop of the engine walks these.
pub fn schedule(k: u32) -> impl Iterator<Item = Step> {
    (0..k).map(move |i| {
        let t = time(i, k);
        Step {
            index: i,
            t,
            t_next: t - 1.0 / k as f32,
            last: i + 1 == k,
        }
    })
}

/// The re-noising after one step of one tile: the step, the noise, and where the tile's
/// pixels lie in the frame (the noise is keyed on frame coordinates).
pub(crate) struct Renoise<'a> {
    pub t_next: f32,
    /// The model's noise scale.
    pub sigma: f32,
    pub seed: u64,
    pub step: u32,
    /// Whole-image row of each tile row, column of each tile column (reflected for padding);
    /// their lengths are the tile's height and width.
    pub rows: &'a [usize],
    pub cols: &'a [usize],
    /// Position (x, y) of the image's top-left pixel in the frame.
    pub origin: (u64, u64),
}

impl Renoise<'_> {
    /// Re-noises the estimate in place in `x0` (it becomes `x_{t_next}`); `x0` and `y` are three
    /// planes of the tile.
    pub fn apply(&self, x0: &mut [f32], y: &[f32]) {
        let (w, h) = (self.cols.len(), self.rows.len());
        let plane = w * h;
        let t_next = self.t_next;
        let a = 1.0 - t_next;
        let s = self.sigma * (t_next * (1.0 - t_next)).max(0.0).sqrt();
        for c in 0..3 {
            for (r, &row) in self.rows.iter().enumerate() {
                let o = c * plane + r * w;
                for (col, &gx) in self.cols.iter().enumerate() {
                    let e = if s != 0.0 {
                        gauss(
                            self.seed,
                            self.step as u64,
                            c as u64,
                            self.origin.1 + row as u64,
                            self.origin.0 + gx as u64,
                        )
                    } else {
                        0.0
                    };
                    x0[o + col] = a * x0[o + col] + t_next * y[o + col] + s * e;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // Reference values of splitmix64 seeded with 0 (first outputs of the generator).
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(0x9E37_79B9_7F4A_7C15), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn gauss_is_deterministic_and_standard() {
        assert_eq!(gauss(7, 1, 2, 300, 400), gauss(7, 1, 2, 300, 400));
        assert_ne!(gauss(7, 1, 2, 300, 400), gauss(8, 1, 2, 300, 400));
        let n = 200_000;
        let (mut m, mut v) = (0.0f64, 0.0f64);
        for i in 0..n {
            let g = gauss(42, 0, (i % 3) as u64, (i / 1000) as u64, (i % 1000) as u64) as f64;
            m += g;
            v += g * g;
        }
        m /= n as f64;
        v = v / n as f64 - m * m;
        assert!(m.abs() < 0.01, "mean {m}");
        assert!((v - 1.0).abs() < 0.02, "var {v}");
    }

    #[test]
    fn gauss_matches_the_python_reference() {
        // computed with the pseudo-code of models/README.md in Python (f64 math, cast to f32)
        assert_eq!(gauss(0, 0, 0, 0, 0), 0.749_062_1);
        assert_eq!(gauss(42, 1, 2, 300, 400), -0.079_612_55);
        assert_eq!(
            gauss(u64::MAX, 7, 1, (1 << 24) - 1, (1 << 24) - 1),
            -0.112_509_97
        );
    }

    #[test]
    fn noise_origin_makes_a_region_draw_the_frames_noise() {
        // A 6x4 frame, and its 3x2 region at (x 2, y 1) renoised on its own with that origin.
        let (fw, fh, rw, rh, ox, oy) = (6usize, 4usize, 3usize, 2usize, 2usize, 1usize);
        let mut frame = vec![0.0f32; 3 * fw * fh];
        let zeros_f = vec![0.0f32; 3 * fw * fh];
        let rows: Vec<usize> = (0..fh).collect();
        let cols: Vec<usize> = (0..fw).collect();
        Renoise {
            t_next: 0.5,
            sigma: 0.1,
            seed: 9,
            step: 0,
            rows: &rows,
            cols: &cols,
            origin: (0, 0),
        }
        .apply(&mut frame, &zeros_f);
        let mut region = vec![0.0f32; 3 * rw * rh];
        let zeros_r = vec![0.0f32; 3 * rw * rh];
        let rrows: Vec<usize> = (0..rh).collect();
        let rcols: Vec<usize> = (0..rw).collect();
        let origin = (ox as u64, oy as u64);
        Renoise {
            t_next: 0.5,
            sigma: 0.1,
            seed: 9,
            step: 0,
            rows: &rrows,
            cols: &rcols,
            origin,
        }
        .apply(&mut region, &zeros_r);
        for c in 0..3 {
            for r in 0..rh {
                for col in 0..rw {
                    let f = frame[c * fw * fh + (r + oy) * fw + col + ox];
                    assert_eq!(region[c * rw * rh + r * rw + col], f);
                }
            }
        }
        assert!(region.iter().any(|v| *v != 0.0));
    }

    #[test]
    fn times() {
        assert_eq!(time(0, 4), 1.0);
        assert_eq!(time(3, 4), 0.25);
    }

    #[test]
    fn schedule_walks_the_steps() {
        let s: Vec<Step> = schedule(4).collect();
        assert_eq!(s.len(), 4);
        assert_eq!(
            (s[0].index, s[0].t, s[0].t_next, s[0].last),
            (0, 1.0, 0.75, false)
        );
        assert_eq!((s[3].t, s[3].last), (0.25, true));
        assert!(schedule(1).all(|s| s.last && s.t == 1.0));
    }
}
