//! `autorestore`: restoration and analysis of photos and whole folders from the command line.
//!
//! ```text
//! autorestore restore IN OUT [options]
//! autorestore restore INPUT... --out-dir DIR [--recursive] [--jobs N] [--overwrite] [options]
//! autorestore analyze INPUT... [--recursive] [--json]
//! autorestore info
//! ```

mod batch;
mod files;
mod huge_pages;
mod inputs;
mod interrupt;
mod machine;
mod metadata;
mod output;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use autorestore::engine::MAX_TILE;
use autorestore::{
    mode, Device, Engine, EngineOptions, Error, ErrorKind, ImageRef, Mode, RestoreParams, RunStats,
};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

/// The CLI's default for `--max-pixels`: camera sizes and more (a 150 MP medium-format frame is
/// 11648x8736 = 102 MP) while a forged header still cannot claim gigapixels.
const DEFAULT_MAX_PIXELS: u64 = 200_000_000;

#[derive(Parser)]
#[command(
    name = "autorestore",
    version,
    about = "All-in-one photo restoration (noise, blur, haze, low light, rain)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Restore IN and write OUT, or restore INPUT... (files or folders) into --out-dir.
    Restore(RestoreArgs),
    /// Say what is wrong with images, with a score per degradation.
    Analyze(AnalyzeArgs),
    /// Show the library, ONNX Runtime, model and device in use.
    Info(EngineArgs),
}

#[derive(Args, Clone)]
struct EngineArgs {
    /// Execution provider: auto (CUDA if it loads, else CPU), cpu, cuda, webgpu (experimental).
    #[arg(long, default_value = EngineOptions::default().device.name(), value_parser = parse_device)]
    device: Device,
    /// Intra-op threads per image (0 = the cores shared among the images at once); at most the
    /// number of cores.
    #[arg(long, default_value_t = EngineOptions::default().threads)]
    threads: usize,
    /// Model directory (default: search, see README).
    #[arg(long, value_name = "DIR")]
    model_dir: Option<PathBuf>,
    /// Path of libonnxruntime.so (default: search, see README).
    #[arg(long, value_name = "FILE")]
    ort_lib: Option<PathBuf>,
    /// Largest tile side in pixels (default 1024; 1536 on CUDA): as few tiles as cover the image,
    /// each as small as that count allows. Each tile also computes the model's margin of
    /// context on its inner sides, so the smallest accepted size is about 3 margins (264 for
    /// the shipped model; `autorestore info` says).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=MAX_TILE as i64))]
    tile: Option<u32>,
    /// Feather width in pixels: extra overlap of neighbouring tiles on top of the exact
    /// margins, blended with a ramp (default 0: tiles are exact, so a hard cut is seamless).
    #[arg(long, default_value_t = EngineOptions::default().tile_overlap)]
    overlap: usize,
    /// Largest image accepted, in pixels (width x height; 0 = no bound). Checked from the
    /// file's header before its pixels are decoded.
    #[arg(long, default_value_t = DEFAULT_MAX_PIXELS, value_name = "N")]
    max_pixels: u64,
}

#[derive(Args)]
struct RestoreArgs {
    /// IN OUT, or with --out-dir the images and folders to restore.
    #[arg(required = true, value_name = "INPUT")]
    paths: Vec<PathBuf>,
    /// Write each result here under the input's name (and its path inside a folder given as
    /// INPUT); created if missing.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Take the images in the sub-folders of folders too.
    #[arg(long, short = 'r')]
    recursive: bool,
    /// Images restored at once on the one engine (0 = chosen from cores and memory).
    #[arg(long, short = 'j', default_value_t = 0)]
    jobs: usize,
    /// Replace outputs that exist (without it a second run skips the finished ones).
    #[arg(long)]
    overwrite: bool,
    /// Do not copy EXIF or XMP (camera, date, GPS, names, copyright) to the outputs; the ICC
    /// profile and the resolution (dpi) stay, since the colours and the print size depend on them.
    #[arg(long)]
    strip_metadata: bool,
    /// Which experts: auto (the analysis decides) or one kind of damage.
    #[arg(long, default_value = mode::MODES[0].name, value_parser = clap::builder::PossibleValuesParser::new(mode::names()))]
    mode: String,
    /// 0 keeps the input, 1 is the full restoration.
    #[arg(long, default_value_t = RestoreParams::default().strength)]
    strength: f32,
    /// Sampler steps (default: the model's).
    #[arg(long)]
    steps: Option<u32>,
    /// Seed of the sampler noise (same seed, same bytes).
    #[arg(long, default_value_t = RestoreParams::default().seed)]
    seed: u64,
    /// Allow an output to be the same file as its input.
    #[arg(long)]
    overwrite_input: bool,
    /// No progress bar or summary (errors are still printed).
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Args)]
struct AnalyzeArgs {
    /// Images, or folders of images.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Take the images in the sub-folders of folders too.
    #[arg(long, short = 'r')]
    recursive: bool,
    /// Print one JSON object per image, one per line (`scores` maps each degradation to
    /// [0, 1]; a file that fails gives `{"file": ..., "error": ...}`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

fn parse_device(s: &str) -> Result<Device, String> {
    Device::from_name(s).map_err(|e| e.to_string())
}

/// One engine for the whole run; `jobs` images share it at once, each on its own session.
fn engine(a: &EngineArgs, jobs: usize) -> Result<Engine, Error> {
    let cores = machine::cores();
    let threads = machine::bound("--threads", a.threads, cores, "the cores here");
    let threads = if threads == 0 && jobs > 1 {
        (cores / jobs).max(1)
    } else {
        threads
    };
    Engine::new(&EngineOptions {
        model_dir: a.model_dir.clone(),
        ort_library: a.ort_lib.clone(),
        device: a.device,
        threads,
        tile_size: a.tile.map_or(0, |t| t as usize),
        tile_overlap: a.overlap,
        max_pixels: a.max_pixels,
        max_sessions: jobs.max(1),
        ..EngineOptions::default()
    })
}

fn describe(engine: &Engine) -> String {
    let i = engine.info();
    let mut s = format!(
        "model {} {} on {}",
        i.name,
        i.version,
        engine.device().name()
    );
    if !engine.device_note().is_empty() {
        s += &format!(" ({})", engine.device_note());
    }
    s
}

/// Restores one file into `pending` (its output, already checked and created). `say` prints a
/// warning about this file; `progress` gets 0..1.
fn restore_file(
    engine: &Engine,
    a: &RestoreArgs,
    src: &Path,
    pending: output::Pending,
    say: &dyn Fn(String),
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<(RunStats, (usize, usize)), Error> {
    let mut img = files::load(src, a.engine.max_pixels)?;
    if let Some(loss) = output::losses(img.kind, pending.format()) {
        say(format!("{}: {loss}", pending.path().display()));
    }
    if let Some((n, max)) = files::over_one(&img) {
        say(format!(
            "{}: {n} float samples above 1.0 (the largest {max:.3}) are clipped to 1.0: the model \
             restores values in 0..1",
            src.display()
        ));
    }
    let mut meta = std::mem::take(&mut img.meta);
    let view = ImageRef::new(&img.bytes, img.layout)?;
    let (out, stats) = engine.restore(
        &view,
        RestoreParams {
            mode: Mode::from_name(&a.mode)?,
            strength: a.strength,
            steps: a.steps.unwrap_or(0),
            seed: a.seed,
            progress: Some(progress),
            ..RestoreParams::default()
        },
    )?;
    let (size, kind) = ((view.width(), view.height()), img.kind);
    // the decoded input is not needed any more: free it before encoding (peak memory)
    drop(img);
    let out_path = pending.path().to_path_buf();
    if a.strip_metadata {
        meta.strip();
    }
    let dropped = pending.finish(out, kind, Some(&meta))?;
    if !dropped.is_empty() {
        say(format!(
            "{}: not copied from the input: {}",
            out_path.display(),
            dropped.join("; ")
        ));
    }
    Ok((stats, size))
}

fn run_restore(a: RestoreArgs) -> Result<ExitCode, Error> {
    // before any output file exists, so an interrupt always finds its temporaries
    interrupt::install()
        .map_err(|e| Error::new(ErrorKind::Internal, format!("cannot watch for Ctrl-C: {e}")))?;
    if a.out_dir.is_some() {
        return batch::run(&a);
    }
    let (input, out) = match a.paths.as_slice() {
        [i, o] => (i, o),
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "restore takes IN OUT, or INPUT... --out-dir DIR",
            ))
        }
    };
    if a.recursive || a.jobs > 0 {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "--recursive and --jobs are for batches: give --out-dir DIR",
        ));
    }
    if input.is_dir() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "{} is a folder: restore its images with --out-dir DIR",
                input.display()
            ),
        ));
    }
    // everything about the output that can fail is found before the work
    output::check_not_input(input, out, a.overwrite_input)?;
    let pending = output::begin(output::check(out)?)?;
    let engine = engine(&a.engine, 1)?;
    let bar = if a.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(1000);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} restoring [{bar:40}] {percent:>3}% {elapsed}/{eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    };
    let mut progress = |f: f32| {
        bar.set_position((f * 1000.0) as u64);
        true
    };
    let say = |m: String| bar.suspend(|| eprintln!("autorestore: warning: {m}"));
    let t0 = Instant::now();
    let (stats, (width, height)) = restore_file(&engine, &a, input, pending, &say, &mut progress)?;
    bar.finish_and_clear();
    if !a.quiet {
        let names = &engine.info().degradations;
        if let Some(an) = &stats.analysis {
            let found: Vec<String> = names
                .iter()
                .zip(&an.scores)
                .filter(|(_, &s)| s >= 0.5)
                .map(|(n, s)| format!("{n} {:.0}%", s * 100.0))
                .collect();
            let found = if found.is_empty() {
                "nothing clear".to_string()
            } else {
                found.join(", ")
            };
            eprintln!("found: {found}");
        }
        // with nothing to repair the output still got written (same pixels, same format
        // rules), so batch flows see one output per input
        if stats.nothing_to_repair {
            eprintln!("nothing to repair: the photo is left as it is");
        } else {
            let applied = if a.mode == "auto" && stats.strength < a.strength {
                format!(", strength {:.2}", stats.strength)
            } else {
                String::new()
            };
            eprintln!(
                "restored {}x{} ({} tiles x {} steps, mode {}{applied}) in {:.2} s with {}",
                width,
                height,
                stats.tiles,
                stats.steps,
                a.mode,
                t0.elapsed().as_secs_f64(),
                describe(&engine)
            );
        }
        println!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn analysis_json(
    engine: &Engine,
    file: &Path,
    img: &files::Loaded,
    an: &autorestore::Analysis,
) -> serde_json::Value {
    let names = &engine.info().degradations;
    let scores: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .zip(&an.scores)
        .map(|(n, &s)| (n.clone(), serde_json::json!(s)))
        .collect();
    let detected: Vec<&String> = names
        .iter()
        .zip(&an.scores)
        .filter(|(_, &s)| s >= 0.5)
        .map(|(n, _)| n)
        .collect();
    serde_json::json!({
        "file": file.display().to_string(),
        "width": img.layout.width,
        "height": img.layout.height,
        "model": format!("{} {}", engine.info().name, engine.info().version),
        "device": engine.device().name(),
        "scores": scores,
        "detected": detected,
        "amount": an.amount,
        "nothing_to_repair": an.nothing_to_repair(),
        "gates": an.gates,
    })
}

fn print_analysis(engine: &Engine, file: &Path, img: &files::Loaded, an: &autorestore::Analysis) {
    println!(
        "{} ({}x{}), {}",
        file.display(),
        img.layout.width,
        img.layout.height,
        describe(engine)
    );
    for (n, &s) in engine.info().degradations.iter().zip(&an.scores) {
        let bar = "#".repeat((s * 20.0).round() as usize);
        let verdict = if s >= 0.5 { "present" } else { "" };
        println!("  {n:<9} {:>5.1}%  {bar:<20} {verdict}", s * 100.0);
    }
    if an.nothing_to_repair() {
        println!("  nothing to repair (automatic mode leaves the photo as it is)");
    } else {
        println!("  repair amount {:.0}%", an.amount * 100.0);
    }
}

/// Analyses every input in order on one engine; a file that fails is reported and the rest
/// go on (exit status 1 when any failed).
fn run_analyze(a: AnalyzeArgs) -> Result<ExitCode, Error> {
    let listing = inputs::list(&a.inputs, a.recursive, None);
    if listing.items.is_empty() && listing.bad.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "no PNG, JPEG or TIFF files in the inputs",
        ));
    }
    let engine = engine(&a.engine, 1)?;
    let mut failed = 0;
    let fail = |file: &Path, why: &str| {
        if a.json {
            println!(
                "{}",
                serde_json::json!({"file": file.display().to_string(), "error": why})
            );
        }
        eprintln!("autorestore: error: {why}");
    };
    for (file, why) in &listing.bad {
        fail(file, &format!("{}: {why}", file.display()));
        failed += 1;
    }
    for item in &listing.items {
        let r = files::load(&item.src, a.engine.max_pixels).and_then(|img| {
            let view = ImageRef::new(&img.bytes, img.layout)?;
            let an = engine.analyze(&view)?;
            Ok((img, an))
        });
        match r {
            Ok((img, an)) if a.json => println!("{}", analysis_json(&engine, &item.src, &img, &an)),
            Ok((img, an)) => print_analysis(&engine, &item.src, &img, &an),
            Err(e) => {
                fail(&item.src, &e.to_string());
                failed += 1;
            }
        }
    }
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn run_info(a: EngineArgs) -> Result<ExitCode, Error> {
    let engine = engine(&a, 1)?;
    println!("autorestore {}", autorestore::VERSION);
    println!("onnxruntime {}", engine.runtime_path().display());
    println!("model dir   {}", engine.model_dir().display());
    println!("model       {}", describe(&engine));
    println!("degradations {}", engine.info().degradations.join(", "));
    println!(
        "tiles       up to {} px (minimum {}), margin {} px (receptive field {} px), overlap {} px",
        engine.tile_size(),
        engine.min_tile_size(),
        engine.tile_margin(),
        engine.info().receptive_field,
        engine.tile_overlap()
    );
    println!(
        "machine     {} cores, at most {} images at once",
        machine::cores(),
        machine::max_jobs()
    );
    println!("memory      {}", huge_pages::describe());
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    huge_pages::restart_with_huge_pages();
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Restore(a) => run_restore(a),
        Command::Analyze(a) => run_analyze(a),
        Command::Info(a) => run_info(a),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            eprintln!("autorestore: error: {e}");
            ExitCode::FAILURE
        }
    }
}
