//! JPEG output: the `image` crate's encoder writes the pixels, the JFIF density, the ICC profile
//! and the EXIF; it has no field for XMP, so the XMP segment is added to the encoded file with
//! img-parts (a JPEG is small next to its pixels, so it is encoded in memory first).

use std::io::Write;

use image::codecs::jpeg::{JpegEncoder, PixelDensity, PixelDensityUnit};
use image::{DynamicImage, ImageEncoder};
use img_parts::jpeg::{markers, Jpeg, JpegSegment};

use super::Written;
use crate::metadata::{Metadata, JPEG_XMP_SIGNATURE};

const QUALITY: u8 = 95;
/// The most a JPEG segment holds after its length field.
const SEGMENT_MAX: usize = 65_533;

/// `img` is 8-bit gray or RGB.
pub fn write(w: &mut impl Write, img: &DynamicImage, meta: Option<&Metadata>) -> Written {
    let mut dropped = Vec::new();
    let mut encoded = Vec::new();
    let mut e = JpegEncoder::new_with_quality(&mut encoded, QUALITY);
    if let Some(m) = meta {
        if let Some(r) = m.resolution {
            match r.to_jfif() {
                Some((x, y, unit)) => e.set_pixel_density(PixelDensity {
                    density: (x, y),
                    unit: match unit {
                        1 => PixelDensityUnit::Inches,
                        2 => PixelDensityUnit::Centimeters,
                        _ => PixelDensityUnit::PixelAspectRatio,
                    },
                }),
                None => dropped.push(format!("resolution ({r}: out of JFIF's range)")),
            }
        }
        if let Some(icc) = &m.icc {
            if e.set_icc_profile(icc.clone()).is_err() {
                dropped.push("ICC profile".into());
            }
        }
        if let Some(exif) = &m.exif {
            if e.set_exif_metadata(exif.clone()).is_err() {
                dropped.push("EXIF".into());
            }
        }
    }
    e.write_image(
        img.as_bytes(),
        img.width(),
        img.height(),
        img.color().into(),
    )?;
    let xmp = meta.and_then(|m| m.xmp.as_deref());
    let fits = |x: &[u8]| JPEG_XMP_SIGNATURE.len() + x.len() <= SEGMENT_MAX;
    match xmp {
        Some(x) if fits(x) => {
            let mut jpeg = Jpeg::from_bytes(encoded.into())?;
            let mut contents = JPEG_XMP_SIGNATURE.to_vec();
            contents.extend_from_slice(x);
            // after the JFIF (APP0) and EXIF (APP1) segments, where readers look for it
            let segments = jpeg.segments_mut();
            let at = segments
                .iter()
                .position(|s| !matches!(s.marker(), markers::APP0 | markers::APP1))
                .unwrap_or(segments.len());
            segments.insert(
                at,
                JpegSegment::new_with_contents(markers::APP1, contents.into()),
            );
            jpeg.encoder().write_to(w)?;
        }
        _ => {
            if let Some(x) = xmp {
                dropped.push(format!(
                    "XMP ({} bytes, over the {} one JPEG segment holds; Extended XMP is not \
                     written)",
                    x.len(),
                    SEGMENT_MAX - JPEG_XMP_SIGNATURE.len()
                ));
            }
            w.write_all(&encoded)?;
        }
    }
    Ok(dropped)
}
