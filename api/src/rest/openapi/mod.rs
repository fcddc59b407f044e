//! The OpenAPI 3.1 description of the REST dialect, generated from the
//! code: the handlers' `#[utoipa::path]` attributes (routes, parameters,
//! bodies, responses, scopes), the wire types' `ToSchema` derives, and
//! core's lists of error codes and scopes ([`schemas`]). No JSON file is
//! kept by hand. It is served at `GET /api/v1/openapi.json` and rendered
//! for people at `/api/docs` ([`page`]), both public and built once per
//! process, on every host (the routes are the shared Router's).

pub mod errors;
mod page;
mod schemas;

use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use mediakit_core::auth::Scope;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, PathItem};
use utoipa::{Modify, OpenApi};

use errors::NoErrors;
pub(crate) use errors::error_responses;
pub use schemas::{ErrorCodeSchema, ScopeName, ScopeSchema, SortOrderSchema};

use super::error::{ErrorBody, ErrorDetail};
use super::wire;
use super::{limits, media, renditions, tokens, upload};

/// Where the document and its page are served.
pub const SPEC_PATH: &str = "/api/v1/openapi.json";
pub const DOCS_PATH: &str = "/api/docs";

/// The name of the one security scheme: a bearer token.
const BEARER: &str = "bearer";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "mediakit REST API",
        description = "The canonical REST dialect of mediakit (`/api/v1/...`) and the public \
            file URLs. Every error is JSON, `{\"error\": {\"code\", \"message\"}}`, with a \
            stable `code` (match on it) whose HTTP status is the same in every dialect; each \
            operation lists the codes it can answer with. Calls need a bearer token \
            (`Authorization: Bearer mk_…`) with the scopes each operation names; `admin` \
            may do everything. The RPC and CMS dialects served beside it are described in \
            docs/api.md."
    ),
    paths(
        media::list,
        media::list_images,
        upload::upload,
        media::get_one,
        media::patch,
        media::delete,
        media::restore,
        renditions::sign_url,
        tokens::create,
        tokens::list,
        tokens::revoke,
        limits::limits,
        crate::files::original,
        crate::files::variant,
        crate::files::rendition,
        crate::health,
        spec,
        docs,
    ),
    components(schemas(
        wire::MediaResponse,
        wire::VariantResponse,
        wire::UploadForm,
        wire::MediaPatchRequest,
        wire::FocalPointWire,
        wire::RenditionUrlRequest,
        wire::RenditionUrlResponse,
        wire::CreateTokenRequest,
        wire::TokenResponse,
        wire::LimitsResponse,
        wire::PresetResponse,
        ErrorBody,
        ErrorDetail,
        ErrorCodeSchema,
        ScopeSchema,
        ScopeName,
        SortOrderSchema,
    )),
    modifiers(&Security),
    tags(
        (name = "media", description = "Upload, list, read, edit, delete and restore media"),
        (name = "files", description = "The stored files, public and cacheable forever"),
        (name = "tokens", description = "API tokens (`admin`)"),
        (name = "instance", description = "What this instance is and accepts"),
    ),
)]
struct ApiDoc;

/// The bearer scheme, with core's scope names; and `admin` as an
/// alternative on every operation that needs a scope, since an admin
/// token passes every scope check (`Principal::has`).
struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut Document) {
        let scopes: Vec<String> = Scope::ALL
            .iter()
            .map(|s| format!("`{}`", s.as_str()))
            .collect();
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("mk_…")
            .description(Some(format!(
                "An API token, `Authorization: Bearer mk_…`. Its scopes are among {}; \
                 each operation names those it needs (any one of its requirements).",
                scopes.join(", ")
            )))
            .build();
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(BEARER, SecurityScheme::Http(scheme));
        let admin = SecurityRequirement::new(BEARER, [Scope::Admin.as_str()]);
        for item in doc.paths.paths.values_mut() {
            for op in operations(item) {
                let Some(requirements) = op.security.as_mut() else {
                    continue;
                };
                let public = requirements
                    .iter()
                    .all(|r| r == &SecurityRequirement::default());
                if !public && !requirements.contains(&admin) {
                    requirements.push(admin.clone());
                }
            }
        }
    }
}

/// The operations of a path item (the methods this API uses).
pub(crate) fn operations(
    item: &mut PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// The document, generated (each call builds it anew; the routes serve
/// one built once).
pub fn document() -> Document {
    ApiDoc::openapi()
}

/// The document as served: compact JSON, built once.
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        document()
            .to_json()
            .expect("the OpenAPI document serializes")
    })
}

/// `GET` of the document (public).
pub(crate) fn spec_route<S: Clone + Send + Sync + 'static>() -> MethodRouter<S> {
    get(spec)
}

/// `GET` of its page (public).
pub(crate) fn docs_route<S: Clone + Send + Sync + 'static>() -> MethodRouter<S> {
    get(docs)
}

/// The OpenAPI description
///
/// This document, OpenAPI 3.1. Public.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "getOpenApi",
    tag = "instance",
    security(()),
    responses(
        (status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json",
            body = Object),
        NoErrors,
    ),
)]
async fn spec() -> Response {
    let mut res = json().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// The API reference page
///
/// This document for people, as one HTML page without scripts. Public.
#[utoipa::path(
    get,
    path = "/api/docs",
    operation_id = "getApiDocs",
    tag = "instance",
    security(()),
    responses(
        (status = 200, description = "An HTML page", content_type = "text/html", body = String),
        NoErrors,
    ),
)]
async fn docs() -> Response {
    page::response()
}
