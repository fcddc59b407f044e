use clap::Parser;
use mediakit_server::adapters::catalog::Lock;
use mediakit_server::cli::{Cli, Command};
use mediakit_server::{
    backend, migrate_cmd, migrate_database_cmd, migrate_storage_cmd, serve, settings,
    thumbnail_cmd, token_cmd,
};
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("MEDIAKIT_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        // Thumbnailing is synchronous and single-threaded: no runtime.
        Command::Thumbnail(args) => thumbnail_cmd::run(&args),
        command => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async_main(command))
        }
    }
}

async fn async_main(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::run(settings::resolve_serve(&args)?).await,
        Command::Token(cmd) => token_cmd::run(cmd).await,
        Command::Gc(store) => {
            let settings = settings::resolve_store(&store)?;
            let service = backend::open(&settings).await?;
            // Waits for a collection another instance may be running.
            let (media, files) = service
                .ports()
                .catalog
                .executor()
                .exclusively(Lock::Collect, serve::collect_once(&service, &settings))
                .await??;
            println!("purged {media} expired deleted media, removed {files} orphaned files");
            Ok(())
        }
        Command::Migrate(store) => migrate_cmd::run(&store).await,
        Command::MigrateStorage(args) => migrate_storage_cmd::run(&args).await,
        Command::MigrateDatabase(args) => migrate_database_cmd::run(&args).await,
        Command::Thumbnail(args) => thumbnail_cmd::run(&args),
    }
}
