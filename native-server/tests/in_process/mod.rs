//! An in-process app for the tests of the native HTTP stack: the real
//! stack (`http_stack::app`) over a real store in a temporary directory,
//! called without a socket.

#![allow(dead_code)] // each test file uses a different part

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::http::{Request, Response, header};
use mediakit_core::auth::Scope;
use mediakit_core::model::Media;
use mediakit_core::service::UploadRequest;
use mediakit_server::backend::{self, NativeService};
use mediakit_server::cli::StoreArgs;
use mediakit_server::http_stack::{self, Timeouts};
use mediakit_server::settings;
use mediakit_server::web_demo::Page;
use tower::ServiceExt;

/// More than enough for anything here to finish; a hang fails the test.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub struct TestApp {
    pub app: Router,
    pub service: Arc<NativeService>,
    pub token: String,
    _data: tempfile::TempDir,
}

impl TestApp {
    pub async fn new(timeouts: Timeouts) -> Self {
        let data = tempfile::tempdir().unwrap();
        let settings = settings::resolve_store(&StoreArgs {
            data: Some(data.path().to_path_buf()),
            config: None,
            database: None,
            storage: None,
        })
        .unwrap();
        let (service, metrics) = backend::open_with_metrics(&settings).await.unwrap();
        let token = service
            .create_token_unchecked("test", &[Scope::Admin])
            .await
            .unwrap()
            .secret;
        let web = data.path().join("www");
        std::fs::create_dir_all(web.join("assets/pkg")).unwrap();
        std::fs::write(web.join("index.html"), "<!doctype html><p>demo").unwrap();
        let script = "export const answer = 42;\n".repeat(40);
        std::fs::write(web.join("assets/app.js"), script).unwrap();
        std::fs::write(web.join("assets/pkg/mediakit_web_bg.wasm"), [0u8; 4096]).unwrap();
        let app = http_stack::app(service.clone(), Page::Dir(web), timeouts, metrics);
        Self {
            app,
            service,
            token,
            _data: data,
        }
    }

    pub async fn upload(&self, filename: &str, bytes: &'static [u8]) -> Media {
        let principal = self.service.authenticate(&self.token).await.unwrap();
        let req = UploadRequest {
            filename: Some(filename.to_owned()),
            bytes: Bytes::from_static(bytes),
            ..UploadRequest::default()
        };
        self.service.upload(&principal, req).await.unwrap()
    }

    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        tokio::time::timeout(PATIENCE, self.app.clone().oneshot(req))
            .await
            .expect("the stack answers")
            .unwrap()
    }

    pub async fn get(&self, uri: &str, headers: &[(&str, &str)]) -> Response<Body> {
        let mut req =
            Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }
}

pub fn header_of<'a>(res: &'a Response<Body>, name: &str) -> Option<&'a str> {
    res.headers().get(name).and_then(|v| v.to_str().ok())
}

pub async fn body_of(res: Response<Body>) -> Bytes {
    to_bytes(res.into_body(), 64 << 20).await.unwrap()
}
