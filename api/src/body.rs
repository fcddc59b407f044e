//! Reading request bodies: the one path every dialect and both hosts use.
//!
//! A body is read with its size limit enforced while it streams in: it is
//! refused at the first chunk past the limit, never buffered whole. A
//! refused body's remainder is then read and dropped, up to a transport
//! limit, so that ordinary HTTP clients, which write their whole body
//! before reading the answer, see the 4xx instead of a reset connection;
//! past that limit the read stops and the connection is closed instead.
//!
//! Everything here works on a stream of chunks, which is what a whole
//! request body ([`read`], [`drain`]), one multipart field
//! ([`crate::multipart`]) and the edge worker's own body handle all are.

use axum::body::Body;
use axum::http::{HeaderMap, header};
use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use mediakit_core::Error;

/// Room for the multipart framing around a file (boundaries, part headers,
/// the short text fields beside it).
const MULTIPART_FRAMING: u64 = 256 * 1024;

/// How far a refused body is read through to answer it cleanly: twice what
/// is accepted, so that a moderately oversized upload gets its 413.
pub fn read_through(accept: u64) -> u64 {
    accept.saturating_mul(2)
}

/// The body size the HTTP layer accepts on a route that takes one file of
/// at most `max_upload_bytes` as multipart: the file read through, plus
/// the framing. Also how much of a body the edge worker drains after the
/// Router answered without reading it.
pub fn transport_limit(max_upload_bytes: u64) -> usize {
    usize::try_from(read_through(max_upload_bytes).saturating_add(MULTIPART_FRAMING))
        .unwrap_or(usize::MAX)
}

/// Why a stream was not read whole.
#[derive(Debug)]
pub enum ReadError<E> {
    /// Over the limit after `read` bytes; the rest is still unread.
    TooLarge { read: u64 },
    /// The stream itself failed.
    Stream(E),
}

/// Reads `chunks` to their end, refusing them at the first chunk that takes
/// the total past `limit` bytes.
pub async fn read_capped<S, E>(chunks: &mut S, limit: u64) -> Result<Bytes, ReadError<E>>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    read_capped_sized(chunks, limit, 0).await
}

/// [`read_capped`] into a buffer of `expected` bytes made up front (the
/// size the client declared, capped by the caller): growing one by
/// doubling would copy it each time and, at its peak, hold the old and the
/// new buffer, up to three times the body.
pub async fn read_capped_sized<S, E>(
    chunks: &mut S,
    limit: u64,
    expected: u64,
) -> Result<Bytes, ReadError<E>>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let capacity = usize::try_from(expected.min(limit)).unwrap_or(0);
    let mut buf = BytesMut::with_capacity(capacity);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(ReadError::Stream)?;
        let read = (buf.len() + chunk.len()) as u64;
        if read > limit {
            return Err(ReadError::TooLarge { read });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// Reads and drops what is left of `chunks`, stopping at their end, at the
/// first error, or once more than `max` bytes were read (the caller then
/// drops the stream and the connection is closed). Chunks are freed as
/// they come: this costs time, not memory. Returns the bytes read.
pub async fn discard<S, E>(chunks: &mut S, max: u64) -> u64
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut read = 0u64;
    while read <= max {
        match chunks.next().await {
            Some(Ok(chunk)) => read = read.saturating_add(chunk.len() as u64),
            Some(Err(_)) | None => break,
        }
    }
    read
}

/// The length the client declared, if any.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// Reads a whole request body of at most `accept` bytes. A larger one is
/// `too_large()`, answered after reading it through up to `drain_to`
/// bytes in all; one that declares more than `drain_to` is refused before
/// anything is read.
pub async fn read(
    headers: &HeaderMap,
    body: Body,
    accept: u64,
    drain_to: u64,
    too_large: impl Fn() -> Error,
) -> Result<Bytes, Error> {
    let declared = declared_length(headers);
    if declared.is_some_and(|n| n > drain_to) {
        return Err(too_large());
    }
    let mut chunks = body.into_data_stream();
    match read_capped_sized(&mut chunks, accept, declared.unwrap_or(0)).await {
        Ok(bytes) => Ok(bytes),
        Err(ReadError::TooLarge { read }) => {
            discard(&mut chunks, drain_to.saturating_sub(read)).await;
            Err(too_large())
        }
        Err(ReadError::Stream(e)) => Err(Error::invalid(format!("could not read the body: {e}"))),
    }
}

/// Reads and drops a whole request body (after a refusal), within `max`
/// bytes.
pub async fn drain(headers: &HeaderMap, body: Body, max: u64) {
    if declared_length(headers).is_some_and(|n| n > max) {
        return;
    }
    discard(&mut body.into_data_stream(), max).await;
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use futures_util::stream;

    use super::*;

    /// A stream of `n` chunks of `size` bytes that counts how many were
    /// taken from it.
    fn chunks(
        n: usize,
        size: usize,
        taken: &std::cell::Cell<usize>,
    ) -> impl Stream<Item = Result<Bytes, Infallible>> + Unpin + '_ {
        stream::iter(0..n).map(move |_| {
            taken.set(taken.get() + 1);
            Ok(Bytes::from(vec![7u8; size]))
        })
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        futures_util::FutureExt::now_or_never(f).expect("in-memory streams never wait")
    }

    #[test]
    fn reads_up_to_the_limit_and_stops_at_the_first_chunk_past_it() {
        let taken = std::cell::Cell::new(0);
        let bytes = run(read_capped(&mut chunks(4, 10, &taken), 40)).unwrap();
        assert_eq!(bytes.len(), 40, "exactly the limit is accepted");

        let taken = std::cell::Cell::new(0);
        let mut s = chunks(10, 10, &taken);
        match run(read_capped(&mut s, 35)) {
            Err(ReadError::TooLarge { read }) => assert_eq!(read, 40),
            other => panic!("{other:?}"),
        }
        assert_eq!(taken.get(), 4, "nothing is read past the refusal");
        // The rest is drained within its budget, then left unread.
        assert_eq!(run(discard(&mut s, 25)), 30);
        assert_eq!(taken.get(), 7);
    }

    #[test]
    fn a_failing_stream_is_a_stream_error() {
        let mut s = stream::iter([Ok(Bytes::from_static(b"ab")), Err("reset")]);
        assert!(matches!(
            run(read_capped(&mut s, 100)),
            Err(ReadError::Stream("reset"))
        ));
        let mut s = stream::iter([Err::<Bytes, _>("reset"), Ok(Bytes::from_static(b"ab"))]);
        assert_eq!(run(discard(&mut s, 100)), 0, "draining stops at an error");
    }

    fn too_large() -> Error {
        Error::new(mediakit_core::ErrorCode::FileTooLarge, "too large")
    }

    #[test]
    fn whole_bodies_are_refused_early_when_declared_too_large() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_LENGTH, "1000".parse().unwrap());
        let e = run(read(&headers, Body::from("x"), 10, 999, too_large)).unwrap_err();
        assert_eq!(e.code, mediakit_core::ErrorCode::FileTooLarge);
        let ok = run(read(
            &HeaderMap::new(),
            Body::from("0123456789"),
            10,
            20,
            too_large,
        ));
        assert_eq!(ok.unwrap().as_ref(), b"0123456789");
        let e = run(read(
            &HeaderMap::new(),
            Body::from("0123456789x"),
            10,
            20,
            too_large,
        ));
        assert_eq!(e.unwrap_err().code, mediakit_core::ErrorCode::FileTooLarge);
    }

    #[test]
    fn transport_limits() {
        assert_eq!(read_through(10), 20);
        assert_eq!(transport_limit(1024), 2048 + 256 * 1024);
        assert_eq!(transport_limit(u64::MAX), usize::MAX);
    }
}
