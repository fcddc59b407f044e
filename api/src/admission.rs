//! A request body's share of the server's memory budget
//! ([`mediakit_core::admission`]), taken before the body is read: at the
//! size the client declared, so that the bodies being read at once never
//! hold more than the budget lets them. A body that must wait for room
//! waits unread; one that cannot get it is answered `server_busy`.

use axum::http::HeaderMap;
use mediakit_core::Error;
use mediakit_core::admission::Permit;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

use crate::body::declared_length;

/// What a body of at most `max` bytes is counted at: its declared length,
/// or `max` when it declares none (chunked) or more (it will be refused at
/// `max` while streaming in).
pub fn charge(headers: &HeaderMap, max: u64) -> u64 {
    declared_length(headers).map_or(max, |n| n.min(max))
}

/// The permit for one file of at most the upload limit, sent in a body
/// with these headers.
pub async fn admit_file<P: Backend>(
    service: &MediaService<P>,
    headers: &HeaderMap,
) -> Result<Permit, Error> {
    let max = service.config().limits.max_upload_bytes;
    service.budget().admit_body(charge(headers, max)).await
}

#[cfg(test)]
mod tests {
    use axum::http::header;

    use super::*;

    #[test]
    fn bodies_count_at_their_declared_size_within_the_limit() {
        let mut h = HeaderMap::new();
        assert_eq!(charge(&h, 100), 100, "undeclared: the limit");
        h.insert(header::CONTENT_LENGTH, "40".parse().unwrap());
        assert_eq!(charge(&h, 100), 40);
        h.insert(header::CONTENT_LENGTH, "4000".parse().unwrap());
        assert_eq!(charge(&h, 100), 100);
        h.insert(header::CONTENT_LENGTH, "x".parse().unwrap());
        assert_eq!(charge(&h, 100), 100);
    }
}
