//! The model on disk: where to find it, its SHA-256 manifest, and the contract metadata
//! (models/README.md). Files are read once, checked against the manifest, and the verified bytes
//! are what ONNX Runtime loads, so a file cannot change between the check and the load.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{err, Result};

/// Version of the engine <-> model contract this library speaks (models/README.md).
pub const CONTRACT: u32 = 2;
/// Most degradation groups a model may have: the C API's fixed arrays bound it, and the C
/// header's constant is the one owner.
pub const MAX_DEGRADATIONS: usize = crate::ffi::AUTORESTORE_MAX_DEGRADATIONS;
/// Most gates (groups x sub-experts) a model may have (the C header's constant).
pub const MAX_GATES: usize = crate::ffi::AUTORESTORE_MAX_GATES;
/// Longest `cond` vector (`autorestore.cond_dim`) a model may have.
pub const MAX_COND: usize = crate::ffi::AUTORESTORE_MAX_COND;
/// Largest `autorestore.receptive_field` accepted (pixels each side).
pub const MAX_RECEPTIVE_FIELD: usize = 1024;

/// File name of the analysis graph in a model folder.
pub const ANALYZE_FILE: &str = "analyze.onnx";
/// File name of the restore graph in a model folder.
pub const RESTORE_FILE: &str = "restore.onnx";
/// File name of the manifest (name, version, contract, SHA-256 of each file) in a model folder.
pub const MANIFEST_FILE: &str = "manifest.json";
const MAX_MODEL_FILE: u64 = 256 << 20;

/// A model folder's `manifest.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct Manifest {
    /// Model name, e.g. `mimdit-s`.
    pub name: String,
    /// Model version; must equal the graphs' `autorestore.version`.
    pub version: String,
    /// Engine <-> model contract version; must be [`CONTRACT`].
    pub contract: u32,
    /// SHA-256 (hex) of each file by file name; both graphs must be listed.
    pub files: BTreeMap<String, String>,
}

/// The verified bytes of a model.
pub struct ModelFiles {
    /// Its `version` is checked against the graphs' metadata when the engine loads them.
    pub manifest: Manifest,
    /// The analysis graph, as checked against the manifest.
    pub analyze: Vec<u8>,
    /// The restore graph, as checked against the manifest.
    pub restore: Vec<u8>,
}

fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let meta =
        std::fs::metadata(path).map_err(|e| err!(Model, "cannot read {}: {e}", path.display()))?;
    if meta.len() > limit {
        return Err(err!(
            Model,
            "{} is {} bytes, over the limit of {limit}",
            path.display(),
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| err!(Model, "cannot read {}: {e}", path.display()))
}

/// SHA-256 of `bytes` as 64 lower-case hex digits, the form the manifest holds.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

impl ModelFiles {
    /// Reads `dir/manifest.json`, then each graph, refusing any file whose SHA-256 differs.
    pub fn load(dir: &Path) -> Result<ModelFiles> {
        let mpath = dir.join(MANIFEST_FILE);
        let text = read_limited(&mpath, 1 << 20)
            .map_err(|e| e.context(format!("no usable model in {}", dir.display())))?;
        let manifest: Manifest = serde_json::from_slice(&text)
            .map_err(|e| err!(Model, "{} is not a valid manifest: {e}", mpath.display()))?;
        if manifest.contract != CONTRACT {
            return Err(contract_error(
                &dir.display().to_string(),
                manifest.contract,
            ));
        }
        let load = |name: &str| -> Result<Vec<u8>> {
            let want = manifest
                .files
                .get(name)
                .ok_or_else(|| err!(Model, "{} does not list {name}", mpath.display()))?;
            let path = dir.join(name);
            let bytes = read_limited(&path, MAX_MODEL_FILE)?;
            let got = sha256_hex(&bytes);
            if !got.eq_ignore_ascii_case(want.trim()) {
                return Err(err!(
                    Model,
                    "{} is corrupt or altered: SHA-256 {got} does not match the manifest ({want})",
                    path.display()
                ));
            }
            Ok(bytes)
        };
        Ok(ModelFiles {
            analyze: load(ANALYZE_FILE)?,
            restore: load(RESTORE_FILE)?,
            manifest,
        })
    }
}

/// The error for a model of another contract version.
fn contract_error(what: &str, contract: u32) -> crate::error::Error {
    let hint = if contract < CONTRACT {
        " (an older export: re-export it with the current models/autorestore_model/export.py, \
         or use the AutoRestore release that matches it)"
    } else {
        " (a newer export: update AutoRestore)"
    };
    err!(
        Model,
        "model {what} speaks contract {contract}, this library needs contract {CONTRACT}{hint}"
    )
}

/// The environment variable that names the model directory (binding: when set, it is the model).
pub const MODEL_DIR_ENV: &str = "AUTORESTORE_MODEL_DIR";

/// The folder `make install` copies the model to (its `MODELDIR`), baked in by the install build.
pub const INSTALL_DIR: Option<&str> = option_env!("AUTORESTORE_INSTALL_MODEL_DIR");

/// The source tree's shipped model (a build run from its tree, tests, `make demo`).
pub const SOURCE_TREE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/shipped");

/// Where a model is looked for when the caller names none, in order (the one owner of this
/// order; the header's `model_dir` documents it): `AUTORESTORE_MODEL_DIR`; beside the library
/// `model/`, `../model/` (an application folder with the library in `lib/`),
/// `autorestore/model/`, `../share/autorestore/model/`; the install-time folder; the source
/// tree's models/shipped.
pub fn search_dirs(library_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os(MODEL_DIR_ENV).filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
    }
    if let Some(lib) = library_dir {
        dirs.push(lib.join("model"));
        dirs.push(lib.join("..").join("model"));
        dirs.push(lib.join("autorestore").join("model"));
        dirs.push(lib.join("../share/autorestore/model"));
    }
    if let Some(p) = INSTALL_DIR.filter(|p| !p.is_empty()) {
        dirs.push(PathBuf::from(p));
    }
    dirs.push(PathBuf::from(SOURCE_TREE_DIR));
    dirs
}

/// The model directory to use: the caller's; else `AUTORESTORE_MODEL_DIR` when set (named
/// explicitly, so it is used even without a manifest and fails with its own reason rather
/// than quietly falling back to another model, as `AUTORESTORE_ORT_LIB` does); else the first
/// search location with a manifest.
pub fn find_dir(explicit: Option<&Path>, library_dir: Option<&Path>) -> Result<PathBuf> {
    if let Some(d) = explicit {
        return Ok(d.to_path_buf());
    }
    if let Some(d) = std::env::var_os(MODEL_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    let dirs = search_dirs(library_dir);
    dirs.iter()
        .find(|d| d.join(MANIFEST_FILE).is_file())
        .cloned()
        .ok_or_else(|| {
            let list: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            err!(
                Model,
                "no model found (set model_dir or {MODEL_DIR_ENV}); looked in: {}",
                list.join(", ")
            )
        })
}

/// The contract metadata (`autorestore.*` keys of the ONNX metadata_props).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelInfo {
    /// Model name (`autorestore.name`).
    pub name: String,
    /// Model version (`autorestore.version`), equal to the manifest's.
    pub version: String,
    /// The D degradation group names in gate order (`autorestore.degradations`), 1 to
    /// [`MAX_DEGRADATIONS`].
    pub degradations: Vec<String>,
    /// K, the sub-experts per group (`autorestore.subexperts`); D x K is at most [`MAX_GATES`].
    pub subexperts: usize,
    /// Height and width of every restore input must be multiples of it
    /// (`autorestore.tile_multiple`, 1 to 256).
    pub tile_multiple: usize,
    /// Pixels of context each side that determine an output pixel of the restore graph.
    pub receptive_field: usize,
    /// C, the length of the analysis' `cond` vector (an input of every restore call).
    pub cond_dim: usize,
    /// p of the Inter-MoE rule (informative: the rule is in the analyze graph).
    pub inter_power: f32,
    /// Sampler steps when the caller asks for 0 (`autorestore.default_steps`, 1 to 64).
    pub default_steps: u32,
    /// S, the side in pixels of each analysis view (`autorestore.analyze_size`, 1 to 1024).
    pub analyze_size: usize,
    /// Native-resolution crops the analysis sees after the whole-image view
    /// (`autorestore.analyze_crops`, a square number: a grid over the image).
    pub analyze_crops: usize,
    /// Sampler name (`autorestore.sampler`); only `flow-v1` is accepted.
    pub sampler: String,
    /// Sigma of the sampler's re-noising between steps (`autorestore.noise_scale`, 0 to 1).
    pub noise_scale: f32,
}

impl ModelInfo {
    /// D x K, the length of the gate vector.
    pub fn gate_count(&self) -> usize {
        self.degradations.len() * self.subexperts
    }

    /// The tile margin: context each side of the pixels a tile contributes, the receptive
    /// field rounded up to the tile multiple (so tile origins stay multiples of it).
    pub fn tile_margin(&self) -> usize {
        crate::tiling::round_up(self.receptive_field, self.tile_multiple)
    }

    /// Parses and checks the metadata, reading each key through `get`.
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> Result<ModelInfo> {
        let req = |k: &str| -> Result<String> {
            get(&format!("autorestore.{k}"))
                .map(|v| v.trim().to_string())
                .ok_or_else(|| err!(Model, "model metadata lacks autorestore.{k}"))
        };
        fn num<T: std::str::FromStr>(k: &str, v: String) -> Result<T> {
            v.parse().map_err(|_| {
                err!(
                    Model,
                    "model metadata autorestore.{k} = {v:?} is not a number"
                )
            })
        }
        let contract: u32 = num("contract", req("contract")?)?;
        if contract != CONTRACT {
            return Err(contract_error("metadata", contract));
        }
        let degradations: Vec<String> = req("degradations")?
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let info = ModelInfo {
            name: req("name")?,
            version: req("version")?,
            subexperts: num("subexperts", req("subexperts")?)?,
            tile_multiple: num("tile_multiple", req("tile_multiple")?)?,
            receptive_field: num("receptive_field", req("receptive_field")?)?,
            cond_dim: num("cond_dim", req("cond_dim")?)?,
            inter_power: num("inter_power", req("inter_power")?)?,
            default_steps: num("default_steps", req("default_steps")?)?,
            analyze_size: num("analyze_size", req("analyze_size")?)?,
            analyze_crops: num("analyze_crops", req("analyze_crops")?)?,
            sampler: req("sampler")?,
            noise_scale: num("noise_scale", req("noise_scale")?)?,
            degradations,
        };
        let d = info.degradations.len();
        if d == 0 || d > MAX_DEGRADATIONS {
            return Err(err!(
                Model,
                "model has {d} degradations; 1..={MAX_DEGRADATIONS} are supported"
            ));
        }
        if info.subexperts == 0 || info.gate_count() > MAX_GATES {
            return Err(err!(
                Model,
                "model has {d} x {} gates; 1..={MAX_GATES} are supported",
                info.subexperts
            ));
        }
        if !(1..=256).contains(&info.tile_multiple) {
            return Err(err!(
                Model,
                "tile multiple {} is out of range",
                info.tile_multiple
            ));
        }
        if info.receptive_field > MAX_RECEPTIVE_FIELD {
            return Err(err!(
                Model,
                "receptive field {} is over {MAX_RECEPTIVE_FIELD} pixels",
                info.receptive_field
            ));
        }
        if !(1..=MAX_COND).contains(&info.cond_dim) {
            return Err(err!(
                Model,
                "model has a cond vector of {}; 1..={MAX_COND} are supported",
                info.cond_dim
            ));
        }
        if !(info.inter_power.is_finite() && info.inter_power > 0.0) {
            return Err(err!(
                Model,
                "inter power {} is not a positive number",
                info.inter_power
            ));
        }
        if !(1..=1024).contains(&info.analyze_size) {
            return Err(err!(
                Model,
                "analyze size {} is out of range",
                info.analyze_size
            ));
        }
        if !(1..=64).contains(&info.default_steps) {
            return Err(err!(
                Model,
                "default steps {} is out of range",
                info.default_steps
            ));
        }
        if info.sampler != "flow-v1" {
            return Err(err!(
                Model,
                "unknown sampler {:?} (this library knows flow-v1)",
                info.sampler
            ));
        }
        if !(info.noise_scale.is_finite() && (0.0..=1.0).contains(&info.noise_scale)) {
            return Err(err!(
                Model,
                "noise scale {} is out of range",
                info.noise_scale
            ));
        }
        crate::analysis::crop_grid(info.analyze_crops)?;
        Ok(info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn meta(over: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let mut m: BTreeMap<String, String> = [
            ("contract", "2"),
            ("name", "mimdit-s"),
            ("version", "2.0.0"),
            ("degradations", "noise,blur,haze,lowlight,rain"),
            ("subexperts", "3"),
            ("tile_multiple", "8"),
            ("receptive_field", "92"),
            ("cond_dim", "72"),
            ("inter_power", "5.0"),
            ("default_steps", "1"),
            ("analyze_size", "128"),
            ("analyze_crops", "4"),
            ("sampler", "flow-v1"),
            ("noise_scale", "0.02"),
        ]
        .iter()
        .map(|(k, v)| (format!("autorestore.{k}"), v.to_string()))
        .collect();
        for (k, v) in over {
            if v.is_empty() {
                m.remove(&format!("autorestore.{k}"));
            } else {
                m.insert(format!("autorestore.{k}"), v.to_string());
            }
        }
        move |k| m.get(k).cloned()
    }

    #[test]
    fn parses_the_contract_example() {
        let i = ModelInfo::parse(meta(&[])).unwrap();
        assert_eq!(i.degradations.len(), 5);
        assert_eq!(i.gate_count(), 15);
        assert_eq!(i.noise_scale, 0.02);
        assert_eq!((i.receptive_field, i.cond_dim), (92, 72));
        assert_eq!(i.tile_margin(), 96);
    }

    #[test]
    fn refuses_bad_metadata() {
        for over in [
            [("contract", "1")],
            [("contract", "3")],
            [("receptive_field", "")],
            [("receptive_field", "-1")],
            [("receptive_field", "5000")],
            [("cond_dim", "")],
            [("cond_dim", "0")],
            [("cond_dim", "129")],
            [("inter_power", "nan")],
            [("inter_power", "0")],
            [("subexperts", "x")],
            [("sampler", "ddim")],
            [("degradations", "a,b,c,d,e,f,g,h,i")],
            [("name", "")],
            [("analyze_crops", "3")],
        ] {
            let e = ModelInfo::parse(meta(&over)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Model, "{over:?}");
        }
    }

    #[test]
    fn searches_beside_the_library_in_the_documented_order() {
        let lib = Path::new("/opt/app/lib");
        let dirs = search_dirs(Some(lib));
        let beside: Vec<&Path> = dirs
            .iter()
            .map(PathBuf::as_path)
            .skip_while(|d| !d.starts_with(lib))
            .take(4)
            .collect();
        assert_eq!(
            beside,
            [
                lib.join("model"),
                lib.join("../model"),
                lib.join("autorestore/model"),
                lib.join("../share/autorestore/model"),
            ]
        );
        assert_eq!(dirs.last().unwrap(), Path::new(SOURCE_TREE_DIR));
    }

    #[test]
    fn manifest_checks_sums() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("analyze.onnx"), b"a").unwrap();
        std::fs::write(dir.path().join("restore.onnx"), b"r").unwrap();
        let write = |a: &str, r: &str| {
            let m = format!(
                r#"{{"name":"x","version":"1","contract":2,"files":{{"analyze.onnx":"{a}","restore.onnx":"{r}"}}}}"#
            );
            std::fs::write(dir.path().join("manifest.json"), m).unwrap();
        };
        write(&sha256_hex(b"a"), &sha256_hex(b"r"));
        assert!(ModelFiles::load(dir.path()).is_ok());
        write(&sha256_hex(b"a"), &sha256_hex(b"x"));
        let e = ModelFiles::load(dir.path()).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::Model);
        assert!(e.message().contains("restore.onnx is corrupt"), "{e}");
        std::fs::write(dir.path().join("manifest.json"), "{").unwrap();
        assert_eq!(
            ModelFiles::load(dir.path()).err().unwrap().kind(),
            ErrorKind::Model
        );
        let e = ModelFiles::load(&dir.path().join("missing")).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::Model);
        // a contract-1 manifest is refused with the reason
        let m = format!(
            r#"{{"name":"x","version":"1","contract":1,"files":{{"analyze.onnx":"{}","restore.onnx":"{}"}}}}"#,
            sha256_hex(b"a"),
            sha256_hex(b"r")
        );
        std::fs::write(dir.path().join("manifest.json"), m).unwrap();
        let e = ModelFiles::load(dir.path()).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::Model);
        assert!(
            e.message()
                .contains("contract 1, this library needs contract 2"),
            "{e}"
        );
    }
}
