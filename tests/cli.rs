//! The command line's output faults: the output written through a temporary file that is
//! renamed into place, so a disk that fills up, a directory that cannot be written or a target
//! that is not a regular file leaves no half-written file and an existing output intact; the
//! input is never overwritten unless asked.
#![cfg(feature = "cli")]

mod common;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CLI: &str = env!("CARGO_BIN_EXE_autorestore");

fn input(dir: &Path) -> PathBuf {
    let (w, h) = (96u32, 64u32);
    let mut rng = common::Lcg(7);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let n = (rng.next_u32() >> 25) as u8;
        image::Rgb([(x * 2) as u8 ^ n, (y * 3) as u8 ^ n, n])
    });
    let p = dir.join("in.png");
    img.save(&p).unwrap();
    p
}

fn restore(inp: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(CLI);
    c.arg("restore")
        .arg(inp)
        .arg(out)
        .args(["--device", "cpu", "--threads", "1", "--tile", "320"])
        .args(["--overlap", "16", "--quiet"])
        .args(extra);
    c
}

fn failed(o: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "succeeded; stderr: {err}");
    assert!(err.contains(needle), "stderr {err:?} lacks {needle:?}");
}

/// Files in `dir` other than those named.
fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[test]
fn writes_through_a_renamed_temporary_and_guards_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let inp = input(dir.path());
    let original = std::fs::read(&inp).unwrap();
    // refuses its own input, even through another spelling of the path
    let same = dir.path().join(".").join("in.png");
    failed(
        &restore(&inp, &same, &[]).output().unwrap(),
        "--overwrite-input",
    );
    assert_eq!(std::fs::read(&inp).unwrap(), original);
    // a normal run leaves exactly the output
    let out = dir.path().join("out.png");
    let o = restore(&inp, &out, &[]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(image::open(&out).is_ok());
    assert_eq!(
        leftovers(dir.path(), &["in.png", "out.png"]),
        Vec::<String>::new()
    );
    // asked to, it replaces its input
    let o = restore(&inp, &inp, &["--overwrite-input"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_ne!(std::fs::read(&inp).unwrap(), original);
}

#[test]
fn a_full_disk_leaves_no_partial_file_and_the_old_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let inp = input(dir.path());
    let out = dir.path().join("out.png");
    std::fs::write(&out, b"the previous result").unwrap();
    // RLIMIT_FSIZE makes writes past 2 KiB fail with EFBIG (SIGXFSZ ignored), as a full disk
    // would with ENOSPC, and needs no privileges.
    let mut c = restore(&inp, &out, &[]);
    // SAFETY: the hook runs in the forked child before exec and calls only async-signal-safe
    // functions (signal, setrlimit), allocating nothing.
    unsafe {
        c.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: 2048,
                rlim_max: 2048,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    failed(&c.output().unwrap(), "cannot");
    assert_eq!(std::fs::read(&out).unwrap(), b"the previous result");
    assert_eq!(
        leftovers(dir.path(), &["in.png", "out.png"]),
        Vec::<String>::new()
    );
}

#[test]
fn a_real_full_tmpfs_when_mounting_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let inp = input(dir.path());
    let mnt = dir.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=8k", "tmpfs"])
        .arg(&mnt)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (not root); the RLIMIT_FSIZE test covers it");
        return;
    }
    let out = mnt.join("out.tif"); // uncompressed: 18 KiB, over the 8 KiB filesystem
    let o = restore(&inp, &out, &[]).output();
    let left = leftovers(&mnt, &[]);
    let _ = Command::new("umount").arg(&mnt).status();
    failed(&o.unwrap(), "cannot");
    assert_eq!(left, Vec::<String>::new(), "left on the full filesystem");
}

#[test]
fn unwritable_places_and_special_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inp = input(dir.path());
    // a directory nobody can create files in (procfs refuses even root)
    failed(
        &restore(&inp, Path::new("/proc/autorestore-out.png"), &[])
            .output()
            .unwrap(),
        "cannot create",
    );
    // a directory that does not exist
    failed(
        &restore(&inp, &dir.path().join("no/such/dir/out.png"), &[])
            .output()
            .unwrap(),
        "cannot create",
    );
    // a read-only directory (root ignores permissions, so only when not root)
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        failed(
            &restore(&inp, &ro.join("out.png"), &[]).output().unwrap(),
            "cannot create",
        );
        assert_eq!(leftovers(&ro, &[]), Vec::<String>::new());
    }
    // an output that names a device (here through a symlink): renaming over it would replace
    // the node, so it is refused before any work
    let link = dir.path().join("full.png");
    std::os::unix::fs::symlink("/dev/full", &link).unwrap();
    failed(
        &restore(&inp, &link, &[]).output().unwrap(),
        "not a regular file",
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // a directory as output
    failed(
        &restore(&inp, dir.path(), &[]).output().unwrap(),
        "not a regular file",
    );
    assert_eq!(
        leftovers(dir.path(), &["in.png", "full.png"]),
        Vec::<String>::new()
    );
}

#[test]
fn tile_sizes_below_the_minimum_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let inp = input(dir.path());
    let out = dir.path().join("out.png");
    for tile in ["1", "100"] {
        let o = Command::new(CLI)
            .arg("restore")
            .arg(&inp)
            .arg(&out)
            .args(["--device", "cpu", "--quiet", "--tile", tile])
            .output()
            .unwrap();
        failed(&o, &format!("tile size {tile} is below the minimum of"));
    }
    // 0 is not a tile size at all
    let o = Command::new(CLI)
        .arg("restore")
        .arg(&inp)
        .arg(&out)
        .args(["--tile", "0"])
        .output()
        .unwrap();
    failed(&o, "--tile");
    assert!(!out.exists());
}

/// Automatic mode on the clean samples: where the analysis finds nothing to repair (amount 0),
/// `analyze` says so, `restore` says so and still writes the same pixels; elsewhere it restores.
#[test]
fn nothing_to_repair_is_reported_and_the_photo_written_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut nothing = 0;
    for name in [
        "noise_clean.png",
        "blur_clean.png",
        "demo_clean.png",
        "demo_degraded.png",
    ] {
        let inp = samples.join(name);
        let o = Command::new(CLI)
            .arg("analyze")
            .arg(&inp)
            .args(["--device", "cpu", "--json"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let amount = v["amount"].as_f64().unwrap();
        let none = v["nothing_to_repair"].as_bool().unwrap();
        assert!((0.0..=1.0).contains(&amount), "{v}");
        assert_eq!(none, amount == 0.0, "{v}");
        let text = Command::new(CLI)
            .arg("analyze")
            .arg(&inp)
            .args(["--device", "cpu"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert_eq!(text.contains("nothing to repair"), none, "{text}");

        let out = dir.path().join(name);
        let o = Command::new(CLI)
            .arg("restore")
            .arg(&inp)
            .arg(&out)
            .args(["--device", "cpu"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert_eq!(
            err.contains("nothing to repair: the photo is left as it is"),
            none,
            "{name}: {err}"
        );
        let a = image::open(&inp).unwrap().to_rgba16();
        let b = image::open(&out).unwrap().to_rgba16();
        assert_eq!(a.dimensions(), b.dimensions());
        assert_eq!(
            a.as_raw() == b.as_raw(),
            none,
            "{name}: pixels kept only when nothing to repair"
        );
        nothing += none as usize;
    }
    assert!(
        nothing > 0,
        "no clean sample was found to need nothing: the path is not exercised"
    );
}
