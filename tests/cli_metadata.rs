//! Metadata through the command line (README "Command line"): the camera's EXIF (maker, model,
//! date, artist, copyright) and the ICC profile come out as they went in, JPEG->JPEG and
//! PNG->PNG, the ICC profile into TIFF; the EXIF reaches a TIFF as tags (IFD0, Exif and GPS
//! directories); XMP goes from each format's place to the output's; the resolution (dpi) goes
//! from JFIF, EXIF, pHYs or TIFF tags to each output's own field; an EXIF orientation (6 or 8,
//! JPEG and TIFF) is applied to the pixels and written as 1; `--strip-metadata` drops the EXIF
//! and the XMP and keeps the colours and the dpi. The inputs are written by crates (kamadak-exif,
//! img-parts, png, tiff) and the outputs read back by them, not by the code under test.
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

// --- XMP, dpi, EXIF into TIFF -------------------------------------------------------------

/// An XMP packet as Lightroom writes one (rating and label), with the non-ASCII BOM of its
/// xpacket header.
const XMP: &str = "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF \
xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" \
xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:Rating=\"4\" xmp:Label=\"Selected\"/>\
</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
const JPEG_XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const PNG_XMP: &str = "XML:com.adobe.xmp";
const TIFF_XMP: tiff::tags::Tag = tiff::tags::Tag::Unknown(700);
const W: u32 = 64;
const H: u32 = 48;

/// What goes into a test input besides its pixels.
#[derive(Default)]
struct Extra<'a> {
    exif: Option<Vec<u8>>,
    xmp: Option<&'a str>,
    /// JPEG: JFIF density per inch; PNG: pixels per metre; TIFF: X/YResolution per inch.
    density: Option<u32>,
}

/// A JPEG by the `image` crate's encoder (ICC, EXIF, JFIF density), its XMP segment added with
/// img-parts after the APP0/APP1 segments.
fn jpeg_in(p: &Path, img: &image::RgbImage, x: &Extra<'_>) {
    use image::codecs::jpeg::{JpegEncoder, PixelDensity, PixelDensityUnit};
    let mut buf = Vec::new();
    let mut e = JpegEncoder::new_with_quality(&mut buf, 92);
    e.set_icc_profile(icc_profile()).unwrap();
    if let Some(exif) = &x.exif {
        e.set_exif_metadata(exif.clone()).unwrap();
    }
    if let Some(d) = x.density {
        e.set_pixel_density(PixelDensity {
            density: (d as u16, d as u16),
            unit: PixelDensityUnit::Inches,
        });
    }
    e.write_image(
        img,
        img.width(),
        img.height(),
        image::ExtendedColorType::Rgb8,
    )
    .unwrap();
    let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(buf.into()).unwrap();
    if let Some(xmp) = x.xmp {
        use img_parts::jpeg::{markers, JpegSegment};
        let mut c = JPEG_XMP.to_vec();
        c.extend(xmp.as_bytes());
        let segs = jpeg.segments_mut();
        let at = segs
            .iter()
            .position(|s| !matches!(s.marker(), markers::APP0 | markers::APP1))
            .unwrap();
        segs.insert(at, JpegSegment::new_with_contents(markers::APP1, c.into()));
    }
    jpeg.encoder()
        .write_to(std::fs::File::create(p).unwrap())
        .unwrap();
}

/// A PNG by the png crate (iCCP, eXIf, pHYs, iTXt).
fn png_in(p: &Path, img: &image::RgbImage, x: &Extra<'_>) {
    let mut info = png::Info::with_size(img.width(), img.height());
    info.icc_profile = Some(icc_profile().into());
    info.exif_metadata = x.exif.clone().map(Into::into);
    let f = std::io::BufWriter::new(std::fs::File::create(p).unwrap());
    let mut e = png::Encoder::with_info(f, info).unwrap();
    e.set_color(png::ColorType::Rgb);
    e.set_depth(png::BitDepth::Eight);
    if let Some(ppm) = x.density {
        e.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
    }
    if let Some(xmp) = x.xmp {
        e.add_itxt_chunk(PNG_XMP.into(), xmp.into()).unwrap();
    }
    let mut w = e.write_header().unwrap();
    w.write_image_data(img.as_raw()).unwrap();
    w.finish().unwrap();
}

/// A TIFF by the tiff crate (XMLPacket tag, resolution per inch).
fn tiff_in(p: &Path, img: &image::RgbImage, x: &Extra<'_>) {
    use tiff::encoder::{colortype::RGB8, Rational, TiffEncoder};
    use tiff::tags::{ResolutionUnit, Tag};
    let mut t = TiffEncoder::new(std::fs::File::create(p).unwrap()).unwrap();
    let mut i = t.new_image::<RGB8>(img.width(), img.height()).unwrap();
    if let Some(xmp) = x.xmp {
        i.encoder().write_tag(TIFF_XMP, xmp.as_bytes()).unwrap();
    }
    if let Some(dpi) = x.density {
        let d = i.encoder();
        d.write_tag(Tag::ResolutionUnit, ResolutionUnit::Inch)
            .unwrap();
        d.write_tag(Tag::XResolution, Rational { n: dpi, d: 1 })
            .unwrap();
        d.write_tag(Tag::YResolution, Rational { n: dpi, d: 1 })
            .unwrap();
    }
    i.write_data(img.as_raw()).unwrap();
}

/// A test input named `name` (its extension picks the format).
fn input(dir: &Path, name: &str, x: &Extra<'_>) -> PathBuf {
    let p = dir.join(name);
    let img = photo(W, H, 21);
    match p.extension().unwrap().to_str().unwrap() {
        "jpg" => jpeg_in(&p, &img, x),
        "png" => png_in(&p, &img, x),
        _ => tiff_in(&p, &img, x),
    }
    p
}

fn tiff_decoder(p: &Path) -> tiff::decoder::Decoder<std::fs::File> {
    tiff::decoder::Decoder::new(std::fs::File::open(p).unwrap()).unwrap()
}

fn png_info<T>(p: &Path, f: impl FnOnce(&png::Info<'_>) -> T) -> T {
    let r = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(p).unwrap()))
        .read_info()
        .unwrap();
    f(r.info())
}

/// The XMP packet of a JPEG (img-parts), PNG (png) or TIFF (tiff) file.
fn xmp_of(p: &Path) -> Option<String> {
    match p.extension().unwrap().to_str().unwrap() {
        "jpg" => {
            let jpeg = img_parts::jpeg::Jpeg::from_bytes(std::fs::read(p).unwrap().into()).unwrap();
            let mut packets = jpeg
                .segments_by_marker(img_parts::jpeg::markers::APP1)
                .filter_map(|s| s.contents().strip_prefix(JPEG_XMP).map(<[u8]>::to_vec));
            let first = packets.next();
            assert!(
                packets.next().is_none(),
                "{}: two XMP segments",
                p.display()
            );
            first.map(|x| String::from_utf8(x).unwrap())
        }
        "png" => png_info(p, |i| {
            let mut chunks = i.utf8_text.iter().filter(|c| c.keyword == PNG_XMP);
            let first = chunks.next().map(|c| c.get_text().unwrap());
            assert!(chunks.next().is_none(), "{}: two XMP chunks", p.display());
            first
        }),
        _ => tiff_decoder(p)
            .get_tag_u8_vec(TIFF_XMP)
            .ok()
            .map(|x| String::from_utf8(x).unwrap()),
    }
}

/// The resolution as the file's format stores it: JPEG (JFIF) "x y per-inch|per-cm|aspect",
/// PNG (png) "x y per-metre|aspect", TIFF (tiff) "x/d y/d per-inch|per-cm|none".
fn density_of(p: &Path) -> Option<String> {
    match p.extension().unwrap().to_str().unwrap() {
        "jpg" => {
            // the JFIF APP0 segment (found by img-parts): "JFIF\0", version, unit, x, y
            let jpeg = img_parts::jpeg::Jpeg::from_bytes(std::fs::read(p).unwrap().into()).unwrap();
            let c = jpeg
                .segment_by_marker(img_parts::jpeg::markers::APP0)?
                .contents()
                .clone();
            assert!(
                c.starts_with(b"JFIF\0"),
                "{}: APP0 is not JFIF",
                p.display()
            );
            let unit = ["aspect", "per-inch", "per-cm"][c[7] as usize];
            let be = |i: usize| u16::from_be_bytes([c[i], c[i + 1]]);
            Some(format!("{} {} {unit}", be(8), be(10)))
        }
        "png" => png_info(p, |i| {
            i.pixel_dims.map(|d| {
                let unit = match d.unit {
                    png::Unit::Meter => "per-metre",
                    png::Unit::Unspecified => "aspect",
                };
                format!("{} {} {unit}", d.xppu, d.yppu)
            })
        }),
        _ => {
            use tiff::decoder::ifd::Value;
            use tiff::tags::Tag;
            let mut d = tiff_decoder(p);
            let mut r = |t| match d.find_tag(t).unwrap() {
                Some(Value::Rational(n, den)) => Some(format!("{n}/{den}")),
                _ => None,
            };
            let (x, y) = (r(Tag::XResolution)?, r(Tag::YResolution)?);
            let unit = match d.find_tag(Tag::ResolutionUnit).unwrap() {
                Some(v) => ["", "none", "per-inch", "per-cm"][v.into_u16().unwrap() as usize],
                None => "per-inch",
            };
            Some(format!("{x} {y} {unit}"))
        }
    }
}

#[test]
fn xmp_goes_from_each_format_to_the_outputs_place() {
    let dir = tempfile::tempdir().unwrap();
    // with the EXIF too, which shares APP1 with the XMP in a JPEG
    let x = Extra {
        xmp: Some(XMP),
        exif: Some(camera_exif(1)),
        ..Extra::default()
    };
    for (inp, out) in [
        ("x.jpg", "x-out.jpg"),
        ("x.png", "x-out.png"),
        ("x.tif", "x-out.tif"),
        ("x.jpg", "x-jpg.tif"),
        ("x.tif", "x-tif.png"),
    ] {
        let inp = input(dir.path(), inp, &x);
        assert_eq!(
            xmp_of(&inp).as_deref(),
            Some(XMP),
            "input {}",
            inp.display()
        );
        let out = dir.path().join(out);
        restore(&inp, &out, &[]);
        assert_eq!(
            xmp_of(&out).as_deref(),
            Some(XMP),
            "{} -> {}",
            inp.display(),
            out.display()
        );
        if inp.extension().unwrap() != "tif" && out.extension().unwrap() != "tif" {
            assert_camera_exif(&out);
        }
    }
}

/// A rotated photo's XMP that repeats the orientation (as Lightroom and darktable write it).
const XMP_ROTATED: &str = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF \
xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description \
xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\" tiff:Orientation=\"6\" tiff:Make=\"Cam\"/>\
</rdf:RDF></x:xmpmeta>";

#[test]
fn xmp_orientation_is_written_upright_with_the_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let x = Extra {
        xmp: Some(XMP_ROTATED),
        exif: Some(camera_exif(6)),
        ..Extra::default()
    };
    let inp = input(dir.path(), "r.jpg", &x);
    for out in ["r-out.jpg", "r-out.png", "r-out.tif"] {
        let out = dir.path().join(out);
        restore(&inp, &out, &[]);
        // the pixels were turned upright (48 x 64), so the XMP must not ask to turn them again;
        // the rest of the packet is as it came
        assert_eq!(
            image::image_dimensions(&out).unwrap(),
            (H, W),
            "{}",
            out.display()
        );
        assert_eq!(
            xmp_of(&out),
            Some(XMP_ROTATED.replace("tiff:Orientation=\"6\"", "tiff:Orientation=\"1\"")),
            "{}",
            out.display()
        );
    }
}

#[test]
fn dpi_goes_to_each_outputs_field_in_its_unit() {
    let dir = tempfile::tempdir().unwrap();
    // 300 dpi = 11811 pixels per metre (300 / 0.0254 = 11811.02)
    for (inp, density, out, want) in [
        ("d.jpg", 300, "d-jpg.png", "11811 11811 per-metre"),
        ("d.png", 11811, "d-png.tif", "300/1 300/1 per-inch"),
        ("d.tif", 300, "d-tif.jpg", "300 300 per-inch"),
        ("d.png", 11811, "d-png.jpg", "300 300 per-inch"),
        ("d.jpg", 300, "d-jpg.tif", "300/1 300/1 per-inch"),
    ] {
        let x = Extra {
            density: Some(density),
            ..Extra::default()
        };
        let inp = input(dir.path(), inp, &x);
        let out = dir.path().join(out);
        restore(&inp, &out, &[]);
        assert_eq!(
            density_of(&out).as_deref(),
            Some(want),
            "{} -> {}",
            inp.display(),
            out.display()
        );
    }
    // a camera JPEG: no JFIF unit, the resolution in its EXIF (240 dpi)
    let mut w = exif::experimental::Writer::new();
    let fields = [
        Field {
            tag: Tag::XResolution,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![(240, 1).into()]),
        },
        Field {
            tag: Tag::YResolution,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![(240, 1).into()]),
        },
        Field {
            tag: Tag::ResolutionUnit,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![2]),
        },
    ];
    for f in &fields {
        w.push_field(f);
    }
    let mut block = std::io::Cursor::new(Vec::new());
    w.write(&mut block, false).unwrap();
    let x = Extra {
        exif: Some(block.into_inner()),
        ..Extra::default()
    };
    let inp = input(dir.path(), "camera.jpg", &x);
    assert_eq!(density_of(&inp).as_deref(), Some("1 1 aspect"));
    let out = dir.path().join("camera.png");
    restore(&inp, &out, &[]);
    // 240 / 0.0254 = 9448.8
    assert_eq!(density_of(&out).as_deref(), Some("9449 9449 per-metre"));
}

/// The camera's EXIF with a GPS position and a maker note.
fn camera_exif_with_gps() -> Vec<u8> {
    let mut w = exif::experimental::Writer::new();
    let mut fields = vec![
        ascii(Tag::Make, MAKE),
        ascii(Tag::Model, MODEL),
        ascii(Tag::Artist, ARTIST),
        ascii(Tag::Copyright, COPYRIGHT),
        ascii(Tag::DateTimeOriginal, DATE),
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![1]),
        },
        Field {
            tag: Tag::ExposureTime,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![(1, 250).into()]),
        },
        ascii(Tag::GPSLatitudeRef, "N"),
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![(48, 1).into(), (51, 1).into(), (2949, 100).into()]),
        },
    ];
    fields.push(Field {
        tag: Tag::MakerNote,
        ifd_num: In::PRIMARY,
        value: Value::Undefined(b"Nikon\0\x02\x10\0\0MM\0*".to_vec(), 0),
    });
    for f in &fields {
        w.push_field(f);
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    w.write(&mut buf, false).unwrap();
    buf.into_inner()
}

#[test]
fn exif_reaches_a_tiff_as_tags_and_what_is_left_out_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let x = Extra {
        exif: Some(camera_exif_with_gps()),
        ..Extra::default()
    };
    let inp = input(dir.path(), "cam.jpg", &x);
    let out = dir.path().join("cam.tif");
    let o = cli("restore").arg(&inp).arg(&out).output().unwrap();
    succeeded(&o);
    assert!(
        stderr(&o).contains("not copied from the input: EXIF MakerNote"),
        "{}",
        stderr(&o)
    );
    // kamadak-exif reads a TIFF file's own directories (IFD0 and the Exif and GPS IFDs)
    let e = exif::Reader::new()
        .read_from_container(&mut std::io::BufReader::new(
            std::fs::File::open(&out).unwrap(),
        ))
        .unwrap();
    let text = |tag| match &e.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(v) => Some(String::from_utf8_lossy(&v[0]).into_owned()),
        other => panic!("{tag}: {other:?}"),
    };
    for (tag, want) in [
        (Tag::Make, MAKE),
        (Tag::Model, MODEL),
        (Tag::Artist, ARTIST),
        (Tag::Copyright, COPYRIGHT),
        (Tag::DateTimeOriginal, DATE),
        (Tag::GPSLatitudeRef, "N"),
    ] {
        assert_eq!(text(tag).as_deref(), Some(want), "{tag}");
    }
    let rationals = |tag| match &e.get_field(tag, In::PRIMARY).unwrap().value {
        Value::Rational(v) => v.iter().map(|r| (r.num, r.denom)).collect::<Vec<_>>(),
        other => panic!("{tag}: {other:?}"),
    };
    assert_eq!(rationals(Tag::ExposureTime), [(1, 250)]);
    assert_eq!(rationals(Tag::GPSLatitude), [(48, 1), (51, 1), (2949, 100)]);
    let orientation = e.get_field(Tag::Orientation, In::PRIMARY).unwrap();
    assert_eq!(orientation.value.get_uint(0), Some(1));
    assert!(e.get_field(Tag::MakerNote, In::PRIMARY).is_none());
    // the pixels are still a readable RGB image of the input's size
    assert_eq!(image::image_dimensions(&out).unwrap(), (W, H));
}

#[test]
fn strip_metadata_drops_exif_and_xmp_and_keeps_the_colours_and_the_dpi() {
    let dir = tempfile::tempdir().unwrap();
    for (inp, density, out, dpi) in [
        ("s.jpg", 300, "s-out.jpg", "300 300 per-inch"),
        ("s.png", 11811, "s-out.png", "11811 11811 per-metre"),
        ("s.jpg", 300, "s-out.tif", "300/1 300/1 per-inch"),
    ] {
        let x = Extra {
            exif: Some(camera_exif_with_gps()),
            xmp: Some(XMP),
            density: Some(density),
        };
        let inp = input(dir.path(), inp, &x);
        let out = dir.path().join(out);
        restore(&inp, &out, &["--strip-metadata"]);
        assert_eq!(xmp_of(&out), None, "{}", out.display());
        assert_eq!(density_of(&out).as_deref(), Some(dpi), "{}", out.display());
        if out.extension().unwrap() == "tif" {
            let mut d = tiff_decoder(&out);
            assert_eq!(d.find_tag(tiff::tags::Tag::Make).unwrap(), None);
            assert_eq!(d.find_tag(tiff::tags::Tag::GpsDirectory).unwrap(), None);
            assert_eq!(
                d.get_tag_u8_vec(tiff::tags::Tag::IccProfile).ok(),
                Some(icc_profile())
            );
        } else {
            assert_eq!(exif_of(&out), None, "{}", out.display());
            assert_eq!(icc_of(&out), Some(icc_profile()), "{}", out.display());
        }
    }
}
