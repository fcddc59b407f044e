//! The accept loop on a real socket, spoken to byte by byte: HTTP/1.1
//! pipelining, HTTP/2 by prior knowledge (h2c), slow-loris clients cut off
//! by the header timeout, graceful shutdown.

use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use mediakit_server::http_server;
use mediakit_server::http_stack::Timeouts;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

struct Server {
    addr: std::net::SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(header_read: Duration) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(300)).await;
                "finished"
            }),
        );
    let timeouts = Timeouts {
        header_read,
        ..Timeouts::default()
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(http_server::serve(listener, app, timeouts, async {
        let _ = stopped.await;
    }));
    Server {
        addr,
        stop: Some(stop),
        done,
    }
}

/// Reads until `count` occurrences of `needle`, the connection closes, or
/// five seconds pass.
async fn read_until(tcp: &mut TcpStream, needle: &str, count: usize) -> String {
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut buf = [0u8; 4096];
    while String::from_utf8_lossy(&got).matches(needle).count() < count {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order() {
    let server = start(Duration::from_secs(20)).await;
    let mut tcp = TcpStream::connect(server.addr).await.unwrap();
    tcp.write_all(
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
    )
    .await
    .unwrap();
    let answers = read_until(&mut tcp, "HTTP/1.1 ", 3).await;
    let statuses: Vec<&str> = answers
        .match_indices("HTTP/1.1 ")
        .map(|(i, _)| &answers[i + 9..i + 12])
        .collect();
    assert_eq!(statuses, ["200", "404", "200"], "{answers}");
}

#[tokio::test]
async fn http2_is_spoken_by_prior_knowledge() {
    let server = start(Duration::from_secs(20)).await;
    let mut tcp = TcpStream::connect(server.addr).await.unwrap();
    tcp.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .await
        .unwrap();
    // An empty SETTINGS frame of ours: length 0, type 4, flags 0, stream 0.
    tcp.write_all(&[0, 0, 0, 4, 0, 0, 0, 0, 0]).await.unwrap();
    let mut head = [0u8; 9];
    tokio::time::timeout(Duration::from_secs(5), tcp.read_exact(&mut head))
        .await
        .expect("the server answers the preface")
        .unwrap();
    assert_eq!(head[3], 4, "its first frame is SETTINGS: {head:?}");
    assert_eq!(&head[5..9], &[0, 0, 0, 0], "on stream 0");
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let server = start(Duration::from_millis(400)).await;
    let mut tcp = TcpStream::connect(server.addr).await.unwrap();
    let start = Instant::now();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // One more header line now and then, never the blank line.
    let mut closed = false;
    for i in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if tcp
            .write_all(format!("X-Slow-{i}: 1\r\n").as_bytes())
            .await
            .is_err()
        {
            closed = true;
            break;
        }
    }
    if !closed {
        // Writes may still succeed into the socket buffer after the
        // server closed; reading then tells.
        let mut buf = [0u8; 1024];
        let n = tokio::time::timeout(Duration::from_secs(1), tcp.read(&mut buf))
            .await
            .expect("the server has closed the connection by now")
            .unwrap_or(0);
        let answer = String::from_utf8_lossy(&buf[..n]);
        assert!(
            n == 0 || answer.starts_with("HTTP/1.1 408"),
            "closed or told it timed out: {answer}"
        );
    }
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "cut off near the 400 ms timeout, not after {:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn shutdown_finishes_requests_in_flight_and_closes_idle_connections() {
    let mut server = start(Duration::from_secs(20)).await;
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    assert!(read_until(&mut idle, "ok", 1).await.contains("200 OK"));

    let mut busy = TcpStream::connect(server.addr).await.unwrap();
    busy.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.stop.take().unwrap().send(()).unwrap();

    let answer = read_until(&mut busy, "finished", 1).await;
    assert!(
        answer.contains("finished"),
        "the request in flight is answered: {answer}"
    );
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(5), idle.read(&mut buf))
        .await
        .expect("the idle connection is closed")
        .unwrap_or(0);
    assert_eq!(n, 0, "closed, nothing more sent");
    tokio::time::timeout(Duration::from_secs(5), server.done)
        .await
        .expect("serve returns once connections are done")
        .unwrap()
        .unwrap();
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "the listener is closed"
    );
}
