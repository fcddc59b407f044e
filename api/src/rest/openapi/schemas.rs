//! Schemas whose values are core's lists rather than a type of this crate:
//! the error codes ([`ErrorCode::ALL`]), the scope names ([`Scope::ALL`]),
//! the listing orders ([`SortOrder::ALL`]). Built from those lists, so a
//! code or scope added in core is in the document without an edit here.

use std::borrow::Cow;

use mediakit_core::ErrorCode;
use mediakit_core::auth::Scope;
use mediakit_core::model::SortOrder;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

fn string_enum(values: Vec<&'static str>, description: String) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .description(Some(description))
        .into()
}

/// `ErrorCode`: every stable code, each with its HTTP status.
pub struct ErrorCodeSchema;

impl PartialSchema for ErrorCodeSchema {
    fn schema() -> RefOr<Schema> {
        let table: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| format!("`{}` ({})", c.as_str(), c.http_status()))
            .collect();
        string_enum(
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect(),
            format!(
                "A stable, machine-readable error code: match on it, never on \
                 the message. Each has one HTTP status in every dialect: {}.",
                table.join(", ")
            ),
        )
    }
}

impl ToSchema for ErrorCodeSchema {
    fn name() -> Cow<'static, str> {
        "ErrorCode".into()
    }
}

/// `Scope`: a token's scopes as the API reports them.
pub struct ScopeSchema;

impl PartialSchema for ScopeSchema {
    fn schema() -> RefOr<Schema> {
        string_enum(
            Scope::ALL.iter().map(|s| s.as_str()).collect(),
            "What a token may do; `admin` may do everything.".to_owned(),
        )
    }
}

impl ToSchema for ScopeSchema {
    fn name() -> Cow<'static, str> {
        "Scope".into()
    }
}

/// `ScopeName`: a scope as a request may name it, the CMS dialect's
/// permission names (`view-media`, …) included.
pub struct ScopeName;

impl PartialSchema for ScopeName {
    fn schema() -> RefOr<Schema> {
        let names = Scope::ALL
            .iter()
            .map(|s| s.as_str())
            .chain(Scope::ALL.iter().filter_map(|s| s.permission()))
            .collect();
        string_enum(
            names,
            "A scope name, or the CMS dialect's name of one (`view-media` is \
             `media:read`, …)."
                .to_owned(),
        )
    }
}

impl ToSchema for ScopeName {
    fn name() -> Cow<'static, str> {
        "ScopeName".into()
    }
}

/// `SortOrder`: the order of a listing, by upload time.
pub struct SortOrderSchema;

impl PartialSchema for SortOrderSchema {
    fn schema() -> RefOr<Schema> {
        string_enum(
            SortOrder::ALL.iter().map(|o| o.as_str()).collect(),
            "By upload time: `newest` first or `oldest` first.".to_owned(),
        )
    }
}

impl ToSchema for SortOrderSchema {
    fn name() -> Cow<'static, str> {
        "SortOrder".into()
    }
}
