//! API tokens: authentication, creation, listing, revocation.

use super::MediaService;
use crate::auth::{self, Principal, Scope};
use crate::error::{Error, ErrorCode, Result};
use crate::model::TokenRecord;
use crate::ports::{Backend, Entropy};

/// A freshly created token: the secret is shown this once.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    pub secret: String,
    pub record: TokenRecord,
}

impl<P: Backend> MediaService<P> {
    /// The principal behind a presented secret; `Unauthorized` for anything
    /// unknown, malformed or revoked (one answer, so probing learns nothing).
    pub async fn authenticate(&self, secret: &str) -> Result<Principal> {
        let unauthorized = || Error::new(ErrorCode::Unauthorized, "invalid or revoked token");
        if !auth::looks_like_token(secret) {
            return Err(unauthorized());
        }
        if let Some(admin) =
            auth::static_admin(secret, self.config.static_admin_token_hash.as_deref())
        {
            return Ok(admin);
        }
        let record = self
            .ports
            .catalog
            .token_by_hash(&auth::token_hash(secret))
            .await?
            .filter(|t| t.revoked_at.is_none())
            .ok_or_else(unauthorized)?;
        Ok(Principal {
            token_id: record.id,
            scopes: record
                .scopes
                .iter()
                .filter_map(|s| Scope::parse(s))
                .collect(),
        })
    }

    /// Creates a token. Only an admin may, except for the bootstrap path
    /// ([`Self::create_token_unchecked`]) used by the local CLI.
    pub async fn create_token(
        &self,
        principal: &Principal,
        label: &str,
        scopes: &[Scope],
    ) -> Result<CreatedToken> {
        principal.require(Scope::Admin)?;
        self.create_token_unchecked(label, scopes).await
    }

    /// For callers that already hold the keys to the store (the `mediakit
    /// token create` CLI, first-start bootstrap).
    pub async fn create_token_unchecked(
        &self,
        label: &str,
        scopes: &[Scope],
    ) -> Result<CreatedToken> {
        if scopes.is_empty() {
            return Err(Error::invalid("a token needs at least one scope"));
        }
        let label = label.trim();
        if label.chars().count() > 100 || label.chars().any(char::is_control) {
            return Err(Error::invalid("the label must be at most 100 characters"));
        }
        let mut random = [0u8; 32];
        self.ports.entropy.fill(&mut random);
        let secret = auth::token_secret(random);
        let mut scopes = scopes.to_vec();
        scopes.sort();
        scopes.dedup();
        let record = TokenRecord {
            id: self.new_id(),
            hash: auth::token_hash(&secret),
            label: label.to_owned(),
            scopes: scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            created_at: self.now(),
            revoked_at: None,
        };
        self.ports.catalog.insert_token(&record).await?;
        Ok(CreatedToken { secret, record })
    }

    /// On a store without any token, creates the first admin token and
    /// returns it; otherwise `None`.
    pub async fn bootstrap_admin_token(&self) -> Result<Option<CreatedToken>> {
        if !self.ports.catalog.list_tokens().await?.is_empty() {
            return Ok(None);
        }
        self.create_token_unchecked("admin (created on first start)", &[Scope::Admin])
            .await
            .map(Some)
    }

    pub async fn list_tokens(&self, principal: &Principal) -> Result<Vec<TokenRecord>> {
        principal.require(Scope::Admin)?;
        self.ports.catalog.list_tokens().await
    }

    pub async fn list_tokens_unchecked(&self) -> Result<Vec<TokenRecord>> {
        self.ports.catalog.list_tokens().await
    }

    /// Revokes a token; `NotFound` if it does not exist or already was.
    pub async fn revoke_token(&self, principal: &Principal, id: &str) -> Result<()> {
        principal.require(Scope::Admin)?;
        self.revoke_token_unchecked(id).await
    }

    pub async fn revoke_token_unchecked(&self, id: &str) -> Result<()> {
        if self.ports.catalog.revoke_token(id, self.now()).await? {
            Ok(())
        } else {
            Err(Error::new(ErrorCode::NotFound, "no such active token"))
        }
    }
}
