//! End-to-end harness. Each test gets a [`Target`]:
//!
//! - natively (the default), a fresh `mediakit serve` process on a free port
//!   with its own temporary data directory, stopped when the test ends;
//! - with `MEDIAKIT_BASE_URL` (and `MEDIAKIT_ADMIN_TOKEN`) set, an already
//!   running frontend, e.g. the edge worker under `wrangler dev`. Tests that
//!   need the process or its data directory say so with
//!   [`Target::native_only`].
//!
//! Tests never assume they are alone on a shared target: they check the
//! items they created, not global counts.

pub mod fixtures;
pub mod forge;
pub mod health;
pub mod rest;
pub mod rpc;
pub mod server;
pub mod test_store;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response, multipart};
use serde_json::Value;

pub use server::ServerProcess;

/// The frontend named by `MEDIAKIT_BASE_URL`, when the suite runs against
/// one (e.g. the edge worker under `wrangler dev`).
pub fn remote_base_url() -> Option<String> {
    std::env::var("MEDIAKIT_BASE_URL")
        .ok()
        .filter(|b| !b.is_empty())
}

/// For tests of the native process itself (its CLI, restarts, signals,
/// data directory): `true`, after printing why, when the suite runs against
/// a remote frontend, which has no such process. Such a test starts with
/// `if mediakit_e2e::skip_on_remote("why") { return; }`; natively it runs.
pub fn skip_on_remote(why: &str) -> bool {
    let remote = remote_base_url();
    if let Some(base) = &remote {
        eprintln!("skipped against {base} (MEDIAKIT_BASE_URL): {why}");
    }
    remote.is_some()
}

/// A frontend under test.
pub struct Target {
    pub base: String,
    pub admin_token: String,
    server: Option<ServerProcess>,
    client: Client,
}

impl Target {
    /// The default target: `MEDIAKIT_BASE_URL` if set, else a new native
    /// server with default settings.
    pub fn start() -> Target {
        Self::start_with(&[])
    }

    /// Like [`Target::start`], with extra `mediakit serve` flags for a native
    /// server (ignored for a remote target, whose limits are its own).
    pub fn start_with(flags: &[&str]) -> Target {
        match remote_base_url() {
            Some(base) => Target {
                base: base.trim_end_matches('/').to_owned(),
                admin_token: std::env::var("MEDIAKIT_ADMIN_TOKEN")
                    .expect("MEDIAKIT_ADMIN_TOKEN must be set with MEDIAKIT_BASE_URL"),
                server: None,
                client: client(),
            },
            None => Self::native(flags),
        }
    }

    /// Always a native server (for tests about the process or its disk).
    pub fn native(flags: &[&str]) -> Target {
        Self::native_from(ServerProcess::start(flags))
    }

    /// Wraps an already started native server.
    pub fn native_from(server: ServerProcess) -> Target {
        Target {
            base: server.base_url(),
            admin_token: server.admin_token(),
            server: Some(server),
            client: client(),
        }
    }

    /// Wraps a native server whose admin token is known otherwise (e.g.
    /// another instance on the same database created it).
    pub fn native_with_token(server: ServerProcess, admin_token: &str) -> Target {
        Target {
            base: server.base_url(),
            admin_token: admin_token.to_owned(),
            server: Some(server),
            client: client(),
        }
    }

    /// Takes the native server out (to stop or restart it).
    pub fn into_server(self) -> Option<ServerProcess> {
        self.server
    }

    pub fn is_native(&self) -> bool {
        self.server.is_some()
    }

    /// The native server, or `None` when testing a remote frontend. Tests
    /// use it as `let Some(server) = target.native_only("why") else { return };`
    pub fn native_only(&self, why: &str) -> Option<&ServerProcess> {
        if self.server.is_none() {
            eprintln!("skipped on a remote target: {why}");
        }
        self.server.as_ref()
    }

    /// The native server when its blobs are on local disk, or `None` (with
    /// a note) on S3 storage: for tests that break or inspect the blob
    /// directory itself. Used as `let Some(server) = t.local_storage_only("why") else { return };`
    pub fn local_storage_only(&self, why: &str) -> Option<&ServerProcess> {
        let server = self.native_only(why)?;
        if server.local_blobs_dir().is_none() {
            eprintln!("skipped on S3 storage: {why}");
            return None;
        }
        Some(server)
    }

    pub fn server_mut(&mut self) -> Option<&mut ServerProcess> {
        self.server.as_mut()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(self.url(path))
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client.post(self.url(path))
    }

    pub fn patch(&self, path: &str) -> RequestBuilder {
        self.client.patch(self.url(path))
    }

    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.client.delete(self.url(path))
    }

    /// The public file of a media item or variant (the JSON the API
    /// answers), by its `path`, without a token.
    pub fn file(&self, item: &Value) -> Response {
        let path = item["path"].as_str().expect("a path");
        self.get(path).send().expect("GET of a file")
    }

    /// Creates a token with these scopes through the REST API.
    pub fn token(&self, scopes: &[&str]) -> String {
        let res = self.create_token(&serde_json::json!({ "scopes": scopes, "label": "e2e" }));
        assert_eq!(
            res.status(),
            201,
            "creating a token: {}",
            res.text().unwrap_or_default()
        );
        let body: Value = res.json().unwrap();
        body["token"]
            .as_str()
            .expect("token in response")
            .to_owned()
    }

    /// Uploads through the REST API with the admin token.
    pub fn upload(&self, filename: &str, bytes: &[u8]) -> Response {
        self.upload_with(&self.admin_token, filename, bytes, &[])
    }

    /// Uploads with a token and extra text fields.
    pub fn upload_with(
        &self,
        token: &str,
        filename: &str,
        bytes: &[u8],
        fields: &[(&str, &str)],
    ) -> Response {
        let part = multipart::Part::bytes(bytes.to_vec()).file_name(filename.to_owned());
        let mut form = multipart::Form::new().part("file", part);
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        self.post("/api/v1/media/upload")
            .bearer_auth(token)
            .multipart(form)
            .send()
            .expect("POST /api/v1/media/upload")
    }

    /// Uploads and returns the created media JSON, failing the test on any
    /// status but 201.
    pub fn upload_ok(&self, filename: &str, bytes: &[u8]) -> Value {
        let res = self.upload(filename, bytes);
        let status = res.status();
        let text = res.text().unwrap();
        assert_eq!(status, 201, "upload of {filename} failed: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Every item of a listing query, following pages, with the admin token.
    pub fn list_all(&self, query: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut skip = 0;
        loop {
            let sep = if query.is_empty() { "" } else { "&" };
            let res = self
                .get(&format!("/api/v1/media?{query}{sep}skip={skip}&limit=1000"))
                .bearer_auth(&self.admin_token)
                .send()
                .unwrap();
            assert_eq!(res.status(), 200);
            let page: Vec<Value> = res.json().unwrap();
            let n = page.len();
            out.extend(page);
            if n < 1000 {
                return out;
            }
            skip += n;
        }
    }

    /// Whether any listed item has this original filename.
    pub fn listed(&self, original_filename: &str) -> bool {
        self.list_all("")
            .iter()
            .any(|m| m["original_filename"] == original_filename)
    }

    /// Sends a hostile request and asserts it is refused: the given status,
    /// the REST error shape with `code`, nothing listed under
    /// `original_filename` (the name the request uploads as; make it
    /// [`unique`]) and, natively, no new file in the data directory or
    /// bucket.
    pub fn assert_refused(
        &self,
        status: u16,
        code: &str,
        original_filename: &str,
        send: impl FnOnce() -> Response,
    ) {
        let files_before = self.data_files();
        let (got_status, got_code) = error_code(send());
        assert_eq!(
            (got_status, got_code.as_str()),
            (status, code),
            "hostile request {original_filename} answered {got_status} {got_code}"
        );
        assert!(
            !self.listed(original_filename),
            "the refused {original_filename} is listed"
        );
        let files_after = self.data_files();
        let new: Vec<_> = files_after.difference(&files_before).collect();
        assert!(
            new.is_empty(),
            "the refused {original_filename} stored files: {new:?}"
        );
    }

    /// Files in the native server's data directory, and on the
    /// postgres+s3 backend its blobs in the bucket as `blobs/<key>` (the
    /// local layout). Empty for a remote target.
    pub fn data_files(&self) -> BTreeSet<PathBuf> {
        let Some(server) = &self.server else {
            return BTreeSet::new();
        };
        let mut files = files_under(server.data_dir());
        if server.store().is_some() {
            files.extend(
                server
                    .blob_keys()
                    .into_iter()
                    .map(|k| Path::new("blobs").join(k)),
            );
        }
        files
    }

    /// The blob files (`blobs/…`) in [`Self::data_files`] that were not in
    /// `before`.
    pub fn new_blobs(&self, before: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
        self.data_files()
            .difference(before)
            .filter(|p| p.starts_with("blobs"))
            .cloned()
            .collect()
    }
}

pub fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Every regular file below `dir`, relative to it.
pub fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap_or(&p).to_path_buf());
            }
        }
    }
    out
}

/// The JSON error body's code, asserting the REST error shape.
pub fn error_code(res: Response) -> (u16, String) {
    let status = res.status().as_u16();
    let text = res.text().unwrap_or_default();
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("error body is not JSON ({status}): {text:?}"));
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.code in {text}"))
        .to_owned();
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "no error.message in {text}"
    );
    (status, code)
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// A name no other test uses, for finding one's own items in listings.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{prefix}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}
