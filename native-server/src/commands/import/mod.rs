//! `mediakit import PATH…`: files and folders into the library through the
//! upload use case itself, several at once (as many as the image workers),
//! with progress and a summary of what was refused and why.
//!
//! Resumable: an upload is all or nothing (files before the row), and a
//! plain file whose stored bytes an item already has is skipped, so an
//! interrupted or repeated run adds no duplicates. What `mediakit export`
//! wrote comes back losslessly: each `<id>.json` sidecar restores its item
//! under the same id, times, names, tags, alt text, credit, uploader and
//! visibility (items are skipped when their id is already there). The
//! numeric ids of the CMS dialect are this instance's own; to move an
//! instance with them, use `migrate-database` and `migrate-storage`.

mod sources;

use std::path::Path;

use anyhow::Context;
use bytes::Bytes;
use futures_util::StreamExt;
use mediakit_core::auth::{Principal, Scope};
use mediakit_core::service::{Imported, UploadRequest};
use mediakit_core::{Error, ErrorCode};

use crate::backend::{self, NativeService};
use crate::cli::ImportArgs;
use crate::progress::Progress;
use crate::settings;
use sources::Source;

/// Who imported items were uploaded by (`uploaded_by`): no token did.
pub const IMPORTER: &str = "mediakit-import";

#[derive(Default)]
struct Summary {
    stored: u64,
    already_there: u64,
    refused: Vec<(String, ErrorCode, String)>,
}

pub async fn run(args: &ImportArgs) -> anyhow::Result<()> {
    let settings = settings::resolve_store(&args.store)?;
    let jobs = args.jobs.unwrap_or(settings.image_workers).max(1);
    let service = backend::open(&settings).await?;
    let sources = sources::collect(&args.paths)?;
    let progress = Progress::new(sources.len() as u64, "files");
    let importer = Principal {
        token_id: IMPORTER.to_owned(),
        scopes: vec![Scope::Admin],
    };
    let mut summary = Summary::default();
    let (service, importer) = (&service, &importer);
    let mut results = futures_util::stream::iter(&sources)
        .map(|source| async move {
            let result = import_one(service, importer, args, source).await;
            (source, result)
        })
        .buffer_unordered(jobs);
    while let Some((source, result)) = results.next().await {
        progress.inc();
        match result {
            Ok(Imported::Stored(_)) => summary.stored += 1,
            Ok(Imported::AlreadyThere(_)) => summary.already_there += 1,
            // The store itself failing fails every file after it: stop,
            // and let a re-run pick up from here.
            Err(e) if matches!(e.code, ErrorCode::StorageUnavailable | ErrorCode::Internal) => {
                anyhow::bail!("importing {}: {}", source.path().display(), e.message)
            }
            Err(e) => {
                summary
                    .refused
                    .push((source.path().display().to_string(), e.code, e.message))
            }
        }
    }
    progress.finish();
    report(&summary)
}

fn report(summary: &Summary) -> anyhow::Result<()> {
    println!(
        "imported {} files, {} already there, {} refused",
        summary.stored,
        summary.already_there,
        summary.refused.len()
    );
    for (path, code, message) in &summary.refused {
        println!("  refused {path}: {} ({message})", code.as_str());
    }
    anyhow::ensure!(
        summary.refused.is_empty(),
        "{} files were refused (listed above)",
        summary.refused.len()
    );
    Ok(())
}

async fn import_one(
    service: &NativeService,
    importer: &Principal,
    args: &ImportArgs,
    source: &Source,
) -> Result<Imported, Error> {
    let path = source.path();
    let bytes = read_limited(path, service.config().limits.max_upload_bytes).await?;
    let filename = path.file_name().map(|n| n.to_string_lossy().into_owned());
    match source {
        Source::File(_) => {
            let req = UploadRequest {
                filename,
                bytes,
                tags: args.tags.clone(),
                unlisted: args.unlisted,
                ..UploadRequest::default()
            };
            service.import_file(importer, req).await
        }
        Source::Exported { sidecar, .. } => {
            let item = sidecar
                .item()
                .map_err(|m| Error::new(ErrorCode::InvalidRequest, format!("its sidecar: {m}")))?;
            let mut tags = sidecar.tags.clone();
            tags.extend(args.tags.iter().cloned());
            let req = UploadRequest {
                filename: Some(sidecar.original_filename.clone()),
                bytes,
                name: Some(sidecar.name.clone()),
                tags,
                alt_text: sidecar.alt_text.clone(),
                unlisted: sidecar.unlisted || args.unlisted,
                permit: None,
            };
            service.import_exported(importer, req, &item).await
        }
    }
}

/// The file's bytes, refused before reading when it is larger than an
/// upload may be.
async fn read_limited(path: &Path, max: u64) -> Result<Bytes, Error> {
    let io = |e: std::io::Error| Error::new(ErrorCode::InvalidRequest, format!("reading it: {e}"));
    let size = tokio::fs::metadata(path).await.map_err(io)?.len();
    if size > max {
        return Err(Error::new(
            ErrorCode::FileTooLarge,
            format!("{size} bytes; uploads may have at most {max}"),
        ));
    }
    let bytes = tokio::fs::read(path)
        .await
        .with_context(|| path.display().to_string())
        .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("reading it: {e:#}")))?;
    Ok(Bytes::from(bytes))
}
