//! Sessions of one graph, created on demand and leased one call (or one image) at a time.
//!
//! `ort`'s `Session::run` takes `&mut self`, so a session serves one call at a time. A pool keeps
//! the idle sessions behind a mutex: a call leases one, a new one is created (from the verified
//! model bytes) when all are busy, up to `max`; beyond that callers wait on a condition variable.
//! One lock per lease, not per pixel, keeps the overhead negligible against the graph itself.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;

use crate::error::{err, ort_error, Error, ErrorKind, Result};
use crate::provider::Device;
use crate::runtime;

/// What the mutex guards.
struct State {
    /// Sessions created and not leased now.
    idle: Vec<Session>,
    /// Sessions created (or being created) in all: idle + leased.
    created: usize,
}

/// Creates sessions of one graph on demand.
pub(crate) struct Pool {
    name: &'static str,
    bytes: Arc<Vec<u8>>,
    device: Device,
    threads: usize,
    max: usize,
    state: Mutex<State>,
    freed: Condvar,
}

fn runtime_env() -> Result<ort::environment::Environment> {
    runtime::loaded()
        .map(|r| r.env.clone())
        .ok_or_else(|| err!(Internal, "ONNX Runtime is not loaded"))
}

impl Pool {
    /// A pool of sessions of graph `name` (its verified `bytes`) on `device`, at most `max`.
    pub(crate) fn new(
        name: &'static str,
        bytes: Arc<Vec<u8>>,
        device: Device,
        threads: usize,
        max: usize,
    ) -> Pool {
        Pool {
            name,
            bytes,
            device,
            threads,
            max,
            state: Mutex::new(State {
                idle: Vec::new(),
                created: 0,
            }),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // a panic while holding the lock leaves the state consistent (plain pushes and counts)
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The verified bytes of this pool's graph.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// A new session, outside the pool (see [`Pool::seed`]).
    pub(crate) fn create(&self) -> Result<Session> {
        self.create_from(&self.bytes, &[])
    }

    /// A session of `bytes` (a variant of this pool's graph) with this pool's options, its
    /// symbolic dimensions named in `fixed_dims` fixed to those sizes; outside the pool.
    pub(crate) fn create_from(&self, bytes: &[u8], fixed_dims: &[(&str, i64)]) -> Result<Session> {
        let what = format!("cannot create the {} session", self.name);
        let mut b = Session::builder(&runtime_env()?)
            .map_err(ort_error(ErrorKind::Inference, &what))?
            .with_optimization_level(GraphOptimizationLevel::All)
            .map_err(ort_error(ErrorKind::Inference, &what))?
            .with_inter_threads(1)
            .map_err(ort_error(ErrorKind::Inference, &what))?
            // Idle intra-op threads sleep instead of spinning: on a desktop whose cores are
            // shared (GIMP, other images) spinning burns CPU time the other work needs; 2 threads
            // on 2 busy cores measured 0.47-0.82x the time without it (docs/PERFORMANCE.md).
            .with_intra_op_spinning(false)
            .map_err(ort_error(ErrorKind::Inference, &what))?;
        if self.threads > 0 {
            b = b
                .with_intra_threads(self.threads)
                .map_err(ort_error(ErrorKind::Inference, &what))?;
        }
        if self.device == Device::Cpu {
            // Without ORT's memory pattern (one block planned for all of a run's tensors) the
            // arena reuses each tensor's memory as it dies: a 1024 px tile peaked at 382 MiB
            // instead of 569 (an image session: 537 instead of 857) at the same speed
            // (0.98x and 1.00x, 7 interleaved rounds; docs/PERFORMANCE.md).
            b = b
                .with_memory_pattern(false)
                .map_err(ort_error(ErrorKind::Inference, &what))?;
        }
        for &(name, size) in fixed_dims {
            b = b
                .with_dimension_override(name, size)
                .map_err(ort_error(ErrorKind::Inference, &what))?;
        }
        let mut b = self.device.register(b)?;
        b.commit_from_memory(bytes).map_err(|e| {
            // On CPU a graph that does not load is the model's fault; elsewhere the provider's.
            let kind = if self.device == Device::Cpu {
                ErrorKind::Model
            } else {
                ErrorKind::ProviderUnavailable
            };
            Error::new(kind, format!("{what} on {}: {e}", self.device.name()))
        })
    }

    /// Runs `f` with a session of this pool (created when none is free and the cap allows).
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Session) -> Result<R>) -> Result<R> {
        let mut lease = self.lease()?;
        f(&mut lease)
    }

    /// A session of this pool for as long as the lease lives (one image's tiles: its I/O
    /// binding belongs to that session); created when none is free and the cap allows.
    pub(crate) fn lease(&self) -> Result<Lease<'_>> {
        let reuse = {
            let mut st = self.lock();
            loop {
                if let Some(s) = st.idle.pop() {
                    break Some(s);
                }
                if st.created < self.max {
                    st.created += 1;
                    break None;
                }
                st = self.freed.wait(st).unwrap_or_else(|p| p.into_inner());
            }
        };
        let session = match reuse {
            Some(s) => s,
            None => self.create().inspect_err(|_| {
                self.lock().created -= 1;
                self.freed.notify_one();
            })?,
        };
        Ok(Lease {
            pool: self,
            session: Some(session),
        })
    }

    /// Adds a session made by [`Pool::create`] (the engine's first, which it inspects).
    pub(crate) fn seed(&self, s: Session) {
        let mut st = self.lock();
        st.idle.push(s);
        st.created += 1;
    }
}

/// A session taken from a [`Pool`]; given back when dropped (also on errors and cancels).
pub(crate) struct Lease<'p> {
    pool: &'p Pool,
    session: Option<Session>,
}

impl std::ops::Deref for Lease<'_> {
    type Target = Session;
    fn deref(&self) -> &Session {
        self.session
            .as_ref()
            .expect("a lease holds its session until dropped")
    }
}

impl std::ops::DerefMut for Lease<'_> {
    fn deref_mut(&mut self) -> &mut Session {
        self.session
            .as_mut()
            .expect("a lease holds its session until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(s) = self.session.take() {
            self.pool.lock().idle.push(s);
            self.pool.freed.notify_one();
        }
    }
}
