//! Where metadata and blobs live: parsed from `--database` / `--storage`
//! values, printable without leaking secrets.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// A secret string whose `Debug`/`Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

/// The metadata database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// An embedded SQLite file (one instance).
    Sqlite(PathBuf),
    /// A Postgres URL (`postgres://user:password@host:port/db?sslmode=…`),
    /// shared by any number of instances.
    Postgres(Secret),
}

impl Database {
    /// `postgres://…`/`postgresql://…` is Postgres; `sqlite://PATH`,
    /// `sqlite:PATH` or a plain path is a SQLite file.
    pub fn parse(value: &str) -> anyhow::Result<Self> {
        let value = value.trim();
        anyhow::ensure!(!value.is_empty(), "the database setting is empty");
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            return Ok(Self::Postgres(Secret::new(value)));
        }
        let path = value
            .strip_prefix("sqlite://")
            .or_else(|| value.strip_prefix("sqlite:"))
            .unwrap_or(value);
        anyhow::ensure!(
            !path.contains("://"),
            "unsupported database {value:?}: use a SQLite file path or a postgres:// URL"
        );
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }
}

impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(p) => write!(f, "sqlite {}", p.display()),
            Self::Postgres(url) => f.write_str(&redact_url(url.expose())),
        }
    }
}

/// Replaces the password of `scheme://user:password@host…` with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            // Query parameters may carry a password too (`?password=`).
            let tail = match tail.split_once('?') {
                Some((path, _)) => format!("{path}?…"),
                None => tail.to_owned(),
            };
            format!("{scheme}://{user}{hidden}@{host}{tail}")
        }
        None => match tail.split_once('?') {
            Some((path, _)) => format!("{scheme}://{authority}{path}?…"),
            None => url.to_owned(),
        },
    }
}

/// Connection settings of an S3-compatible service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3Settings {
    /// `None` for AWS itself (the regional endpoint); otherwise e.g.
    /// `https://ACCOUNT.r2.cloudflarestorage.com` or `http://127.0.0.1:8333`.
    pub endpoint: Option<String>,
    pub region: String,
    /// Static credentials; without them object_store asks the instance
    /// metadata service (IAM roles on EC2/ECS/EKS).
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
    pub session_token: Option<Secret>,
    /// `bucket.host` addressing instead of `host/bucket`. Off by default:
    /// path style is what R2's S3 API, MinIO, SeaweedFS and AWS all accept.
    pub virtual_hosted_style: bool,
}

/// The blob store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Storage {
    /// A directory on local disk.
    Local(PathBuf),
    /// A bucket (and optional key prefix) on an S3-compatible service.
    S3 {
        bucket: String,
        /// Keys are stored under `prefix/` ("" for the bucket root), so
        /// several stores can share a bucket.
        prefix: String,
        settings: S3Settings,
    },
}

impl Storage {
    /// `s3://bucket[/prefix]` is S3 (connection settings from `s3`);
    /// `file://PATH` or a plain path is a local directory.
    pub fn parse(value: &str, s3: &S3Settings) -> anyhow::Result<Self> {
        let value = value.trim();
        anyhow::ensure!(!value.is_empty(), "the storage setting is empty");
        if let Some(rest) = value.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            anyhow::ensure!(
                valid_bucket(bucket),
                "bad bucket name {bucket:?} in {value:?}: 3-63 characters of a-z, 0-9, '.', '-'"
            );
            let prefix = prefix.trim_matches('/').to_owned();
            if !prefix.is_empty() {
                object_store::path::Path::parse(&prefix)
                    .with_context(|| format!("bad key prefix {prefix:?} in {value:?}"))?;
            }
            return Ok(Self::S3 {
                bucket: bucket.to_owned(),
                prefix,
                settings: s3.clone(),
            });
        }
        let path = value.strip_prefix("file://").unwrap_or(value);
        anyhow::ensure!(
            !path.contains("://"),
            "unsupported storage {value:?}: use a directory or an s3://bucket URL"
        );
        Ok(Self::Local(PathBuf::from(path)))
    }

    pub fn local_dir(&self) -> Option<&Path> {
        match self {
            Self::Local(p) => Some(p),
            Self::S3 { .. } => None,
        }
    }
}

impl fmt::Display for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local(p) => write!(f, "{}", p.display()),
            Self::S3 {
                bucket,
                prefix,
                settings,
            } => {
                write!(f, "s3://{bucket}")?;
                if !prefix.is_empty() {
                    write!(f, "/{prefix}")?;
                }
                if let Some(endpoint) = &settings.endpoint {
                    write!(f, " at {}", redact_url(endpoint))?;
                }
                Ok(())
            }
        }
    }
}

/// S3 bucket naming rules (the subset every S3-compatible service accepts).
fn valid_bucket(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && !name.starts_with(['.', '-'])
        && !name.ends_with(['.', '-'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn databases_parse_by_scheme() {
        assert_eq!(
            Database::parse("/srv/m/mediakit.db").unwrap(),
            Database::Sqlite("/srv/m/mediakit.db".into())
        );
        assert_eq!(
            Database::parse("sqlite://x.db").unwrap(),
            Database::Sqlite("x.db".into())
        );
        let pg = Database::parse("postgres://mk:hunter2@db:5432/media").unwrap();
        assert!(pg.is_postgres());
        assert_eq!(pg.to_string(), "postgres://mk:***@db:5432/media");
        assert!(!format!("{pg:?}").contains("hunter2"));
        assert!(Database::parse("mysql://x").is_err());
        assert!(Database::parse(" ").is_err());
    }

    #[test]
    fn urls_never_print_passwords() {
        assert_eq!(
            redact_url("postgresql://u:p@h/db?sslmode=require&password=p"),
            "postgresql://u:***@h/db?…"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_url("postgres://h/db?password=p"),
            "postgres://h/db?…"
        );
        assert_eq!(redact_url("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
    }

    #[test]
    fn storage_parses_local_and_s3() {
        let s3 = S3Settings {
            endpoint: Some("http://127.0.0.1:8333".into()),
            region: "us-east-1".into(),
            secret_access_key: Some(Secret::new("shh")),
            ..S3Settings::default()
        };
        assert_eq!(
            Storage::parse("/srv/blobs", &s3).unwrap(),
            Storage::Local("/srv/blobs".into())
        );
        let Storage::S3 {
            bucket,
            prefix,
            settings,
        } = Storage::parse("s3://media-bucket/site/a/", &s3).unwrap()
        else {
            panic!("s3")
        };
        assert_eq!(
            (bucket.as_str(), prefix.as_str()),
            ("media-bucket", "site/a")
        );
        assert_eq!(settings, s3);
        let root = Storage::parse("s3://media-bucket", &s3).unwrap();
        assert_eq!(
            root.to_string(),
            "s3://media-bucket at http://127.0.0.1:8333"
        );
        assert!(!format!("{root:?}").contains("shh"));
        assert!(Storage::parse("s3://Bad_Bucket", &s3).is_err());
        assert!(Storage::parse("s3://ab", &s3).is_err());
        assert!(Storage::parse("gs://bucket", &s3).is_err());
    }
}
