//! Hostile decoder inputs: small files that would make the image decoders
//! work far beyond their size — a progressive JPEG of thousands of scans,
//! AC coefficients the bit reader cannot hold, a GIF frame outside the
//! screen the pixel limit reads, animations of thousands of frames or of a
//! huge canvas per frame. Each is refused with a 422 and a stable code,
//! nothing stored; a version of each below its limit is accepted, so the
//! refusal is the limit's and not the forged data's.

use mediakit_e2e::forge::decoders::{
    gif_frame_beyond_screen, gif_frame_within_screen, gif_many_frames, jpeg_ac_category_15,
    jpeg_many_scans, webp_animation, webp_many_frames,
};
use mediakit_e2e::{Target, unique};
use serde_json::Value;

/// Asserts that uploading `bytes` is refused with 422 `code`, nothing
/// stored.
fn refused(t: &Target, code: &str, name: &str, bytes: &[u8]) {
    let filename = unique(name);
    t.assert_refused(422, code, &filename, || t.upload(&filename, bytes));
}

/// The error message an upload of `bytes` is answered with.
fn message(t: &Target, name: &str, bytes: &[u8]) -> String {
    let body: Value = t.upload(&unique(name), bytes).json().unwrap();
    body["error"]["message"].as_str().unwrap().to_owned()
}

#[test]
fn a_jpeg_of_thousands_of_scans_is_refused_before_decoding() {
    let t = Target::start();
    let many = jpeg_many_scans(5_000);
    refused(&t, "image_too_complex", "scans.jpg", &many);
    let text = message(&t, "scans.jpg", &many);
    assert!(text.contains("5000 scans; the limit is 100"), "{text}");
    // Under the limit, a scan repeated is not a step of a valid
    // progression: refused as corrupt instead of decoded again.
    refused(
        &t,
        "image_corrupt",
        "repeated-scans.jpg",
        &jpeg_many_scans(50),
    );
    t.upload_ok(&unique("two-scans.jpg"), &jpeg_many_scans(2));
}

#[test]
fn jpeg_ac_coefficients_above_category_10_are_refused() {
    let t = Target::start();
    refused(&t, "image_corrupt", "category.jpg", &jpeg_ac_category_15());
}

#[test]
fn a_gif_frame_beyond_its_screen_is_refused() {
    let t = Target::start();
    refused(
        &t,
        "image_too_many_pixels",
        "beyond.gif",
        &gif_frame_beyond_screen(),
    );
    t.upload_ok(&unique("within.gif"), &gif_frame_within_screen());
}

#[test]
fn animations_of_too_many_frames_are_refused() {
    let t = Target::start();
    refused(
        &t,
        "image_too_complex",
        "frames.gif",
        &gif_many_frames(1_001),
    );
    refused(
        &t,
        "image_too_complex",
        "frames.webp",
        &webp_many_frames(1_001),
    );
    let text = message(&t, "frames.webp", &webp_many_frames(5_000));
    assert!(text.contains("5000 frames; the limit is 1000"), "{text}");
    t.upload_ok(&unique("frames.gif"), &gif_many_frames(1_000));
    t.upload_ok(&unique("frames.webp"), &webp_many_frames(1_000));
}

#[test]
fn an_animation_over_the_pixel_budget_of_all_frames_is_refused() {
    let t = Target::start();
    // Every frame is composed onto the 4 MP canvas: 60 frames are 240 MP,
    // over the 200 MP of all frames; 40 are 160 MP.
    refused(
        &t,
        "image_too_many_pixels",
        "canvas.webp",
        &webp_animation(2_000, 2_000, 60),
    );
    t.upload_ok(&unique("canvas.webp"), &webp_animation(2_000, 2_000, 40));
}
