//! The walk, the index it leaves, stripping from the index, and that an
//! upload walks the file once.

use bytes::Bytes;

use super::segments::{ENTROPY_CODED, EOI, SOI, SOS, WALKS, walk};
use super::*;
use crate::parsed::Parsed;
use crate::tests::{JPEG_800, JPEG_GRAY, JPEG_ORIENT6, JPEG_PROGRESSIVE, preset_variants};

/// SOI, a frame header, a scan with stuffed bytes and a restart marker, EOI.
fn tiny() -> Vec<u8> {
    let mut j = vec![0xFF, SOI];
    j.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0, 16, 0, 32, 1, 1, 0x11, 0]);
    j.extend_from_slice(&[0xFF, SOS, 0, 8, 1, 1, 0, 0, 63, 0]);
    j.extend_from_slice(&[1, 2, 0xFF, 0x00, 3, 0xFF, 0xD0, 4, 0xFF, 0xFF, 0xFF, EOI]);
    j
}

fn check_complete(bytes: &[u8]) -> Result<()> {
    Jpeg::parse(bytes).and_then(|(_, jpeg)| jpeg.completeness())
}

fn strip(bytes: &[u8], orientation: u8) -> Vec<u8> {
    let (mut header, jpeg) = Jpeg::parse(bytes).unwrap();
    jpeg.completeness().unwrap();
    header.orientation = orientation;
    jpeg.strip(bytes, &header).unwrap()
}

#[test]
fn walks_scans_and_finds_eoi() {
    let j = tiny();
    check_complete(&j).unwrap();
    let (header, jpeg) = Jpeg::parse(&j).unwrap();
    let markers: Vec<u8> = jpeg.segments(&j).map(|s| s.marker).collect();
    assert_eq!(markers, vec![0xC0, SOS, ENTROPY_CODED, EOI]);
    assert_eq!((header.width, header.height), (32, 16));
}

#[test]
fn extraneous_bytes_before_a_marker_are_skipped_and_dropped() {
    let j = tiny();
    let mut padded = j[..2].to_vec();
    padded.extend_from_slice(&[0, 0, 0xFF, 0x00, 7]);
    padded.extend_from_slice(&j[2..]);
    check_complete(&padded).unwrap();
    assert_eq!(strip(&padded, 1), j);
}

#[test]
fn every_truncation_is_an_error() {
    let j = tiny();
    for cut in 0..j.len() {
        assert!(check_complete(&j[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn strip_keeps_structure() {
    let j = tiny();
    assert_eq!(strip(&j, 1), j);
    let rotated = strip(&j, 6);
    assert_eq!(Jpeg::parse(&rotated).unwrap().0.orientation, 6);
    check_complete(&rotated).unwrap();
}

/// The segments the walk yields, as (marker, body position, body length);
/// standalone markers, which have no body in the file, at position 0.
fn walked(bytes: &[u8]) -> Vec<(u8, usize, usize)> {
    walk(bytes)
        .unwrap()
        .map(|s| {
            let (start, s) = s.unwrap();
            let at = if s.body.is_empty() { 0 } else { start };
            (s.marker, at, s.body.len())
        })
        .collect()
}

/// The segments the index yields, in the same form.
fn indexed(bytes: &[u8]) -> Vec<(u8, usize, usize)> {
    let (_, jpeg) = Jpeg::parse(bytes).unwrap();
    jpeg.segments(bytes)
        .map(|s| {
            let at = if s.body.is_empty() {
                0
            } else {
                s.body.as_ptr() as usize - bytes.as_ptr() as usize
            };
            (s.marker, at, s.body.len())
        })
        .collect()
}

#[test]
fn the_index_gives_back_exactly_what_the_walk_saw() {
    let mut padded = tiny();
    // Fill bytes before a marker and a stray restart marker between segments.
    padded.splice(2..2, [0xFF, 0xFF, 0xFF, 0xD3]);
    for bytes in [
        JPEG_800,
        JPEG_PROGRESSIVE,
        JPEG_GRAY,
        JPEG_ORIENT6,
        &tiny(),
        &padded,
    ] {
        assert_eq!(walked(bytes), indexed(bytes));
    }
}

#[test]
fn an_upload_walks_the_jpeg_once() {
    for bytes in [JPEG_800, JPEG_PROGRESSIVE, JPEG_ORIENT6] {
        WALKS.with(|walks| walks.set(0));
        let parsed = Parsed::parse(Bytes::from_static(bytes)).unwrap();
        // Everything an upload asks of it: the header and the memory estimate
        // (validation), the variants (decoding), the stripped original.
        assert!(parsed.header().is_some() && parsed.processing_memory().is_some());
        preset_variants(&parsed);
        parsed.strip_metadata().unwrap();
        assert_eq!(WALKS.with(std::cell::Cell::get), 1);
    }
}

#[test]
fn planes_follow_the_chroma_sampling() {
    assert_eq!(coefficient_planes_x2(&[(1, 1), (1, 1), (1, 1)]), 6);
    assert_eq!(coefficient_planes_x2(&[(2, 2), (1, 1), (1, 1)]), 3);
    assert_eq!(coefficient_planes_x2(&[(2, 1), (1, 1), (1, 1)]), 4);
    assert_eq!(coefficient_planes_x2(&[(1, 1)]), 2);
    assert_eq!(coefficient_planes_x2(&[]), 0);
}
