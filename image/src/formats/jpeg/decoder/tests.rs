//! The decoder against an independent one (zune-jpeg through `image`) on
//! the fixtures: baseline, progressive, grey, rotated, 4:2:0 and 4:4:4;
//! and on forged scans that would make it work without bound.

use crate::decoded::{DecodeMode, DecodeRequest, Decoded};
use crate::error::{ErrorKind, Result};
use crate::format::Container;
use crate::formats::jpeg::Jpeg;
use crate::limits::{Limits, NoDeadline};
use crate::tests::{JPEG_800, JPEG_GRAY, JPEG_ORIENT6, JPEG_PROGRESSIVE, forge, psnr, reference};

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
        limits: Limits {
            max_pixels,
            ..Limits::default()
        },
        shrink_to,
        mode,
        deadline: &NoDeadline,
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

/// Our decoder on `bytes` at full scale, with the default limits.
fn full(bytes: &[u8]) -> Result<Decoded> {
    decode(bytes, None, MAX, DecodeMode::Validate).expect("supported")
}

fn corrupt_message(r: Result<Decoded>) -> String {
    let e = r.err().expect("refused");
    assert_eq!(e.kind, ErrorKind::Corrupt, "{e}");
    e.message
}

#[test]
fn an_end_of_band_run_is_stepped_over_not_walked() {
    // 256 × 256 blocks; the AC scan is three symbols (32,767 + 32,767 + 2
    // blocks).
    let jpeg = forge::progressive_eob_runs(2048, 2048, 1);
    super::blocks::AC_FIRST_CALLS.with(|c| c.set(0));
    let decoded = full(&jpeg).expect("a valid progressive JPEG");
    let calls = super::blocks::AC_FIRST_CALLS.with(std::cell::Cell::get);
    assert_eq!((decoded.pixels.width, decoded.pixels.height), (2048, 2048));
    assert!(
        decoded.pixels.data.iter().all(|&v| v == 128),
        "all mid-grey"
    );
    assert_eq!(calls, 3, "one block decoded per run, not 65,536");
    // The same pixels as an independent decoder.
    assert_eq!(decoded.pixels.data, reference(&jpeg).to_luma8().into_raw());
}

#[test]
fn ac_coefficients_above_category_10_are_corrupt() {
    // Two 16-bit codes with 15 extra bits each: more than one refill of
    // the bit reader holds.
    let message = corrupt_message(full(&forge::baseline_category_15()));
    assert!(message.contains("category 15"), "{message}");
    let message = corrupt_message(full(&forge::progressive_category_15()));
    assert!(message.contains("category 15"), "{message}");
}

/// A scan's Ss, Se, Ah and Al.
type Params = (u8, u8, u8, u8);

#[test]
fn scans_must_advance_a_valid_progression() {
    // libjpeg's default script shape: DC then AC bands with successive
    // approximation, each coefficient refined down to Al 0.
    let valid = [
        (0, 0, 0, 1),
        (1, 5, 0, 2),
        (6, 63, 0, 2),
        (1, 63, 2, 1),
        (0, 0, 1, 0),
        (1, 63, 1, 0),
    ];
    full(&forge::progressive(64, 64, &valid)).expect("a valid progression");

    let refused: [(&[Params], &str); 5] = [
        (
            &[(0, 0, 0, 0), (1, 63, 0, 0), (1, 63, 0, 0)],
            "scan 3 is not a valid step of the progression: it codes coefficient 1 of \
             component 1 again after its last bit",
        ),
        (
            &[(1, 63, 0, 0)],
            "AC coefficients of component 1 before its DC coefficient",
        ),
        (
            &[(0, 0, 0, 2), (0, 0, 2, 0)],
            "a refinement lowers the point transform by one bit (Ah 2, Al 0)",
        ),
        (
            &[(0, 0, 0, 2), (1, 63, 0, 0), (0, 0, 1, 0)],
            "coefficient 0 of component 1 was coded down to Al 2, the scan says Ah 1",
        ),
        (
            &[(0, 0, 0, 0), (1, 63, 1, 0)],
            "it refines coefficient 1 of component 1 (Ah 1) before coding it",
        ),
    ];
    for (scans, expected) in refused {
        let message = corrupt_message(full(&forge::progressive(64, 64, scans)));
        assert!(message.contains(expected), "{scans:?}: {message}");
    }
}

/// Found by the `jpeg_differential` fuzz target: a baseline colour frame
/// whose scans never code component 2 (and carry progressive parameters,
/// which sequential decoding ignores, as libjpeg does).
/// zune-jpeg and this decoder filled the missing data in differently.
const NO_SCAN_FOR_A_COMPONENT: &[u8] = include_bytes!(
    "../../../../../fuzz/regressions/jpeg_differential/baseline-scans-without-a-component.jpg"
);

#[test]
fn every_component_needs_a_scan() {
    let message = corrupt_message(full(NO_SCAN_FOR_A_COMPONENT));
    assert!(message.contains("component 2 has no scan"), "{message}");
    // Its scans' odd parameters are not why: mended, the file is refused
    // all the same.
    let mut mended = NO_SCAN_FOR_A_COMPONENT.to_vec();
    let mut at = 0;
    while let Some(i) = mended[at..].windows(2).position(|w| w == [0xFF, 0xDA]) {
        let sos = at + i;
        let len = usize::from(u16::from_be_bytes([mended[sos + 2], mended[sos + 3]]));
        mended[sos + 2 + len - 3..sos + 2 + len].copy_from_slice(&[0, 63, 0]);
        at = sos + 2;
    }
    let message = corrupt_message(full(&mended));
    assert!(message.contains("component 2 has no scan"), "{message}");
}
