//! Turning the INPUT arguments into a list of images: each is a file, or a folder whose PNG,
//! JPEG and TIFF files are taken (its sub-folders too with `--recursive`), each with the path
//! its output keeps under `--out-dir`.

use std::path::{Path, PathBuf};

/// One image of a batch.
pub struct Item {
    pub src: PathBuf,
    /// Where its output goes under the output folder (the name, or the path inside the folder
    /// that was given).
    pub rel: PathBuf,
}

/// What the arguments gave: the images, and those that cannot be images (each with why).
#[derive(Default)]
pub struct Listing {
    pub items: Vec<Item>,
    pub bad: Vec<(PathBuf, String)>,
    /// Sub-folders left out because `--recursive` was not given.
    pub skipped_dirs: usize,
}

/// The extensions taken from folders (case-insensitive); files named directly are taken
/// whatever their name, and their content decides.
pub fn is_image_name(p: &Path) -> bool {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(
        ext.as_deref(),
        Some("png" | "jpg" | "jpeg" | "tif" | "tiff")
    )
}

/// Lists `args` in order (folders sorted by name, so runs and their logs are reproducible),
/// leaving out `exclude` (the output folder, when it lies inside an input folder: a second run
/// must not restore its own results).
pub fn list(args: &[PathBuf], recursive: bool, exclude: Option<&Path>) -> Listing {
    let mut out = Listing::default();
    let exclude = exclude.and_then(|d| d.canonicalize().ok());
    for arg in args {
        match std::fs::metadata(arg) {
            Err(e) => out.bad.push((arg.clone(), format!("cannot open: {e}"))),
            Ok(m) if m.is_file() => out.items.push(Item {
                src: arg.clone(),
                rel: PathBuf::from(arg.file_name().unwrap_or(arg.as_os_str())),
            }),
            Ok(m) if m.is_dir() => {
                let walk = walkdir::WalkDir::new(arg)
                    .min_depth(1)
                    .max_depth(if recursive { usize::MAX } else { 1 })
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        let excluded = exclude.is_some()
                            && e.file_type().is_dir()
                            && e.path().canonicalize().ok() == exclude;
                        // hidden files: our own temporaries among them
                        let hidden = e.file_name().to_string_lossy().starts_with('.');
                        !excluded && !hidden
                    });
                for e in walk {
                    match e {
                        Err(e) => out.bad.push((
                            e.path().map_or(arg.clone(), Path::to_path_buf),
                            format!("cannot list: {e}"),
                        )),
                        Ok(e) if e.file_type().is_dir() => {
                            if !recursive {
                                out.skipped_dirs += 1;
                            }
                        }
                        Ok(e) if is_image_name(e.path()) => {
                            let rel = e.path().strip_prefix(arg).unwrap_or(e.path());
                            out.items.push(Item {
                                src: e.path().to_path_buf(),
                                rel: rel.to_path_buf(),
                            });
                        }
                        Ok(_) => {}
                    }
                }
            }
            Ok(_) => out
                .bad
                .push((arg.clone(), "not a file or folder".to_string())),
        }
    }
    out
}
