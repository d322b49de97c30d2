//! Writing results: the output path is checked and its temporary file created (exclusively, in
//! the output's folder) before any work; the image is encoded there with the input's metadata
//! and renamed into place only when complete, so an existing output is replaced by a whole file
//! or not at all. Each format's writer (`write_jpeg`, `write_png`, `write_tiff`) puts the
//! metadata in that format's place and says what it could not carry.

use std::io::Write;
use std::path::{Path, PathBuf};

use autorestore::{Error, ErrorKind, ImageBuf};
use image::{DynamicImage, ImageFormat};

use crate::files::Kind;
use crate::interrupt;
use crate::metadata::Metadata;

mod tiff_exif;
mod write_jpeg;
mod write_png;
mod write_tiff;

/// What a format's writer returns: the input's metadata it could not carry, each said as a
/// phrase ("XMP (...)"), or the error that stopped it.
type Written = Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>>;

fn io(msg: String) -> Error {
    Error::new(ErrorKind::Io, msg)
}

/// An output path that passed the checks: a known format, an existing folder, not a special
/// file.
pub struct Target {
    pub path: PathBuf,
    pub format: ImageFormat,
    dir: PathBuf,
}

/// Refuses to write over the input unless asked.
pub fn check_not_input(input: &Path, output: &Path, allowed: bool) -> Result<(), Error> {
    let canon = |p: &Path| -> Option<PathBuf> {
        let parent = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(parent.canonicalize().ok()?.join(p.file_name()?))
    };
    let same = match (input.canonicalize().ok(), canon(output)) {
        (Some(a), Some(b)) => a == b || b.canonicalize().is_ok_and(|b| b == a),
        _ => false,
    };
    if same && !allowed {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "{} is the input file: choose another output, or pass --overwrite-input",
                output.display()
            ),
        ));
    }
    Ok(())
}

/// Checks what can be known about `output` without writing: its format (from the extension),
/// its folder, and that an existing node there is a regular file (a device, a FIFO, a
/// directory or a symlink to one would be replaced by the rename).
pub fn check(output: &Path) -> Result<Target, Error> {
    if let Ok(m) = std::fs::metadata(output) {
        if !m.is_file() {
            return Err(io(format!(
                "{} exists and is not a regular file: autorestore writes a new file and renames \
                 it into place, choose a file path",
                output.display()
            )));
        }
    }
    let format = match ImageFormat::from_path(output) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Tiff)) => f,
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{}: unknown image format (use .png, .jpg or .tif)",
                    output.display()
                ),
            ))
        }
    };
    let dir = output
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    if !dir.is_dir() {
        return Err(io(format!(
            "cannot create {}: the folder {} does not exist",
            output.display(),
            dir.display()
        )));
    }
    Ok(Target {
        path: output.to_path_buf(),
        format,
        dir,
    })
}

/// What writing `kind` as `format` loses, said before the work starts.
pub fn losses(kind: Kind, format: ImageFormat) -> Option<&'static str> {
    let alpha = matches!(
        kind,
        Kind::La8 | Kind::Rgba8 | Kind::La16 | Kind::Rgba16 | Kind::Rgba32F
    );
    let float = matches!(kind, Kind::Rgb32F | Kind::Rgba32F);
    match format {
        ImageFormat::Jpeg if alpha => {
            Some("JPEG has no alpha channel: the alpha is dropped (write .png or .tif to keep it)")
        }
        ImageFormat::Jpeg if !matches!(kind, Kind::L8 | Kind::Rgb8) => {
            Some("JPEG holds 8 bits per sample: the result is written as 8-bit")
        }
        ImageFormat::Png if float => Some(
            "PNG has no float samples: the result is written as 16-bit (write .tif to keep float)",
        ),
        _ => None,
    }
}

/// The output's temporary file, created now: `O_EXCL` with a random name in the output's
/// folder (the `tempfile` crate), so a file or symlink planted in advance is never followed,
/// and the rename stays on one filesystem. Removed when dropped or on a signal.
pub struct Pending {
    target: Target,
    tmp: tempfile::NamedTempFile,
    tracked: interrupt::Tracked,
}

pub fn begin(target: Target) -> Result<Pending, Error> {
    let name = target
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".autorestore.tmp")
        .tempfile_in(&target.dir)
        .map_err(|e| {
            io(format!(
                "cannot create {} (a temporary file in {}): {e}",
                target.path.display(),
                target.dir.display()
            ))
        })?;
    let tracked = interrupt::track(tmp.path());
    Ok(Pending {
        target,
        tmp,
        tracked,
    })
}

impl Pending {
    pub fn path(&self) -> &Path {
        &self.target.path
    }
    pub fn format(&self) -> ImageFormat {
        self.target.format
    }

    /// Encodes `buf` (with `meta` unless it is `None`), syncs it and renames it into place.
    /// Returns the metadata the format could not carry, each as a phrase.
    pub fn finish(
        mut self,
        buf: ImageBuf,
        kind: Kind,
        meta: Option<&Metadata>,
    ) -> Result<Vec<String>, Error> {
        let path = self.target.path.clone();
        let format = self.target.format;
        let img = to_dynamic(buf, kind)?;
        let img = match format {
            // JPEG holds 8-bit gray or RGB only
            ImageFormat::Jpeg if img.color().channel_count() <= 2 => {
                DynamicImage::ImageLuma8(img.to_luma8())
            }
            ImageFormat::Jpeg => DynamicImage::ImageRgb8(img.to_rgb8()),
            // PNG: no float, keep 16-bit (TIFF keeps float)
            ImageFormat::Png if matches!(kind, Kind::Rgb32F) => {
                DynamicImage::ImageRgb16(img.to_rgb16())
            }
            ImageFormat::Png if matches!(kind, Kind::Rgba32F) => {
                DynamicImage::ImageRgba16(img.to_rgba16())
            }
            _ => img,
        };
        let tmp_name = self.tmp.path().display().to_string();
        let wr = |e: std::io::Error| io(format!("cannot write {tmp_name}: {e}"));
        let dropped = {
            let mut w = std::io::BufWriter::new(self.tmp.as_file_mut());
            let dropped = match format {
                ImageFormat::Jpeg => write_jpeg::write(&mut w, &img, meta),
                ImageFormat::Png => write_png::write(&mut w, &img, meta),
                _ => write_tiff::write(&mut w, &img, meta),
            }
            .map_err(|e| io(format!("cannot encode {}: {e}", path.display())))?;
            w.flush().map_err(wr)?;
            dropped
        };
        drop(img);
        self.tmp.as_file().sync_all().map_err(wr)?;
        let Pending { tmp, tracked, .. } = self;
        tracked
            .finish(|| tmp.persist(&path))
            .map_err(|e| io(format!("cannot rename to {}: {}", path.display(), e.error)))?;
        // the summary line that follows should not interleave with buffered output
        let _ = std::io::stdout().flush();
        Ok(dropped)
    }
}

/// Takes the staging buffer over (no copy of 8-bit pixels: at 100 MP that is 300 MB less).
fn to_dynamic(buf: ImageBuf, kind: Kind) -> Result<DynamicImage, Error> {
    let l = *buf.layout();
    let (w, h) = (l.width as u32, l.height as u32);
    let b = buf.into_bytes();
    let u16s = |b: &[u8]| -> Vec<u16> {
        b.chunks_exact(2)
            .map(|c| u16::from_ne_bytes([c[0], c[1]]))
            .collect()
    };
    let f32s = |b: &[u8]| -> Vec<f32> {
        b.chunks_exact(4)
            .map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    };
    let bad = || io("internal: output buffer has the wrong size".to_string());
    Ok(match kind {
        Kind::L8 => {
            DynamicImage::ImageLuma8(image::ImageBuffer::from_raw(w, h, b).ok_or_else(bad)?)
        }
        Kind::La8 => {
            DynamicImage::ImageLumaA8(image::ImageBuffer::from_raw(w, h, b).ok_or_else(bad)?)
        }
        Kind::Rgb8 => {
            DynamicImage::ImageRgb8(image::ImageBuffer::from_raw(w, h, b).ok_or_else(bad)?)
        }
        Kind::Rgba8 => {
            DynamicImage::ImageRgba8(image::ImageBuffer::from_raw(w, h, b).ok_or_else(bad)?)
        }
        Kind::L16 => {
            DynamicImage::ImageLuma16(image::ImageBuffer::from_raw(w, h, u16s(&b)).ok_or_else(bad)?)
        }
        Kind::La16 => DynamicImage::ImageLumaA16(
            image::ImageBuffer::from_raw(w, h, u16s(&b)).ok_or_else(bad)?,
        ),
        Kind::Rgb16 => {
            DynamicImage::ImageRgb16(image::ImageBuffer::from_raw(w, h, u16s(&b)).ok_or_else(bad)?)
        }
        Kind::Rgba16 => {
            DynamicImage::ImageRgba16(image::ImageBuffer::from_raw(w, h, u16s(&b)).ok_or_else(bad)?)
        }
        Kind::Rgb32F => {
            DynamicImage::ImageRgb32F(image::ImageBuffer::from_raw(w, h, f32s(&b)).ok_or_else(bad)?)
        }
        Kind::Rgba32F => DynamicImage::ImageRgba32F(
            image::ImageBuffer::from_raw(w, h, f32s(&b)).ok_or_else(bad)?,
        ),
    })
}
