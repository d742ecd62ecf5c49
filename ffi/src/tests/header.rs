//! `include/textmeter.h` is exactly what cbindgen generates from this
//! crate (`TEXTMETER_BLESS=1` rewrites it: `scripts/regen-header`).

use std::path::Path;

/// The version macros, from this crate's (the workspace's) version.
fn version_macros() -> String {
    format!(
        "\n#define TEXTMETER_VERSION_MAJOR {}\n\
         #define TEXTMETER_VERSION_MINOR {}\n\
         #define TEXTMETER_VERSION_PATCH {}\n\
         #define TEXTMETER_VERSION_STRING \"{}\"\n",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION"),
    )
}

fn generate() -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(dir.join("cbindgen.toml"))
        .expect("ffi/cbindgen.toml parses");
    config.after_includes = Some(version_macros());
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    out
}

#[test]
fn header_is_current() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/textmeter.h");
    let fresh = generate();
    if std::env::var_os("TEXTMETER_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write include/textmeter.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "include/textmeter.h is stale: run scripts/regen-header"
    );
}

#[test]
fn header_version_matches_cargo() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/textmeter.h");
    let text = std::fs::read_to_string(path).expect("header exists");
    let want = format!(
        "#define TEXTMETER_VERSION_STRING \"{}\"",
        env!("CARGO_PKG_VERSION")
    );
    assert!(text.contains(&want), "header lacks {want}");
}
