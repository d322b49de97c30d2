//! Resource bounds and faults around a running engine: degenerate image shapes, the pixel cap
//! refusing a 100-megapixel image up front, descriptors that promise more bytes than the caller
//! has, and the model files being replaced while an engine runs.

mod common;

use std::path::Path;
use std::time::Instant;

use autorestore::ffi::engine::{
    autorestore_engine_create, autorestore_engine_destroy, autorestore_engine_options_init,
};
use autorestore::ffi::restore::autorestore_restore;
use autorestore::ffi::{
    AutorestoreDevice, AutorestoreEngineOptions, AutorestoreImage, AutorestoreSampleType,
    AutorestoreStatus,
};
use autorestore::{
    Device, Engine, EngineOptions, ErrorKind, ImageRef, Layout, RestoreParams, SampleType,
};

fn engine(max_pixels: u64) -> Engine {
    common::engine(EngineOptions {
        max_pixels,
        ..common::cpu_options()
    })
}

fn ramp(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 % 251) as u8).collect()
}

#[test]
fn one_pixel_and_one_pixel_wide_or_high_images_restore() {
    let e = engine(0);
    for (w, h) in [(1, 1), (1, 10_000), (10_000, 1)] {
        for ch in [1, 4] {
            let data = ramp(w * h * ch);
            let view = ImageRef::new(&data, Layout::packed(w, h, ch, SampleType::U8)).unwrap();
            let (out, stats) = e
                .restore(&view, RestoreParams::default())
                .unwrap_or_else(|err| panic!("{w}x{h}x{ch}: {err}"));
            assert_eq!(out.as_bytes().len(), data.len(), "{w}x{h}x{ch}");
            if ch == 4 {
                let alpha_kept = out
                    .as_bytes()
                    .chunks(4)
                    .zip(data.chunks(4))
                    .all(|(o, i)| o[3] == i[3]);
                assert!(alpha_kept, "{w}x{h}: alpha changed");
            }
            eprintln!("{w}x{h}x{ch}: {} tiles in {:?}", stats.tiles, stats.total);
        }
    }
}

#[test]
fn a_100_megapixel_image_over_the_cap_is_refused_up_front() {
    let e = engine(50_000_000);
    // A real 100 MP RGB buffer (300 MB) would be slow to fill in CI and is not needed: the cap
    // is checked before a single pixel is read, so a descriptor over zeroed pages does it.
    let (w, h) = (10_000usize, 10_000usize);
    let data = vec![0u8; w * h * 3]; // calloc: untouched pages cost no memory
    let view = ImageRef::new(&data, Layout::packed(w, h, 3, SampleType::U8)).unwrap();
    let t0 = Instant::now();
    let err = e.restore(&view, RestoreParams::default()).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::TooLarge);
    assert!(
        err.message().contains("100000000 pixels") && err.message().contains("50000000"),
        "{err}"
    );
    assert_eq!(e.analyze(&view).err().unwrap().kind(), ErrorKind::TooLarge);
    assert!(
        t0.elapsed().as_millis() < 500,
        "refusal took {:?}",
        t0.elapsed()
    );
}

#[test]
fn huge_declared_sizes_over_a_small_buffer_are_refused_before_any_read() {
    // Rust API: the buffer length is known, the layout must fit in it.
    let small = [0u8; 64];
    let err = ImageRef::new(&small, Layout::packed(10_000, 10_000, 4, SampleType::U8))
        .err()
        .unwrap();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);

    // C API: the length is not known, so the cap is what protects the host. The descriptor
    // points at a page that cannot be read: any read would crash this test.
    // SAFETY: the C API is called as its header documents (options initialised by _init, the
    // engine destroyed once); the descriptors' pixels point at the PROT_NONE page on purpose.
    unsafe {
        let page = libc::mmap(
            std::ptr::null_mut(),
            4096,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        assert_ne!(page, libc::MAP_FAILED);
        let mut o = std::mem::MaybeUninit::<AutorestoreEngineOptions>::uninit();
        autorestore_engine_options_init(o.as_mut_ptr());
        let mut o = o.assume_init();
        o.device = AutorestoreDevice::AUTORESTORE_DEVICE_CPU;
        o.max_pixels = 1_000_000;
        let mut eng = std::ptr::null_mut();
        assert_eq!(
            autorestore_engine_create(&o, &mut eng),
            AutorestoreStatus::AUTORESTORE_OK
        );
        for (w, h, stride, want) in [
            // over the cap
            (
                100_000u32,
                100_000u32,
                400_000usize,
                AutorestoreStatus::AUTORESTORE_ERR_TOO_LARGE,
            ),
            (
                10_000,
                10_000,
                40_000,
                AutorestoreStatus::AUTORESTORE_ERR_TOO_LARGE,
            ),
            // spans more than the address space
            (
                1,
                3,
                usize::MAX / 2,
                AutorestoreStatus::AUTORESTORE_ERR_TOO_LARGE,
            ),
            // stride smaller than a row
            (
                500,
                500,
                100,
                AutorestoreStatus::AUTORESTORE_ERR_INVALID_ARGUMENT,
            ),
        ] {
            let img = AutorestoreImage {
                data: page,
                width: w,
                height: h,
                row_stride: stride,
                sample_type: AutorestoreSampleType::AUTORESTORE_SAMPLE_U8,
                channels: 4,
            };
            let s = autorestore_restore(eng, &img, &img, std::ptr::null());
            assert_eq!(s, want, "{w}x{h} stride {stride}");
        }
        autorestore_engine_destroy(eng);
        libc::munmap(page, 4096);
    }
}

#[test]
fn model_files_replaced_while_an_engine_runs_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/shipped");
    for f in ["manifest.json", "analyze.onnx", "restore.onnx"] {
        std::fs::copy(shipped.join(f), dir.path().join(f)).unwrap();
    }
    let e = Engine::new(&EngineOptions {
        model_dir: Some(dir.path().to_path_buf()),
        device: Device::Cpu,
        threads: 1,
        max_sessions: 3,
        ..EngineOptions::default()
    })
    .unwrap();
    let (w, h) = (40, 30);
    let data = ramp(w * h * 3);
    let view = ImageRef::new(&data, Layout::packed(w, h, 3, SampleType::U8)).unwrap();
    let before = e.restore(&view, RestoreParams::default()).unwrap().0;
    // garbage over the graphs, then a missing file: the engine runs on the bytes it verified,
    // and the sessions it creates later (three concurrent runs need new ones) come from them too
    for f in ["analyze.onnx", "restore.onnx"] {
        std::fs::write(dir.path().join(f), b"replaced while running").unwrap();
    }
    std::fs::remove_file(dir.path().join("manifest.json")).unwrap();
    let after: Vec<Vec<u8>> = common::restore_in_threads(&e, &view, 3);
    assert!(after.iter().all(|a| a == before.as_bytes()));
    // a new engine from the damaged directory is refused cleanly
    let err = Engine::new(&EngineOptions {
        model_dir: Some(dir.path().to_path_buf()),
        device: Device::Cpu,
        ..EngineOptions::default()
    })
    .err()
    .unwrap();
    assert_eq!(err.kind(), ErrorKind::Model);
}
