//! Reading multipart uploads through the one body path ([`crate::body`]):
//! a file field is refused at the first chunk over the upload limit, never
//! buffered whole, and a refused upload's remaining body is read and
//! discarded ([`drain`]) up to the route's transport limit
//! ([`crate::body::transport_limit`], enforced by axum's body limit).

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
const MAX_TEXT_FIELD: u64 = 64 * 1024;

/// Reads and discards the rest of a multipart body; stops quietly at the
/// first error (e.g. past the transport limit, where the connection is
/// closed instead).
pub async fn drain(form: &mut Multipart) {
    while let Ok(Some(mut field)) = form.next_field().await {
        // The route's body limit bounds what is read, not this call.
        discard(&mut field, u64::MAX).await;
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

/// The next field, with errors mapped.
pub async fn next_field<'a>(
    form: &'a mut Multipart,
    limits: &Limits,
) -> Result<Option<Field<'a>>, Error> {
    form.next_field()
        .await
        .map_err(|e| multipart_error(&e, limits))
}
