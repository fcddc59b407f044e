//! Forged SVG inputs: one function per attack, each a whole SVG file. The
//! hostile suite (tests/tests/hostile/svg.rs) asserts each is refused; the
//! benchmark (tests/examples/bench_hostile.rs) times them.

const SVG_NS: &str = r#"xmlns="http://www.w3.org/2000/svg""#;

/// An SVG around `body`, with the SVG namespace.
fn svg(body: &str) -> Vec<u8> {
    format!(r#"<svg {SVG_NS} width="10" height="10">{body}</svg>"#).into_bytes()
}

/// One attribute holding `n` bare `&`. Each starts a reference that never
/// ends; the old decoder searched for `;` to the end of the value for
/// each one (quadratic: 1 MiB took 53 s) and then accepted the file.
pub fn svg_ampersand_flood(n: usize) -> Vec<u8> {
    svg(&format!(r#"<g id="{}"/>"#, "&".repeat(n)))
}

/// The same size of references, all valid (`&amp;`): a well-formed file
/// that must be accepted, in linear time.
pub fn svg_amp_entities(bytes: usize) -> Vec<u8> {
    svg(&format!(r#"<g id="{}"/>"#, "&amp;".repeat(bytes / 5)))
}

/// A `javascript:` link whose `j` is a character reference with leading
/// zeros (`&#00000000106;`), which the old check did not decode.
pub fn svg_char_ref_padded_js() -> Vec<u8> {
    svg(
        r#"<a href="&#00000000106;avascript:alert(document.domain)"><rect width="10" height="10"/></a>"#,
    )
}

/// An `<image>` loading from another origin (tracking, or content swapped
/// after moderation).
pub fn svg_external_image() -> Vec<u8> {
    svg(r#"<image href="https://evil.example/track.png" width="10" height="10"/>"#)
}

/// A CSS `url()` to another origin, in a `style` attribute.
pub fn svg_css_url() -> Vec<u8> {
    svg(r#"<rect width="10" height="10" style="fill:url(https://evil.example/paint.svg#p)"/>"#)
}

/// A stylesheet `@import`, spelled with a CSS escape (`@\69mport` is
/// `@import` to a browser) so that a plain substring check misses it.
pub fn svg_import() -> Vec<u8> {
    svg(r"<style>@\69mport url(https://evil.example/x.css);</style><rect width='1' height='1'/>")
}

/// An `<img>` of the XHTML namespace inside the SVG: no event handler, no
/// script, but a request to another origin whenever the SVG is shown.
pub fn svg_xhtml_image() -> Vec<u8> {
    svg(r#"<h:img xmlns:h="http://www.w3.org/1999/xhtml" src="https://evil.example/track.png"/>"#)
}

/// An `onload` event handler on the root.
pub fn svg_onload() -> Vec<u8> {
    format!(r#"<svg {SVG_NS} onload="alert(document.domain)"/>"#).into_bytes()
}

/// An animation that sets an event handler attribute, its name hidden
/// behind a zero-padded character reference (`&#0000000111;` is `o`).
pub fn svg_animated_handler() -> Vec<u8> {
    svg(r#"<set attributeName="&#0000000111;nload" to="alert(document.domain)"/>"#)
}

/// A DOCTYPE whose SYSTEM identifier names a DTD on another origin
/// (fetched by XML processors that load external DTDs: XXE).
pub fn svg_doctype_system() -> Vec<u8> {
    let mut out = br#"<!DOCTYPE svg SYSTEM "https://evil.example/x.dtd">"#.to_vec();
    out.extend(svg(r#"<rect width="1" height="1"/>"#));
    out
}

/// The classic "billion laughs": `levels` entities each expanding to ten
/// of the previous one.
pub fn svg_billion_laughs(levels: usize) -> Vec<u8> {
    let mut dtd = String::from(r#"<!ENTITY lol0 "lol">"#);
    for i in 1..=levels {
        let prev = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!(r#"<!ENTITY lol{i} "{prev}">"#));
    }
    let mut out = format!("<!DOCTYPE svg [{dtd}]>").into_bytes();
    out.extend(svg(&format!("<text>&lol{levels};</text>")));
    out
}

/// A DOCTYPE internal subset that gives `<svg>` a default `onload`
/// attribute: the element does not show it, the DTD adds it.
pub fn svg_doctype_attlist() -> Vec<u8> {
    let mut out =
        br#"<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(document.domain)">]>"#.to_vec();
    out.extend(svg(r#"<rect width="1" height="1"/>"#));
    out
}

/// `depth` nested groups (each costs every viewer a stack frame).
pub fn svg_deep_nesting(depth: usize) -> Vec<u8> {
    svg(&format!("{}{}", "<g>".repeat(depth), "</g>".repeat(depth)))
}

/// A benign drawing as design tools export them: gradients, text on a
/// path, reuse through `use`, a CDATA stylesheet with `url(#…)` fills,
/// `xlink:href`. It must stay accepted.
pub fn svg_benign() -> Vec<u8> {
    br##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Generator: a design tool -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="200" height="100" viewBox="0 0 200 100">
  <title>Benign drawing</title>
  <style><![CDATA[ .sky { fill: url(#sky) } .label { font-family: sans-serif; font-size: 12px } ]]></style>
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2b6cb0"/><stop offset="1" stop-color="#bee3f8"/>
    </linearGradient>
    <radialGradient id="sun" xlink:href="#sky" cx=".5" cy=".5" r=".5"/>
    <symbol id="dot" viewBox="0 0 2 2"><circle cx="1" cy="1" r="1"/></symbol>
    <path id="arc" d="M10 90 Q100 10 190 90"/>
  </defs>
  <rect class="sky" width="200" height="100"/>
  <circle cx="160" cy="30" r="12" fill="url(#sun)"/>
  <use href="#dot" x="20" y="20" width="4" height="4"/>
  <use xlink:href="#dot" x="30" y="24" width="4" height="4"/>
  <text class="label"><textPath href="#arc">Hello &amp; welcome</textPath></text>
</svg>
"##
    .to_vec()
}
