//! The key rendition URLs are signed with: `signing-key` in the data
//! directory, 256 random bits in hex, created on first use (owner-only
//! permissions). Instances that serve the same store must share it (copy
//! the file; `docs/deploy.md`), or each signs URLs the others refuse.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use mediakit_core::ports::Entropy;
use mediakit_core::rendition::SigningKey;

use crate::adapters::runtime::OsEntropy;

pub const FILE_NAME: &str = "signing-key";

/// Reads the data directory's key, creating it when there is none. Two
/// processes starting at once agree: the file is created exclusively, and
/// the one that loses reads the winner's.
pub fn load_or_create(data: &Path) -> anyhow::Result<SigningKey> {
    let path = data.join(FILE_NAME);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(&path) {
        Ok(mut file) => {
            let mut bytes = [0u8; 32];
            OsEntropy.fill(&mut bytes);
            // Written whole and synced before anyone can read a short file:
            // the reader below retries while it is being written.
            writeln!(file, "{}", hex::encode(bytes))?;
            file.sync_all()?;
            Ok(SigningKey::new(bytes.to_vec()).map_err(|e| anyhow::anyhow!(e.message))?)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(&path),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

fn read(path: &Path) -> anyhow::Result<SigningKey> {
    // A file another process has just created may not be written yet.
    for _ in 0..50 {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        if text.ends_with('\n') {
            let bytes = hex::decode(text.trim()).with_context(|| {
                format!(
                    "{} must hold the key in hex (delete it to make a new one)",
                    path.display()
                )
            })?;
            return SigningKey::new(bytes).map_err(|e| {
                anyhow::anyhow!(
                    "{}: {} (delete it to make a new one)",
                    path.display(),
                    e.message
                )
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    anyhow::bail!(
        "{} is incomplete: delete it to make a new one",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path()).unwrap();
        let again = load_or_create(dir.path()).unwrap();
        assert_eq!(
            first.sign("id", "w1_contain_q80"),
            again.sign("id", "w1_contain_q80")
        );
        let text = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(text.trim().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = tempfile::tempdir().unwrap();
        let different = load_or_create(other.path()).unwrap();
        assert_ne!(first.sign("id", "x"), different.sign("id", "x"));
    }

    #[test]
    fn a_damaged_key_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "abc\n").unwrap();
        let err = load_or_create(dir.path()).unwrap_err().to_string();
        assert!(err.contains("delete it"), "{err}");
    }
}
