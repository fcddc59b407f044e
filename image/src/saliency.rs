//! Where a `cover` crop should look when the image has no focal point: the
//! window with the most "attention" in it, in the manner of libvips'
//! `attention` smart crop. Each pixel of a small copy of the image scores
//! its local contrast (edges: what has detail), its saturation (what is
//! colourful) and whether it has a skin tone (people), weighted by its
//! opacity; the window of the crop's size with the highest total wins.
//!
//! It runs on a copy of at most [`SALIENCY_SIDE`] pixels a side, so it costs
//! the same whatever the image's size (a few thousand pixels, a few hundred
//! window positions).

use crate::pixels::Pixels;

/// The longest side of the copy saliency is computed on.
pub(crate) const SALIENCY_SIDE: u32 = 64;

/// The focus (centre of the best window, fractions of the image) for a
/// window of `crop_w` × `crop_h` (fractions) over `small`, an image in
/// displayed orientation. A flat image has its focus at the centre.
pub(crate) fn salient_focus(small: &Pixels, crop_w: f64, crop_h: f64) -> (f64, f64) {
    let (w, h) = (small.width as usize, small.height as usize);
    if w == 0 || h == 0 {
        return (0.5, 0.5);
    }
    let scores = scores(small);
    // Summed-area table, one row and column of zeros in front.
    let mut table = vec![0f64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0f64;
        for x in 0..w {
            row += scores[y * w + x];
            table[(y + 1) * (w + 1) + x + 1] = table[y * (w + 1) + x + 1] + row;
        }
    }
    let total = table[(w + 1) * (h + 1) - 1];
    let win_w = ((crop_w * w as f64).round() as usize).clamp(1, w);
    let win_h = ((crop_h * h as f64).round() as usize).clamp(1, h);
    let sum = |x: usize, y: usize| {
        let at = |x: usize, y: usize| table[y * (w + 1) + x];
        at(x + win_w, y + win_h) - at(x, y + win_h) - at(x + win_w, y) + at(x, y)
    };
    // Between windows of (nearly) equal interest, the more central one: a
    // penalty of up to 2 % of the image's mean window sum at the corners.
    let positions = ((w - win_w + 1) * (h - win_h + 1)) as f64;
    let bias = (0.02 * total / positions.max(1.0)).max(1e-9);
    let (cx, cy) = ((w - win_w) as f64 / 2.0, (h - win_h) as f64 / 2.0);
    let mut best = (f64::MIN, 0usize, 0usize);
    for y in 0..=h - win_h {
        for x in 0..=w - win_w {
            let off = (x as f64 - cx).abs() / cx.max(1.0) + (y as f64 - cy).abs() / cy.max(1.0);
            let value = sum(x, y) - bias * off;
            if value > best.0 {
                best = (value, x, y);
            }
        }
    }
    let (_, x, y) = best;
    (
        (x as f64 + win_w as f64 / 2.0) / w as f64,
        (y as f64 + win_h as f64 / 2.0) / h as f64,
    )
}

/// Each pixel's interest: edge strength + saturation/2 + a skin bonus,
/// times opacity.
fn scores(img: &Pixels) -> Vec<f64> {
    let (w, h, ch) = (img.width as usize, img.height as usize, img.channels);
    let color = ch >= 3;
    let px = |x: usize, y: usize| &img.data[(y * w + x) * ch..(y * w + x + 1) * ch];
    let luma: Vec<f64> = (0..w * h)
        .map(|i| {
            let p = px(i % w, i / w);
            if color {
                0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2])
            } else {
                f64::from(p[0])
            }
        })
        .collect();
    let l = |x: usize, y: usize| luma[y * w + x];
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let around = l(x.saturating_sub(1), y)
                + l((x + 1).min(w - 1), y)
                + l(x, y.saturating_sub(1))
                + l(x, (y + 1).min(h - 1));
            let edge = (4.0 * l(x, y) - around).abs();
            let p = px(x, y);
            let (saturation, skin) = if color {
                let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
                let spread = r.max(g).max(b) - r.min(g).min(b);
                // The classic RGB skin rule (Kovac et al., daylight).
                let skin = r > 95 && g > 40 && b > 20 && spread > 15 && (r - g) > 15 && r > b;
                (f64::from(spread), if skin { 96.0 } else { 0.0 })
            } else {
                (0.0, 0.0)
            };
            let opacity = if ch % 2 == 0 {
                f64::from(p[ch - 1]) / 255.0
            } else {
                1.0
            };
            out.push((edge + saturation / 2.0 + skin) * opacity);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grey field with a detailed red patch centred at (`px`, `py`).
    fn scene(w: u32, h: u32, px: u32, py: u32) -> Pixels {
        let mut data = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let near = x.abs_diff(px) < 4 && y.abs_diff(py) < 4;
                let rgb = if near && (x + y) % 2 == 0 {
                    [220, 30, 30]
                } else if near {
                    [40, 10, 10]
                } else {
                    [128, 128, 128]
                };
                data.extend_from_slice(&rgb);
            }
        }
        Pixels {
            width: w,
            height: h,
            channels: 3,
            data,
        }
    }

    #[test]
    fn the_window_goes_where_the_detail_is() {
        // A half-width window must hold the patch (x 50..58 of 64, or 4..12).
        let holds =
            |fx: f64, from: f64, to: f64| fx - 0.25 <= from / 64.0 && fx + 0.25 >= to / 64.0;
        let (fx, fy) = salient_focus(&scene(64, 32, 54, 16), 0.5, 1.0);
        assert!(holds(fx, 50.0, 58.0), "{fx}");
        assert_eq!(fy, 0.5);
        let (fx, _) = salient_focus(&scene(64, 32, 8, 16), 0.5, 1.0);
        assert!(holds(fx, 4.0, 12.0), "{fx}");
    }

    #[test]
    fn a_flat_image_keeps_the_centre() {
        let flat = Pixels {
            width: 40,
            height: 20,
            channels: 1,
            data: vec![77; 800],
        };
        assert_eq!(salient_focus(&flat, 0.5, 1.0), (0.5, 0.5));
    }

    #[test]
    fn transparent_pixels_draw_no_attention() {
        // Detail everywhere, but only the left quarter is opaque.
        let (w, h) = (40u32, 10u32);
        let mut data = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let v = if (x + y) % 2 == 0 { 250 } else { 5 };
                data.extend_from_slice(&[v, if x < 10 { 255 } else { 0 }]);
            }
        }
        let img = Pixels {
            width: w,
            height: h,
            channels: 2,
            data,
        };
        let (fx, _) = salient_focus(&img, 0.25, 1.0);
        assert!(fx <= 0.2, "{fx}");
    }
}
