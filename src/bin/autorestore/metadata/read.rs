//! What the `image` crate's decoders do not give: the print resolution, from the format's own
//! field first (JFIF density with a unit, PNG pHYs, TIFF X/YResolution), else from the EXIF
//! (XResolution, YResolution, ResolutionUnit), else a JFIF pixel aspect ratio; and TIFF tags
//! that hold bytes. A field that cannot be read counts as absent: the photo still restores,
//! it only lacks that field.

use image::ImageFormat;

use super::resolution::{Resolution, Unit};

/// `exif` is the file's EXIF block.
pub fn resolution(
    format: Option<ImageFormat>,
    bytes: &[u8],
    exif: Option<&[u8]>,
) -> Option<Resolution> {
    let jfif = (format == Some(ImageFormat::Jpeg))
        .then(|| jfif_density(bytes))
        .flatten();
    let own = match format {
        Some(ImageFormat::Jpeg) => jfif
            .filter(|&(_, _, unit)| unit != 0)
            .and_then(|(x, y, unit)| Resolution::from_jfif(x, y, unit)),
        Some(ImageFormat::Png) => png_phys(bytes),
        Some(ImageFormat::Tiff) => tiff_resolution(bytes),
        _ => None,
    };
    own.or_else(|| exif.and_then(exif_resolution))
        .or_else(|| jfif.and_then(|(x, y, unit)| Resolution::from_jfif(x, y, unit)))
}

/// The JFIF APP0 segment's density (x, y, unit 0 none / 1 inch / 2 cm), found with img-parts
/// (neither the `image` crate nor zune-jpeg reads it).
fn jfif_density(bytes: &[u8]) -> Option<(u16, u16, u8)> {
    let jpeg = img_parts::jpeg::Jpeg::from_bytes(img_parts::Bytes::copy_from_slice(bytes)).ok()?;
    let app0 = jpeg.segment_by_marker(img_parts::jpeg::markers::APP0)?;
    // "JFIF\0", version (2 bytes), unit, x and y density (big-endian u16), thumbnail size
    let c = app0.contents();
    if c.len() < 12 || !c.starts_with(b"JFIF\0") {
        return None;
    }
    let be = |i: usize| u16::from_be_bytes([c[i], c[i + 1]]);
    Some((be(8), be(10), c[7]))
}

/// The bytes of a TIFF tag of the first image (BYTE or UNDEFINED values).
pub fn tiff_tag_bytes(bytes: &[u8], tag: u16) -> Option<Vec<u8>> {
    let mut d = tiff::decoder::Decoder::new(std::io::Cursor::new(bytes)).ok()?;
    d.get_tag_u8_vec(tiff::tags::Tag::from_u16_exhaustive(tag))
        .ok()
}

fn png_phys(bytes: &[u8]) -> Option<Resolution> {
    // the chunks before the image data only: pHYs must come before IDAT
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .ok()?;
    let d = reader.info().pixel_dims?;
    let unit = match d.unit {
        png::Unit::Meter => Unit::PerMetre,
        png::Unit::Unspecified => Unit::AspectOnly,
    };
    Resolution::new(d.xppu.into(), d.yppu.into(), unit)
}

fn tiff_resolution(bytes: &[u8]) -> Option<Resolution> {
    use tiff::decoder::ifd::Value;
    use tiff::tags::Tag;
    let mut d = tiff::decoder::Decoder::new(std::io::Cursor::new(bytes)).ok()?;
    let mut rational = |tag| match d.find_tag(tag).ok()?? {
        Value::Rational(n, den) if den != 0 => Some(n as f64 / den as f64),
        _ => None,
    };
    let (x, y) = (rational(Tag::XResolution)?, rational(Tag::YResolution)?);
    let unit = d
        .find_tag(Tag::ResolutionUnit)
        .ok()
        .flatten()
        .and_then(|v| v.into_u32().ok());
    Resolution::from_tiff(x, y, unit)
}

/// The primary image's resolution in an EXIF block.
pub fn exif_resolution(block: &[u8]) -> Option<Resolution> {
    let exif = parse_exif(block)?;
    let rational = |tag| match &exif.get_field(tag, exif::In::PRIMARY)?.value {
        exif::Value::Rational(v) if v.first()?.denom != 0 => Some(v[0].to_f64()),
        _ => None,
    };
    let (x, y) = (
        rational(exif::Tag::XResolution)?,
        rational(exif::Tag::YResolution)?,
    );
    let unit = exif
        .get_field(exif::Tag::ResolutionUnit, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0));
    Resolution::from_tiff(x, y, unit)
}

/// An EXIF block parsed by kamadak-exif, keeping what parses when some fields are broken (a
/// camera's maker note often is).
pub fn parse_exif(block: &[u8]) -> Option<exif::Exif> {
    exif::Reader::new()
        .continue_on_error(true)
        .read_raw(block.to_vec())
        .or_else(|e| e.distill_partial_result(|_| {}))
        .ok()
}
