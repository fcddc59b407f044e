//! SVG: sniffed as text whose first element is `<svg`, then parsed whole
//! by the [`policy`] check (an allow-list: [`allow`] names the parts,
//! [`refs`] decodes references, [`urls`] checks links and CSS); stored as
//! sent (no variants), with the size its root element declares.

mod allow;
mod policy;
mod refs;
mod urls;

#[cfg(test)]
mod tests;

use crate::format::{Format, Parse, SNIFF_WINDOW};

pub(crate) const FORMAT: Format = Format {
    name: "SVG",
    mime_type: "image/svg+xml",
    extensions: &["svg"],
    sniff: looks_like_svg,
    parse: Parse::Stored(policy::inspect),
};

/// Text whose first element (after an XML declaration, comments and a
/// doctype) is `<svg`. The [`policy`] parses it fully afterwards.
fn looks_like_svg(b: &[u8]) -> bool {
    let window = &b[..b.len().min(SNIFF_WINDOW)];
    let window = window.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(window);
    // A multi-byte character may be cut at the window's end.
    let text = match std::str::from_utf8(window) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&window[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return false,
    };
    let mut rest = text.trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            match r.find("?>") {
                Some(i) => rest = r[i + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(r) = rest.strip_prefix("<!--") {
            match r.find("-->") {
                Some(i) => rest = r[i + 3..].trim_start(),
                None => return false,
            }
        } else if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype") {
            // An internal subset (`[ ... ]`) holds `>`s of its own; such a
            // document is still an SVG, which the policy then refuses as
            // unsafe (saying why) rather than as an unknown type.
            let end = match (rest.find('['), rest.find('>')) {
                (Some(open), Some(close)) if open < close => rest[open..].find("]").and_then(|i| {
                    let after = &rest[open + i + 1..];
                    let gap = after.len() - after.trim_start().len();
                    after
                        .trim_start()
                        .starts_with('>')
                        .then(|| open + i + 1 + gap)
                }),
                (_, close) => close,
            };
            match end {
                Some(i) => rest = rest[i + 1..].trim_start(),
                None => return false,
            }
        } else {
            break;
        }
    }
    let Some(r) = rest.strip_prefix("<svg") else {
        return false;
    };
    r.starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
}
