//! ONNX Runtime missing or of the wrong kind or version. A process loads one runtime for its
//! whole life, so this file is its own test binary with a single test that tries the bad
//! libraries first and the real one last (which must still work after the failures).

use std::path::{Path, PathBuf};
use std::process::Command;

use autorestore::{Device, Engine, EngineOptions, ErrorKind};

/// A shared library that exports `OrtGetApiBase` and claims to be ONNX Runtime `version`.
fn fake_runtime(dir: &Path, version: &str) -> PathBuf {
    let src = dir.join(format!("fake_ort_{version}.c"));
    let lib = dir.join(format!("libonnxruntime.so.{version}"));
    std::fs::write(
        &src,
        format!(
            "typedef struct {{ const void *(*GetApi)(unsigned); const char *(*GetVersionString)(void); }} B;\n\
             static const void *api(unsigned v) {{ (void)v; return 0; }}\n\
             static const char *ver(void) {{ return \"{version}\"; }}\n\
             static const B base = {{ api, ver }};\n\
             const B *OrtGetApiBase(void) {{ return &base; }}\n"
        ),
    )
    .unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let st = Command::new(&cc)
        .args(["-shared", "-fPIC", "-o"])
        .arg(&lib)
        .arg(&src)
        .status()
        .unwrap_or_else(|e| panic!("{cc}: {e}"));
    assert!(st.success(), "{cc} failed");
    lib
}

fn open(ort: Option<PathBuf>) -> autorestore::Result<Engine> {
    Engine::new(&EngineOptions {
        ort_library: ort,
        device: Device::Cpu,
        threads: 1,
        ..EngineOptions::default()
    })
}

#[test]
fn missing_foreign_or_old_runtimes_are_refused_then_the_real_one_loads() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |ort: PathBuf, needle: &str| {
        let e = open(Some(ort.clone()))
            .err()
            .unwrap_or_else(|| panic!("{ort:?} loaded"));
        assert_eq!(e.kind(), ErrorKind::RuntimeNotFound, "{ort:?}: {e}");
        assert!(e.message().contains(needle), "{ort:?}: {e}");
    };
    // missing
    refused(dir.path().join("libonnxruntime.so"), "does not exist");
    // not a shared library
    let text = dir.path().join("libonnxruntime.so.1.31.1");
    std::fs::write(&text, b"#!/bin/sh\n").unwrap();
    refused(text, "no ELF header");
    // a shared library that is not ONNX Runtime (no OrtGetApiBase)
    let other = dir.path().join("libother.so");
    let src = dir.path().join("other.c");
    std::fs::write(&src, "int answer(void) { return 42; }\n").unwrap();
    assert!(Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&other)
        .arg(&src)
        .status()
        .unwrap()
        .success());
    refused(other, "OrtGetApiBase");
    // an ONNX Runtime older than 1.31
    refused(fake_runtime(dir.path(), "1.20.0"), "1.20.0");
    // the environment variable names a missing file: that is the error, no quiet fallback
    std::env::set_var("AUTORESTORE_ORT_LIB", dir.path().join("nope.so"));
    let e = open(None).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::RuntimeNotFound);
    assert!(e.message().contains("AUTORESTORE_ORT_LIB"), "{e}");
    std::env::remove_var("AUTORESTORE_ORT_LIB");
    // after all that, the real one (search order: .setup/) still loads
    let e = open(None).unwrap_or_else(|e| panic!("{e} (run `make setup` first)"));
    assert_eq!(e.device(), Device::Cpu);
}
