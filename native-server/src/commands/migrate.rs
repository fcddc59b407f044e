//! `mediakit migrate`: brings the database schema up to date and exits.
//! `serve` migrates at start too; this lets operators upgrade the schema
//! once before restarting a fleet of instances.

use crate::adapters::catalog;
use crate::cli::StoreArgs;
use crate::settings;

pub async fn run(store: &StoreArgs) -> anyhow::Result<()> {
    let settings = settings::resolve_store(store)?;
    std::fs::create_dir_all(&settings.data)?;
    let catalog = catalog::open(&settings.database, 2).await?;
    println!(
        "database {} is at schema version {}",
        settings.database,
        catalog.executor().schema_version().await?
    );
    Ok(())
}
