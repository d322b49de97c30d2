//! Reading image files (PNG, JPEG, TIFF through the `image` crate): pixels in their own sample
//! type, upright per the EXIF orientation, with the metadata the output should carry (its
//! reading beyond the decoder's is in `metadata::read`); broken files and images over the pixel
//! bound are errors that name the file.

use std::path::Path;

use autorestore::{Error, ErrorKind, Layout, SampleType};
use image::{DynamicImage, ImageDecoder, ImageFormat};

use crate::metadata::{self, Metadata};

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
    pub meta: Metadata,
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

/// Decodes `path`; an image over `max_pixels` (width x height) is refused before its pixels
/// are decoded, naming the option that raises the bound.
pub fn load(path: &Path, max_pixels: u64) -> Result<Loaded, Error> {
    let bytes =
        std::fs::read(path).map_err(|e| io(format!("cannot open {}: {e}", path.display())))?;
    decode(&bytes, path, max_pixels)
}

/// Decodes an image held in memory exactly as [`load`] decodes a file (the fuzz target
/// `cli_decode` drives this).
#[allow(dead_code)]
pub fn load_bytes(bytes: &[u8], max_pixels: u64) -> Result<Loaded, Error> {
    decode(bytes, Path::new("<memory>"), max_pixels)
}

/// The `image` crate's JPEG decoder runs zune-jpeg in its lenient mode, which paints what a
/// truncated or corrupt file lacks in flat grey and reports success; strict mode turns that into
/// an error, so a broken file is never restored and written as if it were whole.
fn check_jpeg(bytes: &[u8], path: &Path) -> Result<(), Error> {
    let opts = zune_core::options::DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX);
    let mut d =
        zune_jpeg::JpegDecoder::new_with_options(zune_core::bytestream::ZCursor::new(bytes), opts);
    d.decode()
        .map_err(|e| io(format!("{} is damaged or truncated: {e:?}", path.display())))?;
    Ok(())
}

fn decode(bytes: &[u8], path: &Path, max_pixels: u64) -> Result<Loaded, Error> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| io(format!("cannot read {}: {e}", path.display())))?;
    let format = reader.format();
    // our own bound replaces the crate's default 512 MiB (it refused camera-sized 16-bit
    // images with a bare "Memory limit exceeded"); it is applied once the size is known
    reader.no_limits();
    let cant = |e: image::ImageError| io(format!("cannot decode {}: {e}", path.display()));
    let mut decoder = reader.into_decoder().map_err(cant)?;
    let (w, h) = decoder.dimensions();
    let px = w as u64 * h as u64;
    if max_pixels > 0 && px > max_pixels {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!(
                "{} is {w}x{h} = {:.1} MP, over the limit of {:.1} MP: pass --max-pixels {px} \
                 (or more) to restore it",
                path.display(),
                px as f64 / 1e6,
                max_pixels as f64 / 1e6
            ),
        ));
    }
    let mut limits = image::Limits::default();
    // the decoded image (at most 4 channels of 4 bytes) plus the decoders' own buffers
    limits.max_alloc = Some(px.saturating_mul(16).saturating_add(64 << 20));
    decoder.set_limits(limits).map_err(cant)?;
    if format == Some(ImageFormat::Jpeg) {
        check_jpeg(bytes, path)?;
    }
    let tiff = format == Some(ImageFormat::Tiff);
    // the `image` crate's TIFF decoder refuses a tag with more values than the image has
    // bytes / 32 (its limits), which loses the ICC profile and XMP of small images: read them
    // with the tiff crate's own limits
    let icc = if tiff {
        metadata::read::tiff_tag_bytes(bytes, metadata::TIFF_ICC_TAG)
    } else {
        decoder.icc_profile().ok().flatten()
    };
    let mut xmp = if tiff {
        metadata::read::tiff_tag_bytes(bytes, metadata::TIFF_XMP_TAG)
    } else {
        decoder.xmp_metadata().ok().flatten()
    }
    .filter(|x| !x.is_empty());
    let mut exif = decoder.exif_metadata().ok().flatten();
    let resolution = metadata::read::resolution(format, bytes, exif.as_deref());
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(cant)?;
    // the result must display the way the input displays: turn the pixels upright and write
    // orientation 1 (viewers that ignore the tag then agree with those that honour it)
    img.apply_orientation(orientation);
    if let Some(e) = exif.as_mut() {
        let _ = image::metadata::Orientation::remove_from_exif_chunk(e);
    }
    // the XMP may repeat the orientation (tiff:Orientation); it must say upright too
    if let Some(x) = xmp.as_mut() {
        metadata::xmp::set_upright(x);
    }
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
        meta: Metadata {
            icc,
            exif,
            xmp,
            resolution,
        },
    })
}

/// Float samples above 1 in the colour channels (the engine restores 0..1, so they are
/// clipped): how many, and the largest.
pub fn over_one(img: &Loaded) -> Option<(usize, f32)> {
    if img.layout.sample != SampleType::F32 {
        return None;
    }
    let ch = img.layout.channels;
    let colour = if ch == 2 || ch == 4 { ch - 1 } else { ch };
    let (mut n, mut max) = (0usize, 0f32);
    for (i, c) in img.bytes.chunks_exact(4).enumerate() {
        let v = f32::from_ne_bytes([c[0], c[1], c[2], c[3]]);
        if i % ch < colour && v > 1.0 {
            n += 1;
            max = max.max(v);
        }
    }
    (n > 0).then_some((n, max))
}
