//! TIFF output through the tiff crate itself: the `image` crate's TIFF writer has fields for
//! the ICC profile only, and none for gray+alpha. Here the image's directory also gets the
//! XMP (XMLPacket), the resolution, Orientation 1 (the pixels are upright) and the EXIF as
//! tags (`tiff_exif`).

use std::io::{Seek, Write};

use image::DynamicImage;
use tiff::encoder::colortype::{self, ColorType};
use tiff::encoder::{DirectoryEncoder, Rational, TiffEncoder, TiffKindStandard, TiffValue};
use tiff::tags::{ExtraSamples, Tag};
use tiff::TiffResult;

use super::{tiff_exif, Written};
use crate::metadata::{Metadata, TIFF_XMP_TAG};

/// `img` is 8 or 16-bit integer or 32-bit float samples (float for RGB and RGBA only).
pub fn write<W: Write + Seek>(w: W, img: &DynamicImage, meta: Option<&Metadata>) -> Written {
    let mut dropped = Vec::new();
    let mut t = TiffEncoder::new(w)?;
    let exif = meta
        .and_then(|m| m.exif.as_deref())
        .map(|b| tiff_exif::Exif::sort(b, &mut dropped));
    // the EXIF's own directories come first: the image's directory points at them
    let pointers = match &exif {
        Some(e) => e.write_sub_directories(&mut t)?,
        None => Vec::new(),
    };
    let tags = |d: &mut Dir<'_, W>| -> TiffResult<()> {
        d.write_tag(Tag::Orientation, 1u16)?;
        if let Some(m) = meta {
            if let Some(icc) = &m.icc {
                d.write_tag(Tag::IccProfile, icc.as_slice())?;
            }
            if let Some(xmp) = &m.xmp {
                d.write_tag(Tag::from_u16_exhaustive(TIFF_XMP_TAG), xmp.as_slice())?;
            }
            if let Some((unit, x, y)) = m.resolution.and_then(|r| r.to_tiff()) {
                let r = |(n, d)| Rational { n, d };
                d.write_tag(Tag::ResolutionUnit, unit)?;
                d.write_tag(Tag::XResolution, r(x))?;
                d.write_tag(Tag::YResolution, r(y))?;
            }
        }
        if let Some(e) = &exif {
            e.write_primary(d)?;
        }
        for &(tag, offset) in &pointers {
            d.write_tag(tag, offset)?;
        }
        Ok(())
    };
    if let Some(r) = meta.and_then(|m| m.resolution) {
        if r.to_tiff().is_none() {
            dropped.push(format!("resolution ({r}: out of TIFF's range)"));
        }
    }
    let (wd, ht) = (img.width(), img.height());
    let t = &mut t;
    match img {
        DynamicImage::ImageLuma8(b) => image::<_, colortype::Gray8>(t, wd, ht, b, false, tags),
        DynamicImage::ImageLumaA8(b) => image::<_, colortype::Gray8>(t, wd, ht, b, true, tags),
        DynamicImage::ImageRgb8(b) => image::<_, colortype::RGB8>(t, wd, ht, b, false, tags),
        DynamicImage::ImageRgba8(b) => image::<_, colortype::RGBA8>(t, wd, ht, b, false, tags),
        DynamicImage::ImageLuma16(b) => image::<_, colortype::Gray16>(t, wd, ht, b, false, tags),
        DynamicImage::ImageLumaA16(b) => image::<_, colortype::Gray16>(t, wd, ht, b, true, tags),
        DynamicImage::ImageRgb16(b) => image::<_, colortype::RGB16>(t, wd, ht, b, false, tags),
        DynamicImage::ImageRgba16(b) => image::<_, colortype::RGBA16>(t, wd, ht, b, false, tags),
        DynamicImage::ImageRgb32F(b) => {
            image::<_, colortype::RGB32Float>(t, wd, ht, b, false, tags)
        }
        DynamicImage::ImageRgba32F(b) => {
            image::<_, colortype::RGBA32Float>(t, wd, ht, b, false, tags)
        }
        _ => return Err("internal: TIFF gets 8, 16-bit or float samples".into()),
    }?;
    Ok(dropped)
}

type Dir<'a, W> = DirectoryEncoder<'a, W, TiffKindStandard>;

/// One image directory and its strips; `alpha`: one extra sample of unassociated alpha (gray
/// + alpha has no colour type of its own in TIFF).
fn image<W: Write + Seek, C: ColorType>(
    t: &mut TiffEncoder<W>,
    width: u32,
    height: u32,
    samples: &[C::Inner],
    alpha: bool,
    tags: impl FnOnce(&mut Dir<'_, W>) -> TiffResult<()>,
) -> TiffResult<()>
where
    [C::Inner]: TiffValue,
{
    let mut i = t.new_image::<C>(width, height)?;
    if alpha {
        i.extra_samples(&[ExtraSamples::UnassociatedAlpha])?;
    }
    tags(i.encoder())?;
    i.write_data(samples)
}
