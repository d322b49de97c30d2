//! EXIF in a TIFF output. There the EXIF is not one block but tags of the file: IFD0's fields
//! join the image's own directory, the Exif and GPS fields go into sub-directories it points at
//! (tags 34665 and 34853), the Interoperability fields into one the Exif directory points at.
//! Each field is written with the type and values kamadak-exif read.
//!
//! Not copied, and said: IFD0 tags other than those that describe the photo (the rest describe
//! the camera's file: its size, strips, thumbnail offsets, which the writer sets for the
//! restored image), the MakerNote (a camera's private block whose offsets point into the
//! camera's own file), the thumbnail (IFD1: a second, unrestored image) and fields of a type
//! TIFF does not define.

use std::io::{Seek, Write};

use exif::{Context, Field, In, Value};
use tiff::encoder::{DirectoryEncoder, TiffEncoder, TiffKindStandard};
use tiff::tags::{Tag as TiffTag, Type};
use tiff::{Directory, TiffResult};

use crate::metadata::read::parse_exif;

/// IFD0 tags that describe the photo: ImageDescription, Make, Model, Software, DateTime,
/// Artist, HostComputer, Copyright.
const PRIMARY_COPIED: [u16; 8] = [270, 271, 272, 305, 306, 315, 316, 33432];
/// IFD0 tags the TIFF writer sets for the restored image itself (size, samples, compression,
/// strips, orientation, resolution, JPEG thumbnail and its YCbCr layout, ICC, XMP): nothing is
/// lost by not copying them.
const PRIMARY_REWRITTEN: [u16; 28] = [
    256, 257, 258, 259, 262, 273, 274, 277, 278, 279, 282, 283, 284, 296, 317, 322, 323, 324, 325,
    338, 339, 513, 514, 530, 531, 532, 700, 34675,
];
const MAKER_NOTE: u16 = 37500;
const EXIF_POINTER: u16 = 34665;
const GPS_POINTER: u16 = 34853;
const INTEROP_POINTER: u16 = 40965;

type Dir<'a, W> = DirectoryEncoder<'a, W, TiffKindStandard>;

/// The fields of an EXIF block, sorted by the directory they go to.
pub struct Exif {
    primary: Vec<Field>,
    exif: Vec<Field>,
    gps: Vec<Field>,
    interop: Vec<Field>,
}

impl Exif {
    /// Sorts the fields of `block`; what will not be copied is added to `dropped`.
    pub fn sort(block: &[u8], dropped: &mut Vec<String>) -> Exif {
        let mut e = Exif {
            primary: Vec::new(),
            exif: Vec::new(),
            gps: Vec::new(),
            interop: Vec::new(),
        };
        let Some(parsed) = parse_exif(block) else {
            dropped.push("EXIF (it does not parse)".into());
            return e;
        };
        let mut left_out = Vec::new();
        let mut thumbnail = false;
        for f in parsed.fields() {
            let number = f.tag.number();
            if f.ifd_num != In::PRIMARY {
                thumbnail = true;
                continue;
            }
            if matches!(f.value, Value::Unknown(..)) {
                left_out.push(format!("{} (a value type TIFF does not define)", f.tag));
                continue;
            }
            match f.tag.context() {
                Context::Tiff if PRIMARY_COPIED.contains(&number) => e.primary.push(f.clone()),
                Context::Tiff if PRIMARY_REWRITTEN.contains(&number) => {}
                Context::Exif if number == MAKER_NOTE => left_out.push(
                    "MakerNote (the camera's private block: its offsets point into the \
                     camera's file)"
                        .into(),
                ),
                Context::Exif => e.exif.push(f.clone()),
                Context::Gps => e.gps.push(f.clone()),
                Context::Interop => e.interop.push(f.clone()),
                _ => left_out.push(format!("IFD0 tag {}", f.tag)),
            }
        }
        if thumbnail {
            left_out.push("the thumbnail (IFD1)".into());
        }
        if !left_out.is_empty() {
            dropped.push(format!("EXIF {}", left_out.join(", ")));
        }
        e
    }

    /// Writes the Exif, GPS and Interoperability directories; returns the pointer tags for the
    /// image's directory.
    pub fn write_sub_directories<W: Write + Seek>(
        &self,
        t: &mut TiffEncoder<W>,
    ) -> TiffResult<Vec<(TiffTag, u32)>> {
        let mut pointers = Vec::new();
        let interop = directory(t, &self.interop, None)?;
        let exif_pointer = interop.map(|o| (TiffTag::from_u16_exhaustive(INTEROP_POINTER), o));
        // an Interoperability directory needs an Exif directory to hang from
        if !self.exif.is_empty() || exif_pointer.is_some() {
            if let Some(o) = directory(t, &self.exif, exif_pointer)? {
                pointers.push((TiffTag::from_u16_exhaustive(EXIF_POINTER), o));
            }
        }
        if let Some(o) = directory(t, &self.gps, None)? {
            pointers.push((TiffTag::from_u16_exhaustive(GPS_POINTER), o));
        }
        Ok(pointers)
    }

    /// Adds IFD0's descriptive fields to the image's directory.
    pub fn write_primary<W: Write + Seek>(&self, d: &mut Dir<'_, W>) -> TiffResult<()> {
        for f in &self.primary {
            put(d, f)?;
        }
        Ok(())
    }
}

/// A directory outside the image chain with `fields` (and `pointer`); its offset, or `None`
/// when there is nothing to write.
fn directory<W: Write + Seek>(
    t: &mut TiffEncoder<W>,
    fields: &[Field],
    pointer: Option<(TiffTag, u32)>,
) -> TiffResult<Option<u32>> {
    if fields.is_empty() && pointer.is_none() {
        return Ok(None);
    }
    let mut d = t.extra_directory()?;
    for f in fields {
        put(&mut d, f)?;
    }
    if let Some((tag, offset)) = pointer {
        d.write_tag(tag, offset)?;
    }
    Ok(Some(d.finish_with_offsets()?.offset))
}

/// One field, in the file's (native) byte order.
fn put<W: Write + Seek>(d: &mut Dir<'_, W>, f: &Field) -> TiffResult<()> {
    fn ne<T: Copy, const N: usize>(v: &[T], b: fn(T) -> [u8; N]) -> Vec<u8> {
        v.iter().flat_map(|&x| b(x)).collect()
    }
    let (ty, bytes) = match &f.value {
        Value::Byte(v) => (Type::BYTE, v.clone()),
        Value::Ascii(v) => (
            Type::ASCII,
            v.iter()
                .flat_map(|s| s.iter().copied().chain([0]))
                .collect(),
        ),
        Value::Short(v) => (Type::SHORT, ne(v, u16::to_ne_bytes)),
        Value::Long(v) => (Type::LONG, ne(v, u32::to_ne_bytes)),
        Value::Rational(v) => (
            Type::RATIONAL,
            v.iter()
                .flat_map(|r| r.num.to_ne_bytes().into_iter().chain(r.denom.to_ne_bytes()))
                .collect(),
        ),
        Value::SByte(v) => (Type::SBYTE, ne(v, i8::to_ne_bytes)),
        Value::Undefined(v, _) => (Type::UNDEFINED, v.clone()),
        Value::SShort(v) => (Type::SSHORT, ne(v, i16::to_ne_bytes)),
        Value::SLong(v) => (Type::SLONG, ne(v, i32::to_ne_bytes)),
        Value::SRational(v) => (
            Type::SRATIONAL,
            v.iter()
                .flat_map(|r| r.num.to_ne_bytes().into_iter().chain(r.denom.to_ne_bytes()))
                .collect(),
        ),
        Value::Float(v) => (Type::FLOAT, ne(v, f32::to_ne_bytes)),
        Value::Double(v) => (Type::DOUBLE, ne(v, f64::to_ne_bytes)),
        // left out when sorted
        Value::Unknown(..) => return Ok(()),
    };
    if bytes.is_empty() {
        return Ok(());
    }
    let entry = d.write_entry_bytes(ty, &bytes)?;
    let mut one = Directory::empty();
    one.extend([(TiffTag::from_u16_exhaustive(f.tag.number()), entry)]);
    d.extend_from(&one);
    Ok(())
}
