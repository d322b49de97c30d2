//! Metadata through the command line (README "Command line"): the camera's EXIF (maker, model,
//! date, artist, copyright) and the ICC profile come out as they went in, JPEG->JPEG and
//! PNG->PNG, the ICC profile into TIFF; an EXIF orientation (6 or 8, JPEG and TIFF) is applied
//! to the pixels and written as 1; `--strip-metadata` drops the EXIF and keeps the colours.
//! The inputs' EXIF is written by kamadak-exif and read back by it, not by the code under test.
#![cfg(feature = "cli")]

mod cli_support;
mod common;

use std::path::{Path, PathBuf};

use cli_support::*;
use exif::{Field, In, Tag, Value};
use image::ImageEncoder;

const MAKE: &str = "Hasselblad";
const MODEL: &str = "X2D 100C";
const DATE: &str = "2025:06:21 18:04:09";
const ARTIST: &str = "A. Photographer";
const COPYRIGHT: &str = "(c) 2025 A. Photographer";

fn ascii(tag: Tag, s: &str) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![s.as_bytes().to_vec()]),
    }
}

/// A camera's EXIF block (TIFF header onwards): IFD0 with the maker, model, artist, copyright
/// and orientation, the Exif IFD with the capture date.
fn camera_exif(orientation: u16) -> Vec<u8> {
    let fields = [
        ascii(Tag::Make, MAKE),
        ascii(Tag::Model, MODEL),
        ascii(Tag::Artist, ARTIST),
        ascii(Tag::Copyright, COPYRIGHT),
        ascii(Tag::DateTimeOriginal, DATE),
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
    ];
    let mut w = exif::experimental::Writer::new();
    for f in &fields {
        w.push_field(f);
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    w.write(&mut buf, false).unwrap();
    buf.into_inner()
}

fn text(block: &[u8], tag: Tag) -> Option<String> {
    match exif_field(block, tag)?.value {
        Value::Ascii(v) => Some(String::from_utf8_lossy(&v[0]).into_owned()),
        other => panic!("{tag}: {other:?}"),
    }
}

fn orientation(block: &[u8]) -> Option<u32> {
    exif_field(block, Tag::Orientation)?.value.get_uint(0)
}

/// The camera's fields are all there, orientation 1.
fn assert_camera_exif(out: &Path) {
    let block = exif_of(out).unwrap_or_else(|| panic!("{}: no EXIF", out.display()));
    for (tag, want) in [
        (Tag::Make, MAKE),
        (Tag::Model, MODEL),
        (Tag::Artist, ARTIST),
        (Tag::Copyright, COPYRIGHT),
        (Tag::DateTimeOriginal, DATE),
    ] {
        assert_eq!(
            text(&block, tag).as_deref(),
            Some(want),
            "{tag} of {}",
            out.display()
        );
    }
    assert_eq!(orientation(&block), Some(1), "{}", out.display());
}

/// A photo encoded as `format` with `exif` and the test ICC profile.
fn encoded(dir: &Path, name: &str, img: &image::RgbImage, exif: Option<Vec<u8>>) -> PathBuf {
    let p = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    let (w, h) = img.dimensions();
    let c = image::ExtendedColorType::Rgb8;
    if name.ends_with(".jpg") {
        let mut e = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut f, 92);
        e.set_icc_profile(icc_profile()).unwrap();
        if let Some(x) = exif {
            e.set_exif_metadata(x).unwrap();
        }
        e.write_image(img, w, h, c).unwrap();
    } else {
        let mut e = image::codecs::png::PngEncoder::new(&mut f);
        e.set_icc_profile(icc_profile()).unwrap();
        if let Some(x) = exif {
            e.set_exif_metadata(x).unwrap();
        }
        e.write_image(img, w, h, c).unwrap();
    }
    p
}

fn restore(inp: &Path, out: &Path, extra: &[&str]) {
    succeeded(
        &cli("restore")
            .arg(inp)
            .arg(out)
            .args(extra)
            .output()
            .unwrap(),
    );
}

#[test]
fn exif_and_icc_survive_jpeg_png_and_icc_reaches_tiff() {
    let dir = tempfile::tempdir().unwrap();
    let img = photo(96, 64, 11);
    for (inp, out) in [("in.jpg", "out.jpg"), ("in.png", "out.png")] {
        let inp = encoded(dir.path(), inp, &img, Some(camera_exif(1)));
        let out = dir.path().join(out);
        restore(&inp, &out, &[]);
        assert_camera_exif(&out);
        assert_eq!(icc_of(&out), Some(icc_profile()), "{}", out.display());
    }
    let tif = dir.path().join("out.tif");
    restore(&dir.path().join("in.png"), &tif, &[]);
    // the `image` crate's TIFF reader does not return the tag: read it with the tiff crate
    let mut d = tiff::decoder::Decoder::new(std::fs::File::open(&tif).unwrap()).unwrap();
    assert_eq!(
        d.get_tag_u8_vec(tiff::tags::Tag::IccProfile).ok(),
        Some(icc_profile())
    );
}

#[test]
fn strip_metadata_drops_exif_and_keeps_the_colour_profile() {
    let dir = tempfile::tempdir().unwrap();
    let img = photo(96, 64, 12);
    for (inp, out) in [("in.jpg", "out.jpg"), ("in.png", "out.png")] {
        let inp = encoded(dir.path(), inp, &img, Some(camera_exif(1)));
        let out = dir.path().join(out);
        restore(&inp, &out, &["--strip-metadata"]);
        assert_eq!(exif_of(&out), None, "{}", out.display());
        assert_eq!(icc_of(&out), Some(icc_profile()), "{}", out.display());
    }
}

/// The input's pixels as a viewer shows them (decoded by the `image` crate, turned per the tag).
fn upright(stored: image::RgbImage, orientation: u16) -> image::RgbImage {
    match orientation {
        6 => image::imageops::rotate90(&stored),
        8 => image::imageops::rotate270(&stored),
        _ => stored,
    }
}

/// A TIFF with an Orientation tag, written by the tiff crate.
fn tiff_with_orientation(p: &Path, img: &image::RgbImage, orientation: u16) {
    let f = std::fs::File::create(p).unwrap();
    let mut t = tiff::encoder::TiffEncoder::new(f).unwrap();
    let mut i = t
        .new_image::<tiff::encoder::colortype::RGB8>(img.width(), img.height())
        .unwrap();
    i.encoder()
        .write_tag(tiff::tags::Tag::Orientation, orientation)
        .unwrap();
    i.write_data(img.as_raw()).unwrap();
}

#[test]
fn orientation_6_and_8_are_applied_to_the_pixels_and_written_as_1() {
    let dir = tempfile::tempdir().unwrap();
    // not square and not symmetric, so a wrong turn changes the size or the pixels
    let img = photo(96, 64, 13);
    for o in [6u16, 8] {
        // --strength 0 writes the input's pixels, so the turn is checked exactly
        let inp = encoded(dir.path(), &format!("o{o}.jpg"), &img, Some(camera_exif(o)));
        let out = dir.path().join(format!("o{o}.png"));
        restore(&inp, &out, &["--strength", "0"]);
        let stored = image::open(&inp).unwrap().to_rgb8();
        assert_eq!(stored.dimensions(), (96, 64));
        let got = image::open(&out).unwrap().to_rgb8();
        assert_eq!(got.dimensions(), (64, 96), "orientation {o}");
        assert!(
            got == upright(stored, o),
            "JPEG orientation {o}: pixels not turned so"
        );
        let block = exif_of(&out).unwrap();
        assert_eq!(orientation(&block), Some(1));
        assert_eq!(text(&block, Tag::Make).as_deref(), Some(MAKE));

        let tif = dir.path().join(format!("o{o}.tif"));
        tiff_with_orientation(&tif, &img, o);
        let out = dir.path().join(format!("o{o}-tif.png"));
        restore(&tif, &out, &["--strength", "0"]);
        let got = image::open(&out).unwrap().to_rgb8();
        assert!(
            got == upright(img.clone(), o),
            "TIFF orientation {o}: pixels not turned so"
        );
        // a full restore turns the same way
        let full = dir.path().join(format!("o{o}-full.jpg"));
        restore(&inp, &full, &[]);
        assert_eq!(image::image_dimensions(&full).unwrap(), (64, 96));
        assert_eq!(orientation(&exif_of(&full).unwrap()), Some(1));
    }
}
