//! The error responses of each operation. A handler names the codes it can
//! answer with ([`error_responses!`]); their statuses come from core's one
//! table (`ErrorCode::http_status`), so a response per status is built
//! here, its body the shared `ErrorBody` with `code` narrowed to that
//! operation's codes: a client (and schemathesis) learns exactly which
//! codes to expect, and a code answered but not declared breaks the schema.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use mediakit_core::ErrorCode;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Content, Ref, RefOr};

/// Every operation may meet a bug; its answer is `internal` (500).
const ALWAYS: ErrorCode = ErrorCode::Internal;

/// The responses for `codes` (and [`ALWAYS`]), one per status.
pub fn responses(codes: &[ErrorCode]) -> BTreeMap<String, RefOr<Response>> {
    let mut by_status: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    // In core's order, whatever order the handler listed them in.
    for code in ErrorCode::ALL {
        if code == ALWAYS || codes.contains(&code) {
            by_status.entry(code.http_status()).or_default().push(code);
        }
    }
    by_status
        .into_iter()
        .map(|(status, codes)| (status.to_string(), response(status, &codes).into()))
        .collect()
}

fn response(status: u16, codes: &[ErrorCode]) -> ResponseBuilder {
    let names: Vec<&'static str> = codes.iter().map(|c| c.as_str()).collect();
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let mut res = ResponseBuilder::new()
        .description(format!("{reason}: {}", listed.join(", ")))
        .content("application/json", Content::new(Some(narrowed(names))));
    if codes.contains(&ErrorCode::Unauthorized) {
        res = res.header(
            "WWW-Authenticate",
            HeaderBuilder::new()
                .schema(Some(string()))
                .description(Some("`Bearer`: send a token"))
                .build(),
        );
    }
    if codes.contains(&ErrorCode::ServerBusy) {
        let seconds = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0));
        res = res.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(seconds))
                .description(Some(
                    "With `server_busy`: seconds to wait before sending it again",
                ))
                .build(),
        );
    }
    res
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// `ErrorBody` with `error.code` one of `names`.
fn narrowed(names: Vec<&'static str>) -> Schema {
    let code = string().enum_values(Some(names));
    let detail = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("code", code);
    let only_these = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("error", detail);
    AllOfBuilder::new()
        .item(Ref::from_schema_name("ErrorBody"))
        .item(only_these)
        .build()
        .into()
}

/// Declares a type whose responses are one operation's errors, for
/// `#[utoipa::path(responses(...))]`:
/// `error_responses!(ListErrors = [InvalidRequest, Unauthorized]);`.
/// `internal` is always added (see [`responses`]).
macro_rules! error_responses {
    ($(#[$meta:meta])* $name:ident = [$($code:ident),* $(,)?]) => {
        $(#[$meta])*
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> std::collections::BTreeMap<
                String,
                utoipa::openapi::RefOr<utoipa::openapi::response::Response>,
            > {
                $crate::rest::openapi::errors::responses(&[
                    $(mediakit_core::ErrorCode::$code),*
                ])
            }
        }
    };
}
pub(crate) use error_responses;

error_responses!(
    /// The errors of an operation that can only meet a bug.
    NoErrors = []
);
