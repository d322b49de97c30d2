//! The `views` input of the analyze graph, built exactly as models/README.md says:
//!
//! - view 0: the whole image resized to S x S by area averaging. The bins are those of
//!   PyTorch's `adaptive_avg_pool2d` (`F.interpolate(mode="area")`): output row `i` averages input
//!   rows `floor(i*H/S) .. ceil((i+1)*H/S)`, the same for columns; this also upsamples an image
//!   smaller than S.
//! - views 1..=G*G (G = sqrt(analyze_crops)): native-resolution S x S crops centred on the cells
//!   of a G x G grid. The crop for cell (r, c) starts at row
//!   `clamp(((2r+1)*H) div (2G) - S div 2, 0, max(H-S, 0))` (integer division), likewise for
//!   columns; positions beyond the image (only when it is smaller than S) are reflect-padded
//!   (numpy "reflect").

use crate::error::{err, try_zeroed, Result};
use crate::image::ImageRef;
use crate::tiling::reflect;

/// Start of crop `cell` of `grid` along an axis of `len` pixels, for crops of `s` pixels.
pub fn crop_start(cell: usize, grid: usize, len: usize, s: usize) -> usize {
    let centre = (2 * cell + 1) * len / (2 * grid);
    centre.saturating_sub(s / 2).min(len.saturating_sub(s))
}

/// Side of the crop grid for `crops` crops (0 or a square number).
pub fn crop_grid(crops: usize) -> Result<usize> {
    let g = (crops as f64).sqrt().round() as usize;
    if g * g != crops {
        return Err(err!(
            Model,
            "autorestore.analyze_crops = {crops} is not a square number"
        ));
    }
    Ok(g)
}

/// Builds the `[V, 3, S, S]` views tensor (V = 1 + crops), row-major.
pub fn build_views(img: &ImageRef<'_>, s: usize, crops: usize) -> Result<Vec<f32>> {
    let g = crop_grid(crops)?;
    let v = 1 + crops;
    let view = 3 * s * s;
    let mut out = try_zeroed::<f32>(v * view, "the analysis views")?;
    area_resize(img, s, &mut out[..view]);
    let (w, h) = (img.width(), img.height());
    let mut i = 1;
    for r in 0..g {
        let top = crop_start(r, g, h, s);
        for c in 0..g {
            let left = crop_start(c, g, w, s);
            let dst = &mut out[i * view..(i + 1) * view];
            for yy in 0..s {
                let sy = reflect((top + yy) as isize, h);
                for xx in 0..s {
                    let sx = reflect((left + xx) as isize, w);
                    let p = img.rgb(sx, sy);
                    for ch in 0..3 {
                        dst[ch * s * s + yy * s + xx] = p[ch];
                    }
                }
            }
            i += 1;
        }
    }
    Ok(out)
}

/// Adaptive-average-pool bins: output index `i` covers `floor(i*n/s) .. ceil((i+1)*n/s)`.
fn bins(n: usize, s: usize) -> Vec<(usize, usize)> {
    (0..s)
        .map(|i| (i * n / s, ((i + 1) * n).div_ceil(s)))
        .collect()
}

/// Area-average resize of the whole image into three S x S planes (`dst` = 3*S*S), reading
/// each input row once.
fn area_resize(img: &ImageRef<'_>, s: usize, dst: &mut [f32]) {
    let (w, h) = (img.width(), img.height());
    let xb = bins(w, s);
    let yb = bins(h, s);
    let mut row = vec![0.0f32; 3 * w];
    let mut colsum = vec![0.0f64; 3 * s];
    let mut acc = vec![0.0f64; 3 * s * s];
    // output rows whose bin contains input row y form a contiguous range [first, last]
    let mut first = 0usize;
    for y in 0..h {
        {
            let (r, rest) = row.split_at_mut(w);
            let (g, b) = rest.split_at_mut(w);
            img.read_rgb_row(y, 0, [r, g, b]);
        }
        for c in 0..3 {
            let plane = &row[c * w..(c + 1) * w];
            for (j, &(x0, x1)) in xb.iter().enumerate() {
                colsum[c * s + j] = plane[x0..x1].iter().map(|&v| v as f64).sum();
            }
        }
        while first < s && yb[first].1 <= y {
            first += 1;
        }
        let mut i = first;
        while i < s && yb[i].0 <= y {
            for c in 0..3 {
                for j in 0..s {
                    acc[c * s * s + i * s + j] += colsum[c * s + j];
                }
            }
            i += 1;
        }
    }
    for c in 0..3 {
        for i in 0..s {
            for j in 0..s {
                let n = (yb[i].1 - yb[i].0) * (xb[j].1 - xb[j].0);
                dst[c * s * s + i * s + j] = (acc[c * s * s + i * s + j] / n as f64) as f32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{Layout, SampleType};

    #[test]
    fn crop_starts() {
        // 1000 px, 2x2 grid, S=128: centres 250 and 750
        assert_eq!(crop_start(0, 2, 1000, 128), 186);
        assert_eq!(crop_start(1, 2, 1000, 128), 686);
        // small image: crops start at 0 and are reflect-padded
        assert_eq!(crop_start(1, 2, 100, 128), 0);
        // crops stay inside
        assert_eq!(crop_start(1, 2, 200, 128), 72);
        assert!(crop_grid(3).is_err());
    }

    #[test]
    fn area_resize_matches_adaptive_avg_pool() {
        // 5x3 gray ramp resized to 2x2: bins rows {0..2, 1..3}, cols {0..3, 2..5}
        let data: Vec<u8> = (0..15u8).map(|v| v * 10).collect();
        let img = ImageRef::new(&data, Layout::packed(5, 3, 1, SampleType::U8)).unwrap();
        let v = build_views(&img, 2, 0).unwrap();
        let px = |x: usize, y: usize| (y * 5 + x) as f32 * 10.0 / 255.0;
        let mean = |xs: std::ops::Range<usize>, ys: std::ops::Range<usize>| {
            let mut s = 0.0;
            let mut n = 0.0;
            for y in ys {
                for x in xs.clone() {
                    s += px(x, y);
                    n += 1.0;
                }
            }
            s / n
        };
        let want = [
            mean(0..3, 0..2),
            mean(2..5, 0..2),
            mean(0..3, 1..3),
            mean(2..5, 1..3),
        ];
        for (a, b) in v[..4].iter().zip(want) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
        assert_eq!(&v[..4], &v[4..8]); // gray replicated
    }

    #[test]
    fn views_shape_and_small_images() {
        let data = vec![128u8; 3 * 10 * 7];
        let img = ImageRef::new(&data, Layout::packed(10, 7, 3, SampleType::U8)).unwrap();
        let v = build_views(&img, 16, 4).unwrap();
        assert_eq!(v.len(), 5 * 3 * 16 * 16);
        assert!(v.iter().all(|&x| (x - 128.0 / 255.0).abs() < 1e-6));
    }
}
