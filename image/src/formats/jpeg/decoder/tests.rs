//! The decoder against an independent one (zune-jpeg through `image`) on
//! the fixtures: baseline, progressive, grey, rotated, 4:2:0 and 4:4:4.

use crate::decoded::{DecodeMode, DecodeRequest, Decoded};
use crate::error::Result;
use crate::format::Container;
use crate::formats::jpeg::Jpeg;
use crate::limits::Limits;
use crate::tests::{JPEG_800, JPEG_GRAY, JPEG_ORIENT6, JPEG_PROGRESSIVE, psnr, reference};

const MAX: u64 = 50_000_000;

/// Our decoder on the segment index of `bytes`.
fn decode(
    bytes: &[u8],
    shrink_to: Option<(u32, u32)>,
    max_pixels: u64,
    mode: DecodeMode,
) -> Option<Result<Decoded>> {
    let (_, jpeg) = Jpeg::parse(bytes).unwrap();
    let request = DecodeRequest {
        limits: Limits { max_pixels },
        shrink_to,
        mode,
    };
    super::decode(jpeg.segments(bytes), &request)
}

#[test]
fn full_scale_matches_an_independent_decoder() {
    for (name, bytes) in [
        ("baseline", JPEG_800),
        ("progressive", JPEG_PROGRESSIVE),
        ("grey", JPEG_GRAY),
        ("orient6", JPEG_ORIENT6),
    ] {
        let ours = decode(bytes, None, MAX, DecodeMode::Validate)
            .expect("supported")
            .expect("decodes");
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

/// The byte range of the entropy-coded data of each scan, with its header.
fn scans(bytes: &[u8]) -> Vec<(usize, usize, Vec<u8>)> {
    let mut out = Vec::new();
    let mut header = Vec::new();
    let (_, jpeg) = Jpeg::parse(bytes).unwrap();
    for seg in jpeg.segments(bytes) {
        match seg.marker {
            0xDA => header = seg.payload().to_vec(),
            0x00 => {
                let at = seg.body.as_ptr() as usize - bytes.as_ptr() as usize;
                out.push((at, at + seg.body.len(), header.clone()));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn thumbnails_skip_ac_scans_at_one_eighth_but_uploads_validate_them() {
    let (w, h) = (800 / 8, 450 / 8);
    let all = decode(JPEG_PROGRESSIVE, Some((w, h)), MAX, DecodeMode::Validate)
        .unwrap()
        .unwrap();
    let needed = decode(JPEG_PROGRESSIVE, Some((w, h)), MAX, DecodeMode::OutputOnly)
        .unwrap()
        .unwrap();
    assert_eq!((all.pixels.width, all.pixels.height), (100, 57));
    assert_eq!(all.pixels, needed.pixels, "the same pixels either way");

    // Garbage in an AC scan (all-ones codes, which no Huffman table has).
    let (start, end, header) = scans(JPEG_PROGRESSIVE)
        .into_iter()
        .find(|(_, _, header)| header[1 + 2 * usize::from(header[0])] > 0)
        .expect("an AC scan");
    assert!(header[0] == 1);
    let mut damaged = JPEG_PROGRESSIVE.to_vec();
    for pair in damaged[start..end].chunks_exact_mut(2) {
        pair.copy_from_slice(&[0xFF, 0x00]);
    }
    let r = decode(&damaged, Some((w, h)), MAX, DecodeMode::Validate).unwrap();
    assert!(r.is_err(), "the upload path refuses it");
    let r = decode(&damaged, Some((w, h)), MAX, DecodeMode::OutputOnly).unwrap();
    assert_eq!(
        r.unwrap().pixels,
        all.pixels,
        "the thumbnail does not need it"
    );
    // At 1/4 scale the AC scans matter: decoded, and refused.
    let r = decode(&damaged, Some((w * 2, h * 2)), MAX, DecodeMode::OutputOnly).unwrap();
    assert!(r.is_err());
}
