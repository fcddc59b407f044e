//! Reading blobs of the local-disk store straight from their files.
//!
//! object_store's local store streams a file 8 KiB at a time, each read a
//! hop to the blocking pool: a 500 KB original took 64 hops and capped
//! file GETs at ~800/s where nginx serves 8,700/s (`scripts/bench-serve`).
//! Here each hop reads [`CHUNK`] bytes, which keeps the memory a reader
//! holds small (one chunk in flight per response, whatever the file's
//! size) while cutting the hops eightfold. The OS page cache does the rest.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use bytes::{Bytes, BytesMut};
use futures_util::stream;
use mediakit_core::ports::{ByteRange, ByteStream};
use mediakit_core::{Error, ErrorCode, Result};

/// Bytes read per blocking hop: 64 KiB (1,000 concurrent slow readers
/// hold at most ~64 MB of chunks, typically far less).
pub const CHUNK: u64 = 64 * 1024;

/// Whether `key` maps to `root/key` unchanged: object_store's local store
/// percent-encodes other characters, so only such keys take this path.
pub fn plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
}

struct Open {
    file: std::fs::File,
    remaining: u64,
}

/// Opens `root/key` (a [`plain_key`]) at `range`, on the blocking pool. A
/// missing file is `NotFound` here, before any chunk.
pub async fn open(root: &Path, key: &str, range: Option<ByteRange>) -> Result<ByteStream> {
    let path: PathBuf = root.join(key);
    let owned_key = key.to_owned();
    let opened = tokio::task::spawn_blocking(move || -> Result<Open> {
        let mut file = std::fs::File::open(&path).map_err(|e| io_error(&owned_key, e))?;
        let size = file.metadata().map_err(|e| io_error(&owned_key, e))?.len();
        let (start, end) = range.map_or((0, size), |r| (r.start, r.end.min(size)));
        file.seek(SeekFrom::Start(start))
            .map_err(|e| io_error(&owned_key, e))?;
        Ok(Open {
            file,
            remaining: end.saturating_sub(start),
        })
    })
    .await
    .map_err(|e| Error::storage(format!("reading {key}: {e}")))??;

    let key = key.to_owned();
    Ok(Box::pin(stream::try_unfold(
        (opened, key),
        |(mut open, key)| async move {
            if open.remaining == 0 {
                return Ok(None);
            }
            let want = open.remaining.min(CHUNK);
            let read_key = key.clone();
            let (open, chunk) = tokio::task::spawn_blocking(move || -> Result<(Open, Bytes)> {
                // `want` is at most CHUNK, so the cast cannot truncate.
                let mut buf = BytesMut::zeroed(want as usize);
                let mut filled = 0;
                while filled < buf.len() {
                    match open.file.read(&mut buf[filled..]) {
                        Ok(0) => {
                            return Err(Error::storage(format!(
                                "{read_key}: the file ended early (truncated on disk?)"
                            )));
                        }
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(io_error(&read_key, e)),
                    }
                }
                open.remaining -= want;
                Ok((open, buf.freeze()))
            })
            .await
            .map_err(|e| Error::storage(format!("reading {key}: {e}")))??;
            Ok(Some((chunk, (open, key))))
        },
    )))
}

fn io_error(key: &str, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::new(ErrorCode::NotFound, format!("no blob at {key}"))
    } else {
        Error::storage(format!("{key}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_keys_take_the_direct_path() {
        assert!(plain_key("media/0190a1b2-c3d4-7e5f/original.jpg"));
        for bad in [
            "",
            "/etc/passwd",
            "media/../x",
            "media//x",
            "./x",
            "a b",
            "é.jpg",
            "x/",
        ] {
            assert!(!plain_key(bad), "{bad:?}");
        }
    }
}
