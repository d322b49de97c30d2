//! Tile-exact tiling, reflect padding and blending (models/README.md, contract 2).
//!
//! The whole-image result is defined as: reflect-pad the image at the bottom and right to
//! multiples of the tile multiple `m`, run the graph once, crop. The tiles reproduce it: along
//! each axis they cut that padded extent into windows of one size (a multiple of `m`) that start
//! at multiples of `m` and never leave it, and each window computes a *margin* of context (the
//! model's receptive field rounded up to `m`) beyond the pixels it contributes on each side that
//! has a neighbour. A tile pixel is exact (equal to the whole-image result) when it lies at least
//! the receptive field inside the window or nearer to the padded image's border than to the
//! window's inner edge; neighbours overlap so that their exact parts overlap by at least the
//! feather width `F` (the user's overlap), and the contribution passes from one to the next in a
//! linear ramp of `F` pixels in the middle of that exact overlap (a hard cut when `F` is 0).
//! Weights are 0 outside a tile's exact part, so the blend is exact everywhere.
//!
//! Memory stays bounded: tiles are processed row of tiles by row of tiles, and [`BandBlender`]
//! holds only one tile-height band of the image; rows are handed out as soon as no later tile
//! touches them.

use crate::error::{err, try_zeroed, Result};
use crate::image::ImageRef;

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

/// The smallest tile side for a margin and feather width: both margins, the feather band and a
/// core at least as wide as one margin (or one tile multiple), rounded up to the multiple.
pub fn min_tile(margin: usize, feather: usize, multiple: usize) -> usize {
    let m = multiple.max(1);
    round_up(2 * margin + feather + margin.max(m), m)
}

/// The smallest multiple of `m`, at most `max`, for which `n` >= 2 tiles starting on the grid
/// (spread as [`Axis::new`] spreads them) cover `padded` with neighbours at most `size - lost`
/// apart (`lost`: both margins and the feather band). `max` itself always qualifies.
fn balanced_size(padded: usize, n: usize, max: usize, lost: usize, m: usize) -> usize {
    let gap = |size: usize| ((padded - size) / m).div_ceil(n - 1) * m;
    // n tiles cover padded + (n - 1) * lost pixels: no smaller size can do
    let mut size = round_up((padded + (n - 1) * lost).div_ceil(n), m).min(max);
    while size < max && gap(size) + lost > size {
        size += m;
    }
    size
}

/// How one axis is cut into tiles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// Length of the image along this axis.
    pub len: usize,
    /// `len` rounded up to the tile multiple: the whole-image extent the graph sees.
    pub padded: usize,
    /// Start of each tile (multiples of the tile multiple).
    pub starts: Vec<usize>,
    /// Extent of every tile fed to the model (a multiple of the tile multiple, at most the
    /// requested tile and `padded`): the smallest that covers the axis with as few tiles as the
    /// requested size needs.
    pub size: usize,
    /// For each pair of neighbours (i, i+1): where the ramp from tile i to tile i+1 starts.
    ramps: Vec<usize>,
    feather: usize,
}

impl Axis {
    /// Cuts `len` pixels (padded up to `multiple`) into tiles of `tile` pixels (rounded down to
    /// `multiple`) with `margin` pixels of context each inner side and a `feather`-pixel ramp.
    pub fn new(
        len: usize,
        tile: usize,
        margin: usize,
        feather: usize,
        multiple: usize,
    ) -> Result<Axis> {
        let m = multiple.max(1);
        let min = min_tile(margin, feather, m);
        if tile < min {
            return Err(err!(
                InvalidArgument,
                "tile size {tile} is below the minimum of {min} px for this model (2 x its margin of {margin} px, the overlap of {feather} px and a core of {} px)",
                margin.max(m)
            ));
        }
        let tile = tile / m * m;
        let padded = round_up(len.max(1), m);
        if padded <= tile {
            return Ok(Axis {
                len,
                padded,
                starts: vec![0],
                size: padded,
                ramps: Vec::new(),
                feather,
            });
        }
        // Largest distance between starts that keeps neighbours' exact parts overlapping by
        // `feather`: (s + tile - margin) - (s + step + margin) >= feather.
        let step = (tile - 2 * margin - feather) / m * m;
        let n = 1 + (padded - tile).div_ceil(step);
        // The fewest tiles of at most `tile` pixels, then the smallest equal size that still
        // covers the extent with them: the margins are computed and thrown away, so tiles no
        // larger than needed waste the least (n tiles of `tile` would overlap by more).
        let tile = balanced_size(padded, n, tile, margin + margin + feather, m);
        let units = (padded - tile) / m;
        let starts: Vec<usize> = (0..n)
            .map(|i| (units * i + (n - 1) / 2) / (n - 1) * m)
            .collect();
        let ramps = starts
            .windows(2)
            .map(|p| {
                let lo = p[1] + margin; // first exact pixel of the right tile
                let hi = p[0] + tile - margin; // one past the last exact pixel of the left one
                debug_assert!(hi >= lo + feather);
                lo + (hi - lo - feather) / 2
            })
            .collect();
        Ok(Axis {
            len,
            padded,
            starts,
            size: tile,
            ramps,
            feather,
        })
    }

    /// Number of tiles along this axis.
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// 0 before the ramp starting at `r`, 1 after it, linear in between.
    #[inline]
    fn rising(&self, r: usize, p: usize) -> f32 {
        if self.feather == 0 {
            return if p >= r { 1.0 } else { 0.0 };
        }
        ((p as f32 - r as f32 + 0.5) / self.feather as f32).clamp(0.0, 1.0)
    }

    /// Blending weight of position `d` (0..size) inside tile `i`: 1 where it alone contributes,
    /// 0 outside its exact part, a ramp where it hands over to a neighbour.
    #[inline]
    pub fn weight(&self, i: usize, d: usize) -> f32 {
        let p = self.starts[i] + d;
        let mut w = 1.0f32;
        if i > 0 {
            w *= self.rising(self.ramps[i - 1], p);
        }
        if i + 1 < self.starts.len() {
            w *= 1.0 - self.rising(self.ramps[i], p);
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
    /// How the columns are cut.
    pub x: Axis,
    /// How the rows are cut.
    pub y: Axis,
}

impl TileGrid {
    /// Cuts a `width` x `height` image, each axis as [`Axis::new`] does.
    pub fn new(
        width: usize,
        height: usize,
        tile: usize,
        margin: usize,
        feather: usize,
        multiple: usize,
    ) -> Result<Self> {
        Ok(TileGrid {
            x: Axis::new(width, tile, margin, feather, multiple)?,
            y: Axis::new(height, tile, margin, feather, multiple)?,
        })
    }
    /// Number of tiles: columns of tiles x rows of tiles.
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
    /// A zeroed band `width` pixels wide and `rows` high (one tile height); `TooLarge` when
    /// it overflows or cannot be allocated.
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

/// Image indices of `n` tile rows (or columns) from `start`, reflected at the image's border
/// `len`: the padded extent beyond the image mirrors it, as the whole-image result does.
pub fn reflected(start: usize, n: usize, len: usize) -> Vec<usize> {
    (0..n).map(|r| reflect((start + r) as isize, len)).collect()
}

/// Gathers the RGB tile at image columns `cols` x rows `rows` into three planes of `tile`.
pub fn gather_rgb(img: &ImageRef<'_>, cols: &[usize], rows: &[usize], tile: &mut [f32]) {
    let (pw, plane) = (cols.len(), cols.len() * rows.len());
    let (r_plane, rest) = tile[..3 * plane].split_at_mut(plane);
    let (g_plane, b_plane) = rest.split_at_mut(plane);
    let planes = r_plane
        .chunks_exact_mut(pw)
        .zip(g_plane.chunks_exact_mut(pw))
        .zip(b_plane.chunks_exact_mut(pw));
    for (&gy, ((r, g), b)) in rows.iter().zip(planes) {
        img.read_rgb_at(gy, cols.iter().copied(), [r, g, b]);
    }
}

/// A tile's place in the padded image: top-left corner and size.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
}

/// Copies `win` of `full` (three planes of rows `full_w` wide) into three planes of `tile`.
pub(crate) fn copy_window(full: &[f32], full_w: usize, win: Window, tile: &mut [f32]) {
    let full_plane = full.len() / 3;
    let plane = win.w * win.h;
    for ch in 0..3 {
        for r in 0..win.h {
            let src = ch * full_plane + (win.y + r) * full_w + win.x;
            let dst = ch * plane + r * win.w;
            tile[dst..dst + win.w].copy_from_slice(&full[src..src + win.w]);
        }
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
    fn axis_tiles_the_padded_extent_with_exact_overlaps() {
        for (margin, feather) in [(96usize, 0usize), (96, 16), (0, 0), (24, 5)] {
            let min = min_tile(margin, feather, 8);
            for tile in [min, min + 3, 512, 768, 1024] {
                for len in [1usize, 7, 8, 100, 511, 512, 513, 1000, 4000, 6001] {
                    let a = Axis::new(len, tile, margin, feather, 8).unwrap();
                    assert_eq!(a.padded, round_up(len, 8));
                    assert_eq!(a.starts[0], 0);
                    assert_eq!(a.starts.last().unwrap() + a.size, a.padded);
                    assert_eq!(a.size % 8, 0);
                    assert!(a.size <= tile && a.size <= a.padded);
                    for s in &a.starts {
                        assert_eq!(s % 8, 0, "origins are multiples of the tile multiple");
                    }
                    let mut sum = vec![0.0f32; a.padded];
                    for i in 0..a.count() {
                        let s = a.starts[i];
                        let exact_lo = if i == 0 { 0 } else { s + margin };
                        let exact_hi = if i + 1 == a.count() {
                            a.padded
                        } else {
                            s + a.size - margin
                        };
                        for d in 0..a.size {
                            let w = a.weight(i, d);
                            assert!((0.0..=1.0).contains(&w));
                            if w > 0.0 {
                                assert!(
                                    (exact_lo..exact_hi).contains(&(s + d)),
                                    "len {len} tile {tile}: weight {w} at {} outside the exact part of tile {i}",
                                    s + d
                                );
                            }
                            sum[s + d] += w;
                        }
                    }
                    for (p, s) in sum.iter().enumerate() {
                        assert!((s - 1.0).abs() < 1e-5, "len {len} tile {tile} at {p}: {s}");
                    }
                }
            }
        }
    }

    #[test]
    fn tiles_are_as_few_as_the_requested_size_allows_and_no_larger_than_needed() {
        let (margin, m) = (88usize, 8usize);
        for tile in [264usize, 512, 768, 1024] {
            let t = tile / m * m;
            for len in [300usize, 1000, 1728, 2304, 2832, 4240, 6001] {
                let a = Axis::new(len, tile, margin, 0, m).unwrap();
                if a.padded <= t {
                    assert_eq!((a.count(), a.size), (1, a.padded));
                    continue;
                }
                let step = (t - 2 * margin) / m * m;
                assert_eq!(
                    a.count(),
                    1 + (a.padded - t).div_ceil(step),
                    "len {len} tile {tile}"
                );
                // one multiple smaller no longer covers the extent with exact overlaps
                let smaller = a.size - m;
                let gap = ((a.padded - smaller) / m).div_ceil(a.count() - 1) * m;
                assert!(
                    gap + 2 * margin > smaller,
                    "len {len} tile {tile}: {} is not the smallest",
                    a.size
                );
            }
        }
        // 4 MP (2304 x 1728) at 768 px: 4 x 3 tiles of 712 x 696 instead of 768 x 768
        let g = TileGrid::new(2304, 1728, 768, 88, 0, 8).unwrap();
        assert_eq!(
            (g.x.count(), g.x.size, g.y.count(), g.y.size),
            (4, 712, 3, 696)
        );
    }

    #[test]
    fn tiles_below_the_minimum_are_refused_with_the_requested_size() {
        assert_eq!(min_tile(96, 0, 8), 288);
        let e = Axis::new(1000, 1, 96, 0, 8).unwrap_err();
        assert!(
            e.message()
                .contains("tile size 1 is below the minimum of 288"),
            "{e}"
        );
        assert!(Axis::new(1000, 287, 96, 0, 8).is_err());
        assert!(Axis::new(1000, 288, 96, 0, 8).is_ok());
    }

    #[test]
    fn band_blender_reassembles_a_constant() {
        let g = TileGrid::new(50, 70, 24, 0, 8, 8).unwrap();
        let mut b = BandBlender::new(56, g.y.size).unwrap();
        let mut seen = [false; 72];
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
            let until = g.y.starts.get(iy + 1).copied().unwrap_or(72);
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
