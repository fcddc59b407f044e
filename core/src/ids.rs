//! Identifiers built from injected time and entropy (core owns no clock and
//! no random source).

use crate::time::Millis;

/// A UUIDv7: 48 bits of Unix milliseconds, then random bits. Time-ordered,
/// so ids sort roughly by creation and index well.
pub fn uuid_v7(now: Millis, random: [u8; 10]) -> String {
    let ms = u64::try_from(now).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(ms, &random)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// Parses and normalises (lowercase, hyphenated) a UUID given by a client.
/// Anything that is not a UUID is `None`, so it never reaches storage keys.
pub fn parse_uuid(s: &str) -> Option<String> {
    if s.len() != 36 {
        return None;
    }
    uuid::Uuid::try_parse(s)
        .ok()
        .map(|u| u.hyphenated().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_is_time_ordered_and_versioned() {
        let a = uuid_v7(1_700_000_000_000, [0xff; 10]);
        let b = uuid_v7(1_700_000_000_001, [0x00; 10]);
        assert!(a < b, "{a} < {b}");
        assert_eq!(&a[14..15], "7");
        let variant = u8::from_str_radix(&a[19..20], 16).unwrap();
        assert_eq!(variant & 0b1100, 0b1000);
    }

    #[test]
    fn parse_rejects_non_uuids_and_path_tricks() {
        let id = uuid_v7(1, [7; 10]);
        assert_eq!(parse_uuid(&id), Some(id.clone()));
        assert_eq!(parse_uuid(&id.to_uppercase()), Some(id));
        assert_eq!(parse_uuid("../../etc/passwd"), None);
        assert_eq!(parse_uuid("0195f0a4a0a07000800000000000000000"), None);
    }
}
