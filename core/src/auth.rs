//! Scoped API tokens. A token is `mk_` followed by 43 base64url characters
//! (32 random bytes). Only its SHA-256 is stored: the secret is shown once,
//! at creation. 256 bits of entropy make a fast hash sufficient (there is
//! nothing to brute-force, unlike passwords).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};

pub const TOKEN_PREFIX: &str = "mk_";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Read,
    Upload,
    Edit,
    Delete,
    /// Reading the server's Prometheus metrics (`GET /metrics`), and
    /// nothing else: for scrapers.
    Metrics,
    /// Everything, including token management.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 6] = [
        Scope::Read,
        Scope::Upload,
        Scope::Edit,
        Scope::Delete,
        Scope::Metrics,
        Scope::Admin,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "media:read",
            Scope::Upload => "media:upload",
            Scope::Edit => "media:edit",
            Scope::Delete => "media:delete",
            Scope::Metrics => "metrics",
            Scope::Admin => "admin",
        }
    }

    /// The CMS dialect's name for the scope (its seed's permission), which
    /// is accepted wherever a scope name is.
    pub const fn permission(self) -> Option<&'static str> {
        match self {
            Scope::Read => Some("view-media"),
            Scope::Upload => Some("add-media"),
            Scope::Edit => Some("edit-media"),
            Scope::Delete => Some("delete-media"),
            Scope::Metrics | Scope::Admin => None,
        }
    }

    /// Parses a scope name, including the CMS dialect's permission names.
    pub fn parse(s: &str) -> Option<Scope> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s || scope.permission() == Some(s))
    }

    /// Parses a comma-separated list; unknown names are an error (a typo must
    /// not silently create a weaker token).
    pub fn parse_list(s: &str) -> Result<Vec<Scope>> {
        let mut scopes: Vec<Scope> = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let scope = Scope::parse(part).ok_or_else(|| {
                Error::invalid(format!(
                    "unknown scope `{part}`; known: media:read, media:upload, media:edit, media:delete, metrics, admin"
                ))
            })?;
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        if scopes.is_empty() {
            return Err(Error::invalid("a token needs at least one scope"));
        }
        scopes.sort();
        Ok(scopes)
    }
}

/// Who is calling: the token's id and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub token_id: String,
    pub scopes: Vec<Scope>,
}

impl Principal {
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&Scope::Admin) || self.scopes.contains(&scope)
    }

    /// `Forbidden` unless the principal has one of `any_of`.
    pub fn require_any(&self, any_of: &[Scope]) -> Result<()> {
        if any_of.iter().any(|&s| self.has(s)) {
            return Ok(());
        }
        let names: Vec<&str> = any_of.iter().map(|s| s.as_str()).collect();
        Err(Error::new(
            ErrorCode::Forbidden,
            format!(
                "this token lacks the required scope ({})",
                names.join(" or ")
            ),
        ))
    }

    pub fn require(&self, scope: Scope) -> Result<()> {
        self.require_any(&[scope])
    }
}

/// Builds the secret from 32 random bytes.
pub fn token_secret(random: [u8; 32]) -> String {
    format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(random))
}

/// The stored form of a secret.
pub fn token_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The token id of the static admin token (see [`static_admin`]); it is what
/// `uploaded_by` records for uploads made with it.
pub const STATIC_ADMIN_ID: &str = "static-admin";

/// The admin principal when `secret` is the static admin token whose hash is
/// `expected_hash` (`ServiceConfig::static_admin_token_hash`). The hashes
/// are compared in constant time so that response timing says nothing about
/// how close a guess was.
pub fn static_admin(secret: &str, expected_hash: Option<&str>) -> Option<Principal> {
    let expected = expected_hash?.as_bytes();
    let presented = token_hash(secret);
    let presented = presented.as_bytes();
    if presented.len() != expected.len() {
        return None;
    }
    let diff = presented
        .iter()
        .zip(expected)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    (diff == 0).then(|| Principal {
        token_id: STATIC_ADMIN_ID.to_owned(),
        scopes: vec![Scope::Admin],
    })
}

/// Whether a presented string has the shape of a token (checked before any
/// lookup so that junk never reaches the catalog).
pub fn looks_like_token(s: &str) -> bool {
    s.len() == TOKEN_PREFIX.len() + 43
        && s.starts_with(TOKEN_PREFIX)
        && s[TOKEN_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_with_cms_names_and_reject_typos() {
        assert_eq!(
            Scope::parse_list("media:read, add-media,media:read").unwrap(),
            vec![Scope::Read, Scope::Upload]
        );
        assert!(Scope::parse_list("media:raed").is_err());
        assert!(Scope::parse_list(" , ").is_err());
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
        }
        for (name, scope) in [
            ("view-media", Scope::Read),
            ("add-media", Scope::Upload),
            ("edit-media", Scope::Edit),
            ("delete-media", Scope::Delete),
        ] {
            assert_eq!(Scope::parse(name), Some(scope));
            assert_eq!(scope.permission(), Some(name));
        }
    }

    #[test]
    fn admin_implies_everything() {
        let admin = Principal {
            token_id: "t".into(),
            scopes: vec![Scope::Admin],
        };
        let reader = Principal {
            token_id: "r".into(),
            scopes: vec![Scope::Read],
        };
        for s in Scope::ALL {
            assert!(admin.has(s));
        }
        assert!(reader.require(Scope::Read).is_ok());
        assert_eq!(
            reader.require(Scope::Delete).unwrap_err().code,
            ErrorCode::Forbidden
        );
        assert!(reader.require_any(&[Scope::Upload, Scope::Read]).is_ok());
    }

    #[test]
    fn the_static_admin_token_matches_only_its_own_hash() {
        let secret = token_secret([9; 32]);
        let hash = token_hash(&secret);
        let admin = static_admin(&secret, Some(&hash)).expect("its own hash");
        assert_eq!(admin.token_id, STATIC_ADMIN_ID);
        assert!(admin.has(Scope::Admin));
        assert_eq!(static_admin(&token_secret([8; 32]), Some(&hash)), None);
        assert_eq!(static_admin(&secret, None), None, "off unless configured");
        assert_eq!(static_admin(&secret, Some("")), None);
        assert_eq!(static_admin(&secret, Some(&hash.to_uppercase())), None);
    }

    #[test]
    fn secrets_have_a_checkable_shape() {
        let s = token_secret([7; 32]);
        assert!(looks_like_token(&s), "{s}");
        assert!(!looks_like_token("mk_short"));
        assert!(!looks_like_token(&s.replace("mk_", "xx_")));
        assert_eq!(token_hash(&s).len(), 64);
        assert_ne!(token_hash(&s), token_hash(&token_secret([8; 32])));
    }
}
