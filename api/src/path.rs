//! Path parameters. axum answers a segment whose percent-encoding is not
//! UTF-8 with a plain-text 400 of its own; every parameter of ours names an
//! id or a file, so such a segment names nothing that exists: a
//! `not_found`, in the dialect's own error shape like every other error.

use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use mediakit_core::Error;

/// What a handler takes instead of `Path<T>`, so that it answers the
/// rejection itself ([`path_param`]) in its dialect's shape. (REST and the
/// file URLs use the extractor `rest::PathParam`, which does this.)
pub type PathResult<T> = Result<Path<T>, PathRejection>;

/// The parameters, or the error a client gets for a path that cannot
/// hold them.
pub fn path_param<T>(param: PathResult<T>) -> Result<T, Error> {
    match param {
        Ok(Path(value)) => Ok(value),
        Err(PathRejection::FailedToDeserializePathParams(_)) => Err(Error::not_found()),
        Err(other) => Err(Error::internal(format!("path parameters: {other}"))),
    }
}
