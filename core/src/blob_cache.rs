//! Small stored files kept in memory, so that the file GETs a page of
//! thumbnails makes are answered without a trip to storage.
//!
//! Why: a file GET that reads storage pays for it on every request (on
//! local disk a hop to the blocking pool to open and read the file, on S3 a
//! network round trip), and for a 10–40 KB variant that cost, not the
//! bytes, is what limits requests per second (`docs/benchmarks.md`,
//! serving files). Large files are never kept: they are streamed, and at
//! their size copying the bytes is the cost anyway.
//!
//! Correctness needs no invalidation: stored blobs never change (keys are
//! create-only), whether a file may be served is decided before the cache
//! is asked (the catalog's row, see [`crate::catalog::FileCache`]), and an
//! entry is used only when its length and SHA-256 match that row's, so a
//! key that was ever re-created with other bytes cannot answer with the
//! old ones.
//!
//! Bounded by bytes ([`BlobCache::new`]): eviction is quick_cache's
//! (S3-FIFO-like: one-hit wonders leave first), so a scan over many files
//! read once cannot flush the thumbnails a site reads all day.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

/// The cache's size on the native server by default (`mediakit.toml`:
/// `file_memory_cache_mib`).
pub const DEFAULT_BLOB_CACHE_BYTES: u64 = 32 * 1024 * 1024;
/// The largest file kept, whatever the cache's size: larger ones are
/// streamed (thumbnails and web-size variants are well below it).
pub const MAX_CACHED_BLOB_BYTES: u64 = 512 * 1024;

#[derive(Clone)]
struct Entry {
    sha256: String,
    bytes: Bytes,
}

/// An entry weighs its bytes plus what its key and hash take: a cache of
/// `n` bytes never holds much more than `n`.
#[derive(Clone)]
struct ByWeight;

impl Weighter<String, Entry> for ByWeight {
    fn weight(&self, key: &String, entry: &Entry) -> u64 {
        (entry.bytes.len() + key.len() + entry.sha256.len()) as u64 + 64
    }
}

pub struct BlobCache {
    cache: Option<Cache<String, Entry, ByWeight>>,
    max_object: u64,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl std::fmt::Debug for BlobCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobCache")
            .field("capacity", &self.cache.as_ref().map(Cache::capacity))
            .field("max_object", &self.max_object)
            .finish()
    }
}

impl Default for BlobCache {
    /// Off: hosts turn it on with a size ([`Self::new`]).
    fn default() -> Self {
        Self::new(0)
    }
}

impl BlobCache {
    /// A cache of at most `capacity` bytes (0: off). Files larger than an
    /// eighth of it, or than [`MAX_CACHED_BLOB_BYTES`], are never kept, so
    /// even a small cache holds several.
    pub fn new(capacity: u64) -> Self {
        let max_object = (capacity / 8).min(MAX_CACHED_BLOB_BYTES);
        let cache = (max_object > 0).then(|| {
            // quick_cache sizes its tables from the expected item count:
            // assume variants of ~16 KB, the common case.
            let items = usize::try_from(capacity / (16 * 1024))
                .unwrap_or(usize::MAX)
                .max(16);
            Cache::with_weighter(items, capacity, ByWeight)
        });
        Self {
            cache,
            max_object,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// Whether a file of `size` bytes is one this cache keeps.
    pub fn admits(&self, size: u64) -> bool {
        self.cache.is_some() && size <= self.max_object
    }

    /// The bytes of `key` if they are kept and are the file described by
    /// `size` and `sha256`.
    pub fn get(&self, key: &str, size: u64, sha256: &str) -> Option<Bytes> {
        let found = self
            .cache
            .as_ref()?
            .get(key)
            .filter(|e| e.bytes.len() as u64 == size && e.sha256 == sha256)
            .map(|e| e.bytes);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Lookups answered from memory and not, since start (for metrics).
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Keeps `bytes` as the file `key` with hash `sha256`, if it is small
    /// enough.
    pub fn insert(&self, key: &str, sha256: &str, bytes: Bytes) {
        if let Some(cache) = &self.cache
            && self.admits(bytes.len() as u64)
        {
            cache.insert(
                key.to_owned(),
                Entry {
                    sha256: sha256.to_owned(),
                    bytes,
                },
            );
        }
    }

    /// Bytes held now (for tests and metrics).
    pub fn weight(&self) -> u64 {
        self.cache.as_ref().map_or(0, Cache::weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_small_files_and_checks_what_they_are() {
        let c = BlobCache::new(1024 * 1024);
        assert!(c.admits(100) && c.admits(128 * 1024) && !c.admits(128 * 1024 + 1));
        c.insert("media/a/small.jpg", "aa", Bytes::from_static(b"12345"));
        assert_eq!(
            c.get("media/a/small.jpg", 5, "aa").as_deref(),
            Some(&b"12345"[..])
        );
        // Another hash or length is another file: not answered from here.
        assert_eq!(c.get("media/a/small.jpg", 5, "bb"), None);
        assert_eq!(c.get("media/a/small.jpg", 6, "aa"), None);
        assert_eq!(c.get("media/b/small.jpg", 5, "aa"), None);
    }

    #[test]
    fn large_files_are_never_kept() {
        let c = BlobCache::new(64 * 1024 * 1024);
        assert!(!c.admits(MAX_CACHED_BLOB_BYTES + 1));
        let big = Bytes::from(vec![0u8; (MAX_CACHED_BLOB_BYTES + 1) as usize]);
        c.insert("k", "h", big);
        assert_eq!(c.weight(), 0);
    }

    #[test]
    fn holds_at_most_its_capacity() {
        let c = BlobCache::new(64 * 1024);
        for i in 0..100 {
            c.insert(&format!("media/{i}"), "h", Bytes::from(vec![0u8; 4096]));
            assert!(c.weight() <= 64 * 1024, "{}", c.weight());
        }
    }

    #[test]
    fn off_keeps_nothing() {
        let c = BlobCache::default();
        assert!(!c.admits(1));
        c.insert("k", "h", Bytes::from_static(b"x"));
        assert_eq!(c.get("k", 1, "h"), None);
    }
}
