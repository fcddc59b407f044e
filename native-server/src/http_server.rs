//! The accept loop: HTTP/1.1 (keep-alive, pipelining) and HTTP/2 over
//! cleartext (h2c, by prior knowledge) on one port, through hyper-util's
//! auto builder, with the connection settings axum::serve does not expose:
//!
//! - [`WRITE_BUFFER`]: how much of a response hyper buffers per connection
//!   before it stops pulling the body. hyper's default (~400 KiB) made each
//!   slow reader of a large file hold ~460 KiB (1,000 readers: +459 MiB);
//!   at 32 KiB, the size of a chunk of a streamed local file
//!   ([`crate::adapters::local_read`]), a reader holds about one chunk.
//! - `Timeouts::header_read` (20 s; `header_timeout_secs`): a client must
//!   send a request's headers within it, or the connection is closed. This ends slow-loris clients
//!   and idle keep-alive connections; bodies are bounded by the request
//!   and body timeouts of [`crate::http_stack`].
//! - `TCP_NODELAY`: without it a streamed response's head and first chunk
//!   wait on the client's delayed ACK (~40 ms per small file).
//!
//! Shutdown is graceful: on the signal the listener closes, idle
//! connections close, and requests in flight are finished.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::http_stack::Timeouts;

/// See the module documentation. hyper's smallest allowed value is 8 KiB.
/// It also caps a request's head (request line and headers), like nginx's
/// default of 4 x 8 KiB header buffers.
pub const WRITE_BUFFER: usize = 32 * 1024;

pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read)
        .max_buf_size(WRITE_BUFFER);
    builder.http2().timer(TokioTimer::new());

    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    // Out of file descriptors, mostly: wait for some to close
                    // instead of spinning on the error.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("could not set TCP_NODELAY on a connection: {e}");
        }
        let service = TowerToHyperService::new(app.clone());
        let connection = builder
            .serve_connection(TokioIo::new(tcp), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                // Clients going away mid-response, timeouts: routine.
                tracing::debug!("connection ended: {e}");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
