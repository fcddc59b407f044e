//! `mediakit serve`: the HTTP server.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use super::gc::collect_once;
use crate::adapters::catalog::Lock;
use crate::backend::{self, NativeService};
use crate::metrics::{self, Metrics};
use crate::settings::Settings;
use crate::web_demo::Page;
use crate::{http_server, http_stack};

/// How often expired deletions and orphaned files are collected.
const COLLECT_EVERY: Duration = Duration::from_secs(3600);

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let (service, metrics) = backend::open_with_metrics(&settings).await?;
    backend::check_storage(&service.ports().blobs, &settings.storage).await?;
    // Instances starting together on one empty database must create one
    // admin token between them, not one each.
    let bootstrap = service
        .ports()
        .catalog
        .executor()
        .exclusively(Lock::Bootstrap, async {
            let created = service.bootstrap_admin_token().await?;
            if let Some(created) = &created {
                // Written while still holding the lock: an instance that
                // waited finds the token row, and this file is complete.
                write_secret(&settings.admin_token_file(), &created.secret)?;
            }
            anyhow::Ok(created)
        })
        .await??;
    if let Some(created) = bootstrap {
        println!(
            "Created the first admin token (shown once, also saved to {}):",
            settings.admin_token_file().display()
        );
        println!("{}", created.secret);
    }

    let private_metrics = match settings.metrics_listen {
        Some(addr) => Some(serve_private_metrics(addr, &service, &metrics, &settings).await?),
        None => None,
    };
    let page = Page::resolve(settings.web_dir.clone());
    let page_built = page.is_built();
    let page_from = page.describe();
    let app = http_stack::app(service.clone(), page, settings.timeouts, metrics);
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("listening on {}", settings.listen))?;
    let addr = listener.local_addr()?;
    println!(
        "mediakit listening on http://{addr} (data in {}, database {}, storage {})",
        settings.data.display(),
        settings.database,
        settings.storage
    );
    std::io::stdout().flush()?;
    tracing::info!(%addr, "listening");
    if page_built {
        tracing::info!("the media library at http://{addr}/ ({page_from})");
    } else {
        tracing::warn!(
            "web page not built in {page_from}: run scripts/build-web-demo (the API works without it)"
        );
    }

    let collector = tokio::spawn(collect_periodically(service.clone(), settings.clone()));
    http_server::serve(listener, app, settings.timeouts, shutdown_signal()).await?;
    collector.abort();
    if let Some(task) = private_metrics {
        task.abort();
    }
    tracing::info!("stopped: in-flight requests drained");
    Ok(())
}

/// `/metrics` alone, without a token, on `addr` (a private network's).
async fn serve_private_metrics(
    addr: std::net::SocketAddr,
    service: &Arc<NativeService>,
    metrics: &Arc<Metrics>,
    settings: &Settings,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr} for metrics"))?;
    let bound = listener.local_addr()?;
    println!("metrics at http://{bound}/metrics");
    let app = metrics::private_routes(service.clone(), metrics.clone());
    let timeouts = settings.timeouts;
    Ok(tokio::spawn(async move {
        // Runs until the server stops (the task is aborted then).
        let forever = std::future::pending::<()>();
        if let Err(e) = http_server::serve(listener, app, timeouts, forever).await {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    }))
}

async fn collect_periodically(service: Arc<NativeService>, settings: Settings) {
    let mut tick = tokio::time::interval(COLLECT_EVERY);
    loop {
        tick.tick().await;
        // With several instances on one database, one collecting is enough;
        // the others skip this round.
        let round = service
            .ports()
            .catalog
            .executor()
            .try_exclusively(Lock::Collect, collect_once(&service, &settings))
            .await;
        match round {
            Ok(Some(Ok((media, files)))) if media + files > 0 => {
                tracing::info!(purged = media, files, "collected");
            }
            Ok(Some(Ok(_))) => {}
            Ok(None) => tracing::debug!("another instance is collecting"),
            Ok(Some(Err(e))) | Err(e) => tracing::warn!("collection failed: {e:#}"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM; axum then stops accepting connections and
/// waits for in-flight requests to finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: draining in-flight requests");
}

/// Writes a secret readable by the owner only (created 0600, never widened).
pub fn write_secret(path: &Path, secret: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    writeln!(f, "{secret}")?;
    f.sync_all()?;
    Ok(())
}
