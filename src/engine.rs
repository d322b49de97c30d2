//! The engine: a loaded model on one execution provider, its options, and the restore call that
//! resolves the mode and hands the pixels to the pipeline. Its parts, one job each:
//! `pool` (sessions), `image_session` (a CPU session per image and step, on the graph that
//! `constant_inputs` edits), `gates` (gate arithmetic), `pipeline` (tiles through the sampler).
//!
//! # Thread safety
//! `ort`'s `Session::run` takes `&mut self`, so a session serves one call at a time. The engine
//! keeps a small pool of sessions per graph behind a mutex: a call borrows a session for one run
//! and gives it back, a new one is created (lazily, from the verified model bytes) when all are
//! busy, up to `max_sessions`; beyond that callers wait. An [`Engine`] is therefore `Send + Sync`
//! and may be used from many threads at once (OFX hosts render from several threads); each
//! concurrent run costs one session's memory. One lock held per run (not per pixel) keeps the
//! overhead negligible against the graph itself.
//!
//! # Failure leaves output untouched
//! [`Engine::restore`] returns a new [`ImageBuf`]; callers (the C API) copy it into their output
//! only when everything succeeded.

mod constant_inputs;
mod gates;
mod image_session;
mod pipeline;
mod pool;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ort::session::Session;
use ort::value::TensorRef;

use crate::analysis::build_views;
use crate::error::{err, ort_error, Error, ErrorKind, Result};
use crate::image::{ImageBuf, ImageRef, SampleType};
pub use crate::mode::Mode;
use crate::model::{ModelFiles, ModelInfo};
use crate::provider::Device;
use crate::runtime::{self, Runtime};
pub use image_session::{ImageSessions, IMAGE_SESSION_MIN_PIXELS};
use pool::Pool;

/// Default largest tile side on the CPU. Contract 2 tiles compute a margin of the receptive
/// field (88 px for the shipped model) on each inner side and throw it away, so larger tiles
/// waste less: one click takes 0.87x (4 MP) and 0.96x (12 MP) the CPU time at 1024 px than at
/// 768, for 483-562 MiB of peak memory against 341-441 (README "Tiles", docs/PERFORMANCE.md).
pub const DEFAULT_TILE: usize = 1024;
/// Default tile side on CUDA: fewer, larger runs keep a GPU busy (a 4K frame in 6 runs, not
/// 28). About 1.6 GB of activations per run (the CPU's 680 MB per megapixel), so it fits 4 GB
/// cards; `make bench-gpu` times it against 768 and 2176 (README "GPU (NVIDIA)").
pub const DEFAULT_TILE_CUDA: usize = 1536;
/// Default feather width on top of the exact margins: none (tiles are exact, a hard cut is).
pub const DEFAULT_OVERLAP: usize = 0;
/// Largest tile side accepted.
pub const MAX_TILE: usize = 8192;

/// How to build an engine. `Default` gives the documented defaults.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Model directory; `None` searches (see [`crate::model::search_dirs`]).
    pub model_dir: Option<PathBuf>,
    /// libonnxruntime; `None` searches (see [`crate::runtime`]).
    pub ort_library: Option<PathBuf>,
    /// Execution provider to ask for. [`Device::Auto`] tries CUDA, then the CPU; a device named
    /// explicitly does not fall back ([`ErrorKind::ProviderUnavailable`] when it cannot be used).
    pub device: Device,
    /// Intra-op threads per session; 0 lets ONNX Runtime choose (one per core).
    pub threads: usize,
    /// Largest tile side in pixels (rounded down to the model's tile multiple); 0 =
    /// [`DEFAULT_TILE`] ([`DEFAULT_TILE_CUDA`] on CUDA) (or the model's minimum, when that is
    /// larger). An image is cut into as few tiles of at most this side as cover it, each as
    /// small as that count allows ([`crate::tiling::Axis::new`]).
    /// At least [`Engine::min_tile_size`]: two margins (the receptive field rounded up to the
    /// tile multiple), the overlap and a core of one margin.
    pub tile_size: usize,
    /// Feather width: extra overlap of neighbouring tiles on top of both margins, blended with
    /// a linear ramp (both tiles are exact there); 0 = none ([`DEFAULT_OVERLAP`]).
    pub tile_overlap: usize,
    /// Largest image accepted (width x height); 0 = no cap.
    pub max_pixels: u64,
    /// Most sessions per graph (concurrent runs); 0 = the number of CPU cores, at most 4.
    pub max_sessions: usize,
    /// When a CPU restore runs on a session of its own image and step, with the image's gates
    /// baked in (faster tiles for ~0.1 s of session creation); default: large images.
    pub image_sessions: ImageSessions,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            model_dir: None,
            ort_library: None,
            device: Device::Auto,
            threads: 0,
            tile_size: 0,
            tile_overlap: 0,
            max_pixels: 0,
            max_sessions: 0,
            image_sessions: ImageSessions::Auto,
        }
    }
}

/// What the analysis found in an image.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// Probability that each degradation (in [`ModelInfo::degradations`] order) is present.
    pub scores: Vec<f32>,
    /// Merged two-level gates, `D*K`, summing to 1.
    pub gates: Vec<f32>,
    /// How much of the restoration one click applies, in [0, 1]; automatic mode restores with
    /// `strength * amount`. 0 means nothing to repair (the input is returned unchanged).
    pub amount: f32,
    /// The image's global condition (`cond_dim` values), passed to every restore call.
    pub cond: Vec<f32>,
}

impl Analysis {
    /// True when the analysis found nothing to repair (`amount` is 0).
    pub fn nothing_to_repair(&self) -> bool {
        self.amount <= 0.0
    }

    /// Intra-MoE weights per group, recovered from the merged gates
    /// (`gates[d*K+k] = inter[d] * intra[d,k]` with `inter[d] > 0`).
    pub fn intra(&self, k: usize) -> Vec<f32> {
        let mut out = self.gates.clone();
        for row in out.chunks_mut(k) {
            let s: f32 = row.iter().sum();
            for v in row.iter_mut() {
                *v = if s > 0.0 { *v / s } else { 1.0 / k as f32 };
            }
        }
        out
    }
}

/// A progress callback: gets the fraction done in [0, 1], returns `false` to cancel.
pub type Progress<'a> = &'a mut dyn FnMut(f32) -> bool;

/// Parameters of one restore.
pub struct RestoreParams<'a> {
    /// Which experts restore; [`Mode::Auto`] lets the analysis decide and scales `strength` by
    /// its amount.
    pub mode: Mode,
    /// Blend between input (0) and full restoration (1).
    pub strength: f32,
    /// Sampler steps; 0 = the model's default.
    pub steps: u32,
    /// Seed of the sampler's noise: the same seed, image and parameters give the same bytes.
    pub seed: u64,
    /// Position (x, y) of this image's top-left pixel in a larger frame. The sampler's noise is
    /// keyed on frame coordinates, so regions of one frame restored separately (a host's tiles)
    /// draw the same noise as the whole frame would.
    pub noise_origin: (u64, u64),
    /// Reuse an earlier analysis (e.g. one per video frame shared by all its tiles).
    pub analysis: Option<&'a Analysis>,
    /// Called on the calling thread between tiles and steps; returning `false` cancels the
    /// restore with [`ErrorKind::Cancelled`].
    pub progress: Option<Progress<'a>>,
    /// Sample type of the result; `None` = the input's.
    pub output_sample: Option<SampleType>,
}

impl Default for RestoreParams<'_> {
    fn default() -> Self {
        RestoreParams {
            mode: Mode::Auto,
            strength: 1.0,
            steps: 0,
            seed: 0,
            noise_origin: (0, 0),
            analysis: None,
            progress: None,
            output_sample: None,
        }
    }
}

/// Timings of one restore (for the benchmark and the overhead budget).
#[derive(Clone, Debug, Default)]
pub struct RunStats {
    /// Wall time of the whole call, analysis included.
    pub total: Duration,
    /// Time inside ONNX Runtime: `Session::run` (analysis and restore) and the creation of
    /// image sessions.
    pub in_ort: Duration,
    /// Tiles the image was cut into; each ran `steps` times through the restore graph.
    pub tiles: usize,
    /// Sampler steps per tile (the model's default when 0 was asked for).
    pub steps: u32,
    /// Sessions created for this image alone, one per step (0: the tiles ran on the engine's
    /// shared session; see [`ImageSessions`]).
    pub image_sessions: u32,
    /// The analysis the gates came from (computed by the call or the caller's); set by every
    /// successful [`Engine::restore`].
    pub analysis: Option<Analysis>,
    /// The strength actually applied (`strength * amount` in automatic mode).
    pub strength: f32,
    /// Automatic mode found nothing to repair: the output is the input, unchanged, and the
    /// restore graph did not run (`tiles` is 0).
    pub nothing_to_repair: bool,
}

/// A loaded model on one execution provider.
pub struct Engine {
    info: ModelInfo,
    model_dir: PathBuf,
    device: Device,
    device_note: String,
    runtime: &'static Runtime,
    analyze: Pool,
    restore: Pool,
    /// The restore graph's symbolic tile height and width, fixed in image sessions.
    tile_dims: Option<[String; 2]>,
    image_sessions: ImageSessions,
    tile: usize,
    overlap: usize,
    max_pixels: u64,
}

fn check_io(s: &Session, graph: &str, inputs: &[&str], outputs: &[&str]) -> Result<()> {
    for n in inputs {
        if !s.inputs().iter().any(|o| o.name() == *n) {
            return Err(err!(Model, "{graph} graph has no input {n:?}"));
        }
    }
    for n in outputs {
        if !s.outputs().iter().any(|o| o.name() == *n) {
            return Err(err!(Model, "{graph} graph has no output {n:?}"));
        }
    }
    Ok(())
}

fn info_of(s: &Session) -> Result<ModelInfo> {
    let meta = s
        .metadata()
        .map_err(|e| err!(Model, "cannot read model metadata: {e}"))?;
    ModelInfo::parse(|k| meta.custom(k))
}

impl Engine {
    /// Loads ONNX Runtime (once per process), checks and loads the model, and creates one
    /// session per graph on the requested provider (falling back to CPU in `auto`).
    pub fn new(opts: &EngineOptions) -> Result<Engine> {
        let tile = opts.tile_size;
        let overlap = if opts.tile_overlap == 0 {
            DEFAULT_OVERLAP
        } else {
            opts.tile_overlap
        };
        if tile > MAX_TILE {
            return Err(err!(InvalidArgument, "tile size {tile} is over {MAX_TILE}"));
        }
        if overlap > MAX_TILE {
            return Err(err!(
                InvalidArgument,
                "overlap {overlap} is over {MAX_TILE}"
            ));
        }
        let runtime = runtime::get(opts.ort_library.as_deref())?;
        let lib_dir = runtime::library_dir();
        let model_dir = crate::model::find_dir(opts.model_dir.as_deref(), lib_dir.as_deref())?;
        let files = ModelFiles::load(&model_dir)?;
        let analyze_bytes = Arc::new(files.analyze);
        let restore_bytes = Arc::new(files.restore);
        let max = if opts.max_sessions == 0 {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .clamp(1, 4)
        } else {
            opts.max_sessions
        };

        let mut notes: Vec<String> = Vec::new();
        let mut last: Option<Error> = None;
        for &device in opts.device.plan() {
            let pool = |name, bytes: &Arc<Vec<u8>>| {
                Pool::new(name, bytes.clone(), device, opts.threads, max)
            };
            let analyze = pool("analyze", &analyze_bytes);
            let restore = pool("restore", &restore_bytes);
            let sessions = analyze.create().and_then(|a| Ok((a, restore.create()?)));
            match sessions {
                Ok((a, r)) => {
                    let info = info_of(&a)?;
                    let info_r = info_of(&r)?;
                    if info != info_r {
                        return Err(err!(
                            Model,
                            "analyze.onnx and restore.onnx carry different metadata"
                        ));
                    }
                    if info.version != files.manifest.version {
                        return Err(err!(
                            Model,
                            "model {}: manifest.json says version {:?}, the ONNX metadata says {:?}",
                            model_dir.display(),
                            files.manifest.version,
                            info.version
                        ));
                    }
                    check_io(
                        &a,
                        "analyze",
                        &["views"],
                        &["scores", "gates", "amount", "cond"],
                    )?;
                    check_io(&r, "restore", &["x_t", "y", "t", "gates", "cond"], &["x0"])?;
                    let tile_dims = image_session::tile_dim_names(&r);
                    analyze.seed(a);
                    restore.seed(r);
                    if device != opts.device && opts.device == Device::Auto {
                        notes.push(format!("auto chose {}", device.name()));
                    }
                    // the default grows to the model's minimum (a model with a wider receptive
                    // field than the shipped one); a size the caller chose is validated against
                    // it, with a clear message
                    let min =
                        crate::tiling::min_tile(info.tile_margin(), overlap, info.tile_multiple);
                    let tile = if opts.tile_size == 0 {
                        let default = if device == Device::Cuda {
                            DEFAULT_TILE_CUDA
                        } else {
                            DEFAULT_TILE
                        };
                        default.max(min)
                    } else {
                        tile
                    };
                    crate::tiling::Axis::new(
                        tile * 2,
                        tile,
                        info.tile_margin(),
                        overlap,
                        info.tile_multiple,
                    )?;
                    let tile = tile / info.tile_multiple * info.tile_multiple;
                    return Ok(Engine {
                        info,
                        model_dir,
                        device,
                        device_note: notes.join("; "),
                        runtime,
                        analyze,
                        restore,
                        tile_dims,
                        image_sessions: opts.image_sessions,
                        tile,
                        overlap,
                        max_pixels: opts.max_pixels,
                    });
                }
                Err(e) if e.kind() == ErrorKind::Model => return Err(e),
                Err(e) => {
                    notes.push(e.message().to_string());
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| err!(Internal, "no provider to try")))
    }

    /// The model's contract metadata (name, version, degradation groups, tile multiple, ...).
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }
    /// The folder the model was loaded from (the caller's, or the one the search found).
    pub fn model_dir(&self) -> &std::path::Path {
        &self.model_dir
    }
    /// The provider that actually runs.
    pub fn device(&self) -> Device {
        self.device
    }
    /// Why `auto` did not pick the first choice (empty when it did, or when nothing was tried).
    pub fn device_note(&self) -> &str {
        &self.device_note
    }
    /// The libonnxruntime that runs: the first one loaded in this process (see
    /// [`crate::runtime`]).
    pub fn runtime_path(&self) -> &std::path::Path {
        &self.runtime.path
    }
    /// Largest tile side in pixels in use: the option's or the default, rounded down to the
    /// model's tile multiple (a given image's tiles may be smaller: [`EngineOptions::tile_size`]).
    pub fn tile_size(&self) -> usize {
        self.tile
    }
    /// Feather width in pixels between neighbouring tiles (0: a hard cut between exact tiles).
    pub fn tile_overlap(&self) -> usize {
        self.overlap
    }
    /// Context computed and discarded on each inner side of a tile (the receptive field
    /// rounded up to the tile multiple).
    pub fn tile_margin(&self) -> usize {
        self.info.tile_margin()
    }
    /// The smallest tile size this model and overlap accept.
    pub fn min_tile_size(&self) -> usize {
        crate::tiling::min_tile(
            self.info.tile_margin(),
            self.overlap,
            self.info.tile_multiple,
        )
    }

    fn check_image(&self, img: &ImageRef<'_>) -> Result<()> {
        let px = img.layout().pixels();
        if self.max_pixels > 0 && px > self.max_pixels {
            return Err(err!(
                TooLarge,
                "image of {}x{} = {px} pixels is over the cap of {} pixels",
                img.width(),
                img.height(),
                self.max_pixels
            ));
        }
        img.check_finite()
    }

    /// What is wrong with the image: scores per degradation and the expert gates.
    pub fn analyze(&self, img: &ImageRef<'_>) -> Result<Analysis> {
        self.check_image(img)?;
        self.analyze_timed(img).map(|(a, _)| a)
    }

    fn analyze_timed(&self, img: &ImageRef<'_>) -> Result<(Analysis, Duration)> {
        let s = self.info.analyze_size;
        let v = 1 + self.info.analyze_crops;
        let views = build_views(img, s, self.info.analyze_crops)?;
        let (d, g) = (self.info.degradations.len(), self.info.gate_count());
        let c = self.info.cond_dim;
        self.analyze.with(|session| {
            let input = TensorRef::from_array_view(([v, 3, s, s], &views[..]))
                .map_err(ort_error(ErrorKind::Inference, "analyze input"))?;
            let t0 = Instant::now();
            let out = session
                .run(ort::inputs!["views" => input])
                .map_err(ort_error(ErrorKind::Inference, "analyze graph failed"))?;
            let dt = t0.elapsed();
            let get = |name: &str, n: usize| -> Result<Vec<f32>> {
                let (_, data) = out[name]
                    .try_extract_tensor::<f32>()
                    .map_err(ort_error(ErrorKind::Inference, "analyze output"))?;
                if data.len() != n {
                    return Err(err!(
                        Model,
                        "analyze output {name} has {} values, expected {n}",
                        data.len()
                    ));
                }
                Ok(data.to_vec())
            };
            let scores = get("scores", d)?;
            let gates = gates::normalise(get("gates", g)?)?;
            let scores = scores
                .into_iter()
                .map(|v| {
                    if v.is_finite() {
                        v.clamp(0.0, 1.0)
                    } else {
                        0.0
                    }
                })
                .collect();
            let amount = get("amount", 1)?[0];
            if !amount.is_finite() {
                return Err(err!(Model, "analyze output amount is {amount}"));
            }
            let cond = get("cond", c)?;
            if cond.iter().any(|v| !v.is_finite()) {
                return Err(err!(Model, "analyze output cond is not finite"));
            }
            let analysis = Analysis {
                scores,
                gates,
                amount: amount.clamp(0.0, 1.0),
                cond,
            };
            Ok((analysis, dt))
        })
    }

    /// Gates for a restore: the analysis's in `Auto` mode, else the caller's groups combined
    /// with the analysis's Intra-MoE weights.
    pub fn gates_for(&self, mode: &Mode, analysis: &Analysis) -> Result<Vec<f32>> {
        gates::for_mode(&self.info, mode, analysis)
    }

    /// Restores an image into a new buffer with the input's width, height and channels.
    pub fn restore(
        &self,
        input: &ImageRef<'_>,
        params: RestoreParams<'_>,
    ) -> Result<(ImageBuf, RunStats)> {
        let t_start = Instant::now();
        self.check_image(input)?;
        let RestoreParams {
            mode,
            strength,
            steps,
            seed,
            noise_origin,
            analysis,
            mut progress,
            output_sample,
        } = params;
        if !(strength.is_finite() && (0.0..=1.0).contains(&strength)) {
            return Err(err!(
                InvalidArgument,
                "strength {strength} is not in [0, 1]"
            ));
        }
        let steps = if steps == 0 {
            self.info.default_steps
        } else {
            steps
        };
        if steps > 1000 {
            return Err(err!(
                InvalidArgument,
                "{steps} steps is over the limit of 1000"
            ));
        }
        let mut stats = RunStats {
            steps,
            ..RunStats::default()
        };
        let owned;
        let analysis = match analysis {
            Some(a) => a,
            None => {
                let (a, dt) = self.analyze_timed(input)?;
                stats.in_ort += dt;
                owned = a;
                &owned
            }
        };
        let gates = self.gates_for(&mode, analysis)?;
        stats.analysis = Some(analysis.clone());
        let cond = &analysis.cond[..];
        let layout = input.layout();
        let out_sample = output_sample.unwrap_or(layout.sample);
        // Automatic mode: the analysis says how much to repair; nothing = the input as it is.
        let strength = if mode == Mode::Auto {
            strength * analysis.amount
        } else {
            strength
        };
        stats.strength = strength;
        if mode == Mode::Auto && analysis.nothing_to_repair() {
            stats.nothing_to_repair = true;
            let out = ImageBuf::copy_of(input, out_sample)?;
            if let Some(cb) = progress.as_mut() {
                if !cb(1.0) {
                    return Err(err!(Cancelled, "cancelled by the progress callback"));
                }
            }
            stats.total = t_start.elapsed();
            return Ok((out, stats));
        }
        let job = pipeline::TileJob {
            input,
            gates: &gates,
            cond,
            steps,
            strength,
            seed,
            noise_origin,
            out_sample,
        };
        let out = self.run_tiles(&job, &mut progress, &mut stats)?;
        stats.total = t_start.elapsed();
        Ok((out, stats))
    }
}
