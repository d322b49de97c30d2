//! Concurrency stress: 8 threads share one engine (fewer sessions than threads, so callers
//! queue for a session), run a mix of image sizes, sample types and seeds, and cancel some runs
//! midway. Every finished result must equal the single-threaded one byte for byte, every
//! cancelled run must report `Cancelled`, and the whole thing must finish in bounded time (a
//! watchdog turns a deadlock into a failure instead of a hung CI job).

mod common;

use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use autorestore::{Engine, EngineOptions, ErrorKind, ImageRef, Layout, RestoreParams, SampleType};

const THREADS: usize = 8;
const JOBS_PER_THREAD: usize = 10;
const WATCHDOG: Duration = Duration::from_secs(240);

/// A small job: image size, channels, seed, and whether (and after how many progress calls) to
/// cancel it.
#[derive(Clone, Copy, Debug)]
struct Job {
    w: usize,
    h: usize,
    channels: usize,
    seed: u64,
    cancel_after: Option<u32>,
}

const SHAPES: [(usize, usize, usize); 6] = [
    (24, 24, 3),
    (70, 40, 4),
    (1, 37, 1),
    (96, 20, 3),
    (33, 1, 2),
    (50, 50, 3),
];

fn job(thread: usize, i: usize) -> Job {
    let k = thread * JOBS_PER_THREAD + i;
    let (w, h, channels) = SHAPES[k % SHAPES.len()];
    Job {
        w,
        h,
        channels,
        seed: (k % 3) as u64,
        // every third job of a thread cancels, at its first or second progress call
        cancel_after: (k % 3 == 2).then_some((k % 2) as u32 + 1),
    }
}

fn pixels(j: &Job) -> Vec<u8> {
    let mut rng = common::Lcg((j.w * 31 + j.h * 7 + j.channels) as u32);
    (0..j.w * j.h * j.channels)
        .map(|i| ((i * 5) as u32 ^ (rng.next_u32() >> 26)) as u8)
        .collect()
}

/// Runs a job; `Ok(bytes)` when it finished, `Err(kind)` when it failed or was cancelled.
fn run(e: &Engine, j: &Job) -> Result<Vec<u8>, ErrorKind> {
    let data = pixels(j);
    let view = ImageRef::new(&data, Layout::packed(j.w, j.h, j.channels, SampleType::U8)).unwrap();
    let mut calls = 0u32;
    let mut cancel = |_f: f32| {
        calls += 1;
        j.cancel_after.is_none_or(|n| calls < n)
    };
    e.restore(
        &view,
        RestoreParams {
            // a manual mode always runs the graph (automatic mode may find nothing to repair
            // and finish after one progress call): two steps = two progress calls
            mode: autorestore::Mode::from_name("denoise").unwrap(),
            steps: 2,
            seed: j.seed,
            progress: Some(&mut cancel),
            ..RestoreParams::default()
        },
    )
    .map(|(out, _)| out.into_bytes())
    .map_err(|e| e.kind())
}

#[test]
fn eight_threads_share_one_engine_with_cancels() {
    let t0 = Instant::now();
    let engine = Arc::new(common::engine(EngineOptions {
        threads: 1,
        max_sessions: 3,
        ..common::cpu_options()
    }));
    // the single-threaded reference of every shape and seed (uncancelled)
    let mut reference = std::collections::HashMap::new();
    for t in 0..THREADS {
        for i in 0..JOBS_PER_THREAD {
            let j = job(t, i);
            reference
                .entry((j.w, j.h, j.channels, j.seed))
                .or_insert_with(|| {
                    run(
                        &engine,
                        &Job {
                            cancel_after: None,
                            ..j
                        },
                    )
                    .unwrap()
                });
        }
    }
    let single = t0.elapsed();

    let (tx, rx) = mpsc::channel();
    for t in 0..THREADS {
        let engine = engine.clone();
        let tx = tx.clone();
        std::thread::spawn(move || {
            for i in 0..JOBS_PER_THREAD {
                let j = job(t, i);
                let r = run(&engine, &j);
                tx.send((j, r)).unwrap();
            }
        });
    }
    drop(tx);
    let deadline = Instant::now() + WATCHDOG;
    let (mut finished, mut cancelled) = (0, 0);
    for _ in 0..THREADS * JOBS_PER_THREAD {
        let left = deadline.saturating_duration_since(Instant::now());
        let (j, r) = rx
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("no result within {WATCHDOG:?} (deadlock?): {e}"));
        match (j.cancel_after, r) {
            (None, Ok(bytes)) => {
                assert!(
                    bytes == reference[&(j.w, j.h, j.channels, j.seed)],
                    "{j:?}: differs from the single-threaded result"
                );
                finished += 1;
            }
            (Some(_), Err(ErrorKind::Cancelled)) => cancelled += 1,
            (_, r) => panic!("{j:?}: unexpected {:?}", r.map(|b| b.len())),
        }
    }
    eprintln!(
        "{finished} finished and {cancelled} cancelled runs on {THREADS} threads in {:.1} s \
         (references {:.1} s)",
        t0.elapsed().as_secs_f64() - single.as_secs_f64(),
        single.as_secs_f64()
    );
    assert!(finished > 0 && cancelled > 0);
}
