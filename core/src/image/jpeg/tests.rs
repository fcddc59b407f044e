//! The decoder against an independent one (zune-jpeg through `image`) on
//! the fixtures: baseline, progressive, grey, rotated, 4:2:0 and 4:4:4.

use super::decode;
use crate::image::tests::{
    JPEG_800, JPEG_GRAY, JPEG_ORIENT6, JPEG_PROGRESSIVE, psnr, reference,
};

const MAX: u64 = 50_000_000;

#[test]
fn full_scale_matches_an_independent_decoder() {
    for (name, bytes) in [
        ("baseline", JPEG_800),
        ("progressive", JPEG_PROGRESSIVE),
        ("grey", JPEG_GRAY),
        ("orient6", JPEG_ORIENT6),
    ] {
        let ours = decode(bytes, None, MAX).expect("supported").expect("decodes");
        let theirs = reference(bytes);
        assert_eq!(
            (ours.pixels.width, ours.pixels.height),
            (theirs.width(), theirs.height()),
            "{name}"
        );
        let theirs = if ours.pixels.channels == 1 {
            theirs.to_luma8().into_raw()
        } else {
            theirs.to_rgb8().into_raw()
        };
        let db = psnr(&ours.pixels.data, &theirs);
        println!("{name}: {db:.1} dB against zune-jpeg");
        assert!(db > 40.0, "{name}: {db:.1} dB");
    }
}
