//! What the CLI tests share: running the real binary on the real model, and making the files
//! they feed it (photos, EXIF blocks, damaged files) in their temporary folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const CLI: &str = env!("CARGO_BIN_EXE_autorestore");

/// `autorestore SUBCOMMAND` on the CPU with small tiles, so a test image is one quick tile.
pub fn cli(sub: &str) -> Command {
    let mut c = Command::new(CLI);
    c.arg(sub)
        .args(["--device", "cpu", "--threads", "1", "--tile", "320"]);
    c
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn succeeded(o: &Output) {
    assert!(o.status.success(), "failed: {}", stderr(o));
}

pub fn failed(o: &Output, needle: &str) {
    let err = stderr(o);
    assert!(!o.status.success(), "succeeded; stderr: {err}");
    assert!(err.contains(needle), "stderr {err:?} lacks {needle:?}");
}

/// Files in `dir` other than those named.
pub fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

/// A photo-like test image: gradients with pseudo-random grain.
pub fn photo(w: u32, h: u32, seed: u32) -> image::RgbImage {
    let mut rng = crate::common::Lcg(seed.wrapping_mul(2_654_435_761).wrapping_add(7));
    image::RgbImage::from_fn(w, h, |x, y| {
        let n = (rng.next_u32() >> 27) as u8;
        image::Rgb([
            (x * 255 / w) as u8 ^ n,
            (y * 255 / h) as u8 ^ n,
            128u8.wrapping_add(n),
        ])
    })
}

pub fn save_png(dir: &Path, name: &str, img: &image::RgbImage) -> PathBuf {
    let p = dir.join(name);
    img.save(&p).unwrap();
    p
}

/// A big-endian EXIF block (TIFF header and IFD0) with Orientation and Artist, as cameras
/// write it (the APP1 payload after "Exif\0\0").
pub fn exif_block(orientation: u16, artist: &str) -> Vec<u8> {
    let mut artist = artist.as_bytes().to_vec();
    artist.push(0);
    let mut b = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entries: u16 = 2;
    b.extend(entries.to_be_bytes());
    // Orientation: SHORT, 1 value, inline
    b.extend(0x0112u16.to_be_bytes());
    b.extend(3u16.to_be_bytes());
    b.extend(1u32.to_be_bytes());
    b.extend(orientation.to_be_bytes());
    b.extend([0, 0]);
    // Artist: ASCII, stored after the IFD
    let data_at = 8 + 2 + 12 * entries as u32 + 4;
    b.extend(0x013Bu16.to_be_bytes());
    b.extend(2u16.to_be_bytes());
    b.extend((artist.len() as u32).to_be_bytes());
    b.extend(data_at.to_be_bytes());
    b.extend(0u32.to_be_bytes()); // no next IFD
    b.extend(artist);
    b
}

/// A stand-in ICC profile: the writers embed it as bytes, so the test checks it byte for byte.
pub fn icc_profile() -> Vec<u8> {
    (0..600u32).map(|i| (i * 7 % 251) as u8).collect()
}

/// The EXIF block of a JPEG, PNG or TIFF file as the `image` crate reads it.
pub fn exif_of(path: &Path) -> Option<Vec<u8>> {
    use image::ImageDecoder;
    let mut d = image::ImageReader::open(path)
        .unwrap()
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    d.exif_metadata().unwrap()
}

pub fn icc_of(path: &Path) -> Option<Vec<u8>> {
    use image::ImageDecoder;
    let mut d = image::ImageReader::open(path)
        .unwrap()
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    d.icc_profile().unwrap()
}

/// A field of an EXIF block, read by kamadak-exif (not by the code under test).
pub fn exif_field(block: &[u8], tag: exif::Tag) -> Option<exif::Field> {
    let e = exif::Reader::new().read_raw(block.to_vec()).ok()?;
    e.get_field(tag, exif::In::PRIMARY).cloned()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A PNG whose header says `w` x `h`, 16-bit RGB, followed by too little data: enough to see
/// what the decoder's size bound says without making hundreds of megabytes.
pub fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    };
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([16, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    // a zlib stream of a few zero bytes (stored block), far short of the image
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x01, 0x01, 0x04, 0x00, 0xfb, 0xff, 0, 0, 0, 0],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}
