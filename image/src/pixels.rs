//! The decoded image the pipeline works on: 8-bit samples, interleaved, grey
//! (1), grey+alpha (2), RGB (3) or RGBA (4). Grey stays grey so that
//! grayscale originals cost a third of the work.

use image::DynamicImage;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pixels {
    pub width: u32,
    pub height: u32,
    /// 1..=4 interleaved 8-bit samples per pixel; the last one is alpha when
    /// the count is even.
    pub channels: usize,
    pub data: Vec<u8>,
}

impl Pixels {
    pub fn has_alpha(&self) -> bool {
        self.channels.is_multiple_of(2)
    }

    /// Takes the decoder's buffer without copying when it is already 8-bit.
    pub fn from_dynamic(image: DynamicImage) -> Self {
        let (width, height) = (image.width(), image.height());
        let (channels, data) = match image {
            DynamicImage::ImageLuma8(b) => (1, b.into_raw()),
            DynamicImage::ImageLumaA8(b) => (2, b.into_raw()),
            DynamicImage::ImageRgb8(b) => (3, b.into_raw()),
            DynamicImage::ImageRgba8(b) => (4, b.into_raw()),
            // 16-bit and float images are brought down to 8 bits per sample.
            other => {
                let color = other.color();
                match (color.has_color(), color.has_alpha()) {
                    (false, false) => (1, other.into_luma8().into_raw()),
                    (false, true) => (2, other.into_luma_alpha8().into_raw()),
                    (true, false) => (3, other.into_rgb8().into_raw()),
                    (true, true) => (4, other.into_rgba8().into_raw()),
                }
            }
        };
        Self {
            width,
            height,
            channels,
            data,
        }
    }

    /// Drops an alpha channel that is fully opaque, so that the image is
    /// treated (and encoded) as opaque.
    pub fn drop_opaque_alpha(self) -> Self {
        if !self.has_alpha() {
            return self;
        }
        let ch = self.channels;
        if !self.data.chunks_exact(ch).all(|p| p[ch - 1] == u8::MAX) {
            return self;
        }
        self.without_alpha(|color, _| color)
    }

    /// Composites onto white: for output formats without alpha, transparent
    /// areas become white rather than whatever colour they happen to hold.
    pub fn flatten_on_white(self) -> Self {
        if !self.has_alpha() {
            return self;
        }
        self.without_alpha(|color, alpha| {
            let (c, a) = (u32::from(color), u32::from(alpha));
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        })
    }

    /// Grey becomes RGB (and grey+alpha RGBA), for encoders without grey
    /// (libwebp, native builds only).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn into_color(self) -> Self {
        match self.channels {
            1 => Self {
                data: self.data.iter().flat_map(|&v| [v, v, v]).collect(),
                channels: 3,
                ..self
            },
            2 => Self {
                data: self
                    .data
                    .chunks_exact(2)
                    .flat_map(|p| [p[0], p[0], p[0], p[1]])
                    .collect(),
                channels: 4,
                ..self
            },
            _ => self,
        }
    }

    fn without_alpha(self, blend: impl Fn(u8, u8) -> u8) -> Self {
        let ch = self.channels;
        let mut data = Vec::with_capacity(self.data.len() / ch * (ch - 1));
        for p in self.data.chunks_exact(ch) {
            let alpha = p[ch - 1];
            data.extend(p[..ch - 1].iter().map(|&c| blend(c, alpha)));
        }
        Self {
            width: self.width,
            height: self.height,
            channels: ch - 1,
            data,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgba(data: Vec<u8>) -> Pixels {
        Pixels {
            width: (data.len() / 4) as u32,
            height: 1,
            channels: 4,
            data,
        }
    }

    #[test]
    fn opaque_alpha_is_dropped_and_real_alpha_kept() {
        let opaque = rgba(vec![1, 2, 3, 255, 4, 5, 6, 255]).drop_opaque_alpha();
        assert_eq!((opaque.channels, opaque.data), (3, vec![1, 2, 3, 4, 5, 6]));
        let translucent = rgba(vec![1, 2, 3, 255, 4, 5, 6, 254]).drop_opaque_alpha();
        assert_eq!(translucent.channels, 4);
    }

    #[test]
    fn flattening_blends_onto_white() {
        let flat = rgba(vec![0, 0, 0, 0, 0, 0, 0, 255, 0, 100, 200, 128]).flatten_on_white();
        assert_eq!(flat.channels, 3);
        assert_eq!(flat.data, vec![255, 255, 255, 0, 0, 0, 127, 177, 227]);
    }
}
