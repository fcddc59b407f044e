//! The limits on work, through the whole pipeline: JPEG scans, animation
//! frames, pixels over all frames, frames outside a GIF's screen, and the
//! deadline. Each is refused before the work it bounds, with a message
//! that names the count and the limit.

use std::cell::Cell;

use super::*;
use crate::limits::{Deadline, Limits, NoDeadline};
use crate::render::{render_variants, thumbnail};

/// Renders one small variant, as an upload does.
fn render(kind: MediaKind, bytes: &[u8], limits: &Limits, deadline: &dyn Deadline) -> Result<()> {
    let parsed = parse(kind, bytes)?;
    render_variants(&parsed, &spec("thumb", 64), &auto(), limits, deadline).map(drop)
}

fn refused(r: Result<()>, kind: ErrorKind, message: &str) {
    let e = r.expect_err("refused");
    assert_eq!(e.kind, kind, "{e}");
    assert!(e.message.contains(message), "{e}");
}

#[test]
fn a_jpeg_of_thousands_of_scans_is_refused_before_decoding() {
    let jpeg = forge::progressive_eob_runs(64, 64, 5_000);
    let limits = Limits::default();
    refused(
        render(MediaKind::Jpeg, &jpeg, &limits, &NoDeadline),
        ErrorKind::TooComplex,
        "the JPEG has 5001 scans; the limit is 100",
    );
    // Counted, not decoded: no deadline check is reached.
    let deadline = Countdown::new(0);
    let r = render(MediaKind::Jpeg, &jpeg, &limits, &deadline);
    assert_eq!(code(r), ErrorKind::TooComplex);
    assert_eq!(deadline.asked.get(), 1, "only the check before decoding");

    // The limit itself passes.
    let tight = Limits {
        max_scans: 2,
        ..Limits::default()
    };
    let two = forge::progressive_eob_runs(64, 64, 1);
    render(MediaKind::Jpeg, &two, &tight, &NoDeadline).expect("2 scans");
    let three = forge::progressive(64, 64, &[(0, 0, 0, 0), (1, 5, 0, 0), (6, 63, 0, 0)]);
    refused(
        render(MediaKind::Jpeg, &three, &tight, &NoDeadline),
        ErrorKind::TooComplex,
        "3 scans; the limit is 2",
    );
}

#[test]
fn a_gif_frame_outside_the_screen_is_refused() {
    let limits = Limits::default();
    for (frames, message) in [
        (
            vec![(0, 0, 8, 8)],
            "GIF frame 1 is 8x8 at (0, 0), beyond the 4x4 logical screen",
        ),
        (
            vec![(0, 0, 4, 4), (3, 3, 2, 2)],
            "GIF frame 2 is 2x2 at (3, 3), beyond the 4x4 logical screen",
        ),
    ] {
        let gif = forge::gif((4, 4), &frames);
        refused(
            render(MediaKind::Gif, &gif, &limits, &NoDeadline),
            ErrorKind::TooManyPixels,
            message,
        );
    }
    let inside = forge::gif((4, 4), &[(0, 0, 4, 4), (2, 2, 2, 2)]);
    render(MediaKind::Gif, &inside, &limits, &NoDeadline).expect("frames inside the screen");
}

#[test]
fn animations_are_held_to_the_frame_limit() {
    let limits = Limits {
        max_frames: 10,
        ..Limits::default()
    };
    let frames = |n: usize| vec![(0, 0, 1, 1); n];
    render(
        MediaKind::Gif,
        &forge::gif((1, 1), &frames(10)),
        &limits,
        &NoDeadline,
    )
    .expect("10 GIF frames");
    refused(
        render(
            MediaKind::Gif,
            &forge::gif((1, 1), &frames(11)),
            &limits,
            &NoDeadline,
        ),
        ErrorKind::TooComplex,
        "the animation has 11 frames; the limit is 10",
    );
    let colors = |n: usize| vec![[255, 0, 0, 255]; n];
    render(
        MediaKind::Webp,
        &forge::animated_webp((1, 1), &colors(10)),
        &limits,
        &NoDeadline,
    )
    .expect("10 WebP frames");
    refused(
        render(
            MediaKind::Webp,
            &forge::animated_webp((1, 1), &colors(11)),
            &limits,
            &NoDeadline,
        ),
        ErrorKind::TooComplex,
        "the animation has 11 frames; the limit is 10",
    );
}

#[test]
fn the_frames_of_an_animation_share_one_pixel_budget() {
    let limits = Limits {
        max_total_pixels: 1_000,
        ..Limits::default()
    };
    // GIF: each frame counts its rectangle (3 × 256 = 768, 4 × 256 = 1,024).
    let frames = |n: usize| vec![(0, 0, 16, 16); n];
    render(
        MediaKind::Gif,
        &forge::gif((16, 16), &frames(3)),
        &limits,
        &NoDeadline,
    )
    .expect("768 pixels");
    refused(
        render(
            MediaKind::Gif,
            &forge::gif((16, 16), &frames(4)),
            &limits,
            &NoDeadline,
        ),
        ErrorKind::TooManyPixels,
        "the 4 frames of the animation decode to 1024 pixels; the limit over all frames \
         is 1000 pixels",
    );
    // WebP: each frame counts the canvas it is composed onto, however small.
    let colors = |n: usize| vec![[0, 0, 255, 255]; n];
    let webp = |n| forge::animated_webp((16, 16), &colors(n));
    render(MediaKind::Webp, &webp(3), &limits, &NoDeadline).expect("768 pixels");
    refused(
        render(MediaKind::Webp, &webp(4), &limits, &NoDeadline),
        ErrorKind::TooManyPixels,
        "the 4 frames of the animation decode to 1024 pixels",
    );
    // A still image is held to the pixel limit alone.
    let still = forge::gif((40, 40), &[(0, 0, 40, 40)]);
    render(MediaKind::Gif, &still, &limits, &NoDeadline).expect("a still of 1,600 pixels");
}

#[test]
fn an_animated_webp_decodes_to_its_first_frame() {
    let webp = forge::animated_webp((3, 2), &[[255, 0, 0, 255], [0, 255, 0, 255]]);
    let parsed = parse(MediaKind::Webp, &webp).unwrap();
    assert!(parsed.header().unwrap().animated);
    let t = thumbnail(&parsed, 100, &auto(), &Limits::default(), &NoDeadline).unwrap();
    let image = reference(&t.bytes).to_rgba8();
    assert_eq!(image.dimensions(), (3, 2));
    // The 1 × 1 red frame at the corner, the rest of the canvas transparent.
    assert_eq!(image.get_pixel(0, 0).0, [255, 0, 0, 255]);
    assert_eq!(image.get_pixel(2, 1).0[3], 0);
}

#[test]
fn an_animation_frame_must_hold_an_image_of_its_declared_size() {
    // Frame header 1 × 1, bitstream 2 × 2: image-webp panicked writing it.
    let mut webp = forge::animated_webp((4, 4), &[[255, 0, 0, 255]]);
    let anmf = webp.windows(4).position(|w| w == b"ANMF").unwrap();
    let vp8l = anmf + 8 + 16 + 8;
    webp[vp8l + 1] |= 1; // width - 1: 0 -> 1
    let err = parse(MediaKind::Webp, &webp).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Corrupt);
    assert!(
        err.message.contains("declares 1x1 but holds a 2x1"),
        "{}",
        err.message
    );
}

/// A deadline that expires once it has been asked `allowed` times, and
/// counts how often it was asked.
struct Countdown {
    allowed: u32,
    asked: Cell<u32>,
}

impl Countdown {
    fn new(allowed: u32) -> Self {
        Self {
            allowed,
            asked: Cell::new(0),
        }
    }
}

impl Deadline for Countdown {
    fn expired(&self) -> bool {
        self.asked.set(self.asked.get() + 1);
        self.asked.get() > self.allowed
    }

    fn allowance_ms(&self) -> u64 {
        1_234
    }
}

#[test]
fn the_deadline_is_asked_while_decoding_and_ends_the_job() {
    let limits = Limits::default();
    // How often each decode asks when there is time: at least once per
    // row of MCUs (JPEG_800 is 450 rows of 16-row MCUs: 29) or per frame.
    let never = Countdown::new(u32::MAX);
    render(MediaKind::Jpeg, JPEG_800, &limits, &never).unwrap();
    assert!(never.asked.get() >= 29, "{} checks", never.asked.get());
    let frames = forge::gif((2, 2), &[(0, 0, 2, 2); 6]);
    let never = Countdown::new(u32::MAX);
    render(MediaKind::Gif, &frames, &limits, &never).unwrap();
    assert!(never.asked.get() >= 6, "{} checks", never.asked.get());

    for (kind, bytes) in [
        (MediaKind::Jpeg, JPEG_800),
        (MediaKind::Jpeg, JPEG_PROGRESSIVE),
        (MediaKind::Gif, frames.as_slice()),
        (MediaKind::Webp, &forge::animated_webp((2, 2), &[[0; 4]; 6])),
    ] {
        // Expiring in the middle of decoding (after the checks before it).
        let deadline = Countdown::new(3);
        refused(
            render(kind, bytes, &limits, &deadline),
            ErrorKind::TooComplex,
            "processing the image took longer than the 1234 ms allowed",
        );
        assert_eq!(deadline.asked.get(), 4, "{kind:?}: stopped at once");
    }
    // And before anything is decoded.
    let r = render(MediaKind::Png, PNG_ALPHA, &limits, &Countdown::new(0));
    assert_eq!(code(r), ErrorKind::TooComplex);
}
