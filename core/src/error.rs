//! Error kinds with stable codes.
//!
//! Every failure a client can see has exactly one [`ErrorCode`]. The code
//! string is part of the API contract (clients match on it), the HTTP status is
//! derived from it in one place, and the message is for humans.

use std::fmt;

use mediakit_image::{ErrorKind, ImageError};

/// A stable, machine-readable error code. Never rename a variant's string:
/// clients match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    // --- request shape ---
    /// The request is malformed (bad query, bad JSON, bad parameter).
    InvalidRequest,
    /// The multipart body could not be parsed.
    MalformedMultipart,
    /// The upload carried no file field.
    FileMissing,
    // --- upload validation ---
    /// The uploaded file has zero bytes.
    FileEmpty,
    /// The uploaded file is larger than the configured limit.
    FileTooLarge,
    /// The bytes are not one of the accepted media types.
    UnsupportedType,
    /// The image header declares more pixels than the configured limit.
    ImageTooManyPixels,
    /// The image is truncated or its data cannot be decoded.
    ImageCorrupt,
    /// The image is valid but would take more work than allowed to decode:
    /// too many scans or frames, or it ran past its CPU-time deadline.
    ImageTooComplex,
    /// The SVG could not be parsed as XML with an `<svg>` root.
    SvgInvalid,
    /// The SVG contains scripts, event handlers or other active content.
    SvgUnsafe,
    /// The filename contains path parts, control characters or is too long.
    InvalidFilename,
    /// Alt text longer than the limit.
    AltTextTooLong,
    /// Name empty or longer than the limit.
    InvalidName,
    /// Too many tags or a tag too long.
    InvalidTags,
    // --- auth ---
    /// No token, or a token that is unknown or revoked.
    Unauthorized,
    /// The token is valid but lacks the required scope.
    Forbidden,
    // --- state ---
    /// No such media (or it is deleted), or no such endpoint.
    NotFound,
    /// The endpoint exists but not with this HTTP method.
    MethodNotAllowed,
    /// The operation conflicts with the current state.
    Conflict,
    /// A file request's `Range` lies outside the file (e.g. `bytes=-0`,
    /// or a start past its end).
    RangeNotSatisfiable,
    /// This instance does not accept uploads (read-only role).
    UploadsDisabled,
    /// This instance has no key to sign rendition URLs with (an edge
    /// deployment without `SIGNING_KEY` or `ADMIN_TOKEN`).
    RenditionsUnavailable,
    /// A blob or catalog backend failed.
    StorageUnavailable,
    /// The server is at its memory budget for uploads; retry after the
    /// `Retry-After` seconds.
    ServerBusy,
    /// An unexpected internal failure.
    Internal,
}

impl ErrorCode {
    /// The wire string of the code.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::MalformedMultipart => "malformed_multipart",
            Self::FileMissing => "file_missing",
            Self::FileEmpty => "file_empty",
            Self::FileTooLarge => "file_too_large",
            Self::UnsupportedType => "unsupported_type",
            Self::ImageTooManyPixels => "image_too_many_pixels",
            Self::ImageCorrupt => "image_corrupt",
            Self::ImageTooComplex => "image_too_complex",
            Self::SvgInvalid => "svg_invalid",
            Self::SvgUnsafe => "svg_unsafe",
            Self::InvalidFilename => "invalid_filename",
            Self::AltTextTooLong => "alt_text_too_long",
            Self::InvalidName => "invalid_name",
            Self::InvalidTags => "invalid_tags",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::RangeNotSatisfiable => "range_not_satisfiable",
            Self::UploadsDisabled => "uploads_disabled",
            Self::RenditionsUnavailable => "renditions_unavailable",
            Self::StorageUnavailable => "storage_unavailable",
            Self::ServerBusy => "server_busy",
            Self::Internal => "internal",
        }
    }

    /// The HTTP status every dialect uses for this code.
    pub const fn http_status(self) -> u16 {
        match self {
            Self::InvalidRequest
            | Self::MalformedMultipart
            | Self::FileMissing
            | Self::FileEmpty
            | Self::UnsupportedType
            | Self::InvalidFilename
            | Self::AltTextTooLong
            | Self::InvalidName
            | Self::InvalidTags => 400,
            Self::FileTooLarge => 413,
            // The request is well-formed but its content cannot be accepted.
            Self::ImageTooManyPixels
            | Self::ImageCorrupt
            | Self::ImageTooComplex
            | Self::SvgInvalid
            | Self::SvgUnsafe => 422,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::RangeNotSatisfiable => 416,
            Self::UploadsDisabled
            | Self::RenditionsUnavailable
            | Self::StorageUnavailable
            | Self::ServerBusy => 503,
            Self::Internal => 500,
        }
    }

    /// Every code, for documentation and exhaustive tests.
    pub const ALL: [ErrorCode; 26] = [
        Self::InvalidRequest,
        Self::MalformedMultipart,
        Self::FileMissing,
        Self::FileEmpty,
        Self::FileTooLarge,
        Self::UnsupportedType,
        Self::ImageTooManyPixels,
        Self::ImageCorrupt,
        Self::ImageTooComplex,
        Self::SvgInvalid,
        Self::SvgUnsafe,
        Self::InvalidFilename,
        Self::AltTextTooLong,
        Self::InvalidName,
        Self::InvalidTags,
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::Conflict,
        Self::RangeNotSatisfiable,
        Self::UploadsDisabled,
        Self::RenditionsUnavailable,
        Self::StorageUnavailable,
        Self::ServerBusy,
        Self::Internal,
    ];
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with a stable code and a human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "media not found")
    }

    /// A backend failure. The detail is for logs; clients see a generic
    /// message so that internals (paths, SQL) never leak.
    pub fn storage(detail: impl fmt::Display) -> Self {
        Self::new(
            ErrorCode::StorageUnavailable,
            format!("storage backend failed: {detail}"),
        )
    }

    pub fn internal(detail: impl fmt::Display) -> Self {
        Self::new(ErrorCode::Internal, format!("internal error: {detail}"))
    }

    /// The message safe to show a client: backend details are withheld.
    pub fn public_message(&self) -> &str {
        match self.code {
            ErrorCode::StorageUnavailable => "the storage backend is unavailable, try again",
            ErrorCode::Internal => "internal server error",
            _ => &self.message,
        }
    }

    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// The image pipeline's errors keep their message and get the code of
/// their kind.
impl From<ImageError> for Error {
    fn from(e: ImageError) -> Self {
        let code = match e.kind {
            ErrorKind::UnsupportedType => ErrorCode::UnsupportedType,
            ErrorKind::Corrupt => ErrorCode::ImageCorrupt,
            ErrorKind::TooManyPixels => ErrorCode::ImageTooManyPixels,
            ErrorKind::TooComplex => ErrorCode::ImageTooComplex,
            ErrorKind::SvgInvalid => ErrorCode::SvgInvalid,
            ErrorKind::SvgUnsafe => ErrorCode::SvgUnsafe,
            ErrorKind::InvalidArgument => ErrorCode::InvalidRequest,
            ErrorKind::Internal => return Self::internal(e.message),
        };
        Self::new(code, e.message)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{s}");
        }
    }

    #[test]
    fn client_errors_are_4xx_and_backend_errors_5xx() {
        for code in ErrorCode::ALL {
            let status = code.http_status();
            let server_side = matches!(
                code,
                ErrorCode::Internal
                    | ErrorCode::StorageUnavailable
                    | ErrorCode::UploadsDisabled
                    | ErrorCode::RenditionsUnavailable
                    | ErrorCode::ServerBusy
            );
            assert_eq!(status >= 500, server_side, "{code} -> {status}");
        }
    }

    #[test]
    fn image_errors_keep_their_message_under_their_code() {
        let e = Error::from(ImageError::new(ErrorKind::Corrupt, "JPEG: no image data"));
        assert_eq!(
            (e.code, e.message.as_str()),
            (ErrorCode::ImageCorrupt, "JPEG: no image data")
        );
        let e = Error::from(ImageError::new(ErrorKind::InvalidArgument, "size 0"));
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        let e = Error::from(ImageError::new(ErrorKind::Internal, "png: boom"));
        assert_eq!(
            (e.code, e.message.as_str()),
            (ErrorCode::Internal, "internal error: png: boom")
        );
    }

    #[test]
    fn backend_details_are_not_shown_to_clients() {
        let e = Error::storage("/var/lib/secret/path: permission denied");
        assert!(!e.public_message().contains("secret"));
    }
}
