//! What `mediakit import` reads: the files under its paths, walked
//! recursively in name order, each either a plain file or an item that
//! `mediakit export` wrote (an `<id>.json` sidecar and the original it
//! names, beside it).

use std::path::{Path, PathBuf};

use anyhow::Context;
use mediakit_core::model::FocalPoint;
use mediakit_core::service::ExportedItem;
use mediakit_core::time::parse_rfc3339;
use serde::Deserialize;

/// One thing to import.
#[derive(Debug)]
pub enum Source {
    File(PathBuf),
    Exported {
        /// The original, beside its sidecar.
        file: PathBuf,
        sidecar: Box<Sidecar>,
    },
}

impl Source {
    /// The path a person knows it by, for progress and the summary.
    pub fn path(&self) -> &Path {
        match self {
            Source::File(path) | Source::Exported { file: path, .. } => path,
        }
    }
}

/// The metadata `mediakit export` writes beside an original
/// (`commands/export.rs`, `metadata`). Fields it did not write before
/// (`unlisted_at`, `credit`) may be missing.
#[derive(Debug, Clone, Deserialize)]
pub struct Sidecar {
    pub id: String,
    pub file: String,
    pub original_filename: String,
    pub sha256: String,
    pub name: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub alt_text: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
    pub uploaded_by: Option<String>,
    pub created_at: String,
    pub updated_at: Option<String>,
    #[serde(default)]
    pub unlisted: bool,
    #[serde(default)]
    pub unlisted_at: Option<String>,
    #[serde(default)]
    pub focal_point: Option<SidecarPoint>,
}

/// `{"x": 0.25, "y": 0.5}`, as the REST API writes a focal point.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct SidecarPoint {
    pub x: f64,
    pub y: f64,
}

impl Sidecar {
    /// The identity the service restores; `Err` names the bad field.
    pub fn item(&self) -> Result<ExportedItem, String> {
        let time = |field: &str, value: &str| {
            parse_rfc3339(value).ok_or_else(|| format!("{field} {value:?} is not an RFC 3339 time"))
        };
        let optional_time = |field: &str, value: &Option<String>| {
            value.as_deref().map(|v| time(field, v)).transpose()
        };
        Ok(ExportedItem {
            id: self.id.clone(),
            sha256: self.sha256.clone(),
            created_at: time("created_at", &self.created_at)?,
            updated_at: optional_time("updated_at", &self.updated_at)?,
            unlisted_at: optional_time("unlisted_at", &self.unlisted_at)?,
            uploaded_by: self.uploaded_by.clone(),
            credit: self.credit.clone(),
            focal_point: self
                .focal_point
                .map(|p| FocalPoint::from_fractions(p.x, p.y))
                .transpose()
                .map_err(|e| e.message)?,
        })
    }
}

/// Every file under `paths` (a path may be a file or a folder). Hidden
/// files (`.name`, e.g. an export's `.x.partial` leftovers) are skipped;
/// an original with a sidecar is read through it.
pub fn collect(paths: &[PathBuf]) -> anyhow::Result<Vec<Source>> {
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(pair_sidecars(files))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("listing {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follows symlinks, as a person pointing at a folder expects; a
        // link loop ends at the OS's path length limit with an error.
        let meta =
            std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?;
        if meta.is_dir() {
            walk(&path, out)?;
        } else if meta.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// Turns each `<id>.json` that is an export sidecar into one source with
/// the original it names; everything else stays a plain file.
fn pair_sidecars(files: Vec<PathBuf>) -> Vec<Source> {
    let mut sources = Vec::new();
    let mut claimed = std::collections::HashSet::new();
    for path in &files {
        if let Some((file, sidecar)) = read_sidecar(path) {
            claimed.insert(path.clone());
            claimed.insert(file.clone());
            sources.push(Source::Exported {
                file,
                sidecar: Box::new(sidecar),
            });
        }
    }
    for path in files {
        if !claimed.contains(&path) {
            sources.push(Source::File(path));
        }
    }
    sources.sort_by(|a, b| a.path().cmp(b.path()));
    sources
}

/// `path` as a sidecar, with the original it names, when it is one: a
/// `.json` file that parses as one, named after its id, naming a file in
/// its own folder (never a path elsewhere) that exists.
fn read_sidecar(path: &Path) -> Option<(PathBuf, Sidecar)> {
    if path.extension()? != "json" {
        return None;
    }
    // Sidecars are small; a large JSON file is somebody's data.
    if std::fs::metadata(path).ok()?.len() > 64 * 1024 {
        return None;
    }
    let sidecar: Sidecar = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    if path.file_stem()?.to_str()? != sidecar.id {
        return None;
    }
    let name = Path::new(&sidecar.file);
    if name.components().count() != 1 || name.file_name()? != name.as_os_str() {
        return None;
    }
    let file = path.with_file_name(name);
    file.is_file().then_some((file, sidecar))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sidecar_json(id: &str, file: &str) -> String {
        serde_json::json!({
            "id": id, "file": file, "original_filename": "a.png", "sha256": "00",
            "name": "a", "tags": [], "alt_text": null, "uploaded_by": null,
            "created_at": "2026-01-02T03:04:05.006Z", "updated_at": null, "unlisted": false,
        })
        .to_string()
    }

    #[test]
    fn sidecars_claim_their_originals_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let id = "0190c6a2-0000-7000-8000-000000000001";
        std::fs::write(d.join(format!("{id}.png")), b"png").unwrap();
        std::fs::write(
            d.join(format!("{id}.json")),
            sidecar_json(id, &format!("{id}.png")),
        )
        .unwrap();
        // Names a file outside its folder: not a sidecar.
        let evil = "0190c6a2-0000-7000-8000-000000000002";
        std::fs::write(
            d.join(format!("{evil}.json")),
            sidecar_json(evil, "../secret"),
        )
        .unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/photo.jpg"), b"jpg").unwrap();
        std::fs::write(d.join(".hidden.partial"), b"x").unwrap();

        let sources = collect(&[d.to_path_buf()]).unwrap();
        let seen: Vec<(String, bool)> = sources
            .iter()
            .map(|s| {
                let name = s.path().strip_prefix(d).unwrap().display().to_string();
                (name, matches!(s, Source::Exported { .. }))
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (format!("{id}.png"), true),
                (format!("{evil}.json"), false),
                ("sub/photo.jpg".to_owned(), false),
            ]
        );
        let Source::Exported { sidecar, .. } = &sources[0] else {
            panic!(
                "the sidecar's original is read through it: {:?}",
                sources[0]
            );
        };
        let item = sidecar.item().unwrap();
        assert_eq!(
            item.created_at,
            parse_rfc3339("2026-01-02T03:04:05.006Z").unwrap()
        );
    }
}
