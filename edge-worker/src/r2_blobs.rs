//! BlobStore over an R2 bucket binding.
//!
//! The binding's futures hold JS values and are not `Send`; the port wants
//! `Send` futures (one Router for both hosts). A Worker isolate runs on one
//! thread, so wrapping them in `SendFuture` (and the bucket in
//! `SendWrapper`) is sound: nothing ever crosses a thread.

use std::future::Future;

use bytes::Bytes;
use futures_util::StreamExt;
use mediakit_core::ports::{BlobStore, ByteRange, ByteStream};
use mediakit_core::{Error, ErrorCode, Result};
use worker::js_sys::{self, Object, Reflect, Uint8Array};
use worker::send::{SendFuture, SendWrapper};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{Bucket, Range};

/// The most keys one R2 list call returns.
const LIST_PAGE: u32 = 1000;

pub struct R2Blobs {
    bucket: SendWrapper<Bucket>,
}

impl R2Blobs {
    pub fn new(bucket: Bucket) -> Self {
        Self {
            bucket: SendWrapper::new(bucket),
        }
    }

    /// Deletes every object (the conformance suite wants an empty store).
    pub async fn clear(&self) -> Result<()> {
        for key in self.list_keys("").await? {
            self.remove(&key).await?;
        }
        Ok(())
    }

    async fn remove(&self, key: &str) -> Result<()> {
        self.bucket.delete(key).await.map_err(|e| r2_err(key, e))
    }

    async fn list_keys(&self, prefix: &str) -> Result<Vec<String>> {
        let mut keys = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut request = self.bucket.list().prefix(prefix).limit(LIST_PAGE);
            if let Some(c) = cursor.take() {
                request = request.cursor(c);
            }
            let page = request.execute().await.map_err(|e| r2_err(prefix, e))?;
            keys.extend(page.objects().iter().map(worker::Object::key));
            match page.cursor() {
                Some(c) if page.truncated() => cursor = Some(c),
                _ => return Ok(keys),
            }
        }
    }

    /// Writes unless the key exists. R2 evaluates the condition
    /// (`If-None-Match: *`) atomically with the write and answers `null`
    /// when it fails, so two writers of one key cannot both succeed.
    async fn create(&self, key: &str, bytes: &[u8], content_type: &str) -> Result<()> {
        let js_err = |e: JsValue| r2_err(key, worker::Error::from(e));
        let options = Object::new();
        let conditions = worker::Headers::new();
        conditions
            .set("if-none-match", "*")
            .map_err(|e| r2_err(key, e))?;
        let http_metadata = Object::new();
        Reflect::set(&http_metadata, &"contentType".into(), &content_type.into())
            .map_err(js_err)?;
        Reflect::set(&options, &"onlyIf".into(), conditions.as_ref()).map_err(js_err)?;
        Reflect::set(&options, &"httpMetadata".into(), &http_metadata).map_err(js_err)?;
        // One copy, straight into a JS buffer (no intermediate Vec).
        let body = Uint8Array::from(bytes);
        let raw: &worker::worker_sys::R2Bucket = self.bucket.as_ref().unchecked_ref();
        let promise = raw
            .put(key.to_owned(), body.into(), options.into())
            .map_err(js_err)?;
        let written = js_sys::futures::JsFuture::from(promise)
            .await
            .map_err(js_err)?;
        if written.is_null() {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("a blob already exists at {key}"),
            ));
        }
        Ok(())
    }

    /// The object at `key` (or its `range`), its body not yet read.
    async fn object(&self, key: &str, range: Option<ByteRange>) -> Result<worker::Object> {
        let mut request = self.bucket.get(key);
        if let Some(r) = range {
            request = request.range(Range::OffsetWithLength {
                offset: r.start,
                length: r.end - r.start,
            });
        }
        request
            .execute()
            .await
            .map_err(|e| r2_err(key, e))?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("no blob at {key}")))
    }

    async fn read(&self, key: &str, range: Option<ByteRange>) -> Result<Bytes> {
        let object = self.object(key, range).await?;
        let bytes = body_of(&object, key)?
            .bytes()
            .await
            .map_err(|e| r2_err(key, e))?;
        Ok(Bytes::from(bytes))
    }

    /// The object's body as R2 streams it. The JS stream is not `Send`;
    /// each read is wrapped like every other binding future (sound: an
    /// isolate has one thread).
    async fn open(&self, key: &str, range: Option<ByteRange>) -> Result<ByteStream> {
        let object = self.object(key, range).await?;
        let chunks = body_of(&object, key)?
            .stream()
            .map_err(|e| r2_err(key, e))?;
        let key = key.to_owned();
        let chunks = SendWrapper::new(Box::pin(chunks));
        let chunks = futures_util::stream::unfold(chunks, move |mut chunks| {
            let key = key.clone();
            SendFuture::new(async move {
                let next = chunks.next().await?;
                Some((next.map(Bytes::from).map_err(|e| r2_err(&key, e)), chunks))
            })
        });
        Ok(Box::pin(chunks))
    }
}

fn body_of<'a>(object: &'a worker::Object, key: &str) -> Result<worker::ObjectBody<'a>> {
    object
        .body()
        .ok_or_else(|| Error::storage(format!("R2 returned {key} without a body")))
}

fn r2_err(key: &str, e: worker::Error) -> Error {
    Error::storage(format!("R2 {key}: {e}"))
}

impl BlobStore for R2Blobs {
    fn put_new(
        &self,
        key: &str,
        bytes: Bytes,
        content_type: &str,
    ) -> impl Future<Output = Result<()>> + Send {
        SendFuture::new(async move { self.create(key, &bytes, content_type).await })
    }

    fn get(
        &self,
        key: &str,
        range: Option<ByteRange>,
    ) -> impl Future<Output = Result<Bytes>> + Send {
        SendFuture::new(self.read(key, range))
    }

    fn get_stream(
        &self,
        key: &str,
        range: Option<ByteRange>,
    ) -> impl Future<Output = Result<ByteStream>> + Send {
        SendFuture::new(self.open(key, range))
    }

    fn delete(&self, key: &str) -> impl Future<Output = Result<()>> + Send {
        SendFuture::new(self.remove(key))
    }

    fn list(&self, prefix: &str) -> impl Future<Output = Result<Vec<String>>> + Send {
        SendFuture::new(self.list_keys(prefix))
    }
}
