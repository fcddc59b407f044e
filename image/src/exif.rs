//! Just enough Exif (a TIFF structure) to read the Orientation tag, and to
//! write a block that holds nothing but it: the only Exif field an original
//! keeps, because browsers need it to show the photo upright.

use crate::endian::{be16, be32};

/// The prefix of an Exif APP1 segment in JPEG. PNG eXIf and WebP EXIF hold
/// the TIFF data bare, but some writers add the prefix there too.
pub(crate) const EXIF_PREFIX: &[u8] = b"Exif\0\0";

const TAG_ORIENTATION: u16 = 0x0112;
const TYPE_SHORT: u16 = 3;

/// The EXIF orientation (1..=8) in `data`, 1 when absent or invalid.
pub(crate) fn orientation(data: &[u8]) -> u8 {
    let tiff = data.strip_prefix(EXIF_PREFIX).unwrap_or(data);
    read_orientation(tiff)
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1)
}

fn read_orientation(t: &[u8]) -> Option<u8> {
    let big_endian = match t.get(0..4)? {
        b"MM\0*" => true,
        b"II*\0" => false,
        _ => return None,
    };
    let u16_at = |at: usize| be16(t, at).map(|v| if big_endian { v } else { v.swap_bytes() });
    let u32_at = |at: usize| be32(t, at).map(|v| if big_endian { v } else { v.swap_bytes() });

    let ifd0 = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd0)?);
    for n in 0..count {
        let entry = ifd0.checked_add(2)?.checked_add(n * 12)?;
        if u16_at(entry)? != TAG_ORIENTATION {
            continue;
        }
        // A SHORT value of count 1 sits in the first two bytes of the value field.
        if u16_at(entry + 2)? != TYPE_SHORT || u32_at(entry + 4)? == 0 {
            return None;
        }
        return u8::try_from(u16_at(entry + 8)?).ok();
    }
    None
}

/// A TIFF structure with one IFD holding only Orientation (26 bytes).
pub(crate) fn minimal_tiff(orientation: u8) -> Vec<u8> {
    let mut t = Vec::with_capacity(26);
    t.extend_from_slice(b"MM\0*");
    t.extend_from_slice(&8u32.to_be_bytes()); // IFD0 right after the header
    t.extend_from_slice(&1u16.to_be_bytes()); // one entry
    t.extend_from_slice(&TAG_ORIENTATION.to_be_bytes());
    t.extend_from_slice(&TYPE_SHORT.to_be_bytes());
    t.extend_from_slice(&1u32.to_be_bytes()); // count
    t.extend_from_slice(&u16::from(orientation).to_be_bytes());
    t.extend_from_slice(&[0, 0]); // value field padding
    t.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_block_round_trips_every_orientation() {
        for o in 1..=8 {
            let t = minimal_tiff(o);
            assert_eq!(t.len(), 26);
            assert_eq!(orientation(&t), o);
            let mut prefixed = EXIF_PREFIX.to_vec();
            prefixed.extend_from_slice(&t);
            assert_eq!(orientation(&prefixed), o);
        }
    }

    #[test]
    fn little_endian_is_read() {
        let mut t = b"II*\0".to_vec();
        t.extend_from_slice(&8u32.to_le_bytes());
        t.extend_from_slice(&2u16.to_le_bytes());
        // An unrelated tag first (ImageWidth, LONG).
        t.extend_from_slice(&0x0100u16.to_le_bytes());
        t.extend_from_slice(&4u16.to_le_bytes());
        t.extend_from_slice(&1u32.to_le_bytes());
        t.extend_from_slice(&640u32.to_le_bytes());
        t.extend_from_slice(&TAG_ORIENTATION.to_le_bytes());
        t.extend_from_slice(&TYPE_SHORT.to_le_bytes());
        t.extend_from_slice(&1u32.to_le_bytes());
        t.extend_from_slice(&[8, 0, 0, 0]);
        t.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(orientation(&t), 8);
    }

    #[test]
    fn garbage_and_out_of_range_values_mean_upright() {
        assert_eq!(orientation(b""), 1);
        assert_eq!(orientation(b"Exif\0\0MM\0*\xff\xff\xff\xff"), 1);
        let mut t = minimal_tiff(6);
        t[19] = 9; // value 9 is not an orientation
        assert_eq!(orientation(&t), 1);
        // The value ends at byte 20; any shorter block holds no orientation.
        for cut in 0..20 {
            let o = orientation(&minimal_tiff(6)[..cut]);
            assert_eq!(o, 1, "cut at {cut}");
        }
    }
}
