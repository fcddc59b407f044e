//! How much memory processing an image takes, estimated from its header
//! before anything is decoded. A pixel limit alone cannot bound memory: at
//! the same pixel count a baseline JPEG needs a third of what an RGBA PNG or
//! a progressive 4:4:4 JPEG needs. Hosts with a hard memory ceiling (a
//! Cloudflare isolate has 128 MB for everything, and wasm memory never
//! shrinks) refuse an upload whose estimate exceeds their budget instead of
//! being killed half-way through it.
//!
//! The model is `FIXED + COPIES × file size + pixels × per_pixel(format)`,
//! fitted as an upper bound to the wasm memory peaks measured under workerd
//! for the corpus and for worst-case files (`scripts/measure-edge-upload
//! --peaks`, table in docs/benchmarks.md): decoded pixels, the resize
//! pyramid, encoder buffers and allocator fragmentation are all in the
//! constants. Each format's per-pixel term is in its module
//! (`formats::*::MEMORY_PER_PIXEL_X4`, the JPEG one depends on the frame).

/// Memory that does not scale with the image: the runtime, the service,
/// the variants' output buffers.
pub(crate) const FIXED: u64 = 28_000_000;

/// The file is in memory several times over: the request body as it
/// arrived, the original after metadata stripping, the copy handed to
/// storage.
pub(crate) const COPIES: u64 = 3;

/// The estimated peak memory (bytes) of turning an image of `pixels`
/// pixels, stored in a file of `file_len` bytes, into its variants, with a
/// format cost of `per_pixel_x4` quarter bytes per pixel (quarters: the
/// progressive JPEG term is fractional).
pub(crate) fn estimate(per_pixel_x4: u64, pixels: u64, file_len: u64) -> u64 {
    let file = COPIES.saturating_mul(file_len);
    FIXED
        .saturating_add(file)
        .saturating_add(pixels.saturating_mul(per_pixel_x4) / 4)
}
