//! Ctrl-C and SIGTERM: the temporary files of outputs not yet complete are removed before the
//! process exits, so an interrupted run leaves nothing half-made beside them (the files are
//! created long before they are written, to find an unwritable folder before any work).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Temporary files that exist now and are not yet renamed into place.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    // a panic elsewhere must not keep the handler from cleaning up
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the thread that waits for SIGINT/SIGTERM (a plain thread, not a signal handler, so
/// it may take locks and remove files), then exits at once with 128 + the signal number as
/// shells do.
pub fn install() -> std::io::Result<()> {
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                let files = pending();
                for p in files.iter() {
                    let _ = std::fs::remove_file(p);
                }
                eprintln!(
                    "autorestore: interrupted: {} unfinished output(s) removed, finished ones kept",
                    files.len()
                );
                // _exit, not process::exit: exit runs the C++ static destructors of ONNX
                // Runtime while its worker threads are still inside a run, which can crash the
                // process (a CI run died by a signal here instead of exiting 130). The files are
                // removed and stderr is unbuffered, so nothing is left to flush.
                // SAFETY: _exit takes a plain integer and never returns.
                unsafe { libc::_exit(128 + sig) }
            }
        })?;
    Ok(())
}

/// Registers `path` as a temporary file to remove on a signal, until the guard drops.
pub fn track(path: &Path) -> Tracked {
    pending().push(path.to_path_buf());
    Tracked(path.to_path_buf())
}

pub struct Tracked(PathBuf);

impl Tracked {
    /// Runs `f` (the rename into place) with the signal thread held off, so a signal sees
    /// either the temporary file or the finished output, never a moment between.
    pub fn finish<R>(self, f: impl FnOnce() -> R) -> R {
        let mut files = pending();
        let r = f();
        files.retain(|p| p != &self.0);
        r
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        pending().retain(|p| p != &self.0);
    }
}
