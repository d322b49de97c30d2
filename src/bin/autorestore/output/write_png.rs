//! PNG output through the png crate itself rather than the `image` crate's wrapper, which has no
//! fields for the resolution (pHYs) or XMP (iTXt); the png crate writes both, with the ICC
//! profile (iCCP) and the EXIF (eXIf), and streams 16-bit rows without a second copy of the
//! image.

use std::borrow::Cow;
use std::io::Write;

use image::DynamicImage;

use super::Written;
use crate::metadata::{Metadata, PNG_XMP_KEYWORD};

/// 16-bit samples are byte-swapped to PNG's big-endian order this many at a time.
const SWAP_CHUNK: usize = 1 << 16;

/// `img` is 8 or 16-bit gray, gray+alpha, RGB or RGBA.
pub fn write(w: &mut impl Write, img: &DynamicImage, meta: Option<&Metadata>) -> Written {
    use png::{BitDepth as B, ColorType as C};
    let (color, depth, wide): (C, B, Option<&[u16]>) = match img {
        DynamicImage::ImageLuma8(_) => (C::Grayscale, B::Eight, None),
        DynamicImage::ImageLumaA8(_) => (C::GrayscaleAlpha, B::Eight, None),
        DynamicImage::ImageRgb8(_) => (C::Rgb, B::Eight, None),
        DynamicImage::ImageRgba8(_) => (C::Rgba, B::Eight, None),
        DynamicImage::ImageLuma16(b) => (C::Grayscale, B::Sixteen, Some(b.as_raw())),
        DynamicImage::ImageLumaA16(b) => (C::GrayscaleAlpha, B::Sixteen, Some(b.as_raw())),
        DynamicImage::ImageRgb16(b) => (C::Rgb, B::Sixteen, Some(b.as_raw())),
        DynamicImage::ImageRgba16(b) => (C::Rgba, B::Sixteen, Some(b.as_raw())),
        _ => return Err("internal: PNG gets 8 or 16-bit samples".into()),
    };
    let mut dropped = Vec::new();
    let mut info = png::Info::with_size(img.width(), img.height());
    if let Some(m) = meta {
        info.icc_profile = m.icc.as_deref().map(Cow::Borrowed);
        info.exif_metadata = m.exif.as_deref().map(Cow::Borrowed);
    }
    let mut e = png::Encoder::with_info(w, info)?;
    e.set_color(color);
    e.set_depth(depth);
    // what the `image` crate's PNG encoder chose by default, as before
    e.set_compression(png::Compression::Fast);
    e.set_filter(png::Filter::Adaptive);
    if let Some(m) = meta {
        if let Some(r) = m.resolution {
            match r.to_png() {
                Some((x, y, metre)) => e.set_pixel_dims(Some(png::PixelDimensions {
                    xppu: x,
                    yppu: y,
                    unit: if metre {
                        png::Unit::Meter
                    } else {
                        png::Unit::Unspecified
                    },
                })),
                None => dropped.push(format!("resolution ({r}: out of pHYs's range)")),
            }
        }
        if let Some(x) = &m.xmp {
            match std::str::from_utf8(x) {
                Ok(text) => e.add_itxt_chunk(PNG_XMP_KEYWORD.into(), text.into())?,
                Err(_) => dropped.push("XMP (not UTF-8, which PNG's iTXt needs)".into()),
            }
        }
    }
    let mut wr = e.write_header()?;
    match wide {
        None => wr.write_image_data(img.as_bytes())?,
        Some(samples) => {
            let mut s = wr.stream_writer()?;
            let mut be = Vec::with_capacity(SWAP_CHUNK * 2);
            for chunk in samples.chunks(SWAP_CHUNK) {
                be.clear();
                be.extend(chunk.iter().flat_map(|v| v.to_be_bytes()));
                s.write_all(&be)?;
            }
            s.finish()?;
        }
    }
    // IEND, with its error (a drop would write it and lose the error)
    wr.finish()?;
    Ok(dropped)
}
