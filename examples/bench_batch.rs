//! Batch benchmark of the CLI (issue 15; `make bench-batch`, part of `make bench`): N photos of
//! M megapixels restored three ways, each timed from the outside on the same files:
//!
//! - one process, `--jobs 1` (one engine, one image at a time);
//! - one process, default jobs (one engine, images at once as the machine allows);
//! - N separate processes, one after the other (engine start and model load every time).
//!
//! Prints total seconds and photos per minute of each, and the ratios against the N processes.
//! Measured, asserts nothing. `--mode denoise` so every photo runs the restore graph.
//!
//! `bench_batch CLI [PHOTOS] [MEGAPIXELS]` (defaults 20 and 2; smaller for a quick look).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn photo(w: u32, h: u32, seed: u32) -> image::RgbImage {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(7);
    image::RgbImage::from_fn(w, h, |x, y| {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let n = (s >> 27) as u8;
        image::Rgb([
            (x * 255 / w) as u8 ^ n,
            (y * 255 / h) as u8 ^ n,
            128u8.wrapping_add(n),
        ])
    })
}

fn run(c: &mut Command) {
    let o = c.output().expect("cannot start the CLI");
    if !o.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&o.stderr));
        std::process::exit(1);
    }
}

fn restore(cli: &Path) -> Command {
    let mut c = Command::new(cli);
    c.args(["restore", "--device", "cpu", "--mode", "denoise", "--quiet"]);
    c
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cli) = args.first().map(Path::new) else {
        eprintln!("usage: bench_batch CLI [PHOTOS] [MEGAPIXELS]");
        std::process::exit(2);
    };
    let n: usize = args.get(1).map_or(20, |s| s.parse().expect("PHOTOS"));
    let mp: f64 = args.get(2).map_or(2.0, |s| s.parse().expect("MEGAPIXELS"));
    // 3:2, as cameras
    let h = ((mp * 1e6 / 1.5).sqrt()) as u32;
    let w = (h as f64 * 1.5) as u32;
    let dir = tempfile::tempdir().expect("temporary folder");
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    for i in 0..n {
        photo(w, h, i as u32)
            .save(inp.join(format!("p{i:03}.png")))
            .unwrap();
    }
    println!(
        "batch: {n} photos of {w}x{h} ({:.2} MP), CPU, {} cores",
        w as f64 * h as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |c| c.get())
    );

    let mut times = Vec::new();
    for (label, jobs) in [
        ("one process, --jobs 1", Some("1")),
        ("one process, default jobs", None),
    ] {
        let out = dir.path().join(format!("out-{}", times.len()));
        let mut c = restore(cli);
        c.arg(&inp).arg("--out-dir").arg(&out);
        if let Some(j) = jobs {
            c.args(["--jobs", j]);
        }
        let t = Instant::now();
        run(&mut c);
        times.push((label, t.elapsed().as_secs_f64()));
    }
    let out = dir.path().join("out-separate");
    std::fs::create_dir(&out).unwrap();
    let t = Instant::now();
    for i in 0..n {
        let name = format!("p{i:03}.png");
        run(restore(cli).arg(inp.join(&name)).arg(out.join(&name)));
    }
    let separate = t.elapsed().as_secs_f64();
    times.push(("separate processes", separate));
    for (label, secs) in &times {
        println!(
            "  {label:<28} {secs:>8.2} s  {:>7.2} photos/min  {:>5.2}x the separate processes",
            n as f64 * 60.0 / secs,
            separate / secs
        );
    }
}
