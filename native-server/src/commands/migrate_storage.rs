//! `mediakit migrate-storage --to URL`: copies every blob of the current
//! store to another one (local disk ↔ S3), verifying each copy by SHA-256.
//!
//! Resumable by construction: keys are immutable, so a key already present
//! in the target is read back and compared instead of copied again, and an
//! interrupted write leaves nothing visible (both stores write atomically).
//! A blob whose hash the catalog knows is also checked against it, so a
//! corrupt source is reported rather than spread. Files that several media
//! share (dedup: rows naming the same `blob_id`) are one key, listed and
//! copied once.

use std::collections::HashMap;

use anyhow::Context;
use futures_util::StreamExt;
use mediakit_core::ErrorCode;
use mediakit_core::model::{ListQuery, Visibility};
use mediakit_core::ports::BlobStore;
use sha2::{Digest, Sha256};

use crate::adapters::blobs::ObjectStoreBlobs;
use crate::adapters::catalog::{self, NativeCatalog};
use crate::backend;
use crate::cli::MigrateStorageArgs;
use crate::progress::Progress;
use crate::settings;
use crate::stores::Storage;

/// What happened to one blob.
enum Outcome {
    Copied,
    /// Already in the target with the same bytes.
    Present,
    Failed(String),
}

pub async fn run(args: &MigrateStorageArgs) -> anyhow::Result<()> {
    let settings = settings::resolve_store(&args.store)?;
    let target_location = Storage::parse(&args.to, &settings.s3).context("in --to")?;
    anyhow::ensure!(
        target_location != settings.storage,
        "--to names the current storage ({})",
        settings.storage
    );
    let source = ObjectStoreBlobs::open(&settings.storage)?;
    let target = ObjectStoreBlobs::open(&target_location)?;
    backend::check_storage(&target, &target_location).await?;
    let catalog = catalog::open(&settings.database, 4).await?;
    let expected = known_hashes(&catalog).await?;

    let keys = source
        .list("media/")
        .await
        .map_err(|e| anyhow::anyhow!("listing {}: {}", settings.storage, e.message))?;
    eprintln!(
        "copying {} blobs from {} to {}",
        keys.len(),
        settings.storage,
        target_location
    );
    let progress = Progress::new(keys.len() as u64, "blobs");
    let mut outcomes = futures_util::stream::iter(keys.iter())
        .map(|key| {
            let (source, target, expected, progress) = (&source, &target, &expected, &progress);
            async move {
                let outcome = copy_one(source, target, key, expected.get(key)).await;
                progress.inc();
                (key, outcome)
            }
        })
        .buffer_unordered(usize::from(args.jobs));
    let (mut copied, mut present, mut failed) = (0u64, 0u64, Vec::new());
    while let Some((key, outcome)) = outcomes.next().await {
        match outcome {
            Outcome::Copied => copied += 1,
            Outcome::Present => present += 1,
            Outcome::Failed(why) => failed.push(format!("{key}: {why}")),
        }
    }
    progress.finish();
    for f in &failed {
        eprintln!("failed: {f}");
    }
    println!(
        "copied {copied}, already present {present}, failed {} of {} blobs; every copy verified by SHA-256",
        failed.len(),
        keys.len()
    );
    anyhow::ensure!(
        failed.is_empty(),
        "{} blobs were not copied (see above); fix the cause and run the command again",
        failed.len()
    );
    println!(
        "All blobs are in {target_location}. Restart every instance with the new storage setting."
    );
    Ok(())
}

/// SHA-256 of every blob the catalog describes, deleted media included.
async fn known_hashes(catalog: &NativeCatalog) -> anyhow::Result<HashMap<String, String>> {
    let mut hashes = HashMap::new();
    for visibility in [Visibility::Live, Visibility::Deleted] {
        let mut offset = 0;
        loop {
            let page = catalog
                .list_media(&ListQuery {
                    offset,
                    limit: 500,
                    visibility,
                    ..ListQuery::default()
                })
                .await
                .map_err(|e| anyhow::anyhow!("reading the catalog: {}", e.message))?;
            let n = page.items.len() as u64;
            for m in page.items {
                hashes.insert(m.original_key(), m.sha256.clone());
                for v in m.variants {
                    hashes.insert(v.key, v.sha256);
                }
            }
            if n < 500 {
                break;
            }
            offset += n;
        }
    }
    Ok(hashes)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn copy_one(
    source: &ObjectStoreBlobs,
    target: &ObjectStoreBlobs,
    key: &str,
    expected: Option<&String>,
) -> Outcome {
    let bytes = match source.get(key, None).await {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(format!("reading the source: {}", e.message)),
    };
    let hash = sha256_hex(&bytes);
    if let Some(expected) = expected.filter(|e| **e != hash) {
        return Outcome::Failed(format!(
            "the source blob's SHA-256 is {hash}, the catalog says {expected}: not copied"
        ));
    }
    let copied = match target.put_new(key, bytes, content_type(key)).await {
        Ok(()) => true,
        // Copied by an earlier (interrupted) run: verify it below.
        Err(e) if e.code == ErrorCode::Conflict => false,
        Err(e) => return Outcome::Failed(format!("writing the target: {}", e.message)),
    };
    match target.get(key, None).await {
        Ok(back) if sha256_hex(&back) == hash => {
            if copied {
                Outcome::Copied
            } else {
                Outcome::Present
            }
        }
        Ok(_) if copied => Outcome::Failed("the copy reads back with another hash".into()),
        Ok(_) => Outcome::Failed(
            "the target already holds different bytes under this key; left as it is".into(),
        ),
        Err(e) => Outcome::Failed(format!("reading the copy back: {}", e.message)),
    }
}

/// The Content-Type S3 keeps with a copied object (the catalog stays the
/// source of truth; this only helps people browsing the bucket).
fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e);
    mediakit_core::MediaKind::from_extension(ext)
        .map_or("application/octet-stream", |k| k.mime_type())
}
