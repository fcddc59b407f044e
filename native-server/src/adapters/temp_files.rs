//! Crash leftovers of `LocalFileSystem`: it writes `<key>#<n>` and renames
//! it into place, so a crash mid-write leaves the temporary file behind.
//! object_store hides such names from listings (so orphan collection never
//! sees them) and never removes them; this does.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// `name#123`: the staging names LocalFileSystem uses.
fn is_staging_name(name: &str) -> bool {
    name.rsplit_once('#')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Removes staging files under `dir` older than `min_age` (younger ones may
/// be writes in progress). Returns how many were removed.
pub fn remove_stale(dir: &Path, min_age: Duration) -> std::io::Result<u64> {
    let cutoff = SystemTime::now()
        .checked_sub(min_age)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut removed = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
                continue;
            }
            let name = entry.file_name();
            if !is_staging_name(&name.to_string_lossy()) {
                continue;
            }
            if entry.metadata()?.modified()? < cutoff {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_old_staging_files() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("media/x");
        std::fs::create_dir_all(&sub).unwrap();
        let old = sub.join("original.jpg#3");
        let fresh = sub.join("thumb.jpg#4");
        let real = sub.join("original.jpg");
        let named = sub.join("weird#name.jpg");
        for p in [&old, &fresh, &real, &named] {
            std::fs::write(p, b"x").unwrap();
        }
        let two_hours_ago = SystemTime::now() - Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        assert_eq!(
            remove_stale(dir.path(), Duration::from_secs(3600)).unwrap(),
            1
        );
        assert!(!old.exists());
        assert!(fresh.exists() && real.exists() && named.exists());
        assert_eq!(
            remove_stale(&dir.path().join("missing"), Duration::ZERO).unwrap(),
            0
        );
    }
}
