//! The restore graph's inputs and output for the tiles of one image, held in one ONNX Runtime
//! I/O binding (issue 20: "tiles do not round-trip through host memory per step").
//!
//! What it saves on a GPU: the per-image inputs (`gates`, `cond`) are bound once per image, not
//! once per tile and step; at the first step `x_t` is `y`, so `y` goes to the device once and
//! the same device buffer is bound to both inputs (a plain `run` uploads it twice); the tile's
//! staging buffers are page-locked (CUDA pinned), so the copies are DMA transfers without ORT's
//! own staging; the output is written into one preallocated buffer instead of a fresh tensor
//! per run. On the CPU the same code binds host tensors that ONNX Runtime reads in place.
//!
//! One `TileIo` belongs to one session (`IoBinding` is bound to it) and one tile shape.

use std::time::{Duration, Instant};

use ort::memory::{AllocationDevice, Allocator, AllocatorType, MemoryInfo, MemoryType};
use ort::session::{IoBinding, Session};
use ort::value::Tensor;

use crate::error::{err, ort_error, ErrorKind, Result};

/// Where the restore session runs, as far as its inputs are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TileMemory {
    /// Host memory the CPU provider reads in place.
    Host,
    /// CUDA device 0: pinned host staging, device buffers for `y` (and `x_t`).
    Cuda,
}

pub(crate) struct TileIo {
    binding: IoBinding,
    /// The session takes `t` as an input (not an image session, where it is a constant).
    binds_t: bool,
    shape: [usize; 4],
    /// Host (pinned on CUDA) staging of `y` and `x_t`, and the preallocated output.
    y_host: Tensor<f32>,
    x_host: Tensor<f32>,
    /// CUDA: `y` and `x_t` on the device (`None` on the host).
    y_dev: Option<Tensor<f32>>,
    x_dev: Option<Tensor<f32>>,
}

fn inference(what: &'static str) -> impl FnOnce(ort::Error) -> crate::error::Error {
    ort_error(ErrorKind::Inference, what)
}

/// Pinned host memory for inputs and for outputs, and device memory, of CUDA device 0.
fn cuda_allocators(session: &Session) -> Result<(Allocator, Allocator, Allocator)> {
    let info = |device, kind| {
        MemoryInfo::new(device, 0, AllocatorType::Device, kind).map_err(inference("CUDA memory"))
    };
    let alloc = |i| Allocator::new(session, i).map_err(inference("CUDA allocator"));
    Ok((
        alloc(info(AllocationDevice::CUDA_PINNED, MemoryType::CPUInput)?)?,
        alloc(info(AllocationDevice::CUDA_PINNED, MemoryType::CPUOutput)?)?,
        alloc(info(AllocationDevice::CUDA, MemoryType::Default)?)?,
    ))
}

impl TileIo {
    /// Binds `gates` and `cond` for the tiles (`pw` x `ph`) of one image on `session` (those
    /// of its inputs the session has).
    pub fn new(
        session: &Session,
        memory: TileMemory,
        pw: usize,
        ph: usize,
        gates: &[f32],
        cond: &[f32],
    ) -> Result<TileIo> {
        let shape = [1usize, 3, ph, pw];
        // CUDA allocators as the session offers them; where it offers none (an EP that was not
        // built with them), the host path: correct, only without the saved copies.
        let cuda = match memory {
            TileMemory::Cuda => cuda_allocators(session).ok(),
            TileMemory::Host => None,
        };
        let (host_in, host_out, device) = match cuda {
            Some((i, o, d)) => (i, o, Some(d)),
            None => (Allocator::default(), Allocator::default(), None),
        };
        let tensor = |a: &Allocator| Tensor::<f32>::new(a, shape).map_err(inference("tile buffer"));
        let mut binding = session
            .create_binding()
            .map_err(inference("cannot create the I/O binding"))?;
        let small = |v: &[f32]| {
            Tensor::from_array(([1usize, v.len()], v.to_vec())).map_err(inference("gates/cond"))
        };
        // an image session has them (and t) as constants of its graph
        let has = |name| session.inputs().iter().any(|i| i.name() == name);
        if has("gates") {
            binding
                .bind_input("gates", &small(gates)?)
                .map_err(inference("bind gates"))?;
        }
        if has("cond") {
            binding
                .bind_input("cond", &small(cond)?)
                .map_err(inference("bind cond"))?;
        }
        let binds_t = has("t");
        let out = tensor(&host_out)?;
        binding
            .bind_output("x0", out)
            .map_err(inference("bind x0"))?;
        Ok(TileIo {
            binding,
            binds_t,
            shape,
            y_host: tensor(&host_in)?,
            x_host: tensor(&host_in)?,
            y_dev: device.as_ref().map(tensor).transpose()?,
            x_dev: device.as_ref().map(tensor).transpose()?,
        })
    }

    /// One step of the restore graph on a tile: `x` (ignored when `x_is_y`: the first step
    /// starts from the degraded tile) becomes the estimate `x0`. Returns the time in `run`.
    pub fn run(
        &mut self,
        session: &mut Session,
        x: &mut [f32],
        y: &[f32],
        t: f32,
        x_is_y: bool,
    ) -> Result<Duration> {
        let n = self.shape.iter().product::<usize>();
        if x.len() != n || y.len() != n {
            return Err(err!(
                Internal,
                "tile of {} values, the binding holds {n}",
                y.len()
            ));
        }
        if self.binds_t {
            let tv = Tensor::from_array(([1usize], vec![t])).map_err(inference("t"))?;
            self.binding
                .bind_input("t", &tv)
                .map_err(inference("bind t"))?;
        }
        self.y_host.extract_tensor_mut().1.copy_from_slice(y);
        if !x_is_y {
            self.x_host.extract_tensor_mut().1.copy_from_slice(x);
        }
        // The bound values: the device copies on CUDA (one upload each), else the host ones.
        let (yv, xv) = match (&mut self.y_dev, &mut self.x_dev) {
            (Some(yd), Some(xd)) => {
                self.y_host
                    .copy_into(&mut *yd)
                    .map_err(inference("copy y to the GPU"))?;
                if !x_is_y {
                    self.x_host
                        .copy_into(&mut *xd)
                        .map_err(inference("copy x_t to the GPU"))?;
                }
                (&*yd, &*xd)
            }
            _ => (&self.y_host, &self.x_host),
        };
        self.binding
            .bind_input("y", yv)
            .map_err(inference("bind y"))?;
        self.binding
            .bind_input("x_t", if x_is_y { yv } else { xv })
            .map_err(inference("bind x_t"))?;
        let t0 = Instant::now();
        let out = session
            .run_binding(&self.binding)
            .map_err(inference("restore graph failed"))?;
        let dt = t0.elapsed();
        let (_, data) = out["x0"]
            .try_extract_tensor::<f32>()
            .map_err(inference("restore output"))?;
        if data.len() != n {
            return Err(err!(
                Model,
                "restore output x0 has {} values, expected {n}",
                data.len()
            ));
        }
        x.copy_from_slice(data);
        Ok(dt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ort::value::TensorRef;

    /// The bound run gives the same bits as a plain `run` with the same inputs, at the first
    /// step (x_t = y) and a later one, with one binding reused across tiles; also when CUDA
    /// memory was asked for on a session that has none (the fallback).
    #[test]
    fn bound_tiles_equal_plain_runs() {
        let rt = crate::runtime::get(None).expect("ONNX Runtime (make setup)");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/shipped/restore.onnx");
        let mut s = Session::builder(&rt.env)
            .unwrap()
            .with_intra_threads(1)
            .unwrap()
            .commit_from_file(path)
            .unwrap();
        let gates_len = s
            .inputs()
            .iter()
            .find(|i| i.name() == "gates")
            .and_then(|i| i.dtype().tensor_shape().map(|sh| sh[1]))
            .unwrap();
        let cond_len = s
            .inputs()
            .iter()
            .find(|i| i.name() == "cond")
            .and_then(|i| i.dtype().tensor_shape().map(|sh| sh[1]))
            .unwrap();
        let (pw, ph) = (96usize, 64usize);
        let n = 3 * pw * ph;
        let mut lcg = 12345u64;
        let mut rnd = move || {
            lcg = lcg
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (lcg >> 40) as f32 / (1u64 << 24) as f32
        };
        let gates: Vec<f32> = (0..gates_len).map(|_| rnd()).collect();
        let cond: Vec<f32> = (0..cond_len).map(|_| rnd() - 0.5).collect();
        // Cuda on a CPU session: no CUDA allocators there, so the host path (the fallback)
        let mut ios = [TileMemory::Host, TileMemory::Cuda]
            .map(|m| TileIo::new(&s, m, pw, ph, &gates, &cond).unwrap());
        for (tile, (t, first)) in [(1.0f32, true), (0.5, false), (1.0, true)]
            .into_iter()
            .enumerate()
        {
            let y: Vec<f32> = (0..n).map(|_| rnd()).collect();
            let x_in: Vec<f32> = if first {
                y.clone()
            } else {
                (0..n).map(|_| rnd()).collect()
            };
            let shape = [1usize, 3, ph, pw];
            let tv = [t];
            let plain: Vec<f32> = {
                let out = s
                    .run(ort::inputs![
                        "x_t" => TensorRef::from_array_view((shape, &x_in[..])).unwrap(),
                        "y" => TensorRef::from_array_view((shape, &y[..])).unwrap(),
                        "t" => TensorRef::from_array_view(([1usize], &tv[..])).unwrap(),
                        "gates" => TensorRef::from_array_view(([1usize, gates.len()], &gates[..])).unwrap(),
                        "cond" => TensorRef::from_array_view(([1usize, cond.len()], &cond[..])).unwrap(),
                    ])
                    .unwrap();
                out["x0"].try_extract_tensor::<f32>().unwrap().1.to_vec()
            };
            for io in &mut ios {
                let mut x = x_in.clone();
                io.run(&mut s, &mut x, &y, t, first).unwrap();
                assert_eq!(x, plain, "tile {tile} (t = {t}) differs from a plain run");
            }
        }
    }
}
