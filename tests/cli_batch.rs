//! Batches on the command line (README "Command line"): folders in, a mirrored tree out, several
//! images at once on one engine, finished outputs skipped unless `--overwrite`, a failed file
//! reported by name without stopping the others, and `analyze` printing one JSON line per file.
#![cfg(feature = "cli")]

mod cli_support;
mod common;

use std::path::Path;

use cli_support::*;

/// in/: three photos (PNG, JPEG, TIFF), a truncated JPEG, text named .png, a text file that is
/// not taken; in/sub/ and in/sub/deeper/ one photo each.
fn shoot(root: &Path) -> std::path::PathBuf {
    let inp = root.join("in");
    std::fs::create_dir_all(inp.join("sub/deeper")).unwrap();
    save_png(&inp, "a.png", &photo(96, 64, 1));
    photo(80, 72, 2).save(inp.join("b.jpg")).unwrap();
    photo(64, 96, 3).save(inp.join("c.tif")).unwrap();
    let mut jpg = Vec::new();
    photo(96, 96, 4)
        .write_to(
            &mut std::io::Cursor::new(&mut jpg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    std::fs::write(inp.join("broken.jpg"), &jpg[..jpg.len() / 2]).unwrap();
    std::fs::write(inp.join("fake.png"), b"these are notes, not pixels").unwrap();
    std::fs::write(inp.join("notes.txt"), b"not an image name: never taken").unwrap();
    save_png(&inp.join("sub"), "d.png", &photo(72, 72, 5));
    save_png(&inp.join("sub/deeper"), "e.png", &photo(64, 80, 6));
    inp
}

fn dims(p: &Path) -> (u32, u32) {
    image::image_dimensions(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn summary(o: &std::process::Output) -> String {
    let err = stderr(o);
    err.lines()
        .find(|l| l.starts_with("restored "))
        .unwrap_or_else(|| panic!("no summary line in {err:?}"))
        .to_string()
}

#[test]
fn a_folder_restores_into_a_mirrored_tree_and_failures_do_not_stop_it() {
    let root = tempfile::tempdir().unwrap();
    let inp = shoot(root.path());
    let out = root.path().join("out");
    // not recursive: the top folder's images only
    let o = cli("restore")
        .arg(&inp)
        .arg("--out-dir")
        .arg(&out)
        .args(["--jobs", "2"])
        .output()
        .unwrap();
    assert!(!o.status.success(), "a failed file must fail the run");
    let line = summary(&o);
    assert!(
        line.starts_with("restored 3, skipped 0, failed 2"),
        "{line}"
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let at_once = format!("{} at once", cores.min(2));
    assert!(line.contains(&at_once), "{line} lacks {at_once}");
    let err = stderr(&o);
    assert!(err.contains("broken.jpg is damaged or truncated"), "{err}");
    assert!(err.contains("fake.png"), "{err}");
    assert!(!err.contains("notes.txt"), "{err}");
    assert!(err.contains("1 sub-folder(s) left out"), "{err}");
    assert_eq!(dims(&out.join("a.png")), (96, 64));
    assert_eq!(dims(&out.join("b.jpg")), (80, 72));
    assert_eq!(dims(&out.join("c.tif")), (64, 96));
    let mut made = leftovers(&out, &[]);
    made.sort();
    assert_eq!(
        made,
        ["a.png", "b.jpg", "c.tif"],
        "nothing for the broken files"
    );

    // recursive: the tree is mirrored, the finished ones are skipped
    let o = cli("restore")
        .arg(&inp)
        .arg("--out-dir")
        .arg(&out)
        .args(["--recursive", "--jobs", "2"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let line = summary(&o);
    assert!(
        line.starts_with(
            "restored 2, skipped 3 (output exists; --overwrite replaces it), failed 2"
        ),
        "{line}"
    );
    assert_eq!(dims(&out.join("sub/d.png")), (72, 72));
    assert_eq!(dims(&out.join("sub/deeper/e.png")), (64, 80));

    // a batch result is the result of the single-file command (same engine work, same bytes)
    let single = root.path().join("single.png");
    succeeded(
        &cli("restore")
            .arg(inp.join("sub/d.png"))
            .arg(&single)
            .output()
            .unwrap(),
    );
    assert_eq!(
        std::fs::read(&single).unwrap(),
        std::fs::read(out.join("sub/d.png")).unwrap()
    );
}

#[test]
fn an_existing_output_is_kept_unless_overwrite() {
    let root = tempfile::tempdir().unwrap();
    let inp = root.path().join("a.png");
    save_png(root.path(), "a.png", &photo(96, 64, 7));
    let out = root.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // someone's file where the output goes
    save_png(&out, "a.png", &photo(8, 8, 8));
    let before = std::fs::read(out.join("a.png")).unwrap();
    let o = cli("restore")
        .arg(&inp)
        .arg("--out-dir")
        .arg(&out)
        .output()
        .unwrap();
    succeeded(&o);
    assert!(
        summary(&o).starts_with("restored 0, skipped 1"),
        "{}",
        summary(&o)
    );
    assert_eq!(std::fs::read(out.join("a.png")).unwrap(), before);
    let o = cli("restore")
        .arg(&inp)
        .arg("--out-dir")
        .arg(&out)
        .arg("--overwrite")
        .output()
        .unwrap();
    succeeded(&o);
    assert!(
        summary(&o).starts_with("restored 1, skipped 0, failed 0"),
        "{}",
        summary(&o)
    );
    assert_eq!(dims(&out.join("a.png")), (96, 64));
    assert_eq!(leftovers(&out, &["a.png"]), Vec::<String>::new());
}

#[test]
fn jobs_beyond_the_machine_are_bounded_with_a_message() {
    let root = tempfile::tempdir().unwrap();
    save_png(root.path(), "a.png", &photo(96, 64, 9));
    save_png(root.path(), "b.png", &photo(64, 96, 10));
    let out = root.path().join("out");
    let o = cli("restore")
        .arg(root.path().join("a.png"))
        .arg(root.path().join("b.png"))
        .arg("--out-dir")
        .arg(&out)
        .args(["--jobs", "100000"])
        .output()
        .unwrap();
    succeeded(&o);
    // the bound is the cores, 4 and the free memory: whatever it is here, it is said, and the
    // batch runs with it instead of growing memory until it is killed
    let err = stderr(&o);
    assert!(err.contains("--jobs 100000 is more than "), "{err}");
    assert!(err.contains("; using "), "{err}");
    assert!(
        summary(&o).starts_with("restored 2, skipped 0, failed 0"),
        "{}",
        summary(&o)
    );
}

#[test]
fn analyze_prints_one_json_line_per_file() {
    let root = tempfile::tempdir().unwrap();
    let inp = shoot(root.path());
    let o = cli("analyze")
        .arg(inp.join("a.png"))
        .arg(inp.join("b.jpg"))
        .arg(inp.join("broken.jpg"))
        .arg(inp.join("sub"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(!o.status.success(), "the broken file must fail the run");
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect();
    assert_eq!(lines.len(), 4, "{text}");
    let file = |v: &serde_json::Value| v["file"].as_str().unwrap().to_string();
    // the broken file's line comes when its turn does; the folder gives its own image
    let by_name = |n: &str| {
        lines
            .iter()
            .find(|v| file(v).ends_with(n))
            .unwrap_or_else(|| panic!("no line for {n} in {text}"))
    };
    for (n, w, h) in [("a.png", 96, 64), ("b.jpg", 80, 72), ("d.png", 72, 72)] {
        let v = by_name(n);
        assert_eq!(
            (v["width"].as_u64(), v["height"].as_u64()),
            (Some(w), Some(h))
        );
        let scores = v["scores"].as_object().unwrap();
        assert!(!scores.is_empty());
        for s in scores.values() {
            let s = s.as_f64().unwrap();
            assert!((0.0..=1.0).contains(&s), "{v}");
        }
        assert!(v["amount"].as_f64().is_some(), "{v}");
    }
    let bad = by_name("broken.jpg");
    assert!(
        bad["error"]
            .as_str()
            .unwrap()
            .contains("damaged or truncated"),
        "{bad}"
    );
}
