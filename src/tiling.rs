//! Overlapping tiles, reflect padding and feathered blending.
//!
//! Along each axis the image is cut into tiles of equal length (the tile size rounded down to
//! the model's tile multiple) that overlap by at least `overlap` pixels, spread evenly so the last
//! tile ends at the border. An image shorter than one tile is a single tile, reflect-padded up to
//! the tile multiple. Each tile's result is weighted by a linear ramp across every overlap it
//! shares with a neighbour (weight 1 elsewhere, border edges are not ramped); in 1-D the ramps of
//! two neighbours sum to one, and the blender divides by the summed weight anyway, so the blend is
//! exact wherever tiles agree and smooth where they do not.
//!
//! Memory stays bounded: tiles are processed row of tiles by row of tiles, and [`BandBlender`]
//! holds only one tile-height band of the image; rows are handed out as soon as no later tile
//! touches them.

use crate::error::{err, try_zeroed, Result};

/// Index into `0..n` of position `i`, mirrored at both borders without repeating the edge
/// sample (numpy's "reflect"), periodic for any distance.
#[inline]
pub fn reflect(i: isize, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    let period = 2 * (n as isize - 1);
    let m = i.rem_euclid(period);
    (if m < n as isize { m } else { period - m }) as usize
}

/// Rounds `n` up to a multiple of `m`.
pub fn round_up(n: usize, m: usize) -> usize {
    n.div_ceil(m) * m
}

/// How one axis is cut into tiles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// Length of the image along this axis.
    pub len: usize,
    /// Start of each tile.
    pub starts: Vec<usize>,
    /// Pixels of the image covered by each tile (the same for all tiles).
    pub size: usize,
    /// `size` rounded up to the tile multiple: the extent fed to the model (reflect-padded).
    pub padded: usize,
}

impl Axis {
    /// Cuts `len` pixels into tiles of at most `tile` pixels (a multiple of `multiple`) that
    /// overlap by at least `overlap` pixels.
    pub fn new(len: usize, tile: usize, overlap: usize, multiple: usize) -> Result<Axis> {
        let multiple = multiple.max(1);
        let tile = tile / multiple * multiple;
        if tile == 0 || overlap * 2 > tile {
            return Err(err!(
                InvalidArgument,
                "tile size {tile} (a multiple of {multiple}) must be positive and at least twice the overlap {overlap}"
            ));
        }
        if len <= tile {
            return Ok(Axis {
                len,
                starts: vec![0],
                size: len,
                padded: round_up(len, multiple),
            });
        }
        let step_max = tile - overlap;
        let n = (len - overlap).div_ceil(step_max).max(2);
        let span = (len - tile) as u128;
        let starts = (0..n)
            .map(|i| ((span * i as u128 + (n as u128 - 1) / 2) / (n as u128 - 1)) as usize)
            .collect();
        Ok(Axis {
            len,
            starts,
            size: tile,
            padded: tile,
        })
    }

    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// Blending weight of position `d` (0..size) inside tile `i`.
    #[inline]
    pub fn weight(&self, i: usize, d: usize) -> f32 {
        let mut w = 1.0f32;
        if i > 0 {
            let ov = self.starts[i - 1] + self.size - self.starts[i];
            if d < ov {
                w = w.min((d as f32 + 0.5) / ov as f32);
            }
        }
        if i + 1 < self.starts.len() {
            let ov = self.starts[i] + self.size - self.starts[i + 1];
            let from_end = self.size - 1 - d;
            if from_end < ov {
                w = w.min((from_end as f32 + 0.5) / ov as f32);
            }
        }
        w
    }

    /// All weights of tile `i`.
    pub fn weights(&self, i: usize) -> Vec<f32> {
        (0..self.size).map(|d| self.weight(i, d)).collect()
    }
}

/// The tiles of a whole image.
#[derive(Clone, Debug)]
pub struct TileGrid {
    pub x: Axis,
    pub y: Axis,
}

impl TileGrid {
    pub fn new(
        width: usize,
        height: usize,
        tile: usize,
        overlap: usize,
        multiple: usize,
    ) -> Result<Self> {
        Ok(TileGrid {
            x: Axis::new(width, tile, overlap, multiple)?,
            y: Axis::new(height, tile, overlap, multiple)?,
        })
    }
    pub fn count(&self) -> usize {
        self.x.count() * self.y.count()
    }
}

/// Accumulates weighted tile results for one band of rows (one tile height) and hands out
/// finished rows, normalised by their summed weight.
pub struct BandBlender {
    width: usize,
    rows: usize,
    /// First image row held in the band.
    y0: usize,
    /// Planes r, g, b, weight; each `rows * width`.
    acc: Vec<f32>,
}

impl BandBlender {
    pub fn new(width: usize, rows: usize) -> Result<Self> {
        let n = width
            .checked_mul(rows)
            .and_then(|n| n.checked_mul(4))
            .ok_or_else(|| err!(TooLarge, "blend band of {width}x{rows} overflows"))?;
        Ok(BandBlender {
            width,
            rows,
            y0: 0,
            acc: try_zeroed(n, "the blending band")?,
        })
    }

    /// Adds a tile result. `rgb` holds three planes with row stride `stride`; the tile covers
    /// image columns `tx..tx+wx.len()` and rows `ty..ty+wy.len()`, which must lie in the band.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        tx: usize,
        ty: usize,
        rgb: &[f32],
        stride: usize,
        plane: usize,
        wx: &[f32],
        wy: &[f32],
    ) {
        let (w, rows) = (self.width, self.rows);
        let band = w * rows;
        debug_assert!(ty >= self.y0 && ty + wy.len() <= self.y0 + rows);
        for (j, &wyj) in wy.iter().enumerate() {
            let row = (ty - self.y0 + j) * w + tx;
            let src = j * stride;
            for c in 0..3 {
                let a = &mut self.acc[c * band + row..c * band + row + wx.len()];
                let s = &rgb[c * plane + src..c * plane + src + wx.len()];
                for ((a, &s), &wxi) in a.iter_mut().zip(s).zip(wx) {
                    *a += s * wxi * wyj;
                }
            }
            let a = &mut self.acc[3 * band + row..3 * band + row + wx.len()];
            for (a, &wxi) in a.iter_mut().zip(wx) {
                *a += wxi * wyj;
            }
        }
    }

    /// Hands out rows `y0..until` (normalised RGB planes of one row) and moves the band so it
    /// starts at `until`.
    pub fn finish_rows(&mut self, until: usize, mut sink: impl FnMut(usize, [&[f32]; 3])) {
        let (w, rows) = (self.width, self.rows);
        let band = w * rows;
        let n = until.saturating_sub(self.y0).min(rows);
        let mut line = vec![0.0f32; 3 * w];
        for j in 0..n {
            let (r, rest) = line.split_at_mut(w);
            let (g, b) = rest.split_at_mut(w);
            let wt = &self.acc[3 * band + j * w..3 * band + (j + 1) * w];
            for (c, out) in [r, g, b].into_iter().enumerate() {
                let a = &self.acc[c * band + j * w..c * band + (j + 1) * w];
                for ((o, &a), &wt) in out.iter_mut().zip(a).zip(wt) {
                    *o = if wt > 0.0 { a / wt } else { 0.0 };
                }
            }
            sink(self.y0 + j, [&line[..w], &line[w..2 * w], &line[2 * w..]]);
        }
        for c in 0..4 {
            let p = &mut self.acc[c * band..(c + 1) * band];
            p.copy_within(n * w.., 0);
            p[(rows - n) * w..].fill(0.0);
        }
        self.y0 = until;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflect_is_numpy_reflect() {
        let idx: Vec<usize> = (-3..7).map(|i| reflect(i, 4)).collect();
        assert_eq!(idx, vec![3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
        assert_eq!(reflect(5, 1), 0);
        assert_eq!(reflect(-100, 3), 0);
    }

    #[test]
    fn axis_covers_with_overlap_and_ends_at_border() {
        for len in [1usize, 7, 8, 100, 511, 512, 513, 1000, 4000, 6001] {
            let a = Axis::new(len, 512, 32, 8).unwrap();
            assert_eq!(a.starts[0], 0);
            assert_eq!(a.starts.last().unwrap() + a.size, len);
            assert_eq!(a.padded % 8, 0);
            for p in a.starts.windows(2) {
                assert!(p[0] + a.size >= p[1] + 32, "len {len}: {:?}", a.starts);
            }
        }
        assert!(Axis::new(100, 40, 32, 8).is_err());
    }

    #[test]
    fn weights_sum_to_one() {
        for len in [600usize, 1000, 1500] {
            let a = Axis::new(len, 256, 48, 8).unwrap();
            let mut sum = vec![0.0f32; len];
            for i in 0..a.count() {
                for d in 0..a.size {
                    let w = a.weight(i, d);
                    assert!(w > 0.0 && w <= 1.0);
                    sum[a.starts[i] + d] += w;
                }
            }
            for s in sum {
                assert!((s - 1.0).abs() < 1e-5, "{s}");
            }
        }
    }

    #[test]
    fn band_blender_reassembles_a_constant() {
        let g = TileGrid::new(50, 70, 24, 8, 8).unwrap();
        let mut b = BandBlender::new(50, g.y.size).unwrap();
        let mut seen = [false; 70];
        let tile = vec![0.25f32; 3 * g.x.size * g.y.size];
        for (iy, &ty) in g.y.starts.iter().enumerate() {
            for (ix, &tx) in g.x.starts.iter().enumerate() {
                let plane = g.x.size * g.y.size;
                b.add(
                    tx,
                    ty,
                    &tile,
                    g.x.size,
                    plane,
                    &g.x.weights(ix),
                    &g.y.weights(iy),
                );
            }
            let until = g.y.starts.get(iy + 1).copied().unwrap_or(70);
            b.finish_rows(until, |y, rgb| {
                seen[y] = true;
                assert!(rgb
                    .iter()
                    .all(|p| p.iter().all(|&v| (v - 0.25).abs() < 1e-6)));
            });
        }
        assert!(seen.iter().all(|&s| s));
    }
}
