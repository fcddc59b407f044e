//! The file URLs' responses in the OpenAPI document. A file is served with
//! its stored type, one of the accepted types ([`MediaKind::ALL`], built
//! from that list so a new format appears here by itself), byte ranges and
//! conditional requests; see `serve` for the headers.

use std::collections::BTreeMap;

use mediakit_core::MediaKind;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{Content, RefOr};

use crate::rest::openapi::error_responses;

// 416 is an error like the others (JSON with its code), with
// `Content-Range: bytes */SIZE` telling the file's size.
error_responses!(FileErrors = [NotFound, RangeNotSatisfiable, StorageUnavailable]);

// A rendition may be rendered by the request that asks for it first.
error_responses!(
    RenditionErrors = [
        ImageTooManyPixels,
        ImageCorrupt,
        ImageTooComplex,
        Forbidden,
        NotFound,
        RenditionsUnavailable,
        StorageUnavailable,
        ServerBusy,
    ]
);

// A variant in another format may be rendered by its first request.
error_responses!(
    VariantErrors = [
        ImageTooManyPixels,
        ImageCorrupt,
        ImageTooComplex,
        NotFound,
        RangeNotSatisfiable,
        StorageUnavailable,
        ServerBusy,
    ]
);

/// 200 and 304 of a rendition: its bytes in the format of its extension
/// (or the one `Accept` chose), no ranges.
pub struct RenditionResponses;

impl utoipa::IntoResponses for RenditionResponses {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut ok = ResponseBuilder::new().description("The rendition");
        for mime in ["image/jpeg", "image/png", "image/webp", "image/avif"] {
            ok = ok.content(mime, Content::new(None::<Schema>));
        }
        let headers = [
            (
                "ETag",
                "Strong: a rendition URL always names the same bytes",
            ),
            ("Cache-Control", "As for every file"),
            ("Vary", "`Accept` when the URL has no extension"),
        ];
        let mut not_modified =
            ResponseBuilder::new().description("Not modified (`If-None-Match` matched)");
        for (name, about) in headers {
            ok = ok.header(name, string_header(about));
            not_modified = not_modified.header(name, string_header(about));
        }
        BTreeMap::from([
            ("200".to_owned(), ok.into()),
            ("304".to_owned(), not_modified.into()),
        ])
    }
}

/// 200, 206 and 304; the errors (416 among them) are [`FileErrors`].
pub struct FileResponses;

impl utoipa::IntoResponses for FileResponses {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let validators = [
            ("ETag", "`\"<sha256>\"` (strong)"),
            (
                "Cache-Control",
                "A URL always names the same bytes: cacheable",
            ),
        ];
        let whole = [
            ("Accept-Ranges", "`bytes`"),
            ("Content-Disposition", "`inline` with the original filename"),
        ];
        let range = [("Content-Range", "`bytes start-end/size`")];
        let responses = [
            (200, "The file", true, &[&validators[..], &whole[..]][..]),
            (
                206,
                "The requested range",
                true,
                &[&validators[..], &whole[..], &range[..]],
            ),
            (
                304,
                "Not modified (`If-None-Match` matched)",
                false,
                &[&validators[..]],
            ),
        ];
        responses
            .into_iter()
            .map(|(status, description, body, headers)| {
                let mut res = ResponseBuilder::new().description(description);
                // The bytes as stored: the type says it all, no schema.
                if body {
                    for kind in MediaKind::ALL {
                        res = res.content(kind.mime_type(), Content::new(None::<Schema>));
                    }
                    // Variants in a format no upload is accepted in.
                    res = res.content("image/avif", Content::new(None::<Schema>));
                }
                for (name, about) in headers.iter().flat_map(|h| h.iter()) {
                    res = res.header(*name, string_header(about));
                }
                (status.to_string(), res.into())
            })
            .collect()
    }
}

fn string_header(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(description))
        .build()
}
