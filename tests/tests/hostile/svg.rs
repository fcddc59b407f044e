//! Hostile SVGs: each is refused with 422 and a stable code, and nothing
//! is stored. The SVG policy is an allow-list; these are the attacks it
//! must stop, built by `mediakit_e2e::forge::svg`.

use mediakit_e2e::forge::svg::*;
use mediakit_e2e::{Target, unique};

/// Uploads `bytes` as a uniquely named SVG and asserts the refusal.
fn assert_svg_refused(t: &Target, status: u16, code: &str, what: &str, bytes: &[u8]) {
    let name = format!("{}.svg", unique(what));
    t.assert_refused(status, code, &name, || t.upload(&name, bytes));
}

#[test]
fn an_ampersand_flood_is_not_well_formed() {
    let t = Target::start();
    // 256 KiB of `&` in one attribute: before the allow-list this took
    // seconds of quadratic decoding and was then stored (201).
    assert_svg_refused(
        &t,
        422,
        "svg_invalid",
        "amp-flood",
        &svg_ampersand_flood(256 * 1024),
    );
    // The same size of valid references is a well-formed, harmless file.
    let name = format!("{}.svg", unique("amp-entities"));
    let res = t.upload(&name, &svg_amp_entities(256 * 1024));
    assert_eq!(res.status(), 201, "{}", res.text().unwrap_or_default());
}

#[test]
fn an_entity_padded_javascript_link_is_unsafe() {
    let t = Target::start();
    assert_svg_refused(
        &t,
        422,
        "svg_unsafe",
        "padded-js",
        &svg_char_ref_padded_js(),
    );
}

#[test]
fn external_references_are_unsafe() {
    let t = Target::start();
    for (what, bytes) in [
        ("external-image", svg_external_image()),
        ("css-url", svg_css_url()),
        ("css-import", svg_import()),
        ("xhtml-image", svg_xhtml_image()),
    ] {
        assert_svg_refused(&t, 422, "svg_unsafe", what, &bytes);
    }
}

#[test]
fn event_handlers_are_unsafe_however_spelt() {
    let t = Target::start();
    assert_svg_refused(&t, 422, "svg_unsafe", "onload", &svg_onload());
    assert_svg_refused(
        &t,
        422,
        "svg_unsafe",
        "animated-handler",
        &svg_animated_handler(),
    );
}

#[test]
fn doctypes_that_declare_or_fetch_are_unsafe() {
    let t = Target::start();
    for (what, bytes) in [
        ("doctype-system", svg_doctype_system()),
        ("doctype-attlist", svg_doctype_attlist()),
        ("billion-laughs", svg_billion_laughs(9)),
    ] {
        assert_svg_refused(&t, 422, "svg_unsafe", what, &bytes);
    }
}

#[test]
fn deep_nesting_is_too_complex() {
    let t = Target::start();
    assert_svg_refused(
        &t,
        422,
        "image_too_complex",
        "deep",
        &svg_deep_nesting(100_000),
    );
}

#[test]
fn a_benign_drawing_is_stored_as_sent() {
    let t = Target::start();
    let bytes = svg_benign();
    let name = format!("{}.svg", unique("benign"));
    let res = t.upload(&name, &bytes);
    let status = res.status();
    let media: serde_json::Value = res.json().unwrap();
    assert_eq!(status, 201, "{media}");
    assert_eq!(
        (media["width"].as_u64(), media["height"].as_u64()),
        (Some(200), Some(100))
    );
    let id = media["id"].as_str().unwrap();
    let stored = t.get(&format!("/uploads/media/{id}.svg")).send().unwrap();
    assert_eq!(stored.bytes().unwrap().as_ref(), bytes.as_slice());
}
