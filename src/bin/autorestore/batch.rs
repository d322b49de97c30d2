//! `restore INPUT... --out-dir DIR`: one engine for the whole batch, `--jobs` images at once on
//! it, one progress bar over the batch, a summary at the end. A file that fails is reported and
//! the batch goes on; finished outputs are skipped on the next run unless `--overwrite`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use autorestore::{Error, ErrorKind};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{inputs, machine, output, RestoreArgs};

/// One image to restore and where its result goes.
struct Planned {
    src: PathBuf,
    out: PathBuf,
    /// Its size in kilopixels, read from the header (0 when unreadable: its load fails later),
    /// the unit of the progress bar.
    kpx: u64,
}

enum Outcome {
    Restored { unchanged: bool },
    Failed(String),
}

fn kilopixels(p: &std::path::Path) -> u64 {
    image::ImageReader::open(p)
        .and_then(|r| r.with_guessed_format())
        .ok()
        .and_then(|r| r.into_dimensions().ok())
        .map_or(0, |(w, h)| (w as u64 * h as u64).div_ceil(1000))
}

pub fn run(a: &RestoreArgs) -> Result<ExitCode, Error> {
    let dir = a.out_dir.as_deref().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot create the output folder {}: {e}", dir.display()),
        )
    })?;
    let listing = inputs::list(&a.paths, a.recursive, Some(dir));
    let mut failed: Vec<(PathBuf, String)> = listing.bad;
    let mut skipped = 0usize;
    let mut plan: Vec<Planned> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for item in listing.items {
        let out = dir.join(&item.rel);
        if let Some(first) = seen.insert(out.clone(), item.src.clone()) {
            failed.push((
                item.src,
                format!(
                    "its output {} is also that of {}: restore them into different folders",
                    out.display(),
                    first.display()
                ),
            ));
            continue;
        }
        if let Err(e) = output::check_not_input(&item.src, &out, a.overwrite_input) {
            failed.push((item.src, e.to_string()));
            continue;
        }
        // outputs only ever appear complete (renamed into place), so one that exists is done
        if out.exists() && !a.overwrite {
            skipped += 1;
            continue;
        }
        let kpx = kilopixels(&item.src);
        plan.push(Planned {
            src: item.src,
            out,
            kpx,
        });
    }
    if listing.skipped_dirs > 0 && !a.quiet {
        eprintln!(
            "autorestore: {} sub-folder(s) left out (--recursive takes them)",
            listing.skipped_dirs
        );
    }

    let max = machine::max_jobs();
    let jobs = if a.jobs == 0 {
        max
    } else {
        machine::bound(
            "--jobs",
            a.jobs,
            max,
            "one core and 1.5 GiB of free memory per image, 4 at most",
        )
    };
    let jobs = jobs.min(plan.len()).max(1);
    let mut outcomes: Vec<Option<Outcome>> = Vec::new();
    let t0 = Instant::now();
    let mut engine_note = String::new();
    if !plan.is_empty() {
        let engine = crate::engine(&a.engine, jobs)?;
        engine_note = crate::describe(&engine);
        let total_kpx: u64 = plan.iter().map(|p| p.kpx).sum();
        let bar = if a.quiet {
            ProgressBar::hidden()
        } else {
            let b = ProgressBar::new(total_kpx.max(1));
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {percent:>3}% {msg}, {elapsed} elapsed, ETA {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b
        };
        let done = AtomicUsize::new(0);
        let done_kpx = AtomicUsize::new(0);
        let message = |images: usize, kpx: usize| {
            format!(
                "{images}/{} images, {:.1}/{:.1} MP",
                plan.len(),
                kpx as f64 / 1000.0,
                total_kpx as f64 / 1000.0
            )
        };
        bar.set_message(message(0, 0));
        let next = AtomicUsize::new(0);
        let results = Mutex::new((0..plan.len()).map(|_| None).collect::<Vec<_>>());
        std::thread::scope(|s| {
            for _ in 0..jobs {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = plan.get(i) else { break };
                    let mut shown = 0u64;
                    let mut progress = |f: f32| {
                        let now = (f.clamp(0.0, 1.0) as f64 * p.kpx as f64) as u64;
                        bar.inc(now.saturating_sub(shown));
                        shown = shown.max(now);
                        true
                    };
                    let say = |m: String| bar.println(format!("autorestore: warning: {m}"));
                    let r = restore_one(&engine, a, p, &say, &mut progress);
                    bar.inc(p.kpx.saturating_sub(shown));
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    let k = done_kpx.fetch_add(p.kpx as usize, Ordering::Relaxed) + p.kpx as usize;
                    bar.set_message(message(n, k));
                    if let Outcome::Failed(why) = &r {
                        bar.println(format!("autorestore: error: {why}"));
                    }
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                });
            }
        });
        bar.finish_and_clear();
        outcomes = results.into_inner().unwrap_or_else(|e| e.into_inner());
    }

    let mut restored = 0;
    let mut unchanged = 0;
    for (p, o) in plan.iter().zip(outcomes) {
        match o {
            Some(Outcome::Restored { unchanged: u }) => {
                restored += 1;
                unchanged += u as usize;
            }
            Some(Outcome::Failed(why)) => failed.push((p.src.clone(), why)),
            None => failed.push((p.src.clone(), "not run".to_string())),
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    if !a.quiet {
        let mut line = format!("restored {restored}");
        if unchanged > 0 {
            line += &format!(" ({unchanged} left as they were: nothing to repair)");
        }
        line += &format!(", skipped {skipped}");
        if skipped > 0 {
            line += " (output exists; --overwrite replaces it)";
        }
        line += &format!(", failed {}", failed.len());
        if restored > 0 {
            line += &format!(
                " in {secs:.1} s ({:.1} images/min, {jobs} at once, {engine_note})",
                restored as f64 * 60.0 / secs
            );
        }
        eprintln!("{line}");
    }
    for (src, why) in &failed {
        eprintln!("  failed: {}: {why}", src.display());
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn restore_one(
    engine: &autorestore::Engine,
    a: &RestoreArgs,
    p: &Planned,
    say: &dyn Fn(String),
    progress: &mut dyn FnMut(f32) -> bool,
) -> Outcome {
    let r = (|| {
        if let Some(parent) = p.out.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    format!("cannot create the folder {}: {e}", parent.display()),
                )
            })?;
        }
        let pending = output::begin(output::check(&p.out)?)?;
        crate::restore_file(engine, a, &p.src, pending, say, progress)
    })();
    match r {
        Ok((stats, _)) => Outcome::Restored {
            unchanged: stats.nothing_to_repair,
        },
        // name the file unless the message already does
        Err(e) if e.message().contains(&*p.src.to_string_lossy()) => {
            Outcome::Failed(e.message().to_string())
        }
        Err(e) => Outcome::Failed(format!("{}: {}", p.src.display(), e.message())),
    }
}
