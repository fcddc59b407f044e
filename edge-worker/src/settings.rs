//! The worker's configuration: `[vars]` of wrangler.toml and the
//! `ADMIN_TOKEN` and `SIGNING_KEY` secrets, turned into core's [`ServiceConfig`].
//!
//! The edge defaults are tighter than native ones because an isolate has
//! 128 MB for everything (JS heap, wasm memory that never shrinks, request
//! and response bodies), and an input within the limits must never exceed
//! it. See docs/benchmarks.md, "Edge (workerd)", for the measurements
//! behind them.

use mediakit_core::auth;
use mediakit_core::config::{Limits, ServiceConfig};
use mediakit_core::rendition::SigningKey;

/// 20 MiB: videos and documents are stored as sent, and the body's bytes
/// cost about three times their size in wasm memory while they arrive.
pub const EDGE_MAX_UPLOAD_BYTES: u64 = 20 * 1024 * 1024;

/// 25 MP: the header-level guard against decompression bombs. What
/// actually bounds memory is [`EDGE_MAX_IMAGE_MEMORY_MB`].
pub const EDGE_MAX_PIXELS: u64 = 25_000_000;

/// 120 MB: the budget for processing one image, checked against the image
/// crate's estimate from the header (`Parsed::processing_memory`: format, pixels,
/// JPEG progressive mode and chroma sampling, file size), which is fitted
/// as an upper bound to the wasm memory measured under workerd. It leaves
/// the rest of the isolate's 128 MiB to the JS heap. A 12 MP baseline JPEG
/// (about 85 MB) or progressive one (105–115 MB) fits; the same pixels as
/// an RGBA PNG (about 185 MB) do not: up to about 7 MP do.
/// `scripts/measure-edge-upload --peaks` re-measures the model.
pub const EDGE_MAX_IMAGE_MEMORY_MB: u64 = 120;

/// Uploads that may wait for room in the isolate's memory budget at once.
/// An isolate serves requests concurrently, but its budget fits about one
/// image at a time: a few may wait, more get 503 at once.
pub const EDGE_UPLOAD_QUEUE: u64 = 4;

/// How long an upload waits for room before it gets 503.
pub const EDGE_UPLOAD_QUEUE_WAIT_MS: u64 = 3_000;

/// Names of the variables, as in wrangler.toml.
pub const MAX_UPLOAD_BYTES: &str = "MAX_UPLOAD_BYTES";
pub const MAX_PIXELS: &str = "MAX_PIXELS";
pub const MAX_IMAGE_MEMORY_MB: &str = "MAX_IMAGE_MEMORY_MB";
pub const UPLOAD_QUEUE: &str = "UPLOAD_QUEUE";
pub const UPLOAD_QUEUE_WAIT_MS: &str = "UPLOAD_QUEUE_WAIT_MS";
pub const RETENTION_DAYS: &str = "RETENTION_DAYS";
pub const UPLOADS_ENABLED: &str = "UPLOADS_ENABLED";
pub const ADMIN_TOKEN: &str = "ADMIN_TOKEN";
/// The key rendition URLs are signed with (at least 32 characters). Without
/// it the key is derived from `ADMIN_TOKEN` (so rotating that secret
/// invalidates every signed URL); without either, renditions are off.
pub const SIGNING_KEY: &str = "SIGNING_KEY";
/// `"on"` serves the conformance and memory routes (`ci` environment only).
pub const TEST_ROUTES: &str = "TEST_ROUTES";

/// Everything read from the environment.
#[derive(Debug, Clone)]
pub struct EdgeSettings {
    pub service: ServiceConfig,
    pub budget: EdgeBudget,
    pub test_routes: bool,
}

/// The isolate's memory budget for uploads (core's `admission::Budget`,
/// one per isolate, shared by its concurrent requests). Its size is
/// `MAX_IMAGE_MEMORY_MB`: the memory an isolate gives to uploads, so an
/// image alone may use all of it, and two at once must take turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeBudget {
    pub total_bytes: u64,
    pub queue: usize,
    pub queue_wait_ms: u64,
}

/// Reads the settings through `var` (a variable or secret by name; `None`
/// when unset). A malformed value is an error naming the variable, never a
/// silent fallback to a default.
pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<EdgeSettings, String> {
    let number = |name: &str, default: u64| -> Result<u64, String> {
        match var(name) {
            None => Ok(default),
            Some(v) => match v.trim().replace('_', "").parse::<u64>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!("{name} must be a positive whole number, not {v:?}")),
            },
        }
    };
    let flag = |name: &str, default: bool| -> Result<bool, String> {
        match var(name).as_deref().map(str::trim) {
            None => Ok(default),
            Some("true" | "on" | "1") => Ok(true),
            Some("false" | "off" | "0") => Ok(false),
            Some(other) => Err(format!("{name} must be true or false, not {other:?}")),
        }
    };

    let retention_days = number(RETENTION_DAYS, 30)?;
    let static_admin_token_hash = match var(ADMIN_TOKEN) {
        None => None,
        Some(secret) => {
            let secret = secret.trim();
            if !auth::looks_like_token(secret) {
                return Err(format!(
                    "the {ADMIN_TOKEN} secret must look like a mediakit token: `mk_` and 43 \
                     base64url characters (see README, Edge)"
                ));
            }
            Some(auth::token_hash(secret))
        }
    };
    let signing_key = match (var(SIGNING_KEY), var(ADMIN_TOKEN)) {
        (Some(key), _) => Some(
            SigningKey::new(key.trim().as_bytes().to_vec())
                .map_err(|_| format!("the {SIGNING_KEY} secret must be at least 32 characters"))?,
        ),
        (None, Some(token)) => Some(SigningKey::derived_from(token.trim())),
        (None, None) => None,
    };
    let service = ServiceConfig {
        signing_key,
        limits: Limits {
            max_upload_bytes: number(MAX_UPLOAD_BYTES, EDGE_MAX_UPLOAD_BYTES)?,
            max_pixels: number(MAX_PIXELS, EDGE_MAX_PIXELS)?,
            max_processing_memory: number(MAX_IMAGE_MEMORY_MB, EDGE_MAX_IMAGE_MEMORY_MB)?
                .saturating_mul(1_000_000),
            // Kept for symmetry only: a Worker's clock (`Date.now()`) stands
            // still while code runs without I/O, so an image job never sees
            // it pass; the platform's own CPU limit per request ends one.
            image_deadline_ms: Limits::default().image_deadline_ms,
        },
        retention_ms: i64::try_from(retention_days.saturating_mul(24 * 3600 * 1000))
            .map_err(|_| format!("{RETENTION_DAYS} is too large"))?,
        uploads_enabled: flag(UPLOADS_ENABLED, true)?,
        static_admin_token_hash,
        ..ServiceConfig::default()
    };
    let budget = EdgeBudget {
        total_bytes: service.limits.max_processing_memory,
        queue: usize::try_from(number(UPLOAD_QUEUE, EDGE_UPLOAD_QUEUE)?).unwrap_or(usize::MAX),
        queue_wait_ms: number(UPLOAD_QUEUE_WAIT_MS, EDGE_UPLOAD_QUEUE_WAIT_MS)?,
    };
    // Request bodies may hold half the budget: a body at the limit must fit.
    if budget.total_bytes / 2 < service.limits.max_upload_bytes {
        return Err(format!(
            "{MAX_IMAGE_MEMORY_MB} must be at least twice {MAX_UPLOAD_BYTES}: request bodies \
             may hold half of the memory budget"
        ));
    }
    Ok(EdgeSettings {
        service,
        budget,
        test_routes: flag(TEST_ROUTES, false)?,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<EdgeSettings, String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        from_vars(|name| map.get(name).cloned())
    }

    #[test]
    fn unset_means_the_edge_defaults() {
        let s = read(&[]).unwrap();
        assert_eq!(s.service.limits.max_upload_bytes, EDGE_MAX_UPLOAD_BYTES);
        assert_eq!(s.service.limits.max_pixels, EDGE_MAX_PIXELS);
        assert_eq!(s.service.limits.max_processing_memory, 120_000_000);
        assert!(s.service.uploads_enabled);
        assert_eq!(s.service.static_admin_token_hash, None);
        assert!(!s.test_routes);
        assert_eq!(s.service.retention_ms, 30 * 24 * 3600 * 1000);
        assert_eq!(
            s.budget,
            EdgeBudget {
                total_bytes: 120_000_000,
                queue: 4,
                queue_wait_ms: 3_000,
            }
        );
    }

    #[test]
    fn the_budget_comes_from_the_image_memory_and_must_hold_a_body() {
        let s = read(&[
            (MAX_IMAGE_MEMORY_MB, "100"),
            (UPLOAD_QUEUE, "1"),
            (UPLOAD_QUEUE_WAIT_MS, "250"),
        ])
        .unwrap();
        assert_eq!(
            (s.budget.total_bytes, s.budget.queue, s.budget.queue_wait_ms),
            (100_000_000, 1, 250)
        );
        let err = read(&[(MAX_IMAGE_MEMORY_MB, "40")]).unwrap_err();
        assert!(err.contains(MAX_IMAGE_MEMORY_MB), "{err}");
    }

    #[test]
    fn vars_set_limits_and_the_admin_token() {
        let token = auth::token_secret([3; 32]);
        let s = read(&[
            (MAX_UPLOAD_BYTES, "5_242_880"),
            (MAX_PIXELS, " 12000000 "),
            (MAX_IMAGE_MEMORY_MB, "64"),
            (UPLOADS_ENABLED, "false"),
            (RETENTION_DAYS, "7"),
            (ADMIN_TOKEN, &format!("{token}\n")),
            (TEST_ROUTES, "on"),
        ])
        .unwrap();
        assert_eq!(s.service.limits.max_upload_bytes, 5 * 1024 * 1024);
        assert_eq!(s.service.limits.max_pixels, 12_000_000);
        assert_eq!(s.service.limits.max_processing_memory, 64_000_000);
        assert!(!s.service.uploads_enabled);
        assert_eq!(s.service.retention_ms, 7 * 24 * 3600 * 1000);
        assert_eq!(
            s.service.static_admin_token_hash.as_deref(),
            Some(auth::token_hash(&token).as_str())
        );
        assert!(s.test_routes);
    }

    #[test]
    fn malformed_values_are_errors_that_name_the_variable() {
        for (name, value) in [
            (MAX_UPLOAD_BYTES, "20MB"),
            (MAX_PIXELS, "0"),
            (MAX_PIXELS, "-1"),
            (MAX_IMAGE_MEMORY_MB, "120MB"),
            (UPLOAD_QUEUE, "-1"),
            (UPLOAD_QUEUE_WAIT_MS, "soon"),
            (UPLOADS_ENABLED, "yes please"),
            (ADMIN_TOKEN, "hunter2"),
        ] {
            let err = read(&[(name, value)]).unwrap_err();
            assert!(err.contains(name), "{err}");
        }
    }
}
