//! The pixel pipeline of one restore: the image cut into tiles, each tile through the sampler's
//! steps on one leased session, the tiles blended back into the output band by band.

use std::time::Duration;

use super::{Engine, Progress, RunStats};
use crate::error::{err, try_zeroed, Result};
use crate::image::{ImageBuf, ImageRef, SampleType};
use crate::provider::Device;
use crate::sampler::{self, Renoise};
use crate::tile_io::{TileIo, TileMemory};
use crate::tiling::{copy_window, gather_rgb, reflected, BandBlender, TileGrid, Window};

/// One restore once its mode is resolved: what the tiles need.
pub(super) struct TileJob<'a> {
    pub input: &'a ImageRef<'a>,
    pub gates: &'a [f32],
    pub cond: &'a [f32],
    pub steps: u32,
    /// Blend between input (0) and restoration (1), as applied (`strength * amount` in auto).
    pub strength: f32,
    pub seed: u64,
    pub noise_origin: (u64, u64),
    pub out_sample: SampleType,
}

/// Runs the restore graph on one tile at one step: `x_tile` (x_t in, x0 out) and `y_tile`.
/// The one place a tile meets ONNX Runtime; returns the time spent inside it.
fn run_one_tile(
    io: &mut TileIo,
    session: &mut ort::session::Session,
    x_tile: &mut [f32],
    y_tile: &[f32],
    t: f32,
    first_step: bool,
) -> Result<Duration> {
    io.run(session, x_tile, y_tile, t, first_step)
}

impl Engine {
    /// Restores `job.input` tile by tile into a new buffer; adds tiles and ORT time to `stats`.
    pub(super) fn run_tiles(
        &self,
        job: &TileJob<'_>,
        progress: &mut Option<Progress<'_>>,
        stats: &mut RunStats,
    ) -> Result<ImageBuf> {
        let input = job.input;
        let layout = input.layout();
        let (w, h) = (layout.width, layout.height);
        let mut out = ImageBuf::new(w, h, layout.channels, job.out_sample)?;
        let grid = TileGrid::new(
            w,
            h,
            self.tile,
            self.info.tile_margin(),
            self.overlap,
            self.info.tile_multiple,
        )?;
        stats.tiles = grid.count();
        let (pw, ph) = (grid.x.size, grid.y.size);
        let (full_w, full_h) = (grid.x.padded, grid.y.padded);
        let plane = pw * ph;
        let mut y_tile = vec![0.0f32; 3 * plane];
        let mut x_tile = vec![0.0f32; 3 * plane];
        // Between steps, x of the whole padded image (the next step's tiles read their context
        // from it, so the steps stay exact across tiles); one step needs none.
        let mut x_full = if job.steps > 1 {
            try_zeroed::<f32>(3 * full_w * full_h, "the sampler state")?
        } else {
            Vec::new()
        };
        let full_plane = full_w * full_h;
        let total_units = (grid.count() as u64 * job.steps as u64).max(1) as f32;
        let mut done_units = 0u64;
        let wxs: Vec<Vec<f32>> = (0..grid.x.count()).map(|i| grid.x.weights(i)).collect();
        let memory = if self.device == Device::Cuda {
            TileMemory::Cuda
        } else {
            TileMemory::Host
        };
        // The engine's shared session with one I/O binding for all tiles and steps of this
        // image, or (None) a session and binding of this image per step (image_session.rs).
        let mut shared = if self.uses_image_sessions(w * h) {
            None
        } else {
            let lease = self.restore.lease()?;
            let io = TileIo::new(&lease, memory, pw, ph, job.gates, job.cond)?;
            Some((lease, io))
        };

        for step in sampler::schedule(job.steps) {
            let last = step.last;
            let mut own;
            let (session, io): (&mut ort::session::Session, &mut TileIo) = match shared.as_mut() {
                Some((lease, io)) => (lease, io),
                None => {
                    let t0 = std::time::Instant::now();
                    let s = self.image_session(job.gates, job.cond, step.t, pw, ph)?;
                    stats.in_ort += t0.elapsed();
                    stats.image_sessions += 1;
                    let io = TileIo::new(&s, memory, pw, ph, job.gates, job.cond)?;
                    own = (s, io);
                    (&mut own.0, &mut own.1)
                }
            };
            // the last step blends into the output (image size), the others into x_full
            let mut blender = BandBlender::new(if last { w } else { full_w }, ph)?;
            for (iy, &ty) in grid.y.starts.iter().enumerate() {
                let gy = reflected(ty, ph, h);
                let wy = grid.y.weights(iy);
                for (ix, &tx) in grid.x.starts.iter().enumerate() {
                    let gx = reflected(tx, pw, w);
                    // the degraded tile y, reflect-padded like the whole image
                    gather_rgb(input, &gx, &gy, &mut y_tile);
                    // the first step starts from y itself (TileIo binds it as x_t)
                    if step.index > 0 {
                        let win = Window {
                            x: tx,
                            y: ty,
                            w: pw,
                            h: ph,
                        };
                        copy_window(&x_full, full_w, win, &mut x_tile);
                    }
                    let dt = run_one_tile(
                        io,
                        &mut *session,
                        &mut x_tile,
                        &y_tile,
                        step.t,
                        step.index == 0,
                    )?;
                    stats.in_ort += dt;
                    let (cw, chh) = if last {
                        // strength: out = y + s (x0 - y); clamped when stored
                        if job.strength != 1.0 {
                            for (x, &y) in x_tile.iter_mut().zip(&y_tile) {
                                *x = y + job.strength * (*x - y);
                            }
                        }
                        (pw.min(w - tx), ph.min(h - ty))
                    } else {
                        Renoise {
                            t_next: step.t_next,
                            sigma: self.info.noise_scale,
                            seed: job.seed,
                            step: step.index,
                            rows: &gy,
                            cols: &gx,
                            origin: job.noise_origin,
                        }
                        .apply(&mut x_tile, &y_tile);
                        (pw, ph)
                    };
                    blender.add(tx, ty, &x_tile, pw, plane, &wxs[ix][..cw], &wy[..chh]);
                    done_units += 1;
                    if let Some(cb) = progress.as_mut() {
                        if !cb(done_units as f32 / total_units) {
                            return Err(err!(Cancelled, "cancelled by the progress callback"));
                        }
                    }
                }
                // rows before the next tile row are final: no later tile of this step reads
                // or writes them
                let until = grid.y.starts.get(iy + 1).copied();
                if last {
                    let until = until.unwrap_or(h).min(h);
                    blender.finish_rows(until, |row, rgb| out.write_row(row, 0, rgb, input));
                } else {
                    let until = until.unwrap_or(full_h);
                    blender.finish_rows(until, |row, rgb| {
                        for (ch, src) in rgb.iter().enumerate() {
                            let o = ch * full_plane + row * full_w;
                            x_full[o..o + full_w].copy_from_slice(src);
                        }
                    });
                }
            }
        }
        Ok(out)
    }
}
