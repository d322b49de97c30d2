//! Core engine speed and memory benchmark (the speed half of `make bench`; `bench/bench.py`
//! runs it, then measures quality against the alternatives). Prints measured numbers; with
//! `--json FILE` also writes them as JSON. Asserts nothing (bench/bench.py checks the JSON).
//!
//! - engine creation time (first: loads ONNX Runtime too; then warm);
//! - for each provider that loads (CPU; CUDA/WebGPU when available, else why not):
//!   ms per megapixel per sampler step on 1, 2 and all threads, and the share of time spent
//!   outside ONNX Runtime (conversion, tiling, blending, sampler);
//! - effect of the tile size;
//! - image sessions (gates baked into a session of the image's own) against the shared session,
//!   by image size, interleaved;
//! - one click (automatic mode: analysis, then the restore at its amount) on a 4 MP image with
//!   2 threads: the share of its time outside ONNX Runtime (issue 19's budget: under 10 %);
//! - end-to-end time (engine creation + restore) and peak resident memory for 1, 12 and 24
//!   megapixel RGB images with default tiles, each in a child process so the peak is that
//!   run's alone.
//!
//! `--quick` (CI): 0.25 MP speed image, two tile sizes, one click and end-to-end at 1 MP only.
//! `--e2e-child W H [TILE]` runs one end-to-end restore (peak RSS of that process alone).
//! `--one-click W H` runs only the one-click row (2 threads) and prints it.
//! `--image-sessions` runs only the image sessions' rows (0.7-4 MP).
//!
//! Every other restore here uses a manual mode (denoise), which always runs the restore graph:
//! automatic mode returns an image the analysis finds nothing wrong with unchanged, and would
//! time nothing (the one-click row says so when that happens).
//! `BENCH_SKIP_24MP=1` skips the 24 MP run.

use std::time::Instant;

use autorestore::engine::ImageSessions;
use autorestore::{
    Device, Engine, EngineOptions, ImageRef, Layout, Mode, RestoreParams, SampleType,
};
use serde_json::{json, Value};

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

fn opts(device: Device, threads: usize, tile_size: usize) -> EngineOptions {
    EngineOptions {
        device,
        threads,
        tile_size,
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

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// What every timed restore runs: a manual mode, so the restore graph always runs.
fn timed_params(steps: u32) -> RestoreParams<'static> {
    RestoreParams {
        mode: Mode::Only("noise".into()),
        steps,
        ..RestoreParams::default()
    }
}

/// Child: engine creation + restore of a synthetic WxH RGB image; prints one JSON line.
fn e2e_child(w: usize, h: usize, tile: usize) -> Result<(), Box<dyn std::error::Error>> {
    let img = synthetic(w, h);
    let t = Instant::now();
    let engine = Engine::new(&opts(Device::Cpu, 0, tile))?;
    let create_ms = ms(t.elapsed());
    let view = ImageRef::new(&img, Layout::packed(w, h, 3, SampleType::U8))?;
    let t1 = Instant::now();
    let (out, stats) = engine.restore(&view, timed_params(0))?;
    let restore_ms = ms(t1.elapsed());
    let total_ms = ms(t.elapsed());
    assert_eq!(out.as_bytes().len(), img.len());
    println!(
        "{}",
        json!({
            "width": w, "height": h, "mp": (w * h) as f64 / 1e6,
            "tile": engine.tile_size(), "tiles": stats.tiles, "steps": stats.steps,
            "create_ms": create_ms, "restore_ms": restore_ms, "total_ms": total_ms,
            "ms_per_mp_step": restore_ms / ((w * h) as f64 / 1e6) / stats.steps as f64,
            "peak_rss_mib": peak_rss_mib(),
        })
    );
    Ok(())
}

/// One measured restore (after a warm-up) on an engine; returns the JSON row.
fn measure(
    engine: &Engine,
    img: &[u8],
    w: usize,
    h: usize,
    steps: u32,
) -> Result<Value, Box<dyn std::error::Error>> {
    let view = ImageRef::new(img, Layout::packed(w, h, 3, SampleType::U8))?;
    engine.restore(&view, timed_params(1))?; // warm-up (first-run allocations)
    let (_, s) = engine.restore(&view, timed_params(steps))?;
    let mp = (w * h) as f64 / 1e6;
    let total = s.total.as_secs_f64();
    let ort = s.in_ort.as_secs_f64();
    Ok(json!({
        "steps": steps, "tiles": s.tiles, "tile": engine.tile_size(), "width": w, "height": h,
        "ms_per_mp_step": total * 1e3 / mp / steps as f64,
        "total_ms": total * 1e3, "outside_ort_share": (total - ort) / total,
    }))
}

/// A CPU restore on image sessions (the image's gates baked into a session of its own, tile size
/// fixed) against the engine's shared session, interleaved on 2 threads: median ratio of the
/// whole call's time, session creation included, per image size. Where it drops below 1 is
/// where `ImageSessions::Auto` should start (`IMAGE_SESSION_MIN_PIXELS`).
fn image_sessions_vs_shared(
    sizes: &[(usize, usize)],
    rounds: usize,
) -> Result<Vec<Value>, Box<dyn std::error::Error>> {
    let engine = |image_sessions| {
        Engine::new(&EngineOptions {
            image_sessions,
            ..opts(Device::Cpu, 2, 0)
        })
    };
    let (shared, own) = (
        engine(ImageSessions::Never)?,
        engine(ImageSessions::Always)?,
    );
    let mut rows = Vec::new();
    for &(w, h) in sizes {
        let img = synthetic(w, h);
        let view = ImageRef::new(&img, Layout::packed(w, h, 3, SampleType::U8))?;
        let time = |e: &Engine| -> Result<f64, Box<dyn std::error::Error>> {
            Ok(e.restore(&view, timed_params(1))?.1.total.as_secs_f64())
        };
        time(&shared)?; // warm-up of both (first-run allocations)
        time(&own)?;
        let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            let (x, y) = (time(&shared)?, time(&own)?);
            a.push(x);
            b.push(y);
            ratios.push(y / x);
        }
        let med = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let mp = (w * h) as f64 / 1e6;
        let (ms_shared, ms_own, ratio) = (med(&mut a) * 1e3, med(&mut b) * 1e3, med(&mut ratios));
        println!(
            "image sessions, {w}x{h} ({mp:.1} MP), 2 threads: {ms_own:.0} ms against {ms_shared:.0} ms on the shared session, ratio {ratio:.2} (median of {rounds})"
        );
        rows.push(
            json!({"width": w, "height": h, "shared_ms": ms_shared, "image_session_ms": ms_own,
                         "ratio": ratio, "rounds": rounds}),
        );
    }
    Ok(rows)
}

/// One click as a user makes it (automatic mode, the engine's own analysis), after a warm-up;
/// the time outside `Session::run` is the engine's pixel work: views, tiling, gather/blend,
/// colour conversion, sampler.
fn one_click(engine: &Engine, w: usize, h: usize) -> Result<Value, Box<dyn std::error::Error>> {
    let img = synthetic(w, h);
    let view = ImageRef::new(&img, Layout::packed(w, h, 3, SampleType::U8))?;
    engine.restore(&view, RestoreParams::default())?; // warm-up
    let (_, s) = engine.restore(&view, RestoreParams::default())?;
    let total = s.total.as_secs_f64();
    let ort = s.in_ort.as_secs_f64();
    Ok(json!({
        "width": w, "height": h, "tiles": s.tiles, "tile": engine.tile_size(),
        "nothing_to_repair": s.nothing_to_repair, "strength": s.strength,
        "total_ms": total * 1e3, "in_ort_ms": ort * 1e3, "outside_ort_share": (total - ort) / total,
    }))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--e2e-child") {
        let w = args[i + 1].parse()?;
        let h = args[i + 2].parse()?;
        let tile = args.get(i + 3).map_or(Ok(0), |t| t.parse())?;
        return e2e_child(w, h, tile);
    }
    if let Some(i) = args.iter().position(|a| a == "--one-click") {
        let (w, h) = (args[i + 1].parse()?, args[i + 2].parse()?);
        let r = one_click(&Engine::new(&opts(Device::Cpu, 2, 0))?, w, h)?;
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    if args.iter().any(|a| a == "--image-sessions") {
        image_sessions_vs_shared(&[(816, 816), (1224, 816), (1632, 1224), (2304, 1728)], 3)?;
        return Ok(());
    }
    let quick = args.iter().any(|a| a == "--quick");
    let json_path = args
        .iter()
        .position(|a| a == "--json")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let cores = std::thread::available_parallelism()?.get();
    println!(
        "AutoRestore core bench ({}; CPU; {cores} cores visible)",
        if quick { "quick" } else { "full" }
    );

    // --- engine creation
    let t = Instant::now();
    let first = Engine::new(&opts(Device::Cpu, 0, 0))?;
    let first_ms = ms(t.elapsed());
    let t = Instant::now();
    let again = Engine::new(&opts(Device::Cpu, 0, 0))?;
    let warm_ms = ms(t.elapsed());
    drop(again);
    println!(
        "engine creation: {first_ms:.0} ms first (loads ONNX Runtime from {}), {warm_ms:.0} ms next",
        first.runtime_path().display()
    );
    // a model of this tree is recorded relative to it: results carry no machine paths
    let dir = first.model_dir();
    let dir = dir.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(dir);
    let model = json!({"name": first.info().name, "version": first.info().version,
                       "dir": dir.display().to_string()});
    println!("model: {} {}", first.info().name, first.info().version);
    let default_tile = first.tile_size();
    drop(first);

    // --- providers x threads
    let (w, h) = if quick { (512, 512) } else { (1024, 1024) };
    let img = synthetic(w, h);
    let mut threads: Vec<usize> = vec![1, 2, cores];
    threads.sort_unstable();
    threads.dedup();
    let mut providers = Vec::new();
    for device in [Device::Cpu, Device::Cuda, Device::WebGpu] {
        let mut rows = Vec::new();
        match Engine::new(&opts(device, 1, 0)) {
            Err(e) => {
                println!("{}: not available ({e})", device.name());
                providers.push(json!({"device": device.name(), "available": false,
                                      "reason": e.to_string()}));
                continue;
            }
            Ok(e) if e.device() != device => {
                println!(
                    "{}: not available (got {})",
                    device.name(),
                    e.device().name()
                );
                providers.push(json!({"device": device.name(), "available": false,
                                      "reason": format!("got {}", e.device().name())}));
                continue;
            }
            Ok(_) => {}
        }
        for &n in &threads {
            let engine = Engine::new(&opts(device, n, 0))?;
            let mut steps_list = vec![1u32];
            if !quick && n == *threads.last().unwrap() {
                steps_list.push(2);
            }
            for steps in steps_list {
                let mut r = measure(&engine, &img, w, h, steps)?;
                r["threads"] = json!(n);
                println!(
                    "{} {n} thread(s), {steps} step(s): {:.0} ms/MP/step ({} tiles of {} px over {w}x{h}); outside ONNX Runtime {:.1}%",
                    device.name(),
                    r["ms_per_mp_step"].as_f64().unwrap_or(f64::NAN),
                    r["tiles"], r["tile"],
                    100.0 * r["outside_ort_share"].as_f64().unwrap_or(f64::NAN),
                );
                rows.push(r);
            }
        }
        providers.push(json!({"device": device.name(), "available": true, "runs": rows}));
    }

    // --- tile size (CPU, all threads)
    // the smallest tile the model allows (two receptive-field margins and a core), then the
    // sizes around the default
    let min_tile = Engine::new(&opts(Device::Cpu, 0, 0))?.min_tile_size();
    let tiles: Vec<usize> = if quick {
        vec![512, 768]
    } else {
        vec![min_tile, 512, 768, 1024]
    };
    let mut tile_rows = Vec::new();
    for &tile in &tiles {
        let engine = Engine::new(&opts(Device::Cpu, 0, tile))?;
        let r = measure(&engine, &img, w, h, 1)?;
        println!(
            "tile {tile} px: {:.0} ms/MP/step ({} tiles over {w}x{h}, all threads)",
            r["ms_per_mp_step"].as_f64().unwrap_or(f64::NAN),
            r["tiles"]
        );
        tile_rows.push(r);
    }

    // --- image sessions against the shared session, by image size
    let session_sizes: &[(usize, usize)] = if quick {
        &[(512, 512), (1224, 816)]
    } else {
        &[
            (512, 512),
            (816, 816),
            (1224, 816),
            (1632, 1224),
            (2304, 1728),
        ]
    };
    let image_sessions = image_sessions_vs_shared(session_sizes, if quick { 1 } else { 3 })?;

    // --- one click: the overhead outside ONNX Runtime
    let (cw, ch) = if quick { (1224, 816) } else { (2304, 1728) };
    let click = one_click(&Engine::new(&opts(Device::Cpu, 2, 0))?, cw, ch)?;
    println!(
        "one click {cw}x{ch}, 2 threads ({} tiles of {} px{}): {:.2} s, {:.2} s in ONNX Runtime; outside it {:.1}%",
        click["tiles"],
        click["tile"],
        if click["nothing_to_repair"] == json!(true) { ", nothing to repair: no restore ran" } else { "" },
        click["total_ms"].as_f64().unwrap_or(f64::NAN) / 1e3,
        click["in_ort_ms"].as_f64().unwrap_or(f64::NAN) / 1e3,
        100.0 * click["outside_ort_share"].as_f64().unwrap_or(f64::NAN),
    );

    // --- end-to-end + peak RSS per size, each in a child process
    let mut sizes: Vec<(&str, usize, usize)> = vec![("1MP", 1224, 816)];
    if !quick {
        sizes.push(("12MP", 4240, 2832));
        if std::env::var_os("BENCH_SKIP_24MP").is_none() {
            sizes.push(("24MP", 6000, 4000));
        }
    }
    let exe = std::env::current_exe()?;
    let mut e2e = Vec::new();
    for (label, w, h) in sizes {
        let t = Instant::now();
        let out = std::process::Command::new(&exe)
            .args(["--e2e-child", &w.to_string(), &h.to_string()])
            .output()?;
        let wall = ms(t.elapsed());
        if !out.status.success() {
            println!(
                "{label} run failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            e2e.push(json!({"label": label, "width": w, "height": h, "failed": true}));
            continue;
        }
        let mut r: Value = serde_json::from_slice(&out.stdout)?;
        r["label"] = json!(label);
        r["process_wall_ms"] = json!(wall);
        println!(
            "{label} RGB ({w}x{h}, default tiles {} px, {} tiles, {} step(s), all threads): engine {:.0} ms + restore {:.1} s; process {:.1} s; peak RSS {:.0} MiB",
            r["tile"], r["tiles"], r["steps"],
            r["create_ms"].as_f64().unwrap_or(f64::NAN),
            r["restore_ms"].as_f64().unwrap_or(f64::NAN) / 1e3,
            wall / 1e3,
            r["peak_rss_mib"].as_f64().unwrap_or(f64::NAN),
        );
        e2e.push(r);
    }

    if let Some(path) = json_path {
        let doc = json!({
            "quick": quick, "cores": cores, "model": model, "default_tile": default_tile,
            "engine_create_ms": {"first": first_ms, "warm": warm_ms},
            "speed_image": {"width": w, "height": h},
            "providers": providers, "tiles": tile_rows, "image_sessions": image_sessions,
            "one_click": click, "end_to_end": e2e,
        });
        if let Some(dir) = std::path::Path::new(&path).parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, serde_json::to_string_pretty(&doc)? + "\n")?;
        println!("wrote {path}");
    }
    Ok(())
}
