//! Reading blobs of the local-disk store straight from their files.
//!
//! object_store's local store streams a file 8 KiB at a time, each read a
//! hop to the blocking pool: a 500 KB original took 64 hops and capped
//! file GETs at ~800/s where nginx serves 8,700/s (`scripts/bench-serve`).
//! Here:
//! - opening the file and reading its first [`CHUNK`] is one hop;
//! - every later chunk is read on the executor thread when the page cache
//!   holds it (Linux `preadv2(RWF_NOWAIT)`: the read fails instead of
//!   waiting for the disk), and only what must come from the disk takes a
//!   hop. A popular file is in the page cache, so streaming it costs a
//!   copy per chunk and no thread switches; a cold one never blocks the
//!   executor.
//!
//! Memory: one chunk in flight per response, whatever the file's size (see
//! `http_server::WRITE_BUFFER`, of the same size).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use bytes::{Bytes, BytesMut};
use futures_util::stream;
use mediakit_core::ports::{ByteRange, ByteStream};
use mediakit_core::{Error, ErrorCode, Result};

/// Bytes read per chunk. With the server's write buffer of the same size,
/// a slow reader holds about one chunk.
pub const CHUNK: u64 = 32 * 1024;

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
    key: String,
    file: File,
    /// Where the next chunk starts (the file's offset is also there).
    pos: u64,
    end: u64,
    /// Cleared when the file system refuses non-blocking reads: every
    /// later chunk takes the blocking path.
    try_cached: bool,
}

impl Open {
    fn want(&self) -> usize {
        // At most CHUNK: the cast cannot truncate.
        (self.end - self.pos).min(CHUNK) as usize
    }

    /// Reads the next chunk, waiting for the disk if need be (blocking
    /// pool only).
    fn read_blocking(&mut self) -> Result<Bytes> {
        let mut buf = BytesMut::zeroed(self.want());
        let mut filled = 0;
        while filled < buf.len() {
            match self.file.read(&mut buf[filled..]) {
                Ok(0) => return Err(self.truncated()),
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(&self.key, e)),
            }
        }
        self.pos += filled as u64;
        Ok(buf.freeze())
    }

    /// The next chunk (or the part of it that is) from the page cache, on
    /// the calling thread; `None` when it would wait for the disk.
    #[cfg(target_os = "linux")]
    fn read_cached(&mut self) -> Option<Result<Bytes>> {
        use rustix::io::{Errno, ReadWriteFlags, preadv2};
        if !self.try_cached {
            return None;
        }
        let mut buf = BytesMut::zeroed(self.want());
        let read = preadv2(
            &self.file,
            &mut [std::io::IoSliceMut::new(&mut buf)],
            self.pos,
            ReadWriteFlags::NOWAIT,
        );
        match read {
            Ok(0) => Some(Err(self.truncated())),
            Ok(n) => {
                buf.truncate(n);
                self.pos += n as u64;
                // preadv2 does not move the file offset; a later blocking
                // read must start where this one ended.
                if let Err(e) = self.file.seek(SeekFrom::Start(self.pos)) {
                    return Some(Err(io_error(&self.key, e)));
                }
                Some(Ok(buf.freeze()))
            }
            Err(Errno::AGAIN | Errno::INTR) => None,
            Err(_) => {
                // EOPNOTSUPP and the like: this file system cannot say.
                self.try_cached = false;
                None
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn read_cached(&mut self) -> Option<Result<Bytes>> {
        None
    }

    fn truncated(&self) -> Error {
        Error::storage(format!(
            "{}: the file ended early (truncated on disk?)",
            self.key
        ))
    }
}

/// Opens `root/key` (a [`plain_key`]) at `range` and reads its first chunk,
/// in one hop to the blocking pool. A missing file is `NotFound` here,
/// before any chunk.
pub async fn open(root: &Path, key: &str, range: Option<ByteRange>) -> Result<ByteStream> {
    let path: PathBuf = root.join(key);
    let owned_key = key.to_owned();
    let (open, first) = tokio::task::spawn_blocking(move || -> Result<(Open, Bytes)> {
        let mut file = File::open(&path).map_err(|e| io_error(&owned_key, e))?;
        let size = file.metadata().map_err(|e| io_error(&owned_key, e))?.len();
        let (start, end) = range.map_or((0, size), |r| (r.start, r.end.min(size)));
        file.seek(SeekFrom::Start(start))
            .map_err(|e| io_error(&owned_key, e))?;
        let mut open = Open {
            key: owned_key,
            file,
            pos: start,
            end: end.max(start),
            try_cached: true,
        };
        let first = open.read_blocking()?;
        Ok((open, first))
    })
    .await
    .map_err(|e| Error::storage(format!("reading {key}: {e}")))??;

    let first = stream::once(async move { Ok(first) });
    let rest = stream::try_unfold(open, |mut open| async move {
        if open.pos >= open.end {
            return Ok(None);
        }
        // A cached read never waits, so without this a connection whose
        // socket keeps accepting could stream a whole large file before
        // its executor thread serves anyone else. Each chunk spends a unit
        // of tokio's cooperative budget, as a socket read does.
        tokio::task::coop::consume_budget().await;
        if let Some(chunk) = open.read_cached() {
            return chunk.map(|c| Some((c, open)));
        }
        let key = open.key.clone();
        let (open, chunk) = tokio::task::spawn_blocking(move || {
            let chunk = open.read_blocking();
            (open, chunk)
        })
        .await
        .map_err(|e| Error::storage(format!("reading {key}: {e}")))?;
        Ok(Some((chunk?, open)))
    });
    Ok(Box::pin(futures_util::StreamExt::filter(
        futures_util::StreamExt::chain(first, rest),
        |c| std::future::ready(!matches!(c, Ok(b) if b.is_empty())),
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
