//! `autorestore`: batch restoration and analysis from the command line.
//!
//! ```text
//! autorestore restore IN OUT [--mode auto|denoise|deblur|dehaze|lowlight|derain] [--strength 0..1]
//!                            [--steps N] [--device auto|cpu|cuda] [--tile N] [--seed N]
//! autorestore analyze IN [--json]
//! autorestore info
//! ```

mod files;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use autorestore::{Device, Engine, EngineOptions, Error, ImageRef, Mode, RestoreParams};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

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
    /// Restore IN and write OUT (PNG, JPEG or TIFF; 16-bit kept where the format allows).
    Restore(RestoreArgs),
    /// Say what is wrong with an image, with a score per degradation.
    Analyze(AnalyzeArgs),
    /// Show the library, ONNX Runtime, model and device in use.
    Info(EngineArgs),
}

#[derive(Args, Clone)]
struct EngineArgs {
    /// Execution provider: auto (CUDA if it loads, else CPU), cpu, cuda, webgpu (experimental).
    #[arg(long, default_value = "auto", value_parser = parse_device)]
    device: Device,
    /// Intra-op threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Model directory (default: search, see README).
    #[arg(long, value_name = "DIR")]
    model_dir: Option<PathBuf>,
    /// Path of libonnxruntime.so (default: search, see README).
    #[arg(long, value_name = "FILE")]
    ort_lib: Option<PathBuf>,
    /// Tile side in pixels (default 768). Each tile also computes the model's margin of
    /// context on its inner sides, so the smallest accepted size is about 3 margins (288 for
    /// the shipped model; `autorestore info` says).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=8192))]
    tile: Option<u32>,
    /// Feather width in pixels: extra overlap of neighbouring tiles on top of the exact
    /// margins, blended with a ramp (default 0: tiles are exact, so a hard cut is seamless).
    #[arg(long, default_value_t = 0)]
    overlap: usize,
}

#[derive(Args)]
struct RestoreArgs {
    input: PathBuf,
    output: PathBuf,
    /// Which experts: auto (the analysis decides) or one kind of damage.
    #[arg(long, default_value = "auto", value_parser = ["auto", "denoise", "deblur", "dehaze", "lowlight", "derain"])]
    mode: String,
    /// 0 keeps the input, 1 is the full restoration.
    #[arg(long, default_value_t = 1.0)]
    strength: f32,
    /// Sampler steps (default: the model's).
    #[arg(long)]
    steps: Option<u32>,
    /// Seed of the sampler noise (same seed, same bytes).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Allow OUT to be the same file as IN.
    #[arg(long)]
    overwrite_input: bool,
    /// No progress bar or summary.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Args)]
struct AnalyzeArgs {
    input: PathBuf,
    /// Print one JSON object (`scores` maps each degradation to [0, 1]).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

fn parse_device(s: &str) -> Result<Device, String> {
    Device::from_name(s).map_err(|e| e.to_string())
}

fn engine(a: &EngineArgs) -> Result<Engine, Error> {
    Engine::new(&EngineOptions {
        model_dir: a.model_dir.clone(),
        ort_library: a.ort_lib.clone(),
        device: a.device,
        threads: a.threads,
        tile_size: a.tile.map_or(0, |t| t as usize),
        tile_overlap: a.overlap,
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

fn run_restore(a: RestoreArgs) -> Result<(), Error> {
    files::check_not_input(&a.input, &a.output, a.overwrite_input)?;
    files::check_output(&a.output)?;
    let img = files::load(&a.input)?;
    let engine = engine(&a.engine)?;
    let view = ImageRef::new(&img.bytes, img.layout)?;
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
    let t0 = Instant::now();
    let (out, stats) = engine.restore(
        &view,
        RestoreParams {
            mode: Mode::from_name(&a.mode)?,
            strength: a.strength,
            steps: a.steps.unwrap_or(0),
            seed: a.seed,
            progress: Some(&mut progress),
            ..RestoreParams::default()
        },
    )?;
    bar.finish_and_clear();
    let (width, height, kind) = (view.width(), view.height(), img.kind);
    // With nothing to repair the output still gets written (same pixels, same format rules),
    // so batch flows see one output per input.
    // the decoded input is not needed any more: free it before encoding (peak memory)
    drop(img);
    files::save(&a.output, out, kind)?;
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
        println!("wrote {}", a.output.display());
    }
    Ok(())
}

fn run_analyze(a: AnalyzeArgs) -> Result<(), Error> {
    let img = files::load(&a.input)?;
    let engine = engine(&a.engine)?;
    let view = ImageRef::new(&img.bytes, img.layout)?;
    let an = engine.analyze(&view)?;
    let names = &engine.info().degradations;
    if a.json {
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
        let obj = serde_json::json!({
            "file": a.input.display().to_string(),
            "width": view.width(),
            "height": view.height(),
            "model": format!("{} {}", engine.info().name, engine.info().version),
            "device": engine.device().name(),
            "scores": scores,
            "detected": detected,
            "amount": an.amount,
            "nothing_to_repair": an.nothing_to_repair(),
            "gates": an.gates,
        });
        println!("{obj}");
    } else {
        println!(
            "{} ({}x{}), {}",
            a.input.display(),
            view.width(),
            view.height(),
            describe(&engine)
        );
        for (n, &s) in names.iter().zip(&an.scores) {
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
    Ok(())
}

fn run_info(a: EngineArgs) -> Result<(), Error> {
    let engine = engine(&a)?;
    println!("autorestore {}", autorestore::VERSION);
    println!("onnxruntime {}", engine.runtime_path().display());
    println!("model dir   {}", engine.model_dir().display());
    println!("model       {}", describe(&engine));
    println!("degradations {}", engine.info().degradations.join(", "));
    println!(
        "tiles       {} px (at least {}), margin {} px (receptive field {} px), overlap {} px",
        engine.tile_size(),
        engine.min_tile_size(),
        engine.tile_margin(),
        engine.info().receptive_field,
        engine.tile_overlap()
    );
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Restore(a) => run_restore(a),
        Command::Analyze(a) => run_analyze(a),
        Command::Info(a) => run_info(a),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("autorestore: error: {e}");
            ExitCode::FAILURE
        }
    }
}
