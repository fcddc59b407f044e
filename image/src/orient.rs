//! EXIF orientation applied to pixels. The pipeline applies it AFTER
//! resizing: resizing is the same on both axes, so the result is identical and
//! only the small image gets rotated.

use crate::pixels::Pixels;

/// Returns the image as displayed for `orientation` (1..=8; anything else is
/// treated as 1).
pub(crate) fn apply(src: Pixels, orientation: u8) -> Pixels {
    if !(2..=8).contains(&orientation) {
        return src;
    }
    let (w, h) = (src.width as usize, src.height as usize);
    let ch = src.channels;
    let swaps = orientation >= 5;
    let (dw, dh) = if swaps { (h, w) } else { (w, h) };
    let (wi, hi) = (w as isize, h as isize);
    let mut data = Vec::with_capacity(src.data.len());
    for y in 0..dh as isize {
        // The source pixel of display (0, y), and the source step (in pixels)
        // for each display step to the right.
        let ((sx, sy), step) = match orientation {
            2 => ((wi - 1, y), -1),
            3 => ((wi - 1, hi - 1 - y), -1),
            4 => ((0, hi - 1 - y), 1),
            5 => ((y, 0), wi),
            6 => ((y, hi - 1), -wi),
            7 => ((wi - 1 - y, hi - 1), -wi),
            _ => ((wi - 1 - y, 0), wi),
        };
        let mut at = sy * wi + sx;
        for _ in 0..dw {
            let i = at as usize * ch;
            data.extend_from_slice(&src.data[i..i + ch]);
            at += step;
        }
    }
    Pixels {
        width: dw as u32,
        height: dh as u32,
        channels: ch,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, RgbImage, metadata::Orientation};

    #[test]
    fn matches_image_crate_for_every_orientation() {
        let (w, h) = (5u32, 3u32);
        let data: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
        let src = Pixels {
            width: w,
            height: h,
            channels: 3,
            data: data.clone(),
        };
        for o in 1..=8u8 {
            let mut expected =
                DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, data.clone()).unwrap());
            expected.apply_orientation(Orientation::from_exif(o).unwrap());
            let got = apply(src.clone(), o);
            assert_eq!(
                (got.width, got.height),
                (expected.width(), expected.height()),
                "{o}"
            );
            assert_eq!(got.data, expected.into_rgb8().into_raw(), "orientation {o}");
        }
    }
}
