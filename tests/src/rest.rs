//! REST calls with the admin token that many suites make on their way to
//! what they test: one item, the trash, tokens.

use reqwest::blocking::{RequestBuilder, Response};
use serde_json::Value;

use crate::Target;

impl Target {
    /// Sends `request` with the admin token.
    pub fn send_as_admin(&self, request: RequestBuilder) -> Response {
        request
            .bearer_auth(&self.admin_token)
            .send()
            .expect("a request as the admin")
    }

    /// `GET /api/v1/media/{id}`.
    pub fn get_media(&self, id: &str) -> Response {
        self.send_as_admin(self.get(&format!("/api/v1/media/{id}")))
    }

    /// `PATCH /api/v1/media/{id}` with this JSON body.
    pub fn patch_media(&self, id: &str, body: &Value) -> Response {
        self.send_as_admin(self.patch(&format!("/api/v1/media/{id}")).json(body))
    }

    /// `DELETE /api/v1/media/{id}`: the item goes to the trash.
    pub fn delete_media(&self, id: &str) -> Response {
        self.send_as_admin(self.delete(&format!("/api/v1/media/{id}")))
    }

    /// `POST /api/v1/media/{id}/restore`: the item comes back from the trash.
    pub fn restore_media(&self, id: &str) -> Response {
        self.send_as_admin(self.post(&format!("/api/v1/media/{id}/restore")))
    }

    /// `POST /api/v1/tokens` with this JSON body (`scopes`, `label`).
    pub fn create_token(&self, body: &Value) -> Response {
        self.send_as_admin(self.post("/api/v1/tokens").json(body))
    }

    /// `DELETE /api/v1/tokens/{id}`.
    pub fn revoke_token(&self, id: &str) -> Response {
        self.send_as_admin(self.delete(&format!("/api/v1/tokens/{id}")))
    }
}
