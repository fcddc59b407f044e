//! The canonical REST dialect, endpoint by endpoint.

mod support;

mod dedup;
mod lifecycle;
mod media;
mod openapi;
mod routes;
mod upload;
