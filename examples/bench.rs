//! Core engine benchmark (`make bench`): prints measured numbers, asserts nothing.
//!
//! - engine creation time (first: loads ONNX Runtime too; then warm);
//! - ms per megapixel per sampler step on 1 and 2 threads, and the share of time spent outside
//!   ONNX Runtime (conversion, tiling, blending, sampler);
//! - peak resident memory restoring a 24-megapixel RGB image with default tiles (in a child
//!   process, so the number is that run's alone). `BENCH_SKIP_24MP=1` skips it.

use std::time::Instant;

use autorestore::{Device, Engine, EngineOptions, ImageRef, Layout, RestoreParams, SampleType};

fn synthetic(w: usize, h: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(w * h * 3);
    let mut s = 0x1234_5678u32;
    for y in 0..h {
        for x in 0..w {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let n = (s >> 26) as i32 - 32;
            let base = [
                (x * 255 / w) as i32,
                (y * 255 / h) as i32,
                ((x + y) % 256) as i32,
            ];
            for b in base {
                v.push((b + n).clamp(0, 255) as u8);
            }
        }
    }
    v
}

fn opts(threads: usize) -> EngineOptions {
    EngineOptions {
        device: Device::Cpu,
        threads,
        ..EngineOptions::default()
    }
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn rss_child() -> Result<(), Box<dyn std::error::Error>> {
    let (w, h) = (6000, 4000);
    let engine = Engine::new(&opts(2))?;
    let img = synthetic(w, h);
    let view = ImageRef::new(&img, Layout::packed(w, h, 3, SampleType::U8))?;
    let t = Instant::now();
    let (out, stats) = engine.restore(&view, RestoreParams::default())?;
    println!(
        "24 MP RGB (6000x4000, default tiles {} px, {} tiles, 1 step, 2 threads): {:.1} s, peak RSS {:.0} MiB, out {} bytes",
        engine.tile_size(),
        stats.tiles,
        t.elapsed().as_secs_f64(),
        peak_rss_mib(),
        out.as_bytes().len()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().any(|a| a == "--rss-24mp") {
        return rss_child();
    }
    println!(
        "AutoRestore core bench (CPU; {} cores visible)",
        std::thread::available_parallelism()?.get()
    );

    let t = Instant::now();
    let first = Engine::new(&opts(2))?;
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let again = Engine::new(&opts(2))?;
    let warm_ms = t.elapsed().as_secs_f64() * 1e3;
    drop(again);
    println!(
        "engine creation: {first_ms:.0} ms first (loads ONNX Runtime from {}), {warm_ms:.0} ms next",
        first.runtime_path().display()
    );
    println!("model: {} {}", first.info().name, first.info().version);
    drop(first);

    let (w, h) = (1024, 1024);
    let mp = (w * h) as f64 / 1e6;
    let img = synthetic(w, h);
    let view = ImageRef::new(&img, Layout::packed(w, h, 3, SampleType::U8))?;
    for threads in [1usize, 2] {
        let engine = Engine::new(&opts(threads))?;
        // warm-up run (first-run allocations), then measured runs
        engine.restore(
            &view,
            RestoreParams {
                steps: 1,
                ..RestoreParams::default()
            },
        )?;
        for steps in [1u32, 2] {
            let (_, s) = engine.restore(
                &view,
                RestoreParams {
                    steps,
                    ..RestoreParams::default()
                },
            )?;
            let total = s.total.as_secs_f64();
            let ort = s.in_ort.as_secs_f64();
            println!(
                "{threads} thread(s), {steps} step(s): {:.0} ms/MP/step ({} tiles of {} px over {w}x{h}); outside ONNX Runtime {:.1}% ({:.0} ms of {:.0} ms)",
                total * 1e3 / mp / steps as f64,
                s.tiles,
                engine.tile_size(),
                100.0 * (total - ort) / total,
                (total - ort) * 1e3,
                total * 1e3
            );
        }
    }

    if std::env::var_os("BENCH_SKIP_24MP").is_none() {
        let exe = std::env::current_exe()?;
        let status = std::process::Command::new(exe).arg("--rss-24mp").status()?;
        if !status.success() {
            println!("24 MP run failed: {status}");
        }
    }
    Ok(())
}
