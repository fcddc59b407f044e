//! `/api/docs`: the OpenAPI document rendered as one HTML page, here, from
//! the document itself, once per process.
//!
//! Why our own page rather than Swagger UI, Redoc or Scalar: those are
//! JavaScript applications of 1 to 3 MB that fetch their code from a CDN
//! unless it is embedded, and embedded it would be in every binary and in
//! the edge worker (whose size is capped) for a page few people open. This
//! page is a few kilobytes, needs no network and no script at all, so its
//! Content-Security-Policy forbids scripts outright. (The web page's CSP,
//! native-server's web_demo.rs, covers `/` and `/assets/` only; this route
//! is the API's and sets its own.) Trying requests out is what curl and
//! the generated clients are for.

use std::fmt::Write;
use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::{SPEC_PATH, document};

/// No script, nothing from elsewhere; the styles are inline.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;\
padding:1rem 1.5rem;color:#1d2330}code{font:13px ui-monospace,monospace;background:#f1f3f6;\
padding:0 .2em;border-radius:3px}table{border-collapse:collapse;width:100%;margin:.5rem 0}\
th,td{border-bottom:1px solid #dde1e7;padding:.3rem .5rem;text-align:left;vertical-align:top}\
section{border-top:1px solid #c8ced8;margin-top:1.5rem}.m{font-weight:700;\
text-transform:uppercase;margin-right:.5em}nav li{list-style:none}a{color:#1a56b8}";

/// The page, with its headers.
pub fn response() -> Response {
    static PAGE: OnceLock<String> = OnceLock::new();
    let html = PAGE.get_or_init(|| {
        let doc = serde_json::to_value(document()).expect("the document serializes");
        render(&doc)
    });
    let mut res = html.as_str().into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The whole page for a document (`doc` as JSON).
pub fn render(doc: &Value) -> String {
    let title = text(&doc["info"]["title"]);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{t}</title><style>{STYLE}</style></head><body><h1>{t} <small>{v}</small></h1>\
         {d}<p>The same as OpenAPI 3.1: <a href=\"{SPEC_PATH}\"><code>{SPEC_PATH}</code></a>.</p>",
        t = esc(title),
        v = esc(text(&doc["info"]["version"])),
        d = prose(text(&doc["info"]["description"])),
    );
    let ops = operations(doc);
    let tags = doc["tags"].as_array().cloned().unwrap_or_default();
    out.push_str("<nav><h2>Operations</h2><ul>");
    for tag in &tags {
        let name = text(&tag["name"]);
        let _ = write!(out, "<li><b>{}</b><ul>", esc(name));
        for (method, path, op) in ops.iter().filter(|(_, _, op)| has_tag(op, name)) {
            let _ = write!(
                out,
                "<li><a href=\"#{id}\"><span class=\"m\">{method}</span><code>{p}</code></a> {s}</li>",
                id = esc(text(&op["operationId"])),
                p = esc(path),
                s = esc(text(&op["summary"])),
            );
        }
        out.push_str("</ul></li>");
    }
    out.push_str("<li><a href=\"#schemas\"><b>Schemas</b></a></li></ul></nav>");
    for tag in &tags {
        let name = text(&tag["name"]);
        let _ = write!(
            out,
            "<h2>{}</h2>{}",
            esc(name),
            prose(text(&tag["description"]))
        );
        for (method, path, op) in ops.iter().filter(|(_, _, op)| has_tag(op, name)) {
            operation(&mut out, method, path, op);
        }
    }
    out.push_str("<h2 id=\"schemas\">Schemas</h2>");
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            schema_section(&mut out, name, schema);
        }
    }
    out.push_str("</body></html>");
    out
}

fn operations(doc: &Value) -> Vec<(&'static str, &str, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                ops.push((method, path.as_str(), op));
            }
        }
    }
    ops
}

fn has_tag(op: &Value, tag: &str) -> bool {
    op["tags"]
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t == tag))
}

fn operation(out: &mut String, method: &str, path: &str, op: &Value) {
    let _ = write!(
        out,
        "<section id=\"{id}\"><h3><span class=\"m\">{method}</span><code>{p}</code></h3>\
         <p><b>{s}</b></p>{d}<p>Authorization: {a}</p>",
        id = esc(text(&op["operationId"])),
        p = esc(path),
        s = esc(text(&op["summary"])),
        d = prose(text(&op["description"])),
        a = security(&op["security"]),
    );
    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        out.push_str("<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>About</th></tr>");
        for p in params {
            let required = if p["required"] == true {
                " (required)"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<tr><td><code>{n}</code>{required}</td><td>{i}</td><td>{t}</td><td>{d}</td></tr>",
                n = esc(text(&p["name"])),
                i = esc(text(&p["in"])),
                t = type_of(&p["schema"]),
                d = inline(text(&p["description"])),
            );
        }
        out.push_str("</table>");
    }
    for (media, content) in op["requestBody"]["content"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let _ = write!(
            out,
            "<p>Body: <code>{}</code> {}</p>",
            esc(media),
            type_of(&content["schema"])
        );
    }
    out.push_str("<table><tr><th>Status</th><th>Answer</th><th>Body</th></tr>");
    for (status, res) in op["responses"].as_object().into_iter().flatten() {
        let bodies: Vec<String> = res["content"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(media, c)| format!("<code>{}</code> {}", esc(media), type_of(&c["schema"])))
            .collect();
        let headers: Vec<String> = res["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, _)| format!("<code>{}</code>", esc(name)))
            .collect();
        let headers = match headers.is_empty() {
            true => String::new(),
            false => format!("<br>Headers: {}", headers.join(", ")),
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}{headers}</td><td>{}</td></tr>",
            esc(status),
            inline(text(&res["description"])),
            bodies.join("<br>"),
        );
    }
    out.push_str("</table></section>");
}

/// "public", or the alternatives: `media:edit` or `media:upload`.
fn security(requirements: &Value) -> String {
    let alternatives: Vec<String> = requirements
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter(|r| !r.is_empty())
        .map(|r| {
            let scopes: Vec<String> = r
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .map(|s| format!("<code>{}</code>", esc(text(s))))
                .collect();
            format!("a token with {}", scopes.join(" and "))
        })
        .collect();
    match alternatives.is_empty() {
        true => "none (public)".to_owned(),
        false => alternatives.join(", or "),
    }
}

fn schema_section(out: &mut String, name: &str, schema: &Value) {
    let _ = write!(
        out,
        "<section id=\"schema-{n}\"><h3>{n}</h3>{d}",
        n = esc(name),
        d = prose(text(&schema["description"])),
    );
    let props = schema["properties"].as_object();
    match props {
        Some(props) => property_table(out, props, &schema["required"]),
        None => {
            let _ = write!(out, "<p>{}</p>", type_of(schema));
        }
    }
    out.push_str("</section>");
}

fn property_table(out: &mut String, props: &Map<String, Value>, required: &Value) {
    out.push_str("<table><tr><th>Field</th><th>Type</th><th>About</th></tr>");
    for (field, schema) in props {
        let always = required
            .as_array()
            .is_some_and(|r| r.iter().any(|f| f == field.as_str()));
        let _ = write!(
            out,
            "<tr><td><code>{f}</code>{r}</td><td>{t}</td><td>{d}</td></tr>",
            f = esc(field),
            r = if always { " (always)" } else { "" },
            t = type_of(schema),
            d = inline(text(&schema["description"])),
        );
    }
    out.push_str("</table>");
}

/// A schema in a few words: a link to a named one, a type with its
/// format, the values of an enum, an array of something.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{n}\">{n}</a>", n = esc(name));
    }
    for combinator in ["allOf", "oneOf", "anyOf"] {
        if let Some(parts) = schema[combinator].as_array() {
            // The error responses narrow `ErrorBody`'s code: their
            // descriptions list the codes, so the named part is enough.
            let named: Vec<String> = parts
                .iter()
                .filter(|p| p.get("$ref").is_some() || combinator != "allOf")
                .map(type_of)
                .collect();
            return named.join(" or ");
        }
    }
    let mut types: Vec<String> = match &schema["type"] {
        Value::String(t) => vec![t.clone()],
        Value::Array(ts) => ts.iter().map(|t| text(t).to_owned()).collect(),
        _ => Vec::new(),
    };
    if let Some(i) = types.iter().position(|t| t == "array") {
        types[i] = format!("array of {}", type_of(&schema["items"]));
    } else {
        types.iter_mut().for_each(|t| *t = esc(t));
    }
    let mut out = if types.is_empty() {
        "any".to_owned()
    } else {
        types.join(" or ")
    };
    if let Some(format) = schema["format"].as_str() {
        let _ = write!(out, " ({})", esc(format));
    }
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values
            .iter()
            .map(|v| format!("<code>{}</code>", esc(text(v))))
            .collect();
        let _ = write!(out, ": {}", values.join(", "));
    }
    out
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Escapes text for HTML (content and attribute values).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The little Markdown the descriptions use: `code` spans.
fn inline(s: &str) -> String {
    esc(s)
        .split('`')
        .enumerate()
        .map(|(i, part)| match i % 2 {
            1 => format!("<code>{part}</code>"),
            _ => part.to_owned(),
        })
        .collect()
}

/// Paragraphs (blank-line separated) of [`inline`] text.
fn prose(s: &str) -> String {
    s.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", inline(p)))
        .collect()
}
