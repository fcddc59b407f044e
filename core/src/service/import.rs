//! Import: uploads that know what the library may already hold, for
//! `mediakit import`. A plain file is skipped when an item with the same
//! stored bytes exists (so an interrupted or repeated import adds no
//! duplicates); an item that `mediakit export` wrote comes back as it was
//! (its id, times, uploader, credit and visibility), and is skipped when
//! its id is already there.
//!
//! Both run the upload use case itself ([`MediaService::upload`]'s checks,
//! stripping, sharing of files and rendering): an import is an upload that
//! has a say in identity, never a second way to store a file.

use super::MediaService;
use crate::auth::{Principal, Scope};
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use crate::metadata;
use crate::model::{FocalPoint, Media};
use crate::ports::Backend;
use crate::time::Millis;

use super::UploadRequest;

/// An exported item's identity and history, read from its sidecar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportedItem {
    pub id: String,
    /// The SHA-256 of the stored original the export wrote: the file must
    /// still hash to it (an export is also a backup; a damaged one is
    /// refused, not imported).
    pub sha256: String,
    pub created_at: Millis,
    pub updated_at: Option<Millis>,
    pub unlisted_at: Option<Millis>,
    pub uploaded_by: Option<String>,
    pub credit: Option<String>,
    pub focal_point: Option<FocalPoint>,
}

/// What an import did with one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    /// Stored as a new item.
    Stored(Media),
    /// The library already held it (same bytes, or the exported id): this
    /// item, untouched.
    AlreadyThere(Media),
}

/// How an upload relates to what the library holds; [`Upload`] is an
/// ordinary upload (a second copy of the same bytes is a second item).
///
/// [`Upload`]: Origin::Upload
pub(super) enum Origin<'a> {
    Upload,
    NewFile,
    Exported(&'a ExportedItem),
}

impl<P: Backend> MediaService<P> {
    /// Imports one plain file (`Scope::Upload`), unless an item (live,
    /// unlisted or in the trash) already has the bytes it would store.
    pub async fn import_file(&self, principal: &Principal, req: UploadRequest) -> Result<Imported> {
        self.upload_from(principal, req, Origin::NewFile).await
    }

    /// Brings an exported item back under its own id and times. Only an
    /// admin may: it writes history (who uploaded what, and when).
    pub async fn import_exported(
        &self,
        principal: &Principal,
        req: UploadRequest,
        item: &ExportedItem,
    ) -> Result<Imported> {
        principal.require(Scope::Admin)?;
        if ids::parse_uuid(&item.id).as_deref() != Some(item.id.as_str()) {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("{:?} is not a media id (a lowercase UUID)", item.id),
            ));
        }
        if let Some(existing) = self.ports.catalog.media_by_id(&item.id).await? {
            return if existing.sha256 == item.sha256 {
                Ok(Imported::AlreadyThere(existing))
            } else {
                Err(Error::new(
                    ErrorCode::Conflict,
                    format!("another file already has the id {}", item.id),
                ))
            };
        }
        self.upload_from(principal, req, Origin::Exported(item))
            .await
    }
}

/// The identity fields of a new row: the exported item's, or new ones.
pub(super) struct Identity {
    pub id: String,
    pub created_at: Millis,
    pub updated_at: Option<Millis>,
    pub unlisted_at: Option<Millis>,
    pub uploaded_by: Option<String>,
    pub credit: Option<String>,
    pub focal_point: Option<FocalPoint>,
}

impl<P: Backend> MediaService<P> {
    /// The row's identity for an upload from `origin`, once its stored
    /// original hashes to `sha256`.
    pub(super) fn identity(
        &self,
        origin: &Origin<'_>,
        principal: &Principal,
        unlisted: bool,
        sha256: &str,
    ) -> Result<Identity> {
        let Origin::Exported(item) = origin else {
            return Ok(Identity {
                id: self.new_id(),
                created_at: self.now(),
                updated_at: None,
                unlisted_at: unlisted.then(|| self.now()),
                uploaded_by: Some(principal.token_id.clone()),
                credit: None,
                focal_point: None,
            });
        };
        if item.sha256 != sha256 {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "the file does not match the SHA-256 its export recorded",
            ));
        }
        let credit = match &item.credit {
            Some(c) => metadata::credit(c)?,
            None => None,
        };
        Ok(Identity {
            id: item.id.clone(),
            created_at: item.created_at,
            updated_at: item.updated_at,
            // `--unlisted` on the command line also hides restored items.
            unlisted_at: item.unlisted_at.or_else(|| unlisted.then(|| self.now())),
            uploaded_by: item.uploaded_by.clone(),
            credit,
            focal_point: item.focal_point,
        })
    }
}
