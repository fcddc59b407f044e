//! Renditions: an image at any size a page asks for, behind a signed URL.
//!
//! `POST /api/v1/media/{id}/url` (a token with `media:read`) answers a URL
//! `uploads/media/{id}/r/{signature}/{spec}[.{ext}]`, public like every
//! file URL. The spec names every parameter (`w640_h480_cover_q80_up`:
//! width, height, fit, quality, upscaling; the extension is the format,
//! none for "the best the browser accepts"), and the signature, an
//! HMAC-SHA256 of `{id}/{spec}[.{ext}]` under the server's key, covers all
//! of it: a changed parameter is a 403, so nobody can make the server
//! render sizes nobody signed (the amplification imgproxy and thumbor sign
//! their URLs against). Each spec has exactly one spelling, so one
//! rendition has one URL and one stored file.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
pub use mediakit_image::{Fit, OutputFormat, RenditionBox};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};
use crate::model::FocalPoint;

/// The largest width or height a rendition may have.
pub const MAX_RENDITION_SIDE: u32 = 4096;

/// Bytes of the HMAC kept in a URL: 128 bits, 22 base64url characters.
const SIGNATURE_BYTES: usize = 16;

/// What a client asks for; every field optional but one side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenditionRequest {
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `contain` (default), `cover` or `fill`.
    pub fit: Option<String>,
    /// `auto` (default), `jpeg`, `png`, `webp` or (natively) `avif`.
    pub format: Option<String>,
    /// 1..=100; the server's variant quality by default.
    pub quality: Option<u8>,
    pub upscale: bool,
}

/// A checked rendition request, every parameter resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenditionSpec {
    pub area: RenditionBox,
    pub quality: u8,
    /// `None`: chosen per request from `Accept` (WebP when accepted, else
    /// the image's base format).
    pub format: Option<OutputFormat>,
    /// The item's focal point when the URL was signed, for a `cover` of
    /// both sides (it is in the URL, so a new focal point makes new URLs
    /// and leaves the files of old ones as they were).
    pub focus: Option<FocalPoint>,
}

impl RenditionRequest {
    /// Checks every parameter (`invalid_request` naming the one that is
    /// wrong) and fills in the defaults.
    pub fn resolve(&self, default_quality: u8) -> Result<RenditionSpec> {
        let side = |name: &str, v: Option<u32>| match v {
            Some(0) => Err(invalid(format!("{name} must be at least 1"))),
            // Well-formed but over the limit: refused like an image with
            // too many pixels.
            Some(v) if v > MAX_RENDITION_SIDE => Err(Error::new(
                ErrorCode::ImageTooManyPixels,
                format!("{name} must be at most {MAX_RENDITION_SIDE}"),
            )),
            v => Ok(v),
        };
        let width = side("width", self.width)?;
        let height = side("height", self.height)?;
        if width.is_none() && height.is_none() {
            return Err(invalid("give a width, a height or both"));
        }
        let fit = match self.fit.as_deref() {
            None => Fit::Contain,
            Some(f) => {
                Fit::parse(f).ok_or_else(|| invalid("fit must be contain, cover or fill"))?
            }
        };
        let format = match self.format.as_deref() {
            None | Some("auto") => None,
            Some(f) => Some(
                OutputFormat::parse(f)
                    .filter(|f| f.encodable())
                    .ok_or_else(|| {
                        invalid(if OutputFormat::Avif.encodable() {
                            "format must be auto, jpeg, png, webp or avif"
                        } else {
                            "format must be auto, jpeg, png or webp (this server has no AVIF)"
                        })
                    })?,
            ),
        };
        let quality = match self.quality {
            None => default_quality,
            Some(q @ 1..=100) => q,
            Some(_) => return Err(invalid("quality must be from 1 to 100")),
        };
        Ok(RenditionSpec {
            area: RenditionBox {
                width,
                height,
                fit,
                upscale: self.upscale,
            },
            quality,
            format,
            focus: None,
        })
    }
}

impl RenditionSpec {
    /// Whether a focal point applies: a `cover` with both sides given.
    pub fn crops(&self) -> bool {
        self.area.fit == Fit::Cover && self.area.width.is_some() && self.area.height.is_some()
    }

    /// The spec with the item's focal point, where it applies.
    pub fn with_focus(self, focus: Option<FocalPoint>) -> Self {
        Self {
            focus: focus.filter(|_| self.crops()),
            ..self
        }
    }

    /// The spec as the last segment of its URL: `w640_h480_cover_q80[_up]`
    /// and `.jpg`/`.png`/`.webp` unless the format is automatic.
    pub fn file_name(&self) -> String {
        let mut parts = Vec::new();
        if let Some(w) = self.area.width {
            parts.push(format!("w{w}"));
        }
        if let Some(h) = self.area.height {
            parts.push(format!("h{h}"));
        }
        parts.push(self.area.fit.as_str().to_owned());
        parts.push(format!("q{}", self.quality));
        if let Some(f) = self.focus {
            parts.push(format!("f{}", f.to_text('x')));
        }
        if self.area.upscale {
            parts.push("up".to_owned());
        }
        let stem = parts.join("_");
        match self.format {
            Some(f) => format!("{stem}.{}", f.extension()),
            None => stem,
        }
    }

    /// The spec a URL's last segment names, if it is one [`Self::file_name`]
    /// writes (any other spelling is not a rendition URL).
    pub fn parse_file_name(name: &str) -> Option<Self> {
        let (stem, format) = match name.split_once('.') {
            Some((stem, ext)) => (stem, Some(OutputFormat::parse(ext)?)),
            None => (name, None),
        };
        let mut parts = stem.split('_').peekable();
        let mut number = |prefix: char| -> Option<Option<u32>> {
            match parts.peek() {
                Some(p) if p.starts_with(prefix) => {
                    let v = p[1..].parse::<u32>().ok()?;
                    parts.next();
                    Some(Some(v))
                }
                _ => Some(None),
            }
        };
        let width = number('w')?;
        let height = number('h')?;
        let fit = Fit::parse(parts.next()?)?;
        let quality = parts.next()?.strip_prefix('q')?.parse::<u8>().ok()?;
        let focus = match parts.peek().and_then(|p| p.strip_prefix('f')) {
            Some(point) => {
                let point = FocalPoint::parse_text(point, 'x')?;
                parts.next();
                Some(point)
            }
            None => None,
        };
        let upscale = match parts.next() {
            None => false,
            Some("up") => true,
            Some(_) => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        let spec = RenditionRequest {
            width,
            height,
            fit: Some(fit.as_str().to_owned()),
            format: format.map(|f| f.extension().to_owned()),
            quality: Some(quality),
            upscale,
        }
        .resolve(quality)
        .ok()?;
        if focus.is_some() && !spec.crops() {
            return None;
        }
        let spec = spec.with_focus(focus);
        // One spelling per spec: `w0640` or `jpeg` are not it.
        (spec.file_name() == name).then_some(spec)
    }
}

/// The server's secret for rendition URLs. Its bytes never leave it
/// (`Debug` shows none).
#[derive(Clone)]
pub struct SigningKey(Vec<u8>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

impl SigningKey {
    /// The shortest key accepted: 256 bits, as HMAC-SHA256 wants.
    pub const MIN_BYTES: usize = 32;

    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self> {
        let bytes = bytes.into();
        if bytes.len() < Self::MIN_BYTES {
            return Err(invalid(format!(
                "a signing key needs at least {} bytes",
                Self::MIN_BYTES
            )));
        }
        Ok(Self(bytes))
    }

    /// A key of its own derived from another secret (the edge's admin
    /// token, when it has no `SIGNING_KEY`): signatures never help anyone
    /// guess that secret.
    pub fn derived_from(secret: &str) -> Self {
        let derived = Sha256::new()
            .chain_update(b"mediakit rendition signing key\0")
            .chain_update(secret.as_bytes())
            .finalize();
        Self(derived.to_vec())
    }

    fn mac(&self, id: &str, file: &str) -> Hmac<Sha256> {
        // Any key length is valid for HMAC.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC takes keys of any length");
        mac.update(id.as_bytes());
        mac.update(b"/");
        mac.update(file.as_bytes());
        mac
    }

    /// The signature of the rendition `file` of media `id`.
    pub fn sign(&self, id: &str, file: &str) -> String {
        let tag = self.mac(id, file).finalize().into_bytes();
        URL_SAFE_NO_PAD.encode(&tag[..SIGNATURE_BYTES])
    }

    /// Whether `signature` is this key's for `file` of `id` (in constant
    /// time).
    pub fn verify(&self, id: &str, file: &str, signature: &str) -> bool {
        match URL_SAFE_NO_PAD.decode(signature) {
            Ok(tag) if tag.len() == SIGNATURE_BYTES => {
                self.mac(id, file).verify_truncated_left(&tag).is_ok()
            }
            _ => false,
        }
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(width: Option<u32>, height: Option<u32>) -> RenditionRequest {
        RenditionRequest {
            width,
            height,
            ..Default::default()
        }
    }

    #[test]
    fn specs_have_one_spelling_that_round_trips() {
        let spec = RenditionRequest {
            width: Some(640),
            height: Some(480),
            fit: Some("cover".into()),
            format: Some("webp".into()),
            quality: Some(70),
            upscale: true,
        }
        .resolve(80)
        .unwrap();
        assert_eq!(spec.file_name(), "w640_h480_cover_q70_up.webp");
        let auto = request(None, Some(200)).resolve(80).unwrap();
        assert_eq!(auto.file_name(), "h200_contain_q80");
        let focused = RenditionRequest {
            width: Some(300),
            height: Some(300),
            fit: Some("cover".into()),
            ..Default::default()
        }
        .resolve(80)
        .unwrap()
        .with_focus(Some(FocalPoint { x: 2500, y: 10000 }));
        assert_eq!(focused.file_name(), "w300_h300_cover_q80_f2500x10000");
        assert_eq!(
            auto.with_focus(Some(FocalPoint { x: 1, y: 1 })),
            auto,
            "contain has no focus"
        );
        for s in [spec, auto, focused] {
            assert_eq!(RenditionSpec::parse_file_name(&s.file_name()), Some(s));
        }
        for other in [
            "w0640_contain_q80",
            "w640_contain_q80.jpeg",
            "h200_w100_contain_q80",
            "w640_contain_q80_up_up",
            "w640_contain_q0",
            "w640_stretch_q80",
            "contain_q80",
            "w5000_contain_q80",
            "w640_contain_q80.gif",
            "w640_contain_q80_down",
            "w640_h480_contain_q80_f1x1",
            "w640_cover_q80_f1x1",
            "w640_h480_cover_q80_f10001x1",
            "w640_h480_cover_q80_f01x1",
            "w640_h480_cover_q80_up_f1x1",
        ] {
            assert_eq!(RenditionSpec::parse_file_name(other), None, "{other}");
        }
    }

    #[test]
    fn requests_are_checked_parameter_by_parameter() {
        let err = |r: RenditionRequest| r.resolve(80).unwrap_err().message;
        assert!(err(request(None, None)).contains("width, a height"));
        assert!(err(request(Some(0), None)).contains("width must be at least 1"));
        assert!(err(request(None, Some(4097))).contains("height must be at most 4096"));
        let bad_fit = RenditionRequest {
            fit: Some("stretch".into()),
            ..request(Some(9), None)
        };
        assert!(err(bad_fit).contains("fit must be"));
        let bad_format = RenditionRequest {
            format: Some("gif".into()),
            ..request(Some(9), None)
        };
        assert!(err(bad_format).contains("format must be"));
        let bad_quality = RenditionRequest {
            quality: Some(101),
            ..request(Some(9), None)
        };
        assert!(err(bad_quality).contains("quality"));
    }

    #[test]
    fn signatures_cover_the_id_and_every_parameter() {
        let key = SigningKey::new([7u8; 32]).unwrap();
        let sig = key.sign("id1", "w640_contain_q80.jpg");
        assert_eq!(sig.len(), 22);
        assert!(key.verify("id1", "w640_contain_q80.jpg", &sig));
        assert!(!key.verify("id2", "w640_contain_q80.jpg", &sig));
        assert!(!key.verify("id1", "w641_contain_q80.jpg", &sig));
        assert!(!key.verify("id1", "w640_contain_q80.png", &sig));
        assert!(!key.verify("id1", "w640_contain_q80.jpg", &sig[..21]));
        assert!(!key.verify("id1", "w640_contain_q80.jpg", "not base64!"));
        let other = SigningKey::new([8u8; 32]).unwrap();
        assert!(!other.verify("id1", "w640_contain_q80.jpg", &sig));
        assert!(SigningKey::new([1u8; 31]).is_err());
        assert_eq!(format!("{key:?}"), "SigningKey(..)");
    }
}
