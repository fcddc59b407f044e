//! `mediakit export DIR`: every live item's stored original and its
//! metadata, as plain files, so that a library can be archived or leave
//! mediakit.
//!
//! Layout: `DIR/<id>.<ext>` (the original as stored: private metadata was
//! stripped at upload) and `DIR/<id>.json` beside it (names, tags, alt
//! text, credit, times, visibility, the original's SHA-256). Items in the
//! trash are not exported.
//!
//! Resumable and repeatable: an original already in `DIR` with the item's
//! size and SHA-256 is kept, and a sidecar is rewritten only when the
//! metadata changed; every file is written under a temporary name and
//! renamed, so an interrupted run leaves no half file under a final name.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use futures_util::StreamExt;
use mediakit_core::model::{ListQuery, Media, SortOrder, Visibility};
use mediakit_core::ports::BlobStore;
use mediakit_core::time::to_rfc3339;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::backend::{self, NativeService};
use crate::cli::ExportArgs;
use crate::progress::Progress;
use crate::settings;

const PAGE: u64 = 500;

pub async fn run(args: &ExportArgs) -> anyhow::Result<()> {
    let settings = settings::resolve_store(&args.store)?;
    let service = backend::open(&settings).await?;
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    let query = |offset| ListQuery {
        offset,
        limit: PAGE,
        // Oldest first: items uploaded while this runs come after the
        // pages already read, so none is skipped.
        order: SortOrder::Oldest,
        visibility: Visibility::Live,
        ..ListQuery::default()
    };
    let catalog = &service.ports().catalog;
    let total = catalog.list_media(&query(0)).await?.total;
    let progress = Progress::new(total, "items");
    let (mut written, mut unchanged) = (0u64, 0u64);
    let mut offset = 0;
    loop {
        let page = catalog.list_media(&query(offset)).await?;
        if page.items.is_empty() {
            break;
        }
        offset += page.items.len() as u64;
        for m in &page.items {
            if export_one(&service, m, &args.dir)
                .await
                .with_context(|| format!("exporting {}", m.id))?
            {
                written += 1;
            } else {
                unchanged += 1;
            }
            progress.inc();
        }
    }
    progress.finish();
    println!(
        "exported {} items to {}: {written} written, {unchanged} already there and unchanged",
        written + unchanged,
        args.dir.display()
    );
    Ok(())
}

/// Writes what of `m` is missing or stale in `dir`; whether anything was.
async fn export_one(service: &NativeService, m: &Media, dir: &Path) -> anyhow::Result<bool> {
    let original = dir.join(&m.stored_filename);
    let mut wrote = false;
    if !holds(&original, m.size, &m.sha256)? {
        copy_original(service, m, &original).await?;
        wrote = true;
    }
    let sidecar = dir.join(format!("{}.json", m.id));
    let text = serde_json::to_string_pretty(&metadata(m))? + "\n";
    if std::fs::read(&sidecar).ok().as_deref() != Some(text.as_bytes()) {
        write_atomically(&sidecar, text.as_bytes())?;
        wrote = true;
    }
    Ok(wrote)
}

/// Streams the stored original to `path` (one chunk in memory at a time),
/// checking it against the recorded hash before it takes its name.
async fn copy_original(service: &NativeService, m: &Media, path: &Path) -> anyhow::Result<()> {
    let tmp = partial(path)?;
    let mut stream = service
        .ports()
        .blobs
        .get_stream(&m.original_key(), None)
        .await?;
    let mut file =
        std::fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    let mut hasher = Sha256::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        hasher.update(&chunk);
        file.write_all(&chunk)?;
    }
    file.sync_all()?;
    anyhow::ensure!(
        hex::encode(hasher.finalize()) == m.sha256,
        "the stored original does not match its recorded SHA-256"
    );
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}

/// The sidecar: what an item is besides its bytes.
fn metadata(m: &Media) -> serde_json::Value {
    json!({
        "id": m.id,
        "file": m.stored_filename,
        "original_filename": m.original_filename,
        "mime_type": m.mime_type,
        "size": m.size,
        "sha256": m.sha256,
        "width": m.width,
        "height": m.height,
        "name": m.name,
        "tags": m.tags,
        "alt_text": m.alt_text,
        "credit": m.credit,
        "uploaded_by": m.uploaded_by,
        "created_at": to_rfc3339(m.created_at),
        "updated_at": m.updated_at.map(to_rfc3339),
        "unlisted": m.is_unlisted(),
        "unlisted_at": m.unlisted_at.map(to_rfc3339),
        "focal_point": m.focal_point.map(|f| {
            let (x, y) = f.fractions();
            serde_json::json!({"x": x, "y": y})
        }),
        "placeholder": m.placeholder,
    })
}

/// Whether `path` is already a file of `size` bytes hashing to `sha256`.
fn holds(path: &Path, size: u64, sha256: &str) -> anyhow::Result<bool> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() == size => {
            let mut file = std::fs::File::open(path)?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = std::io::Read::read(&mut file, &mut buf)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            Ok(hex::encode(hasher.finalize()) == sha256)
        }
        Ok(_) => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Where `path` is written before it is renamed into place (hidden).
fn partial(path: &Path) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .context("a file name")?;
    Ok(path.with_file_name(format!(".{name}.partial")))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = partial(path)?;
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}
