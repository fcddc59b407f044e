//! Output formats and encoder settings of variants.

/// Whether this build encodes AVIF.
const AVIF: bool = cfg!(all(feature = "avif", not(target_arch = "wasm32")));

/// The formats variants are encoded in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Jpeg,
    Png,
    Webp,
    /// Native builds only ([`Self::encodable`]).
    Avif,
}

impl OutputFormat {
    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Avif => "image/avif",
        }
    }

    /// The extension of stored variant names.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Avif => "avif",
        }
    }

    /// Whether this build can encode the format: AVIF natively, with the
    /// `avif` feature (the native server's), only.
    pub const fn encodable(self) -> bool {
        !matches!(self, Self::Avif) || AVIF
    }

    /// The formats a server may pick for a client by its `Accept`, best
    /// first: AVIF, then WebP, where this build encodes them lossily
    /// (natively). A wasm32 build offers none: its WebP is lossless, which
    /// makes photos larger than their JPEG, not smaller.
    pub const NEGOTIABLE: &[OutputFormat] = if cfg!(target_arch = "wasm32") {
        &[]
    } else if AVIF {
        &[Self::Avif, Self::Webp]
    } else {
        &[Self::Webp]
    };

    /// "jpeg"/"jpg"/"png"/"webp", in any letter case.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "jpeg" | "jpg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            "avif" => Some(Self::Avif),
            _ => None,
        }
    }
}

/// How variants are encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeSettings {
    /// `None` = automatic: JPEG for opaque images, PNG for images with alpha.
    /// WebP output is lossy (libwebp) in native builds and lossless in
    /// wasm32 builds, which have no lossy WebP encoder.
    pub format: Option<OutputFormat>,
    /// JPEG and lossy WebP quality 1..=100 (values outside are clamped);
    /// lossless formats ignore it.
    pub quality: u8,
}

impl Default for EncodeSettings {
    fn default() -> Self {
        Self {
            format: None,
            quality: 80,
        }
    }
}

impl EncodeSettings {
    /// The format for an image that does (or does not) have alpha.
    pub(crate) fn format_for(&self, has_alpha: bool) -> OutputFormat {
        self.format.unwrap_or(if has_alpha {
            OutputFormat::Png
        } else {
            OutputFormat::Jpeg
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_and_accepts_jpeg() {
        for f in [
            OutputFormat::Jpeg,
            OutputFormat::Png,
            OutputFormat::Webp,
            OutputFormat::Avif,
        ] {
            assert_eq!(OutputFormat::parse(f.extension()), Some(f));
            assert!(
                f.mime_type()
                    .ends_with(f.extension().replace("jpg", "jpeg").as_str())
            );
        }
        assert_eq!(OutputFormat::parse("JPEG"), Some(OutputFormat::Jpeg));
        assert_eq!(OutputFormat::parse("gif"), None);
    }

    #[test]
    fn automatic_format_follows_alpha() {
        let auto = EncodeSettings::default();
        assert_eq!(auto.quality, 80);
        assert_eq!(auto.format_for(false), OutputFormat::Jpeg);
        assert_eq!(auto.format_for(true), OutputFormat::Png);
        let webp = EncodeSettings {
            format: Some(OutputFormat::Webp),
            ..auto
        };
        assert_eq!(webp.format_for(false), OutputFormat::Webp);
    }
}
