//! Reading media: by id, by numeric id, and listings.

use super::MediaService;
use crate::auth::{Principal, Scope};
use crate::error::{Error, Result};
use crate::ids;
use crate::model::{ListQuery, MAX_PAGE, Media, Page, Visibility};
use crate::ports::Backend;

impl<P: Backend> MediaService<P> {
    /// A live (not deleted) item. Unlisted items are returned: they are
    /// hidden from listings, not from those who know the id.
    pub async fn get(&self, principal: &Principal, id: &str) -> Result<Media> {
        principal.require(Scope::Read)?;
        self.live(id).await
    }

    /// The canonical id behind a numeric id (the CMS dialect's), for a
    /// principal holding one of `any_of`: the scopes of the operation it is
    /// about to perform, checked first so that a token without them learns
    /// nothing about which ids exist. Any state; the operation itself
    /// decides what a deleted item means.
    pub async fn id_for_seq(
        &self,
        principal: &Principal,
        any_of: &[Scope],
        seq: i64,
    ) -> Result<String> {
        principal.require_any(any_of)?;
        self.ports
            .catalog
            .media_by_seq(seq)
            .await?
            .map(|m| m.id)
            .ok_or_else(Error::not_found)
    }

    /// An item in any state, for those who may read it and restore it:
    /// reading metadata is `media:read`'s whatever the item's state, and
    /// deleted items are shown only to those who may also restore them.
    pub async fn get_any(&self, principal: &Principal, id: &str) -> Result<Media> {
        principal.require(Scope::Read)?;
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
