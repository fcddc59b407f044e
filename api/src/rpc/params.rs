//! RPC parameters. The seed sends them in the query string; clients of
//! that system also post them as a form or as JSON, so all three are read
//! and merged. A name given twice (in the query and the body, or twice in
//! one) is refused rather than guessed at, and so is a name the endpoint
//! does not know: a typo must not be silently ignored.
//!
//! `auth_token` is taken out here: it is a credential, not a parameter.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, Uri, header};
use mediakit_core::auth::Principal;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;
use mediakit_core::{Error, ErrorCode};
use serde_json::Value;

use super::error::RpcError;
use crate::auth::{authenticate, bearer};
use crate::body::read;

/// Parameters are short (ids, alt text ≤ 255 characters); this is plenty.
const MAX_PARAMS_BODY: u64 = 64 * 1024;

/// The ways this dialect accepts a token, for the 401 message.
pub const CARRIERS: &str =
    "Authorization: Bearer <token> or an auth_token parameter (query, form or JSON)";

#[derive(Debug, Default)]
pub struct Params {
    fields: BTreeMap<String, Value>,
    /// `Authorization: Bearer` if present, else `auth_token`.
    token: Option<String>,
}

fn duplicate(name: &str) -> Error {
    Error::invalid(format!("the parameter `{name}` is given more than once"))
}

impl Params {
    /// The query string's parameters and the credential.
    pub fn from_parts(uri: &Uri, headers: &HeaderMap) -> Result<Params, Error> {
        let mut params = Params::default();
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(uri.query().unwrap_or_default())
                .map_err(|e| Error::invalid(format!("invalid query string: {e}")))?;
        for (k, v) in pairs {
            params.insert(k, Value::String(v))?;
        }
        params.token = bearer(headers).map(str::to_owned);
        params.take_token()?;
        Ok(params)
    }

    fn insert(&mut self, name: String, value: Value) -> Result<(), Error> {
        if self.fields.contains_key(&name) {
            return Err(duplicate(&name));
        }
        self.fields.insert(name, value);
        Ok(())
    }

    /// Moves `auth_token` out of the fields; a bearer header wins.
    fn take_token(&mut self) -> Result<(), Error> {
        if let Some(v) = self.fields.remove("auth_token") {
            let Value::String(t) = v else {
                return Err(Error::invalid("auth_token must be a string"));
            };
            self.token.get_or_insert(t);
        }
        Ok(())
    }

    /// Adds a form or JSON body's fields.
    fn add_body(&mut self, headers: &HeaderMap, body: &[u8]) -> Result<(), Error> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mime = content_type.split(';').next().unwrap_or("").trim();
        if mime == "application/x-www-form-urlencoded" {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                .map_err(|e| Error::invalid(format!("invalid form body: {e}")))?;
            for (k, v) in pairs {
                self.insert(k, Value::String(v))?;
            }
        } else if mime == "application/json" || mime.ends_with("+json") || mime.is_empty() {
            let value: Value = serde_json::from_slice(body)
                .map_err(|e| Error::invalid(format!("invalid JSON body: {e}")))?;
            let Value::Object(map) = value else {
                return Err(Error::invalid("the JSON body must be an object"));
            };
            for (k, v) in map {
                self.insert(k, v)?;
            }
        } else {
            return Err(Error::invalid(format!(
                "unsupported body type `{mime}`: send parameters in the query, \
                 as application/x-www-form-urlencoded or as application/json"
            )));
        }
        self.take_token()
    }

    /// The caller, from the credential sent.
    pub async fn principal<P: Backend>(
        &self,
        service: &MediaService<P>,
    ) -> Result<Principal, Error> {
        authenticate(service, self.token.as_deref(), CARRIERS).await
    }

    /// The raw credential (the upload handler authenticates lazily).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// A text parameter. JSON numbers and booleans are taken as their text;
    /// `null` as empty.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, Error> {
        match self.fields.remove(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Null) => Ok(Some(String::new())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(Error::invalid(format!("`{name}` must be a string"))),
        }
    }

    /// A text parameter that must be present and not blank.
    pub fn required(&mut self, name: &str) -> Result<String, Error> {
        match self.text(name)? {
            Some(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
            _ => Err(Error::invalid(format!(
                "the parameter `{name}` is required"
            ))),
        }
    }

    /// A boolean: `true`/`false` in any case (Python clients send `True`),
    /// `1`/`0`, or a JSON boolean or number.
    pub fn boolean(&mut self, name: &str) -> Result<Option<bool>, Error> {
        let bad = || Error::invalid(format!("`{name}` must be true or false"));
        match self.fields.remove(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(0) => Ok(Some(false)),
                Some(1) => Ok(Some(true)),
                _ => Err(bad()),
            },
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(Some(true)),
                "false" | "0" => Ok(Some(false)),
                _ => Err(bad()),
            },
            Some(_) => Err(bad()),
        }
    }

    /// A non-negative integer: digits, or a JSON number. Values past
    /// `u64` are refused, not wrapped.
    pub fn count(&mut self, name: &str) -> Result<Option<u64>, Error> {
        let bad = || Error::invalid(format!("`{name}` must be a non-negative integer"));
        match self.fields.remove(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(bad),
            Some(Value::String(s)) => {
                let s = s.trim();
                if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                s.parse().map(Some).map_err(|_| bad())
            }
            Some(_) => Err(bad()),
        }
    }

    pub fn required_boolean(&mut self, name: &str) -> Result<bool, Error> {
        self.boolean(name)?
            .ok_or_else(|| Error::invalid(format!("the parameter `{name}` is required")))
    }

    /// Whether a parameter was sent (not consumed).
    pub fn has(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }

    /// Refuses parameters the endpoint did not read.
    pub fn finish(self) -> Result<(), Error> {
        match self.fields.keys().next() {
            None => Ok(()),
            Some(name) => Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("unknown parameter `{name}`"),
            )),
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = RpcError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let mut params = Params::from_parts(&parts.uri, &parts.headers)?;
        let too_large = || {
            Error::invalid(format!(
                "the parameters body is over {} KiB",
                MAX_PARAMS_BODY / 1024
            ))
        };
        let bytes = read(
            &parts.headers,
            body,
            MAX_PARAMS_BODY,
            MAX_PARAMS_BODY,
            too_large,
        )
        .await?;
        params.add_body(&parts.headers, &bytes)?;
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(content_type: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).unwrap(),
        );
        h
    }

    #[test]
    fn query_form_and_json_merge_and_the_token_is_taken_out() {
        let uri: Uri = "/x?media_ID=abc&auth_token=mk_q".parse().unwrap();
        let mut p = Params::from_parts(&uri, &HeaderMap::new()).unwrap();
        p.add_body(
            &headers("application/json"),
            br#"{"mark_as_deleted": false, "n": 1}"#,
        )
        .unwrap();
        assert_eq!(p.token(), Some("mk_q"));
        assert_eq!(p.required("media_ID").unwrap(), "abc");
        assert!(!p.required_boolean("mark_as_deleted").unwrap());
        assert_eq!(p.text("n").unwrap().as_deref(), Some("1"));
        p.finish().unwrap();

        let mut p = Params::from_parts(&"/x".parse().unwrap(), &HeaderMap::new()).unwrap();
        p.add_body(
            &headers("application/x-www-form-urlencoded; charset=utf-8"),
            b"is_unlisted=True&auth_token=mk_f",
        )
        .unwrap();
        assert_eq!(p.token(), Some("mk_f"));
        assert_eq!(p.boolean("is_unlisted").unwrap(), Some(true));
    }

    #[test]
    fn duplicates_unknowns_and_bad_values_are_refused() {
        let uri: Uri = "/x?media_ID=a".parse().unwrap();
        let mut p = Params::from_parts(&uri, &HeaderMap::new()).unwrap();
        assert!(
            p.add_body(&headers("application/x-www-form-urlencoded"), b"media_ID=b")
                .is_err()
        );
        let uri: Uri = "/x?a=1&a=2".parse().unwrap();
        assert!(Params::from_parts(&uri, &HeaderMap::new()).is_err());
        let mut p =
            Params::from_parts(&"/x?flag=maybe&extra=1".parse().unwrap(), &HeaderMap::new())
                .unwrap();
        assert!(p.boolean("flag").is_err());
        let mut n = Params::from_parts(
            &"/x?a=12&b=-1&c=1.5&d=99999999999999999999&e="
                .parse()
                .unwrap(),
            &HeaderMap::new(),
        )
        .unwrap();
        assert_eq!(n.count("a").unwrap(), Some(12));
        assert_eq!(n.count("missing").unwrap(), None);
        for bad in ["b", "c", "d", "e"] {
            assert!(n.count(bad).is_err(), "{bad}");
        }
        assert!(p.required("missing").is_err());
        assert!(p.finish().is_err(), "extra is unknown");
        let mut p = Params::default();
        assert!(p.add_body(&headers("application/json"), b"[1]").is_err());
        assert!(p.add_body(&headers("text/plain"), b"media_ID=1").is_err());
    }
}
