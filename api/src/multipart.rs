//! Reading multipart uploads through the one body path ([`crate::body`]):
//! a file field is refused at the first chunk over the upload limit, never
//! buffered whole, and a refused upload's remaining body is read and
//! discarded ([`drain`]) up to the route's transport limit
//! ([`crate::body::transport_limit`], enforced by axum's body limit).

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use bytes::Bytes;
use mediakit_core::config::Limits;
use mediakit_core::validate::too_large;
use mediakit_core::{Error, ErrorCode};

use crate::body::{ReadError, discard, read_capped};

/// Text fields are short (names, tags, alt text); anything longer is junk.
/// Core bounds every text it is given to the same size.
const MAX_TEXT_FIELD: u64 = mediakit_core::metadata::MAX_TEXT_BYTES as u64;

/// Parts one multipart body may have: a file (or an RPC batch's
/// [`mediakit_core::service::MAX_BATCH_FILES`] and one over), the few
/// text fields beside it, and what browsers add. Counted as each part's
/// headers are read, so a body of thousands of tiny fields is refused at
/// the first one past the limit, before any of its content is looked at.
pub const MAX_PARTS: usize = 64;

/// Counts the parts of one multipart body as [`next_field`] reads them.
#[derive(Debug, Default)]
pub struct PartCount(usize);

/// Reads and discards the rest of a multipart body; stops quietly at the
/// first error (e.g. past the transport limit, where the connection is
/// closed instead).
pub async fn drain(form: &mut Multipart) {
    while let Ok(Some(mut field)) = form.next_field().await {
        // The route's body limit bounds what is read, not this call.
        discard(&mut field, u64::MAX).await;
    }
}

/// One file part.
#[derive(Debug)]
pub struct FilePart {
    pub filename: Option<String>,
    pub bytes: Bytes,
}

/// A multipart error: over the body limit is `file_too_large`, anything else
/// is a malformed body.
pub fn multipart_error(e: &MultipartError, limits: &Limits) -> Error {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(limits)
    } else {
        Error::new(
            ErrorCode::MalformedMultipart,
            format!("malformed multipart body: {}", e.body_text()),
        )
    }
}

/// Reads a file field up to the upload limit.
pub async fn read_file(field: Field<'_>, limits: &Limits) -> Result<FilePart, Error> {
    let filename = field.file_name().map(str::to_owned);
    let mut field = field;
    let bytes = read_capped(&mut field, limits.max_upload_bytes)
        .await
        .map_err(|e| match e {
            ReadError::TooLarge { .. } => too_large(limits),
            ReadError::Stream(e) => multipart_error(&e, limits),
        })?;
    Ok(FilePart { filename, bytes })
}

/// Reads a short text field.
pub async fn read_text(field: Field<'_>, limits: &Limits) -> Result<String, Error> {
    let name = field.name().unwrap_or("").to_owned();
    let mut field = field;
    let bytes = read_capped(&mut field, MAX_TEXT_FIELD)
        .await
        .map_err(|e| match e {
            ReadError::TooLarge { .. } => Error::invalid(format!("the field `{name}` is too long")),
            ReadError::Stream(e) => multipart_error(&e, limits),
        })?;
    String::from_utf8(bytes.into())
        .map_err(|_| Error::invalid(format!("the field `{name}` is not UTF-8")))
}

/// The next field, with errors mapped; `invalid_request` past
/// [`MAX_PARTS`].
pub async fn next_field<'a>(
    form: &'a mut Multipart,
    parts: &mut PartCount,
    limits: &Limits,
) -> Result<Option<Field<'a>>, Error> {
    let field = form
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, limits))?;
    if field.is_some() {
        parts.0 += 1;
        if parts.0 > MAX_PARTS {
            return Err(Error::invalid(format!(
                "the multipart body has more than {MAX_PARTS} parts"
            )));
        }
    }
    Ok(field)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::extract::{FromRequest, Request};
    use futures_util::FutureExt;

    use super::*;

    /// A multipart body of `n` one-byte text fields.
    fn form(n: usize) -> Multipart {
        let mut body = String::new();
        for i in 0..n {
            body.push_str(&format!(
                "--b\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nx\r\n"
            ));
        }
        body.push_str("--b--\r\n");
        let req = Request::builder()
            .header("content-type", "multipart/form-data; boundary=b")
            .body(Body::from(body))
            .unwrap();
        Multipart::from_request(req, &())
            .now_or_never()
            .expect("in memory")
            .unwrap()
    }

    /// Reads every part; the error of the first one refused.
    fn read_all(mut form: Multipart) -> Result<usize, Error> {
        let limits = Limits::default();
        let mut parts = PartCount::default();
        let mut n = 0;
        async {
            while let Some(field) = next_field(&mut form, &mut parts, &limits).await? {
                read_text(field, &limits).await?;
                n += 1;
            }
            Ok(n)
        }
        .now_or_never()
        .expect("in memory")
    }

    #[test]
    fn parts_are_counted_before_they_are_read() {
        assert_eq!(read_all(form(MAX_PARTS)).unwrap(), MAX_PARTS);
        let err = read_all(form(10_000)).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRequest);
        assert!(err.message.contains("more than 64 parts"), "{err}");
    }
}
