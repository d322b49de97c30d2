//! Fuzzes model loading: a copy of models/shipped in a temporary directory is damaged the way
//! disks, downloads and people damage files, then an engine is created from it. Whatever the
//! damage, creation must fail with a clean error (`Model` for the model's fault) or, when the
//! damage left the files intact, succeed; never crash, hang or report an internal error.
//!
//! The first input byte picks the damage:
//! - 0: truncate a graph (the manifest then no longer matches: refused by the SHA-256 check);
//! - 1: flip bits in a graph, manifest unchanged (refused by the SHA-256 check);
//! - 2: flip bits or truncate a graph and rewrite the manifest with the new sum, so ONNX Runtime
//!   itself parses the damaged protobuf (the interesting case);
//! - 3: replace the manifest by the fuzz input (wrong JSON, wrong names, wrong contract);
//! - 4: patch a manifest field (name, version, contract, a file entry);
//! - 5: swap or drop files.
//!
//! No image is ever run: creating the sessions is as far as loading goes.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

// the library's own manifest hashing, so the re-summed manifests match what it checks
use autorestore::model::sha256_hex as sha;
use autorestore::{Device, Engine, EngineOptions, ErrorKind};
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 2] = ["analyze.onnx", "restore.onnx"];

struct Shipped {
    manifest: String,
    graphs: [Vec<u8>; 2],
}

fn shipped() -> &'static Shipped {
    static S: OnceLock<Shipped> = OnceLock::new();
    S.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/shipped");
        let read = |n: &str| std::fs::read(dir.join(n)).expect("models/shipped");
        Shipped {
            manifest: String::from_utf8(read("manifest.json")).unwrap(),
            graphs: [read(FILES[0]), read(FILES[1])],
        }
    })
}

fn scratch() -> &'static PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("autorestore-fuzz-model-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

fn write_model(dir: &Path, manifest: &[u8], graphs: &[Option<Vec<u8>>; 2]) {
    std::fs::write(dir.join("manifest.json"), manifest).unwrap();
    for (name, g) in FILES.iter().zip(graphs) {
        let p = dir.join(name);
        match g {
            Some(bytes) => std::fs::write(&p, bytes).unwrap(),
            None => {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

fn flip(bytes: &mut [u8], data: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    for c in data.chunks(5) {
        let mut b = [0u8; 5];
        b[..c.len()].copy_from_slice(c);
        let off = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize % bytes.len();
        bytes[off] ^= b[4] | 1;
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let s = shipped();
    let which = (data[1] & 1) as usize;
    let rest = &data[2..];
    let mut manifest = s.manifest.clone().into_bytes();
    let mut graphs = [Some(s.graphs[0].clone()), Some(s.graphs[1].clone())];
    let g = graphs[which].as_mut().unwrap();
    match data[0] % 6 {
        0 => {
            let n = u32::from_le_bytes(rest.get(..4).unwrap_or(&[0; 4]).try_into().unwrap());
            g.truncate(n as usize % g.len());
        }
        1 => flip(g, rest),
        2 => {
            if rest.first().is_some_and(|b| b & 1 == 1) {
                let n = u32::from_le_bytes(rest.get(1..5).unwrap_or(&[0; 4]).try_into().unwrap());
                g.truncate(n as usize % g.len());
            } else {
                flip(g, rest.get(1..).unwrap_or(&[]));
            }
            let new = sha(g);
            let old = sha(&s.graphs[which]);
            manifest = s.manifest.replace(&old, &new).into_bytes();
        }
        3 => manifest = rest.to_vec(),
        4 => {
            let text = String::from_utf8_lossy(rest);
            let (field, value) = text.split_once('=').unwrap_or(("contract", &text));
            let m = s.manifest.clone();
            let patched = match field.len() % 4 {
                0 => m.replace("\"contract\": 2", &format!("\"contract\": {value}")),
                1 => m.replace("\"mimdit-s\"", &format!("{value:?}")),
                2 => m.replace("\"analyze.onnx\"", &format!("{value:?}")),
                _ => m.replace(&sha(&s.graphs[which]), value),
            };
            manifest = patched.into_bytes();
        }
        _ => match rest.first().copied().unwrap_or(0) % 3 {
            0 => graphs.swap(0, 1),
            1 => graphs[which] = None,
            _ => graphs[which] = Some(Vec::new()),
        },
    }
    let dir = scratch();
    write_model(dir, &manifest, &graphs);
    let r = Engine::new(&EngineOptions {
        model_dir: Some(dir.clone()),
        device: Device::Cpu,
        threads: 1,
        max_sessions: 1,
        ..EngineOptions::default()
    });
    match r {
        // a flipped weight still makes a valid graph: loading it is fine
        Ok(e) => assert!(!e.info().degradations.is_empty()),
        Err(e) => {
            assert!(
                matches!(e.kind(), ErrorKind::Model | ErrorKind::InvalidArgument),
                "{:?}: {e}",
                e.kind()
            );
            assert!(!e.message().is_empty());
        }
    }
});
