//! The web page as built into the binary (see `build.rs`): what `/` serves
//! when no `--web-dir` is given, so that a release binary alone is the
//! whole product.

use std::collections::HashMap;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

include!(concat!(env!("OUT_DIR"), "/page_files.rs"));

/// One file of a page kept in memory, with its validator.
#[derive(Debug)]
pub struct PageFile {
    pub bytes: &'static [u8],
    /// Weak, like the served-from-disk page's, but from the bytes.
    pub etag: String,
}

/// A set of files by path (`index.html`, `assets/app.js`).
#[derive(Debug)]
pub struct PageFiles {
    files: HashMap<&'static str, PageFile>,
}

impl PageFiles {
    pub fn new(files: &'static [(&'static str, &'static [u8])]) -> Self {
        let files = files
            .iter()
            .map(|&(path, bytes)| {
                let hash = Sha256::digest(bytes);
                let etag = format!("W/\"{}\"", hex::encode(&hash[..16]));
                (path, PageFile { bytes, etag })
            })
            .collect();
        Self { files }
    }

    /// The files built into this binary (hashed once, at first use).
    pub fn built_in() -> &'static Self {
        static BUILT_IN: OnceLock<PageFiles> = OnceLock::new();
        BUILT_IN.get_or_init(|| Self::new(FILES))
    }

    pub fn get(&self, path: &str) -> Option<&PageFile> {
        self.files.get(path)
    }
}
