//! Finding and loading libonnxruntime (the `ort` crate's `load-dynamic` mode).
//!
//! Search order (the first that applies wins):
//! 1. the path in the engine options;
//! 2. `AUTORESTORE_ORT_LIB`, then `ORT_DYLIB_PATH`;
//! 3. next to libautorestore.so (or the executable that links the library statically);
//! 4. the project's set-up folder (`.setup/` of the source tree, filled by `make setup`).
//!
//! In 3 and 4 the GPU build in the [`CUDA_SUBDIR`] subfolder (`make setup-cuda`, carried by the
//! install rules) comes first: it runs the CPU provider too, and the CUDA provider and its
//! libraries lie beside it (cuda.rs).
//!
//! A path that was named explicitly (1 or 2) must load: if it does not, that is the error, we do
//! not quietly try another library. A missing file, a file that is not ONNX Runtime, or one older
//! than 1.31 is reported as [`ErrorKind::RuntimeNotFound`](crate::error::ErrorKind), never a
//! crash: `ort` panics on some of these paths, so every call into it here sits behind
//! `catch_unwind`, and nothing in `ort` is touched before a library has loaded (its lazy global
//! would otherwise try `libonnxruntime.so` on its own and panic when that fails).
//!
//! ONNX Runtime allows one library and one environment per process, so the first successful
//! load stays for the life of the process; later engines share it (a different path named then is
//! ignored, and [`Runtime::path`] tells which library runs).

use std::ffi::CStr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::error::{err, panic_text, Error, Result};

/// The loaded ONNX Runtime and its process-wide environment.
pub struct Runtime {
    /// The process-wide ONNX Runtime environment every session is built in.
    pub env: ort::environment::Environment,
    /// The libonnxruntime file that was loaded, made absolute.
    pub path: PathBuf,
}

static RUNTIME: OnceLock<Runtime> = OnceLock::new();
static LOADING: Mutex<()> = Mutex::new(());

/// The set-up folder of the source tree this library was built from.
pub const SETUP_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/.setup");

/// Subfolder of the set-up folder, and of the library's folder once installed, that holds the
/// GPU build of ONNX Runtime with the CUDA provider and the CUDA/cuDNN libraries (the Makefile's
/// `CUDA_SUBDIR` names the same folder).
pub const CUDA_SUBDIR: &str = "autorestore-cuda";

/// Directory of the shared object (or executable) that contains this code.
pub fn library_dir() -> Option<PathBuf> {
    // SAFETY: dladdr only reads loader tables; Dl_info is plain old data, and dli_fname, when
    // not null, points to a NUL-terminated string owned by the loader.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        let addr = library_dir as *const libc::c_void;
        if libc::dladdr(addr, &mut info) == 0 || info.dli_fname.is_null() {
            return None;
        }
        let name = CStr::from_ptr(info.dli_fname).to_str().ok()?;
        let path = Path::new(name).canonicalize().ok()?;
        path.parent().map(Path::to_path_buf)
    }
}

/// Files in `dir` that look like the ONNX Runtime library, best first.
fn candidates_in(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n == "libonnxruntime.so" || n.starts_with("libonnxruntime.so."))
        })
        .collect();
    found.sort();
    found
}

/// Where we look, as (description, path, named explicitly).
fn search(explicit: Option<&Path>) -> Vec<(String, PathBuf, bool)> {
    let mut out = Vec::new();
    if let Some(p) = explicit {
        out.push(("the engine options".to_string(), p.to_path_buf(), true));
        return out;
    }
    for var in ["AUTORESTORE_ORT_LIB", "ORT_DYLIB_PATH"] {
        if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            out.push((var.to_string(), PathBuf::from(v), true));
            return out;
        }
    }
    let mut dirs = Vec::new();
    if let Some(dir) = library_dir() {
        dirs.push(("beside libautorestore", dir));
    }
    dirs.push(("the set-up folder", PathBuf::from(SETUP_DIR)));
    for (what, dir) in dirs {
        for (sub, d) in [(true, dir.join(CUDA_SUBDIR)), (false, dir)] {
            for p in candidates_in(&d) {
                let from = if sub {
                    format!("{what} (GPU build)")
                } else {
                    what.to_string()
                };
                out.push((from, p, false));
            }
        }
    }
    out
}

fn try_load(path: &Path) -> Result<Runtime> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if !abs.is_file() {
        return Err(err!(
            RuntimeNotFound,
            "{} does not exist or is not a file",
            abs.display()
        ));
    }
    let mut magic = [0u8; 4];
    let is_elf = std::fs::File::open(&abs)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok()
        && &magic == b"\x7fELF";
    if !is_elf {
        return Err(err!(
            RuntimeNotFound,
            "{} is not a shared library (no ELF header)",
            abs.display()
        ));
    }
    let loaded = catch_unwind(AssertUnwindSafe(|| -> Result<Runtime> {
        let builder = ort::init_from(&abs).map_err(|e| err!(RuntimeNotFound, "{e}"))?;
        let env = builder.with_name("autorestore").build().map_err(|e| {
            err!(
                RuntimeNotFound,
                "cannot create the ONNX Runtime environment: {e}"
            )
        })?;
        Ok(Runtime {
            env,
            path: abs.clone(),
        })
    }));
    match loaded {
        Ok(r) => r,
        Err(p) => Err(err!(
            RuntimeNotFound,
            "loading ONNX Runtime from {} failed: {}",
            abs.display(),
            panic_text(p)
        )),
    }
}

/// The process's ONNX Runtime, loading it on first use.
pub fn get(explicit: Option<&Path>) -> Result<&'static Runtime> {
    if let Some(r) = RUNTIME.get() {
        return Ok(r);
    }
    let _guard = LOADING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(r) = RUNTIME.get() {
        return Ok(r);
    }
    let places = search(explicit);
    if places.is_empty() {
        return Err(err!(
            RuntimeNotFound,
            "ONNX Runtime (libonnxruntime.so, 1.31 or newer) not found: set ort_library_path or \
             AUTORESTORE_ORT_LIB, put it beside libautorestore.so, or run `make setup` in {}",
            env!("CARGO_MANIFEST_DIR")
        ));
    }
    let mut errors: Vec<Error> = Vec::new();
    for (from, path, explicit) in places {
        match try_load(&path) {
            Ok(rt) => return Ok(RUNTIME.get_or_init(|| rt)),
            Err(e) if explicit => return Err(e.context(format!("ONNX Runtime from {from}"))),
            Err(e) => errors.push(e),
        }
    }
    let all: Vec<String> = errors.iter().map(|e| e.message().to_string()).collect();
    Err(err!(
        RuntimeNotFound,
        "no usable ONNX Runtime: {}",
        all.join("; ")
    ))
}

/// The runtime if one is loaded already.
pub fn loaded() -> Option<&'static Runtime> {
    RUNTIME.get()
}
