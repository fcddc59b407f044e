//! The rows that public file requests read, kept in memory for a short
//! while so that a file GET needs no database round trip in the common
//! case (a page of thumbnails asks for the same few rows again and again).
//!
//! The rule it must keep: deleted media is never served.
//! - On this instance, exactly: every catalog write of a media row
//!   invalidates its entry, and a read that raced a write does not store
//!   what it read ([`FileCache::generation`]: any invalidation between the
//!   read and its insertion makes the insertion a no-op).
//! - Across instances (several servers on one database, edge isolates),
//!   within the time to live: an entry is trusted for `ttl_ms` after it was
//!   read, so a change made elsewhere is seen at most that late.
//!   `docs/deploy.md` states the bound; `ttl_ms = 0` turns the cache off.
//!
//! Only rows that exist are kept (an unknown id always asks the database,
//! so random ids cannot fill the cache), and at most `capacity` of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::model::Media;
use crate::time::Millis;

/// How long a row read for a file request is trusted, by default.
pub const DEFAULT_FILE_CACHE_TTL_MS: Millis = 2_000;
/// How many rows the cache holds at most, by default (a few MB).
pub const DEFAULT_FILE_CACHE_CAPACITY: usize = 10_000;

#[derive(Debug)]
pub struct FileCache {
    ttl_ms: Millis,
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    /// Bumped by every invalidation.
    generation: u64,
}

#[derive(Debug)]
struct Entry {
    media: Arc<Media>,
    read_at: Millis,
}

impl Default for FileCache {
    fn default() -> Self {
        Self::new(DEFAULT_FILE_CACHE_TTL_MS, DEFAULT_FILE_CACHE_CAPACITY)
    }
}

impl FileCache {
    pub fn new(ttl_ms: Millis, capacity: usize) -> Self {
        Self {
            ttl_ms,
            capacity,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn enabled(&self) -> bool {
        self.ttl_ms > 0 && self.capacity > 0
    }

    /// Whether a row read at `read_at` may still answer at `now` (a clock
    /// that went back makes it stale, not fresh).
    fn fresh(&self, read_at: Millis, now: Millis) -> bool {
        (0..self.ttl_ms).contains(&now.saturating_sub(read_at))
    }

    /// A poisoned lock only means another thread panicked while holding
    /// it; the map is still consistent (every update is a single call).
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The row for `id` if one was read less than the time to live ago.
    pub fn get(&self, id: &str, now: Millis) -> Option<Arc<Media>> {
        if !self.enabled() {
            return None;
        }
        let inner = self.lock();
        let entry = inner.entries.get(id)?;
        self.fresh(entry.read_at, now)
            .then(|| Arc::clone(&entry.media))
    }

    /// Take this before reading a row, and pass it to [`Self::insert`].
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Keeps `media`, read at `read_at`, unless some row was invalidated
    /// since `generation` was taken: the read may then predate that write.
    pub fn insert(&self, media: impl Into<Arc<Media>>, read_at: Millis, generation: u64) {
        if !self.enabled() {
            return;
        }
        let media = media.into();
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(&media.id) {
            inner.entries.retain(|_, e| self.fresh(e.read_at, read_at));
            if inner.entries.len() >= self.capacity {
                // All fresh: drop any one (HashMap order is arbitrary).
                // Bounded memory matters more than which row is re-read.
                if let Some(victim) = inner.entries.keys().next().cloned() {
                    inner.entries.remove(&victim);
                }
            }
        }
        inner
            .entries
            .insert(media.id.clone(), Entry { media, read_at });
    }

    /// Forgets the row of `id`: called by every catalog write to it.
    pub fn invalidate(&self, id: &str) {
        let mut inner = self.lock();
        inner.generation = inner.generation.wrapping_add(1);
        inner.entries.remove(id);
    }

    /// How many rows are held (for tests and metrics).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
