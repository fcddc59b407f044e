//! Placeholders: a ThumbHash of the oriented image, from the same decode as
//! the variants, whatever the image's size, orientation or alpha.

use image::GenericImageView;

use super::*;
use crate::limits::{Limits, NoDeadline};
use crate::render::{RenderedSet, render_set};

fn set(kind: MediaKind, bytes: &[u8], specs: &[VariantSpec]) -> RenderedSet {
    let parsed = parse(kind, bytes).unwrap();
    render_set(&parsed, specs, &auto(), &Limits::default(), &NoDeadline).unwrap()
}

/// The placeholder decoded: its aspect ratio and average colour.
fn read(hash: &[u8]) -> (f32, [f32; 4]) {
    assert!(
        (5..=25).contains(&hash.len()),
        "a ThumbHash is 5 to 25 bytes, not {}",
        hash.len()
    );
    let ratio = thumbhash::thumb_hash_to_approximate_aspect_ratio(hash).unwrap();
    let (r, g, b, a) = thumbhash::thumb_hash_to_average_rgba(hash).unwrap();
    (ratio, [r, g, b, a])
}

/// The average colour of an image, 0..1 per channel.
fn average(bytes: &[u8]) -> [f32; 4] {
    let img = reference(bytes).to_rgba8();
    let mut sum = [0f64; 4];
    for p in img.pixels() {
        for (s, &c) in sum.iter_mut().zip(p.0.iter()) {
            *s += f64::from(c);
        }
    }
    let n = f64::from(img.width() * img.height()) * 255.0;
    sum.map(|s| (s / n) as f32)
}

#[test]
fn the_placeholder_keeps_aspect_ratio_and_average_colour() {
    let out = set(MediaKind::Jpeg, JPEG_800, &presets());
    // Same variants as render_variants: the placeholder changes nothing else.
    let parsed = parse(MediaKind::Jpeg, JPEG_800).unwrap();
    let variants = preset_variants(&parsed);
    assert_eq!(out.variants, variants);
    let (ratio, rgba) = read(&out.placeholder);
    assert!((ratio - 800.0 / 450.0).abs() < 0.1, "{ratio}");
    let expected = average(JPEG_800);
    for c in 0..3 {
        assert!(
            (rgba[c] - expected[c]).abs() < 0.05,
            "{rgba:?} vs {expected:?}"
        );
    }
    assert!(rgba[3] > 0.99, "opaque: {rgba:?}");
}

#[test]
fn the_placeholder_is_of_the_oriented_image() {
    let (w, h) = reference(JPEG_ORIENT6).dimensions();
    let out = set(MediaKind::Jpeg, JPEG_ORIENT6, &presets());
    let (ratio, _) = read(&out.placeholder);
    // EXIF orientation 6 turns the stored image a quarter: width and height swap.
    let oriented = h as f32 / w as f32;
    assert!((ratio - oriented).abs() < 0.1, "{ratio} vs {oriented}");
}

#[test]
fn images_smaller_than_every_variant_and_with_alpha_get_one_too() {
    let out = set(MediaKind::Png, PNG_ALPHA, &spec("huge", 10_000));
    assert!(out.variants.is_empty());
    let (_, rgba) = read(&out.placeholder);
    let expected = average(PNG_ALPHA);
    assert!(
        (rgba[3] - expected[3]).abs() < 0.1,
        "{rgba:?} vs {expected:?}"
    );
    // An animated GIF: of its first frame.
    let out = set(MediaKind::Gif, GIF_ANIMATED, &presets());
    read(&out.placeholder);
}
