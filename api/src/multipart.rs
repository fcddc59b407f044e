//! Reading multipart uploads through the one body path ([`crate::body`]):
//! a file field is refused at the first chunk over the upload limit, never
//! buffered whole, and a refused upload's remaining body is read and
//! discarded ([`Form::drain`]) up to the route's transport limit
//! ([`crate::body::transport_limit`], enforced by axum's body limit).
//!
//! A form has at most [`MAX_PARTS`] parts, counted as each part's headers
//! arrive and checked before the part is read: every part costs work (a
//! file is validated, a refusal recorded), so their number must be bounded
//! by more than the body size.

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use bytes::Bytes;
use mediakit_core::admission::Permit;
use mediakit_core::config::Limits;
use mediakit_core::validate::too_large;
use mediakit_core::{Error, ErrorCode};

use crate::body::{ReadError, discard, read_capped, read_capped_sized};

/// Text fields are short (names, tags, alt text); anything longer is junk.
/// Core bounds every text it is given to the same size.
const MAX_TEXT_FIELD: u64 = mediakit_core::metadata::MAX_TEXT_BYTES as u64;

/// The most parts one form may have, of any name. Room for every field an
/// upload form uses (a REST upload's file, name, alt text, unlisted flag
/// and up to 32 repeated `tags`; an RPC batch's 20 files and a token),
/// plus fields a browser adds.
pub const MAX_PARTS: usize = 64;

/// A multipart body being read, with its parts counted.
pub struct Form {
    multipart: Multipart,
    parts: usize,
}

impl Form {
    pub fn new(multipart: Multipart) -> Self {
        Self {
            multipart,
            parts: 0,
        }
    }

    /// The next part, with errors mapped; `invalid_request` once there
    /// are more than [`MAX_PARTS`], before that part is read.
    pub async fn next_field(&mut self, limits: &Limits) -> Result<Option<Field<'_>>, Error> {
        let field = self
            .multipart
            .next_field()
            .await
            .map_err(|e| multipart_error(&e, limits))?;
        if field.is_some() {
            self.parts += 1;
            if self.parts > MAX_PARTS {
                return Err(Error::invalid(format!(
                    "a multipart body may have at most {MAX_PARTS} parts"
                )));
            }
        }
        Ok(field)
    }

    /// Reads and discards the rest of the body; stops quietly at the first
    /// error (e.g. past the transport limit, where the connection is
    /// closed instead). Parts are not counted here: the route's body limit
    /// bounds what is read, and discarding costs nothing per part.
    pub async fn drain(&mut self) {
        while let Ok(Some(mut field)) = self.multipart.next_field().await {
            discard(&mut field, u64::MAX).await;
        }
    }
}

/// One file part, with the memory budget's permit for its bytes.
#[derive(Debug)]
pub struct FilePart {
    pub filename: Option<String>,
    pub bytes: Bytes,
    pub permit: Permit,
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

/// Reads a file field up to the upload limit, into the room `permit` holds
/// for it ([`crate::admission::admit_file`], taken before); what the file
/// did not use is given back.
pub async fn read_file(
    field: Field<'_>,
    limits: &Limits,
    mut permit: Permit,
) -> Result<FilePart, Error> {
    let filename = field.file_name().map(str::to_owned);
    let mut field = field;
    let bytes = read_capped_sized(&mut field, limits.max_upload_bytes, permit.held())
        .await
        .map_err(|e| match e {
            ReadError::TooLarge { .. } => too_large(limits),
            ReadError::Stream(e) => multipart_error(&e, limits),
        })?;
    permit.shrink_body(bytes.len() as u64);
    Ok(FilePart {
        filename,
        bytes,
        permit,
    })
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
    fn read_all(form: Multipart) -> Result<usize, Error> {
        let limits = Limits::default();
        let mut form = Form::new(form);
        let mut n = 0;
        async {
            while let Some(field) = form.next_field(&limits).await? {
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
        assert!(err.message.contains("at most 64 parts"), "{err}");
    }
}
