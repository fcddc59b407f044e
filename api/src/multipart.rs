//! Reading multipart uploads with the size limit enforced while the body
//! streams in: an oversized file is refused at the first byte over the
//! limit, never buffered whole.
//!
//! A refused upload's remaining body is read and discarded ([`drain`]) up to
//! the transport limit ([`transport_limit`]), so that ordinary HTTP clients,
//! which write the whole body before reading the answer, see the 4xx
//! instead of a reset connection.

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use mediakit_core::config::Limits;
use mediakit_core::validate::too_large;
use mediakit_core::{Error, ErrorCode};

/// Text fields are short (names, tags, alt text); anything longer is junk.
const MAX_TEXT_FIELD: usize = 64 * 1024;

/// The body size the HTTP layer accepts on upload routes: twice the file
/// limit (so that a moderately oversized file can be drained and answered
/// with a clean 413), plus room for the multipart framing.
pub fn transport_limit(max_upload_bytes: u64) -> usize {
    usize::try_from(max_upload_bytes.saturating_mul(2))
        .unwrap_or(usize::MAX)
        .saturating_add(256 * 1024)
}

/// Reads and discards the rest of a multipart body; stops quietly at the
/// first error (e.g. past the transport limit, where the connection is
/// closed instead).
pub async fn drain(form: &mut Multipart) {
    while let Ok(Some(mut field)) = form.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
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

/// Reads a file field chunk by chunk up to the limit.
pub async fn read_file(field: Field<'_>, limits: &Limits) -> Result<FilePart, Error> {
    let filename = field.file_name().map(str::to_owned);
    let mut field = field;
    let mut buf = BytesMut::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| multipart_error(&e, limits))?
    {
        if (buf.len() + chunk.len()) as u64 > limits.max_upload_bytes {
            return Err(too_large(limits));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(FilePart {
        filename,
        bytes: buf.freeze(),
    })
}

/// Reads a short text field.
pub async fn read_text(field: Field<'_>, limits: &Limits) -> Result<String, Error> {
    let name = field.name().unwrap_or("").to_owned();
    let mut field = field;
    let mut buf = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| multipart_error(&e, limits))?
    {
        buf.extend_from_slice(&chunk);
        if buf.len() > MAX_TEXT_FIELD {
            return Err(Error::invalid(format!("the field `{name}` is too long")));
        }
    }
    String::from_utf8(buf).map_err(|_| Error::invalid(format!("the field `{name}` is not UTF-8")))
}

/// The next field, with errors mapped.
pub async fn next_field<'a>(
    form: &'a mut Multipart,
    limits: &Limits,
) -> Result<Option<Field<'a>>, Error> {
    form.next_field()
        .await
        .map_err(|e| multipart_error(&e, limits))
}
