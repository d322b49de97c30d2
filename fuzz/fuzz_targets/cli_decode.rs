//! Fuzzes the CLI's image decoding (src/bin/autorestore/files.rs and the metadata reading of
//! src/bin/autorestore/metadata/, compiled in here as they are):
//! any bytes, named PNG, JPEG or TIFF by their content, must decode into an image the engine
//! accepts or fail with an error, never crash or allocate without bound (the CLI's own bound on
//! pixels, smaller here so the fuzzer's memory limit holds: 16 MP, up to 256 MiB of pixels).

#![no_main]

#[path = "../../src/bin/autorestore/files.rs"]
#[allow(dead_code)]
mod files;
// files.rs reads the resolution and the EXIF through it
#[path = "../../src/bin/autorestore/metadata/mod.rs"]
#[allow(dead_code)]
mod metadata;

use autorestore::ImageRef;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(img) = files::load_bytes(data, 16_000_000) {
        let view = ImageRef::new(&img.bytes, img.layout).expect("decoded layout fits its bytes");
        assert_eq!(view.width() * view.height(), img.layout.pixels() as usize);
    }
});
