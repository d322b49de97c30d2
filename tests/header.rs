//! include/autorestore.h must be exactly what the pinned cbindgen generates from src/ffi.
//! Regenerate with `make header` (runs this test with AUTORESTORE_BLESS=1).

use std::path::Path;

#[test]
fn header_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config =
        cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    // the version macros come from Cargo.toml, never from a hand-edited file
    config.after_includes = Some(format!(
        "\n#define AUTORESTORE_VERSION \"{}\"\n#define AUTORESTORE_VERSION_MAJOR {}\n#define AUTORESTORE_VERSION_MINOR {}\n#define AUTORESTORE_VERSION_PATCH {}\n",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH")
    ));
    // only the C ABI module (cbindgen follows its `mod` items): the rest of the crate has
    // public items that are not C API
    let builder = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src").join("ffi").join("mod.rs"));
    let mut out = Vec::new();
    builder.generate().expect("cbindgen failed").write(&mut out);
    let fresh = String::from_utf8(out).expect("utf-8 header");
    let path = root.join("include").join("autorestore.h");
    if std::env::var_os("AUTORESTORE_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write header");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "include/autorestore.h is stale: run `make header` and commit it"
    );
}
