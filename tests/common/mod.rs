//! Helpers shared by the integration tests.

use autorestore::{Engine, ImageRef, RestoreParams};

/// Restores `view` with default parameters from `n` threads at once on one engine and returns
/// each thread's bytes (the callers assert they all agree).
pub fn restore_in_threads(engine: &Engine, view: &ImageRef<'_>, n: usize) -> Vec<Vec<u8>> {
    std::thread::scope(|s| {
        let hs: Vec<_> = (0..n)
            .map(|_| {
                s.spawn(|| {
                    engine
                        .restore(view, RestoreParams::default())
                        .unwrap()
                        .0
                        .into_bytes()
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    })
}
