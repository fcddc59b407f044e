//! `mediakit migrate-database --to URL`: copies every row of the current
//! database (media with their numeric ids, tokens, batch-upload tasks) to
//! another one, typically SQLite → Postgres when one instance becomes
//! several. Files stay where they are (`migrate-storage` moves them).
//!
//! Resumable: a row already in the target is compared, not copied again.
//! Run it while nothing writes to the source (instances stopped, or serving
//! with `uploads = false`), and before any instance uses the target.

use anyhow::Context;
use mediakit_core::model::{ListQuery, Media, Visibility};

use crate::adapters::catalog::{self, NativeCatalog};
use crate::cli::MigrateDatabaseArgs;
use crate::progress::Progress;
use crate::settings;
use crate::stores::Database;

const PAGE: u64 = 500;

#[derive(Default)]
struct Tally {
    copied: u64,
    present: u64,
    failed: Vec<String>,
}

impl Tally {
    fn line(&self, what: &str) -> String {
        format!(
            "{what}: copied {}, already present {}, failed {}",
            self.copied,
            self.present,
            self.failed.len()
        )
    }
}

fn core_err(e: mediakit_core::Error) -> anyhow::Error {
    anyhow::anyhow!(e.message)
}

pub async fn run(args: &MigrateDatabaseArgs) -> anyhow::Result<()> {
    let settings = settings::resolve_store(&args.store)?;
    let target_db = Database::parse(&args.to).context("in --to")?;
    anyhow::ensure!(
        target_db != settings.database,
        "--to names the current database ({})",
        settings.database
    );
    let source = catalog::open(&settings.database, 4).await?;
    let target = catalog::open(&target_db, 4).await?;
    eprintln!("copying {} to {target_db}", settings.database);

    let media = copy_media(&source, &target).await?;
    let tokens = copy_tokens(&source, &target).await?;
    let tasks = copy_tasks(&source, &target).await?;
    target.executor().sync_seq().await?;

    let mut failed = Vec::new();
    for (tally, what) in [(&media, "media"), (&tokens, "tokens"), (&tasks, "tasks")] {
        println!("{}", tally.line(what));
        failed.extend(tally.failed.iter().map(|f| format!("{what} {f}")));
    }
    for f in &failed {
        eprintln!("failed: {f}");
    }
    anyhow::ensure!(
        failed.is_empty(),
        "{} rows were not copied (see above)",
        failed.len()
    );
    println!("Every row is in {target_db}. Point every instance's database setting at it.");
    Ok(())
}

/// Media, live and deleted, numeric ids kept.
async fn copy_media(source: &NativeCatalog, target: &NativeCatalog) -> anyhow::Result<Tally> {
    let mut tally = Tally::default();
    let query = |visibility, offset| ListQuery {
        offset,
        limit: PAGE,
        visibility,
        ..ListQuery::default()
    };
    let mut total = 0;
    for visibility in [Visibility::Live, Visibility::Deleted] {
        total += source
            .list_media(&query(visibility, 0))
            .await
            .map_err(core_err)?
            .total;
    }
    let progress = Progress::new(total, "media");
    // Live (not deleted) and Deleted partition the table.
    for visibility in [Visibility::Live, Visibility::Deleted] {
        let mut offset = 0;
        loop {
            let page = source
                .list_media(&query(visibility, offset))
                .await
                .map_err(core_err)?;
            let n = page.items.len() as u64;
            for m in &page.items {
                match copy_one_media(target, m).await {
                    Ok(true) => tally.copied += 1,
                    Ok(false) => tally.present += 1,
                    Err(why) => tally.failed.push(format!("{} (#{}): {why}", m.id, m.seq)),
                }
                progress.inc();
            }
            // New ids must never collide with copied ones, even if this run
            // stops half-way.
            target.executor().sync_seq().await?;
            if n < PAGE {
                break;
            }
            offset += n;
        }
    }
    progress.finish();
    Ok(tally)
}

/// `Ok(true)` copied, `Ok(false)` already there and equal.
async fn copy_one_media(target: &NativeCatalog, m: &Media) -> Result<bool, String> {
    if let Some(existing) = target.media_by_id(&m.id).await.map_err(|e| e.message)? {
        return if existing == *m {
            Ok(false)
        } else {
            Err("the target holds a different row with this id; left as it is".into())
        };
    }
    target
        .insert_media_keeping_seq(m)
        .await
        .map_err(|e| format!("inserting: {}", e.message))?;
    match target.media_by_id(&m.id).await.map_err(|e| e.message)? {
        Some(back) if back == *m => Ok(true),
        _ => Err("the copy reads back differently".into()),
    }
}

/// Tokens (hashes only, as stored), revoked ones included.
async fn copy_tokens(source: &NativeCatalog, target: &NativeCatalog) -> anyhow::Result<Tally> {
    let mut tally = Tally::default();
    for t in source.list_tokens().await.map_err(core_err)? {
        match target.token_by_hash(&t.hash).await.map_err(core_err)? {
            Some(existing) if existing == t => tally.present += 1,
            Some(_) => tally
                .failed
                .push(format!("{}: the target holds another version", t.id)),
            None => match target.insert_token(&t).await {
                Ok(()) => tally.copied += 1,
                Err(e) => tally.failed.push(format!("{}: {}", t.id, e.message)),
            },
        }
    }
    Ok(tally)
}

/// Batch-upload tasks (their status stays queryable after the move).
async fn copy_tasks(source: &NativeCatalog, target: &NativeCatalog) -> anyhow::Result<Tally> {
    let mut tally = Tally::default();
    for id in source.task_ids().await.map_err(core_err)? {
        let Some(task) = source.task_by_id(&id).await.map_err(core_err)? else {
            continue;
        };
        match target.task_by_id(&id).await.map_err(core_err)? {
            Some(existing) if existing == task => tally.present += 1,
            // A task is rewritten as its items finish: the source is newer.
            _ => match target.put_task(&task).await {
                Ok(()) => tally.copied += 1,
                Err(e) => tally.failed.push(format!("{id}: {}", e.message)),
            },
        }
    }
    Ok(tally)
}
