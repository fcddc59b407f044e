//! The request body, shared between the Router and the fetch handler so
//! that whatever the Router leaves unread (a request refused before its
//! body mattered: 401, 404, 405…) is drained before the response goes out.
//!
//! Dropping an unread `worker::Body` cancels the incoming stream, and the
//! sender then sees its upload fail instead of getting the response: under
//! `wrangler dev` the proxy in front of workerd answers 503 "Your worker
//! restarted mid-request". HTTP/1.1 servers read the rest of a refused body
//! for the same reason.

use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// A handle to one request body; clones share it.
#[derive(Clone)]
pub struct SharedBody(Arc<Mutex<worker::Body>>);

impl SharedBody {
    pub fn new(body: worker::Body) -> Self {
        Self(Arc::new(Mutex::new(body)))
    }

    /// An isolate is single-threaded, so the lock is never contended; a
    /// poisoned one (a panic while reading) still holds a usable stream.
    fn inner(&self) -> MutexGuard<'_, worker::Body> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads and discards what is left, up to `max_bytes` (then the stream
    /// is dropped, which cancels it), by the API's one body path.
    pub async fn drain(&self, max_bytes: u64) {
        let mut chunks = axum::body::Body::new(self.clone()).into_data_stream();
        mediakit_api::body::discard(&mut chunks, max_bytes).await;
    }
}

impl Body for SharedBody {
    type Data = Bytes;
    type Error = worker::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, worker::Error>>> {
        Pin::new(&mut *self.inner()).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner().is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner().size_hint()
    }
}
