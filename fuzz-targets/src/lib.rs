//! The bodies of mediakit's fuzz targets, one `pub fn <target>(data: &[u8])`
//! per entry point that sees untrusted bytes. The cargo-fuzz crate in
//! `fuzz/` (nightly, its own workspace) calls each with one line; on
//! stable, this crate's tests replay every committed corpus file and crash
//! regression through the same functions (tests/replay.rs).
//!
//! A target panics when the code under test breaks a promise: a panic of
//! its own, an answer that contradicts the input (a stripped image of
//! another size, a range outside the file, a 5xx for a client's request),
//! or a result two decoders disagree on. Limits are small, so one input
//! costs milliseconds; work that grows without bound shows as a timeout.

mod dialects;
mod http;
mod images;
mod jpeg_diff;
mod metadata;
pub mod svg;

pub use dialects::{cms_request, rest_request, rpc_request};
pub use http::{body_read, multipart, range, rendition_spec, rpc_params};
pub use images::{
    container_gif, container_jpeg, container_mp4, container_pdf, container_png, container_svg,
    container_webm, container_webp, placeholder, render, sniff_inspect,
};
pub use jpeg_diff::jpeg_differential;
pub use metadata::metadata;

/// A target: any bytes in, a panic when a promise is broken.
pub type Target = fn(&[u8]);

/// Every target by name (the name of its cargo-fuzz target and of its
/// folders under fuzz/corpus/ and fuzz/regressions/).
pub const TARGETS: &[(&str, Target)] = &[
    ("sniff_inspect", sniff_inspect),
    ("container_jpeg", container_jpeg),
    ("container_png", container_png),
    ("container_gif", container_gif),
    ("container_webp", container_webp),
    ("container_svg", container_svg),
    ("container_pdf", container_pdf),
    ("container_mp4", container_mp4),
    ("container_webm", container_webm),
    ("jpeg_differential", jpeg_differential),
    ("render", render),
    ("placeholder", placeholder),
    ("body_read", body_read),
    ("multipart", multipart),
    ("range", range),
    ("rendition_spec", rendition_spec),
    ("rpc_params", rpc_params),
    ("metadata", metadata),
    ("rest_request", rest_request),
    ("rpc_request", rpc_request),
    ("cms_request", cms_request),
];
