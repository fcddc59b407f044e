//! The RPC dialect (seed 000), example by example: every endpoint, every
//! field of its responses, its token carriers and its error shape.

mod support;

mod auth;
mod bad_requests;
mod fetch;
mod lifecycle;
mod read_only;
mod update;
mod upload;
