//! The files of the RPC dialect: `GET /media/fetch_media_instance?instance_ID=`
//! and the instance URLs `GET /volume/media/files/{media_id}/{instance_id}.{ext}`.
//! Public like every file URL (no token), served by the one file server
//! ([`crate::files::serve`]: ETag, ranges, `nosniff`, the SVG sandbox), and
//! never for deleted media.

use axum::extract::State;
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use mediakit_core::Error;
use mediakit_core::ports::Backend;

use super::error::RpcResult;
use super::params::Params;
use super::wire::{parse_instance_id, parse_instance_param};
use crate::Svc;
use crate::files::serve;
use crate::path::{PathResult, path_param};

pub async fn fetch_media_instance<P: Backend>(
    State(service): Svc<P>,
    method: Method,
    headers: HeaderMap,
    mut params: Params,
) -> RpcResult<Response> {
    let id = params.required("instance_ID")?;
    params.finish()?;
    let instance = parse_instance_param(&id).ok_or_else(Error::not_found)?;
    let file = service
        .stored_file(&instance.media_id, instance.variant.as_deref())
        .await?;
    Ok(serve(&service, &file, &method, &headers).await?)
}

pub async fn instance_url<P: Backend>(
    State(service): Svc<P>,
    path: PathResult<(String, String)>,
    method: Method,
    headers: HeaderMap,
) -> RpcResult<Response> {
    let (media_id, file) = path_param(path)?;
    let (instance_id, ext) = file.rsplit_once('.').ok_or_else(Error::not_found)?;
    let instance = parse_instance_id(instance_id).ok_or_else(Error::not_found)?;
    // The folder must be the instance's own item: one URL per file.
    if !media_id.eq_ignore_ascii_case(&instance.media_id) {
        return Err(Error::not_found().into());
    }
    let file = service
        .file(&instance.media_id, instance.variant.as_deref(), ext)
        .await?;
    Ok(serve(&service, &file, &method, &headers).await?)
}
