//! Helpers shared by the integration tests (`mod common;` in each test file; a file uses only
//! some of them, hence the `allow`).
#![allow(dead_code)]

use autorestore::{Device, Engine, EngineOptions, ImageRef, RestoreParams};

/// The tests' pseudo-random numbers: the 32-bit linear congruential generator of Numerical
/// Recipes. Cheap and reproducible from its seed, which is all synthetic test images need.
pub struct Lcg(pub u32);

impl Lcg {
    /// The next state (the whole 32 bits; take the high bits, the low ones are weak).
    pub fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        self.0
    }
}

/// The options the engine tests start from: the CPU (the same bytes on every machine), two
/// intra-op threads, everything else the library's defaults.
pub fn cpu_options() -> EngineOptions {
    EngineOptions {
        device: Device::Cpu,
        threads: 2,
        ..EngineOptions::default()
    }
}

/// An engine with the real model and ONNX Runtime, or a panic that says what to set up.
pub fn engine(opts: EngineOptions) -> Engine {
    Engine::new(&opts).unwrap_or_else(|e| panic!("engine {opts:?}: {e} (run `make setup` first)"))
}

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
