//! Contract 2 tile-exactness (models/README.md, `restore.onnx`): the tiled result equals the
//! whole-image result (reflect-pad bottom/right to the tile multiple, one run, crop) within 1e-3
//! for every tile size the engine allows, with one and with two sampler steps.

mod common;

use autorestore::engine::ImageSessions;
use autorestore::{
    Device, Engine, EngineOptions, ImageRef, Layout, Mode, RestoreParams, RunStats, SampleType,
};

const W: usize = 1203; // not multiples of the tile multiple: the padding is exercised too
const H: usize = 1045; // both above the default tile (1024), so it tiles this image too
const TOL: f32 = 1e-3;

fn engine(tile: usize, overlap: usize) -> Engine {
    common::engine(EngineOptions {
        tile_size: tile,
        tile_overlap: overlap,
        max_sessions: 1,
        ..common::cpu_options()
    })
}

/// A photo-like RGB image with edges, texture and noise (so every tile has detail).
fn image() -> Vec<u8> {
    let mut rng = common::Lcg(12345);
    let mut v = Vec::with_capacity(W * H * 3);
    for y in 0..H {
        for x in 0..W {
            let n = ((rng.next_u32() >> 26) as f32 - 32.0) * 1.2;
            let (fx, fy) = (x as f32 / W as f32, y as f32 / H as f32);
            let edge = if (x / 97 + y / 61) % 2 == 0 {
                40.0
            } else {
                -40.0
            };
            let r = 120.0 + 80.0 * (7.0 * fx + 3.0 * fy).sin() + edge;
            let g = 128.0 + 70.0 * (9.0 * fy - 4.0 * fx).cos();
            let b = 70.0 + 140.0 * fx * fy - edge * 0.5;
            for c in [r, g, b] {
                v.push((c + n).clamp(0.0, 255.0) as u8);
            }
        }
    }
    v
}

/// Restores with a fixed manual mix (so the restore graph always runs) into f32 samples.
fn restore(e: &Engine, img: &ImageRef<'_>, steps: u32) -> (Vec<f32>, usize) {
    let (v, stats) = restore_with(e, img, steps, None);
    (v, stats.tiles)
}

fn restore_with(
    e: &Engine,
    img: &ImageRef<'_>,
    steps: u32,
    analysis: Option<&autorestore::Analysis>,
) -> (Vec<f32>, RunStats) {
    let (out, stats) = e
        .restore(
            img,
            RestoreParams {
                mode: Mode::Mix(vec![1.0, 0.5, 0.25, 0.25, 0.5]),
                analysis,
                steps,
                seed: 7,
                output_sample: Some(SampleType::F32),
                ..RestoreParams::default()
            },
        )
        .unwrap();
    let v = out
        .as_bytes()
        .chunks_exact(4)
        .map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    (v, stats)
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn tiled_equals_whole_image_for_every_allowed_tile_size() {
    let data = image();
    let img = ImageRef::new(&data, Layout::packed(W, H, 3, SampleType::U8)).unwrap();
    let probe = engine(0, 0);
    let min = probe.min_tile_size();
    let default = probe.tile_size();
    assert!(probe.tile_margin() >= probe.info().receptive_field);
    assert_eq!(probe.tile_margin() % probe.info().tile_multiple, 0);
    assert!(default < W.min(H), "the default tile must tile this image");
    drop(probe);
    // below the minimum is refused with a clear message
    let e = Engine::new(&EngineOptions {
        device: Device::Cpu,
        tile_size: min - 1,
        ..EngineOptions::default()
    })
    .err()
    .expect("a tile below the minimum must be refused");
    assert!(
        e.message().contains(&format!(
            "tile size {} is below the minimum of {min}",
            min - 1
        )),
        "{e}"
    );

    let whole_engine = engine(8192, 0);
    let input: Vec<f32> = data.iter().map(|&b| b as f32 / 255.0).collect();
    for steps in [1u32, 2] {
        let (whole, tiles) = restore(&whole_engine, &img, steps);
        assert_eq!(tiles, 1, "one tile covers the whole image");
        assert!(
            max_diff(&whole, &input) > 0.01,
            "the restore must change the image, or the comparison proves nothing"
        );
        // smallest allowed, odd sizes (rounded down to the multiple), the default; one with a
        // feather band on top of the margins
        let mut cases = vec![
            (min, 0usize),
            (min + 13, 0),
            (517, 0),
            (default, 0),
            (517, 16),
        ];
        if steps == 2 {
            cases.retain(|&(t, o)| t == min || (t == 517 && o == 0) || t == default);
        }
        for (tile, overlap) in cases {
            let (tiled, n) = restore(&engine(tile, overlap), &img, steps);
            assert!(n > 1, "tile {tile}: only {n} tile(s)");
            let d = max_diff(&tiled, &whole);
            eprintln!("steps {steps} tile {tile} overlap {overlap}: {n} tiles, max |tiled - whole| = {d:.2e}");
            assert!(
                d <= TOL,
                "steps {steps} tile {tile} overlap {overlap}: max diff {d} > {TOL}"
            );
        }
    }
}

/// The control of the test above: a region restored without enough context differs from the
/// whole-image result near its cut (so the comparison can see a missing margin), and equals it
/// from `receptive_field` pixels away (the contract's locality, which the margin relies on).
#[test]
fn missing_context_shows_and_the_receptive_field_bounds_it() {
    let data = image();
    let img = ImageRef::new(&data, Layout::packed(W, H, 3, SampleType::U8)).unwrap();
    let e = engine(8192, 0);
    let rf = e.info().receptive_field;
    let (whole, _) = restore(&e, &img, 1);
    // the left 600 columns (a multiple of the tile multiple: no padding) on their own
    let cw = 600;
    let crop: Vec<u8> = (0..H)
        .flat_map(|y| data[y * W * 3..(y * W + cw) * 3].to_vec())
        .collect();
    let cimg = ImageRef::new(&crop, Layout::packed(cw, H, 3, SampleType::U8)).unwrap();
    // with the whole image's analysis (gates, cond), as a host's tiles of one frame
    let an = e.analyze(&img).unwrap();
    let (part, _) = restore_with(&e, &cimg, 1, Some(&an));
    let (mut near, mut far) = (0.0f32, 0.0f32);
    for y in 0..H {
        for x in 0..cw {
            for c in 0..3 {
                let d = (part[(y * cw + x) * 3 + c] - whole[(y * W + x) * 3 + c]).abs();
                if x + rf >= cw {
                    near = near.max(d);
                } else {
                    far = far.max(d);
                }
            }
        }
    }
    eprintln!(
        "crop without context: max diff {near:.2e} within {rf} px of the cut, {far:.2e} beyond"
    );
    assert!(near > TOL, "a missing margin must show ({near})");
    assert!(
        far <= TOL,
        "beyond the receptive field the crop must be exact ({far})"
    );
}

/// A CPU restore on sessions of its own image and step (gates, cond and t constants of the
/// graph, the tile size fixed: src/engine/image_session.rs) gives the shared session's result,
/// with one step and with two (a session per step).
#[test]
fn image_sessions_equal_the_shared_session() {
    let data = image();
    let img = ImageRef::new(&data, Layout::packed(W, H, 3, SampleType::U8)).unwrap();
    let with = |image_sessions| {
        common::engine(EngineOptions {
            image_sessions,
            max_sessions: 1,
            ..common::cpu_options()
        })
    };
    let (shared, own) = (with(ImageSessions::Never), with(ImageSessions::Always));
    // by default an image of this size (1.26 MP) keeps the shared session
    const { assert!(W * H < autorestore::engine::IMAGE_SESSION_MIN_PIXELS) };
    let (_, auto) = restore_with(&with(ImageSessions::Auto), &img, 1, None);
    assert_eq!(auto.image_sessions, 0);
    for steps in [1u32, 2] {
        let (a, sa) = restore_with(&shared, &img, steps, None);
        let (b, sb) = restore_with(&own, &img, steps, None);
        assert_eq!((sa.image_sessions, sb.image_sessions), (0, steps));
        assert!(sa.tiles > 1 && sa.tiles == sb.tiles);
        let d = max_diff(&a, &b);
        eprintln!(
            "steps {steps}: {} tiles, max |image sessions - shared| = {d:.2e}",
            sa.tiles
        );
        assert!(d <= TOL, "steps {steps}: max diff {d} > {TOL}");
    }
}
