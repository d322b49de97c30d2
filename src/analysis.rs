//! The `views` input of the analyze graph, built exactly as models/README.md says:
//!
//! - view 0: the whole image resized to S x S by area averaging, exactly as Pillow's
//!   `resize((S, S), Image.BOX)` on float ("F") planes does it (the mirror in
//!   models/autorestore_model/infer.py): separable, horizontal pass first into f32, then
//!   vertical; output `i` averages the inputs whose centre falls in its box (point-sampled box
//!   filter, f64 weights), which is also how an image smaller than S is upsampled.
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

/// Pillow's resampling coefficients for the box filter (`precompute_coeffs` in Resample.c):
/// for each output index, the first input index and the normalised weights.
fn box_coeffs(in_size: usize, out_size: usize) -> Vec<(usize, Vec<f64>)> {
    let scale = in_size as f64 / out_size as f64;
    let filterscale = scale.max(1.0);
    let support = 0.5 * filterscale;
    let box_filter = |x: f64| if x > -0.5 && x <= 0.5 { 1.0 } else { 0.0 };
    (0..out_size)
        .map(|xx| {
            let center = (xx as f64 + 0.5) * scale;
            let ss = 1.0 / filterscale;
            let xmin = ((center - support + 0.5) as i64).max(0) as usize;
            let xmax = ((center + support + 0.5) as i64).min(in_size as i64) as usize;
            let mut k: Vec<f64> = (xmin..xmax.max(xmin))
                .map(|x| box_filter((x as f64 - center + 0.5) * ss))
                .collect();
            let ww: f64 = k.iter().sum();
            if ww != 0.0 {
                for w in &mut k {
                    *w /= ww;
                }
            }
            (xmin, k)
        })
        .collect()
}

/// Area-average resize of the whole image into three S x S planes (`dst` = 3*S*S), reading
/// each input row once (memory: H x S x 3 floats for the horizontal pass).
fn area_resize(img: &ImageRef<'_>, s: usize, dst: &mut [f32]) {
    let (w, h) = (img.width(), img.height());
    let xc = box_coeffs(w, s);
    let yc = box_coeffs(h, s);
    let mut row = vec![0.0f32; 3 * w];
    // horizontal pass: [3][h][s], stored as f32 like Pillow's intermediate image
    let mut tmp = vec![0.0f32; 3 * h * s];
    for y in 0..h {
        {
            let (r, rest) = row.split_at_mut(w);
            let (g, b) = rest.split_at_mut(w);
            img.read_rgb_row(y, 0, [r, g, b]);
        }
        for c in 0..3 {
            let plane = &row[c * w..(c + 1) * w];
            for (j, (x0, k)) in xc.iter().enumerate() {
                let acc: f64 = k
                    .iter()
                    .enumerate()
                    .map(|(i, &kw)| plane[x0 + i] as f64 * kw)
                    .sum();
                tmp[c * h * s + y * s + j] = acc as f32;
            }
        }
    }
    // vertical pass
    for c in 0..3 {
        for (i, (y0, k)) in yc.iter().enumerate() {
            for j in 0..s {
                let acc: f64 = k
                    .iter()
                    .enumerate()
                    .map(|(n, &kw)| tmp[c * h * s + (y0 + n) * s + j] as f64 * kw)
                    .sum();
                dst[c * s * s + i * s + j] = acc as f32;
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
    fn box_coefficients_partition_the_input() {
        // 5 -> 2 (Pillow): pixel centres 0.5, 1.5, 2.5 | 3.5, 4.5, boxes (0, 2.5] and (2.5, 5]
        let c = box_coeffs(5, 2);
        assert_eq!(c[0].0, 0);
        assert_eq!(c[0].1.iter().filter(|&&w| w > 0.0).count(), 3);
        assert_eq!((c[1].0, c[1].1.len()), (3, 2));
        for (_, k) in box_coeffs(1000, 128)
            .iter()
            .chain(box_coeffs(100, 128).iter())
        {
            assert!((k.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
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
