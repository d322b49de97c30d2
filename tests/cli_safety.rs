//! The command line's input and output safety (README "Reliability"): damaged files are errors
//! that name the file and write nothing; the pixel bound admits camera sizes and names its
//! option; the output is checked before any work and written through an exclusive temporary
//! file that a planted symlink cannot redirect and a signal does not leave behind; lossy
//! writes and over-large thread counts are said.
#![cfg(feature = "cli")]

mod cli_support;
mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::time::{Duration, Instant};

use cli_support::*;

fn jpeg_bytes(img: &image::RgbImage) -> Vec<u8> {
    let mut v = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut v, 90)
        .encode_image(img)
        .unwrap();
    v
}

#[test]
fn a_truncated_or_corrupt_file_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let whole = jpeg_bytes(&photo(160, 120, 1));
    let cut = dir.path().join("cut.jpg");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let out = dir.path().join("out.png");
    let o = cli("restore").arg(&cut).arg(&out).output().unwrap();
    failed(&o, "cut.jpg is damaged or truncated");
    assert!(!out.exists());
    // analyze refuses it too (its scores would describe grey that is not in the photo)
    failed(
        &cli("analyze").arg(&cut).output().unwrap(),
        "cut.jpg is damaged or truncated",
    );
    // a PNG cut short, and bytes that are no image
    let mut png = Vec::new();
    photo(160, 120, 2)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let cut_png = dir.path().join("cut.png");
    std::fs::write(&cut_png, &png[..png.len() / 2]).unwrap();
    failed(
        &cli("restore").arg(&cut_png).arg(&out).output().unwrap(),
        "cut.png",
    );
    let junk = dir.path().join("junk.tif");
    std::fs::write(&junk, b"II*\0 not really a tiff").unwrap();
    failed(
        &cli("restore").arg(&junk).arg(&out).output().unwrap(),
        "junk.tif",
    );
    assert_eq!(
        leftovers(dir.path(), &["cut.jpg", "cut.png", "junk.tif"]),
        Vec::<String>::new()
    );
    // the whole file restores
    let good = dir.path().join("good.jpg");
    std::fs::write(&good, &whole).unwrap();
    succeeded(&cli("restore").arg(&good).arg(&out).output().unwrap());
}

#[test]
fn the_pixel_bound_admits_camera_sizes_and_names_its_option() {
    let dir = tempfile::tempdir().unwrap();
    // a medium-format frame (11648 x 8736, 16-bit): the default bound lets the decoder at it, so
    // what fails is the file's missing data, not a memory limit
    let big = dir.path().join("big.png");
    std::fs::write(&big, png_header_only(11648, 8736)).unwrap();
    let t = Instant::now();
    let o = cli("analyze").arg(&big).output().unwrap();
    failed(&o, "big.png");
    let err = stderr(&o);
    assert!(
        !err.contains("limit") && !err.contains("--max-pixels"),
        "{err}"
    );
    // over the default (200 MP), refused from the header, naming the size and the option
    let huge = dir.path().join("huge.png");
    std::fs::write(&huge, png_header_only(20000, 12000)).unwrap();
    let o = cli("analyze").arg(&huge).output().unwrap();
    failed(
        &o,
        "huge.png is 20000x12000 = 240.0 MP, over the limit of 200.0 MP",
    );
    failed(&o, "--max-pixels 240000000");
    // a bound the user sets applies the same way, to restore too
    let small = save_png(dir.path(), "small.png", &photo(96, 64, 3));
    let out = dir.path().join("out.png");
    let o = cli("restore")
        .arg(&small)
        .arg(&out)
        .args(["--max-pixels", "5000"])
        .output()
        .unwrap();
    failed(&o, "over the limit of 0.0 MP: pass --max-pixels 6144");
    assert!(!out.exists());
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
}

#[test]
fn the_output_is_checked_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let inp = save_png(dir.path(), "in.png", &photo(96, 64, 4));
    for (out, needle) in [
        (
            dir.path().join("out.xyz"),
            "unknown image format (use .png, .jpg or .tif)",
        ),
        (dir.path().join("out"), "unknown image format"),
        (dir.path().join("missing/out.png"), "the folder"),
    ] {
        let t = Instant::now();
        let o = cli("restore").arg(&inp).arg(&out).output().unwrap();
        failed(&o, needle);
        // refused before the engine starts: no analysis was printed
        assert!(!stderr(&o).contains("found:"), "{}", stderr(&o));
        assert!(t.elapsed() < Duration::from_secs(5));
    }
    // an output problem is found even when the input would take the work
    let cut = dir.path().join("cut.jpg");
    let whole = jpeg_bytes(&photo(96, 64, 5));
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    failed(
        &cli("restore")
            .arg(&cut)
            .arg(dir.path().join("x.bmpx"))
            .output()
            .unwrap(),
        "unknown image format",
    );
    assert_eq!(
        leftovers(dir.path(), &["in.png", "cut.jpg"]),
        Vec::<String>::new()
    );
}

/// Builds `DIR/.out.png.autorestore-PID.tmp` for the child's own pid inside `pre_exec`, where
/// only async-signal-safe calls belong: no allocation, digits written into a fixed buffer.
fn plant_at_old_temp_name(cmd: &mut std::process::Command, dir: &Path, target: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let mut prefix = dir.as_os_str().as_bytes().to_vec();
    prefix.extend_from_slice(b"/.out.png.autorestore-");
    let mut target = target.as_os_str().as_bytes().to_vec();
    target.push(0);
    // SAFETY: the hook runs in the forked child before exec; it fills stack buffers and calls
    // getpid and symlink (async-signal-safe) on NUL-terminated paths, allocating nothing.
    unsafe {
        cmd.pre_exec(move || {
            let mut path = [0u8; 4096];
            let n = prefix.len().min(4000);
            path[..n].copy_from_slice(&prefix[..n]);
            let mut pid = libc::getpid() as u32;
            let mut digits = [0u8; 10];
            let mut k = 0;
            loop {
                digits[k] = b'0' + (pid % 10) as u8;
                k += 1;
                pid /= 10;
                if pid == 0 {
                    break;
                }
            }
            let mut at = n;
            for i in (0..k).rev() {
                path[at] = digits[i];
                at += 1;
            }
            path[at..at + 4].copy_from_slice(b".tmp");
            libc::symlink(target.as_ptr().cast(), path.as_ptr().cast());
            Ok(())
        });
    }
}

#[test]
fn a_planted_symlink_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let inp = save_png(dir.path(), "in.png", &photo(96, 64, 6));
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    let out = dir.path().join("out.png");
    // at the temporary name earlier versions used (predictable from the pid)
    let mut c = cli("restore");
    c.arg(&inp).arg(&out).arg("--quiet");
    plant_at_old_temp_name(&mut c, dir.path(), &victim);
    succeeded(&c.output().unwrap());
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    assert!(image::open(&out).is_ok());
    // at the output's own name: the link is replaced by the result, its target is untouched
    std::fs::remove_file(&out).unwrap();
    std::os::unix::fs::symlink(&victim, &out).unwrap();
    succeeded(&cli("restore").arg(&inp).arg(&out).output().unwrap());
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    assert!(!std::fs::symlink_metadata(&out)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(image::open(&out).is_ok());
}

#[test]
fn a_signal_during_the_work_leaves_no_temporary_and_the_old_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let inp = save_png(dir.path(), "in.png", &photo(640, 480, 7));
    let out = dir.path().join("out.png");
    for (sig, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        std::fs::write(&out, b"the previous result").unwrap();
        let child = cli("restore")
            .arg(&inp)
            .arg(&out)
            .arg("--quiet")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // the temporary file exists from before the engine starts until the rename
        let t = Instant::now();
        let tmp = loop {
            let found = leftovers(dir.path(), &["in.png", "out.png"]);
            if let Some(n) = found.into_iter().find(|n| n.ends_with(".autorestore.tmp")) {
                break n;
            }
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "no temporary file seen"
            );
            std::thread::sleep(Duration::from_millis(2));
        };
        assert!(tmp.starts_with(".out.png."), "{tmp}");
        // SAFETY: kill takes plain integers; the child is ours and not yet reaped.
        unsafe { libc::kill(child.id() as i32, sig) };
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
        assert!(stderr(&o).contains("interrupted"), "{}", stderr(&o));
        assert_eq!(std::fs::read(&out).unwrap(), b"the previous result");
        assert_eq!(
            leftovers(dir.path(), &["in.png", "out.png"]),
            Vec::<String>::new()
        );
    }
}

/// Gray + alpha has no colour type of its own in TIFF: the output is gray with one extra sample
/// of unassociated alpha (TIFF 6.0 ExtraSamples 2), read back by the tiff crate.
#[test]
fn gray_alpha_reaches_a_tiff_with_its_alpha() {
    use tiff::decoder::{ifd::Value, DecodingResult};
    use tiff::tags::Tag;
    let dir = tempfile::tempdir().unwrap();
    let (w, h) = (64u32, 48u32);
    let la = image::GrayAlphaImage::from_fn(w, h, |x, y| {
        image::LumaA([(x * 3 + y) as u8, ((x * 4) ^ (y * 5)) as u8])
    });
    let inp = dir.path().join("la.png");
    la.save(&inp).unwrap();
    let out = dir.path().join("la.tif");
    succeeded(&cli("restore").arg(&inp).arg(&out).output().unwrap());
    let mut d = tiff::decoder::Decoder::new(std::fs::File::open(&out).unwrap()).unwrap();
    let tag = |d: &mut tiff::decoder::Decoder<std::fs::File>, t| d.get_tag(t).unwrap();
    assert_eq!(tag(&mut d, Tag::PhotometricInterpretation), Value::Short(1));
    assert_eq!(tag(&mut d, Tag::SamplesPerPixel), Value::Short(2));
    assert_eq!(tag(&mut d, Tag::ExtraSamples), Value::Short(2));
    let DecodingResult::U8(px) = d.read_image().unwrap() else {
        panic!("not 8-bit")
    };
    let alpha: Vec<u8> = px.iter().skip(1).step_by(2).copied().collect();
    let want: Vec<u8> = la.pixels().map(|p| p.0[1]).collect();
    assert!(alpha == want, "the alpha did not pass through");
}

#[test]
fn float_values_above_one_and_alpha_in_jpeg_are_said() {
    let dir = tempfile::tempdir().unwrap();
    // a float TIFF with highlights above 1 (HDR): they are clipped, and the CLI says how many
    let (w, h) = (96u32, 64u32);
    let hdr = image::Rgb32FImage::from_fn(w, h, |x, y| {
        let v = (x + y) as f32 / (w + h) as f32;
        image::Rgb([if x < 8 { 1.5 } else { v }, v, 0.5])
    });
    let inp = dir.path().join("hdr.tif");
    image::DynamicImage::ImageRgb32F(hdr).save(&inp).unwrap();
    let out = dir.path().join("out.tif");
    let o = cli("restore").arg(&inp).arg(&out).output().unwrap();
    succeeded(&o);
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{} float samples above 1.0 (the largest 1.500) are clipped",
            8 * h
        )),
        "{err}"
    );
    // TIFF keeps the float samples
    let back = image::open(&out).unwrap();
    assert_eq!(back.color(), image::ColorType::Rgb32F);
    // PNG cannot: it says so
    let o = cli("restore")
        .arg(&inp)
        .arg(dir.path().join("out.png"))
        .output()
        .unwrap();
    succeeded(&o);
    assert!(
        stderr(&o).contains("PNG has no float samples"),
        "{}",
        stderr(&o)
    );

    // RGBA into JPEG: the alpha is dropped, and said
    let rgba = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([x as u8, y as u8, 90, 128]));
    let inp = dir.path().join("alpha.png");
    rgba.save(&inp).unwrap();
    let o = cli("restore")
        .arg(&inp)
        .arg(dir.path().join("out.jpg"))
        .output()
        .unwrap();
    succeeded(&o);
    assert!(
        stderr(&o).contains("the alpha is dropped"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn threads_beyond_the_cores_are_bounded_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let inp = save_png(dir.path(), "in.png", &photo(96, 64, 8));
    let out = dir.path().join("out.png");
    let cores = std::thread::available_parallelism().unwrap().get();
    let o = std::process::Command::new(CLI)
        .arg("restore")
        .arg(&inp)
        .arg(&out)
        .args(["--device", "cpu", "--tile", "320", "--threads", "100000"])
        .output()
        .unwrap();
    succeeded(&o);
    assert!(
        stderr(&o).contains(&format!("--threads 100000 is more than {cores}")),
        "{}",
        stderr(&o)
    );
}
