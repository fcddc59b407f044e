//! The one error type of the crate: a kind a caller can act on (mediakit's
//! core maps each to a stable API code) and a message for humans.

use std::fmt;

/// What went wrong, coarsely enough for a caller to act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The bytes are none of the accepted types, or an operation needs a
    /// raster image and got another kind.
    UnsupportedType,
    /// The image is malformed, truncated or cannot be decoded.
    Corrupt,
    /// The image needs more pixels (or memory) than the limits allow.
    TooManyPixels,
    /// The image would take more work than the limits allow: too many
    /// scans or frames, or decoding ran past its deadline.
    TooComplex,
    /// The SVG is not a well-formed document with an `<svg>` root.
    SvgInvalid,
    /// The SVG holds scripts, event handlers or other active content.
    SvgUnsafe,
    /// The caller asked for something impossible (a 0 px variant).
    InvalidArgument,
    /// An encoder failed on pixels the pipeline made itself.
    Internal,
}

/// An error of the image pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ImageError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// A malformed, truncated or undecodable image.
    pub(crate) fn corrupt(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Corrupt, message)
    }

    /// Data that ends before its structure does.
    pub(crate) fn truncated(what: &str) -> Self {
        Self::corrupt(format!("{what} is truncated"))
    }

    /// Working memory for the image that cannot even be counted.
    pub(crate) fn too_large(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::TooManyPixels, message)
    }

    /// A failure of a library on our own pixels: a bug, not the upload's fault.
    pub(crate) fn internal(detail: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Internal, detail.to_string())
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for ImageError {}

pub type Result<T, E = ImageError> = std::result::Result<T, E>;
