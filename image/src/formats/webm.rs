//! WebM video: sniffed by its EBML header's DocType, stored as sent.

use crate::format::{Format, Parse, nothing_declared};

pub(crate) const FORMAT: Format = Format {
    name: "WebM",
    mime_type: "video/webm",
    extensions: &["webm"],
    sniff: is_webm,
    parse: Parse::Stored(nothing_declared),
};

/// An EBML document whose DocType is `webm` (plain Matroska is not accepted).
fn is_webm(b: &[u8]) -> bool {
    if !b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return false;
    }
    let Some((header_len, mut pos)) = read_vint(b, 4) else {
        return false;
    };
    let end = (pos + header_len as usize).min(b.len());
    while pos < end {
        // Element ids in the EBML header are two bytes long.
        let Some(id) = b.get(pos..pos + 2) else {
            return false;
        };
        let Some((len, data)) = read_vint(b, pos + 2) else {
            return false;
        };
        let data_end = data.saturating_add(len as usize);
        if id == [0x42, 0x82] {
            return b.get(data..data_end).is_some_and(|t| {
                let t = t.strip_suffix(&[0]).unwrap_or(t);
                t == b"webm"
            });
        }
        pos = data_end;
    }
    false
}

/// Reads an EBML variable-length integer at `pos`: (value, position after).
fn read_vint(b: &[u8], pos: usize) -> Option<(u64, usize)> {
    let first = *b.get(pos)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mut value = u64::from(first) & (0xFF >> len);
    for i in 1..len {
        value = (value << 8) | u64::from(*b.get(pos + i)?);
    }
    Some((value, pos + len))
}
