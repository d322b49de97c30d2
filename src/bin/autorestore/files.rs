//! Reading and writing image files (PNG, JPEG, TIFF through the `image` crate), keeping the
//! sample type where the format allows; output goes to a temporary file beside the target that
//! is renamed into place, so a failed run never leaves a half-written file.

use std::io::Write;
use std::path::{Path, PathBuf};

use autorestore::{Error, ErrorKind, ImageBuf, Layout, SampleType};
use image::{DynamicImage, ImageFormat};

/// Which `image` variant the file had, to write the same kind back.
#[derive(Clone, Copy)]
pub enum Kind {
    L8,
    La8,
    Rgb8,
    Rgba8,
    L16,
    La16,
    Rgb16,
    Rgba16,
    Rgb32F,
    Rgba32F,
}

pub struct Loaded {
    pub bytes: Vec<u8>,
    pub layout: Layout,
    pub kind: Kind,
}

fn io(msg: String) -> Error {
    Error::new(ErrorKind::Io, msg)
}

fn ne16(v: &[u16]) -> Vec<u8> {
    v.iter().flat_map(|s| s.to_ne_bytes()).collect()
}
fn ne32(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|s| s.to_ne_bytes()).collect()
}

pub fn load(path: &Path) -> Result<Loaded, Error> {
    let reader = image::ImageReader::open(path)
        .map_err(|e| io(format!("cannot open {}: {e}", path.display())))?;
    decode(reader, path)
}

/// Decodes an image held in memory exactly as [`load`] decodes a file (the fuzz target
/// `cli_decode` drives this).
#[allow(dead_code)]
pub fn load_bytes(bytes: &[u8]) -> Result<Loaded, Error> {
    decode(
        image::ImageReader::new(std::io::Cursor::new(bytes)),
        Path::new("<memory>"),
    )
}

fn decode<R: std::io::BufRead + std::io::Seek>(
    reader: image::ImageReader<R>,
    path: &Path,
) -> Result<Loaded, Error> {
    let img = reader
        .with_guessed_format()
        .map_err(|e| io(format!("cannot read {}: {e}", path.display())))?
        .decode()
        .map_err(|e| io(format!("cannot decode {}: {e}", path.display())))?;
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (bytes, ch, sample, kind) = match img {
        DynamicImage::ImageLuma8(b) => (b.into_raw(), 1, SampleType::U8, Kind::L8),
        DynamicImage::ImageLumaA8(b) => (b.into_raw(), 2, SampleType::U8, Kind::La8),
        DynamicImage::ImageRgb8(b) => (b.into_raw(), 3, SampleType::U8, Kind::Rgb8),
        DynamicImage::ImageRgba8(b) => (b.into_raw(), 4, SampleType::U8, Kind::Rgba8),
        DynamicImage::ImageLuma16(b) => (ne16(&b.into_raw()), 1, SampleType::U16, Kind::L16),
        DynamicImage::ImageLumaA16(b) => (ne16(&b.into_raw()), 2, SampleType::U16, Kind::La16),
        DynamicImage::ImageRgb16(b) => (ne16(&b.into_raw()), 3, SampleType::U16, Kind::Rgb16),
        DynamicImage::ImageRgba16(b) => (ne16(&b.into_raw()), 4, SampleType::U16, Kind::Rgba16),
        DynamicImage::ImageRgb32F(b) => (ne32(&b.into_raw()), 3, SampleType::F32, Kind::Rgb32F),
        DynamicImage::ImageRgba32F(b) => (ne32(&b.into_raw()), 4, SampleType::F32, Kind::Rgba32F),
        other => (other.to_rgba8().into_raw(), 4, SampleType::U8, Kind::Rgba8),
    };
    Ok(Loaded {
        bytes,
        layout: Layout::packed(w, h, ch, sample),
        kind,
    })
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

/// Refuses an output that exists and is not a regular file (a device, a FIFO, a directory, or
/// a symlink to one): the rename at the end of [`save`] would replace that node with a file.
pub fn check_output(output: &Path) -> Result<(), Error> {
    match std::fs::metadata(output) {
        Ok(m) if !m.is_file() => Err(io(format!(
            "{} exists and is not a regular file: autorestore writes a new file and renames it \
             into place, choose a file path",
            output.display()
        ))),
        _ => Ok(()),
    }
}

/// Writes `buf` to `path` (format from the extension) through a temporary file + rename.
pub fn save(path: &Path, buf: ImageBuf, kind: Kind) -> Result<(), Error> {
    check_output(path)?;
    let format = ImageFormat::from_path(path).map_err(|_| {
        io(format!(
            "{}: unknown image format (use .png, .jpg or .tif)",
            path.display()
        ))
    })?;
    let img = to_dynamic(buf, kind)?;
    let img = match format {
        // JPEG holds 8-bit gray or RGB only
        ImageFormat::Jpeg if img.color().channel_count() <= 2 => {
            DynamicImage::ImageLuma8(img.to_luma8())
        }
        ImageFormat::Jpeg => DynamicImage::ImageRgb8(img.to_rgb8()),
        // PNG and TIFF: no float, keep 16-bit
        ImageFormat::Png | ImageFormat::Tiff if matches!(kind, Kind::Rgb32F) => {
            DynamicImage::ImageRgb16(img.to_rgb16())
        }
        ImageFormat::Png | ImageFormat::Tiff if matches!(kind, Kind::Rgba32F) => {
            DynamicImage::ImageRgba16(img.to_rgba16())
        }
        _ => img,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let tmp = dir.join(format!(".{name}.autorestore-{}.tmp", std::process::id()));
    let result = (|| -> Result<(), Error> {
        let file = std::fs::File::create(&tmp)
            .map_err(|e| io(format!("cannot create {}: {e}", tmp.display())))?;
        let mut w = std::io::BufWriter::new(file);
        let enc = |e: image::ImageError| io(format!("cannot encode {}: {e}", path.display()));
        if format == ImageFormat::Jpeg {
            let mut j = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut w, 95);
            j.encode_image(&img).map_err(enc)?;
        } else {
            img.write_to(&mut w, format).map_err(enc)?;
        }
        let file = w
            .into_inner()
            .map_err(|e| io(format!("cannot write {}: {e}", tmp.display())))?;
        file.sync_all()
            .map_err(|e| io(format!("cannot write {}: {e}", tmp.display())))?;
        std::fs::rename(&tmp, path)
            .map_err(|e| io(format!("cannot rename to {}: {e}", path.display())))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    let _ = std::io::stdout().flush();
    result
}
