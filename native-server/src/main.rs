use clap::Parser;
use mediakit_server::cli::{Cli, Command, LogFormat};
use mediakit_server::commands::{
    export, gc, import, migrate, migrate_database, migrate_storage, openapi, serve, thumbnail,
    token,
};
use mediakit_server::settings;
use tracing_subscriber::EnvFilter;

/// mimalloc returns freed memory to the system where glibc's per-thread
/// arenas kept it: with glibc, the peak RSS of an upload flood was 1.6x
/// the memory budget the server admits against (docs/reliability.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_env("MEDIAKIT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        // The request's span (method, path, request id) is a field of
        // every line, as in the text format.
        LogFormat::Json => logs.json().with_current_span(true).init(),
    }
    match cli.command {
        // Thumbnailing is synchronous and single-threaded: no runtime.
        Command::Thumbnail(args) => thumbnail::run(&args),
        Command::Openapi => openapi::run(),
        command => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                // File reads that miss the page cache and object_store's
                // local I/O run on the blocking pool; tokio's default of
                // 512 threads let 1,000 slow readers of cold files add
                // ~200 MiB of thread stacks and allocator heaps. Image jobs
                // are bounded far below this by their own permits.
                .max_blocking_threads(64)
                .enable_all()
                .build()?;
            runtime.block_on(async_main(command))
        }
    }
}

async fn async_main(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::run(settings::resolve_serve(&args)?).await,
        Command::Token(cmd) => token::run(cmd).await,
        Command::Gc(store) => gc::run(&store).await,
        Command::Migrate(store) => migrate::run(&store).await,
        Command::MigrateStorage(args) => migrate_storage::run(&args).await,
        Command::MigrateDatabase(args) => migrate_database::run(&args).await,
        Command::Export(args) => export::run(&args).await,
        Command::Import(args) => import::run(&args).await,
        Command::Thumbnail(args) => thumbnail::run(&args),
        Command::Openapi => openapi::run(),
    }
}
