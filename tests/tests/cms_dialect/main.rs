//! The CMS dialect (seed 001), example by example: `GET /media`,
//! `POST /media/edit/:id`, `POST /media/add`, `DELETE /media/delete/:id`,
//! their status codes, `{data, code}` bodies, permissions and cookie.

mod support;

mod add;
mod auth;
mod bad_requests;
mod csrf;
mod delete;
mod edit;
mod instance;
mod list;
