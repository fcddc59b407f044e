//! Test inputs: small committed files (see tests/fixtures/LICENSES.md) and
//! the real-photo corpus fetched by `scripts/fetch-corpus`.

use std::path::{Path, PathBuf};

pub fn dir() -> PathBuf {
    Path::new(&manifest_dir()).join("fixtures")
}

/// A committed fixture's bytes.
pub fn read(name: &str) -> Vec<u8> {
    let p = dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}

/// Where `scripts/fetch-corpus` puts the real photos
/// (`MEDIAKIT_CORPUS`, default `~/.cache/mediakit/corpus`).
pub fn corpus_dir() -> PathBuf {
    if let Ok(d) = std::env::var("MEDIAKIT_CORPUS") {
        return PathBuf::from(d);
    }
    let home = std::env::var("HOME").unwrap_or_else(|_| ".".into());
    Path::new(&home).join(".cache/mediakit/corpus")
}

/// The corpus photos (JPEG), sorted. Panics with instructions when the
/// corpus has not been fetched: a missing corpus must fail, not pass.
pub fn corpus_photos() -> Vec<PathBuf> {
    let dir = corpus_dir().join("photos");
    let mut photos: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("no corpus at {}: run scripts/fetch-corpus", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    photos.sort();
    assert!(
        !photos.is_empty(),
        "the corpus at {} is empty: run scripts/fetch-corpus",
        dir.display()
    );
    photos
}

/// The package's directory, read when the test runs (cargo sets it) rather
/// than baked in at compile time: a build reused from a checkout elsewhere
/// (a shared target directory) must still read this checkout's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned())
}
