//! `mediakit openapi`: the REST API's OpenAPI document on stdout, the same
//! bytes the server answers at `/api/v1/openapi.json` (the web page's typed
//! client is generated from it, and so can anyone's, without a server).

use std::io::Write;

pub fn run() -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(mediakit_api::rest::openapi::json().as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}
