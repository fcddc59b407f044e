//! Truncated and damaged inputs: always an error or a result, never a panic,
//! and a truncated file is always refused.

use super::*;
use crate::limits::{Limits, NoDeadline};
use crate::render::{render_variants, thumbnail};

const RASTER_FIXTURES: [(MediaKind, &[u8]); 7] = [
    (MediaKind::Jpeg, JPEG_800),
    (MediaKind::Jpeg, JPEG_ORIENT6),
    (MediaKind::Jpeg, JPEG_PROGRESSIVE),
    (MediaKind::Jpeg, JPEG_GRAY),
    (MediaKind::Png, PNG_ALPHA),
    (MediaKind::Webp, WEBP),
    (MediaKind::Gif, GIF_ANIMATED),
];

/// The whole pipeline as the service runs it; `Err` at the first failure.
fn pipeline(kind: MediaKind, bytes: &[u8]) -> Result<()> {
    let limits = Limits::default();
    let parsed = parse(kind, bytes)?;
    parsed.strip_metadata()?;
    render_variants(&parsed, &spec("thumb", 64), &auto(), &limits, &NoDeadline)?;
    thumbnail(&parsed, 32, &auto(), &limits, &NoDeadline)?;
    Ok(())
}

/// Decoding (render with no applicable spec) must refuse it as corrupt.
fn assert_refused(kind: MediaKind, bytes: &[u8], what: &str) {
    let limits = Limits::default();
    let parsed = parse(kind, bytes);
    let r = parsed
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|p| render_variants(p, &[], &auto(), &limits, &NoDeadline));
    assert_eq!(code(r), ErrorKind::Corrupt, "{kind:?} {what}");
    let r = parsed.and_then(|p| thumbnail(&p, 64, &auto(), &limits, &NoDeadline));
    assert_eq!(code(r), ErrorKind::Corrupt, "{kind:?} {what} (thumbnail)");
}

#[test]
fn the_fixtures_pass_the_whole_pipeline() {
    for (kind, bytes) in RASTER_FIXTURES {
        pipeline(kind, bytes).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    }
}

#[test]
fn truncated_jpeg_is_refused() {
    for bytes in [JPEG_800, JPEG_PROGRESSIVE, JPEG_GRAY] {
        let n = bytes.len();
        for cut in [n / 2, n * 9 / 10, n - 2, n - 1] {
            assert_refused(MediaKind::Jpeg, &bytes[..cut], &format!("cut at {cut}/{n}"));
        }
    }
}

#[test]
fn png_without_iend_is_refused() {
    let n = PNG_ALPHA.len();
    assert!(PNG_ALPHA.ends_with(b"IEND\xAE\x42\x60\x82"));
    assert_refused(MediaKind::Png, &PNG_ALPHA[..n - 12], "without IEND");
    assert_refused(MediaKind::Png, &PNG_ALPHA[..n / 2], "cut in IDAT");
}

#[test]
fn gif_without_trailer_is_refused() {
    let n = GIF_ANIMATED.len();
    assert_eq!(GIF_ANIMATED[n - 1], 0x3B);
    assert_refused(MediaKind::Gif, &GIF_ANIMATED[..n - 1], "without trailer");
    assert_refused(
        MediaKind::Gif,
        &GIF_ANIMATED[..n * 3 / 4],
        "cut in a later frame",
    );
}

#[test]
fn webp_with_riff_size_mismatch_is_refused() {
    let n = WEBP.len();
    assert_refused(MediaKind::Webp, &WEBP[..n - 1], "one byte short");
    assert_refused(MediaKind::Webp, &WEBP[..n / 2], "cut in half");
    let mut bigger = WEBP.to_vec();
    bigger[4..8].copy_from_slice(&(n as u32).to_le_bytes()); // claims 8 bytes more
    assert_refused(MediaKind::Webp, &bigger, "RIFF size beyond the data");
}

#[test]
fn every_truncation_is_an_error_never_a_panic() {
    for (kind, bytes) in RASTER_FIXTURES {
        let n = bytes.len();
        let cuts = (0..64).map(|i| n * i / 64).chain(n.saturating_sub(24)..n);
        for cut in cuts {
            assert!(
                pipeline(kind, &bytes[..cut]).is_err(),
                "{kind:?} cut at {cut}/{n}"
            );
        }
    }
}

/// xorshift64*: a fixed sequence, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_byte_damage_never_panics() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut outcomes = [0usize; 2];
    for (kind, bytes) in RASTER_FIXTURES {
        for _ in 0..60 {
            let mut damaged = bytes.to_vec();
            for _ in 0..1 + rng.below(4) {
                // Headers are where parsers are most fragile: aim half the hits there.
                let at = if rng.below(2) == 0 {
                    rng.below(damaged.len().min(512))
                } else {
                    rng.below(damaged.len())
                };
                damaged[at] ^= 1 << rng.below(8);
            }
            outcomes[usize::from(pipeline(kind, &damaged).is_ok())] += 1;
        }
    }
    println!(
        "damaged inputs: {} refused, {} accepted",
        outcomes[0], outcomes[1]
    );
}

#[test]
fn zeroed_and_overwritten_regions_never_panic() {
    let mut rng = Rng(42);
    for (kind, bytes) in RASTER_FIXTURES {
        for _ in 0..20 {
            let mut damaged = bytes.to_vec();
            let start = rng.below(damaged.len());
            let end = (start + 1 + rng.below(64)).min(damaged.len());
            let fill = [0x00, 0xFF][rng.below(2)];
            damaged[start..end].fill(fill);
            let _ = pipeline(kind, &damaged);
        }
    }
}
