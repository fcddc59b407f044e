//! What an SVG may contain: the elements and attributes of static vector
//! drawings (shapes, text, paint servers, clipping, masking, filters),
//! after DOMPurify's `svg` + `svgFilters` profiles. Anything not listed
//! is refused, so a feature a browser adds later is refused until someone
//! reads it and lists it.
//!
//! Left out on purpose: `script`, `foreignObject` (embeds HTML), the
//! animation elements (`animate`, `set`, ... can rewrite `href` into a
//! `javascript:` URL at run time), `feImage` (loads other documents),
//! `iframe`/`embed`/`object`/`handler`/`listener`, and every element or
//! attribute in another namespace than SVG's (except `xlink:href`,
//! `xlink:title` and `xml:space`/`xml:lang`). Names are compared exactly
//! (XML is case-sensitive; an HTML parser would lowercase `ONCLICK` into a
//! handler, so no near-miss spelling is tolerated either).
//!
//! Each list is sorted (byte order) for binary search; a test checks it.

/// The SVG namespace: the only one a default `xmlns` may name.
pub(super) const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// The XLink namespace: the only other one that may be declared, as
/// `xmlns:xlink` (besides SVG's own as `xmlns:svg`).
pub(super) const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

pub(super) const ELEMENTS: &[&str] = &[
    "a",
    "circle",
    "clipPath",
    "defs",
    "desc",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "g",
    "image",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "metadata",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
    "view",
];

/// Attributes allowed on any listed element. `href`/`xlink:href` and the
/// namespace declarations are not here: they have rules of their own
/// (see `policy`). Every value is also held to the CSS value check, as
/// presentation attributes are CSS (`fill="url(...)"`).
pub(super) const ATTRIBUTES: &[&str] = &[
    "alignment-baseline",
    "amplitude",
    "azimuth",
    "baseFrequency",
    "baseProfile",
    "baseline-shift",
    "bias",
    "class",
    "clip",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "color",
    "color-interpolation",
    "color-interpolation-filters",
    "color-rendering",
    "cursor",
    "cx",
    "cy",
    "d",
    "diffuseConstant",
    "direction",
    "display",
    "divisor",
    "dominant-baseline",
    "dx",
    "dy",
    "edgeMode",
    "elevation",
    "enable-background",
    "exponent",
    "fill",
    "fill-opacity",
    "fill-rule",
    "filter",
    "filterUnits",
    "flood-color",
    "flood-opacity",
    "font",
    "font-family",
    "font-size",
    "font-size-adjust",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "fr",
    "fx",
    "fy",
    "glyph-orientation-horizontal",
    "glyph-orientation-vertical",
    "gradientTransform",
    "gradientUnits",
    "height",
    "id",
    "image-rendering",
    "in",
    "in2",
    "intercept",
    "k1",
    "k2",
    "k3",
    "k4",
    "kernelMatrix",
    "kernelUnitLength",
    "kerning",
    "lang",
    "lengthAdjust",
    "letter-spacing",
    "lighting-color",
    "limitingConeAngle",
    "marker",
    "marker-end",
    "marker-mid",
    "marker-start",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "mask",
    "mask-type",
    "maskContentUnits",
    "maskUnits",
    "media",
    "method",
    "mode",
    "numOctaves",
    "offset",
    "opacity",
    "operator",
    "order",
    "orient",
    "overflow",
    "paint-order",
    "path",
    "pathLength",
    "patternContentUnits",
    "patternTransform",
    "patternUnits",
    "pointer-events",
    "points",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "preserveAlpha",
    "preserveAspectRatio",
    "primitiveUnits",
    "r",
    "radius",
    "refX",
    "refY",
    "requiredExtensions",
    "requiredFeatures",
    "result",
    "role",
    "rotate",
    "rx",
    "ry",
    "scale",
    "seed",
    "shape-rendering",
    "side",
    "slope",
    "spacing",
    "specularConstant",
    "specularExponent",
    "spreadMethod",
    "startOffset",
    "stdDeviation",
    "stitchTiles",
    "stop-color",
    "stop-opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "style",
    "surfaceScale",
    "systemLanguage",
    "tableValues",
    "targetX",
    "targetY",
    "text-anchor",
    "text-decoration",
    "text-rendering",
    "textLength",
    "transform",
    "transform-origin",
    "type",
    "unicode-bidi",
    "values",
    "vector-effect",
    "version",
    "viewBox",
    "visibility",
    "width",
    "word-spacing",
    "writing-mode",
    "x",
    "x1",
    "x2",
    "xChannelSelector",
    "xlink:title",
    "xml:lang",
    "xml:space",
    "y",
    "y1",
    "y2",
    "yChannelSelector",
    "z",
    "zoomAndPan",
];

pub(super) fn element(name: &str) -> bool {
    ELEMENTS.binary_search(&name).is_ok()
}

/// A listed attribute, or an inert `data-*` / `aria-*` one (design tools
/// write `data-name`; screen readers read `aria-label`).
pub(super) fn attribute(name: &str) -> bool {
    if ATTRIBUTES.binary_search(&name).is_ok() {
        return true;
    }
    ["data-", "aria-"].iter().any(|prefix| {
        name.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_for_binary_search() {
        for list in [ELEMENTS, ATTRIBUTES] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn lookups() {
        assert!(element("linearGradient") && element("feTurbulence"));
        assert!(!element("script") && !element("foreignObject") && !element("SVG"));
        assert!(!element("feImage") && !element("animate") && !element("set"));
        assert!(attribute("viewBox") && attribute("stroke-width"));
        assert!(attribute("data-name") && attribute("aria-label"));
        assert!(!attribute("data-") && !attribute("data-X") && !attribute("data-a:b"));
        assert!(!attribute("viewbox") && !attribute("onload") && !attribute("href"));
        assert!(!attribute("xml:base") && !attribute("ping") && !attribute("src"));
    }
}
