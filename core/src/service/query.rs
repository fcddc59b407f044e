//! Reading media: by id, by numeric id, and listings.

use super::MediaService;
use crate::auth::{Principal, Scope};
use crate::error::{Error, Result};
use crate::ids;
use crate::model::{ListQuery, Media, Page, Visibility};
use crate::ports::{Backend, Catalog};

/// The most items one listing page returns.
pub const MAX_PAGE: u64 = 1000;

impl<P: Backend> MediaService<P> {
    /// A live (not deleted) item. Unlisted items are returned: they are
    /// hidden from listings, not from those who know the id.
    pub async fn get(&self, principal: &Principal, id: &str) -> Result<Media> {
        principal.require(Scope::Read)?;
        self.live(id).await
    }

    /// Like [`Self::get`] but by the numeric id.
    pub async fn get_by_seq(&self, principal: &Principal, seq: i64) -> Result<Media> {
        principal.require(Scope::Read)?;
        match self.ports.catalog.media_by_seq(seq).await? {
            Some(m) if !m.is_deleted() => Ok(m),
            _ => Err(Error::not_found()),
        }
    }

    /// An item in any state, for those who may restore it.
    pub async fn get_any(&self, principal: &Principal, id: &str) -> Result<Media> {
        principal.require(Scope::Delete)?;
        self.row(id).await
    }

    pub async fn list(&self, principal: &Principal, query: &ListQuery) -> Result<Page<Media>> {
        principal.require(Scope::Read)?;
        match query.visibility {
            // The trash is for those who can restore from it.
            Visibility::Deleted => principal.require(Scope::Delete)?,
            // Unlisted items, for those who can list them again.
            Visibility::Live => principal.require_any(&[Scope::Edit, Scope::Upload])?,
            Visibility::Listed => {}
        }
        let query = ListQuery {
            limit: query.limit.min(MAX_PAGE),
            ..query.clone()
        };
        self.ports.catalog.list_media(&query).await
    }

    /// The row, any state; `NotFound` for unknown or malformed ids.
    pub(crate) async fn row(&self, id: &str) -> Result<Media> {
        let id = ids::parse_uuid(id).ok_or_else(Error::not_found)?;
        self.ports
            .catalog
            .media_by_id(&id)
            .await?
            .ok_or_else(Error::not_found)
    }

    /// The row if it is not deleted.
    pub(crate) async fn live(&self, id: &str) -> Result<Media> {
        let media = self.row(id).await?;
        if media.is_deleted() {
            return Err(Error::not_found());
        }
        Ok(media)
    }
}
