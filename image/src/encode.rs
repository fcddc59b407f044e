//! Encoders of variants: jpeg-encoder (4:2:0, AVX2 when the CPU has it),
//! png with fdeflate's fast mode, and WebP: lossy through libwebp natively,
//! lossless through image-webp on wasm32 (no pure-Rust lossy encoder with a
//! suitable licence exists).

use image::ExtendedColorType;
use image::codecs::webp::WebPEncoder;
use jpeg_encoder::{ChromaSubsamplingMethod, ColorType, SamplingFactor};

use crate::error::{ImageError, Result};
use crate::output::OutputFormat;
use crate::pixels::Pixels;

pub(crate) fn encode(pixels: Pixels, format: OutputFormat, quality: u8) -> Result<Vec<u8>> {
    match format {
        OutputFormat::Jpeg => jpeg(pixels.flatten_on_white(), quality),
        OutputFormat::Png => png(&pixels),
        OutputFormat::Webp => webp(pixels, quality),
        OutputFormat::Avif => avif(pixels, quality),
    }
}

fn jpeg(pixels: Pixels, quality: u8) -> Result<Vec<u8>> {
    let (Ok(width), Ok(height)) = (u16::try_from(pixels.width), u16::try_from(pixels.height))
    else {
        return Err(ImageError::too_large(
            "the image is larger than JPEG's 65535 px per side",
        ));
    };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    // 4:2:0 at every quality (the encoder's own default switches to 4:4:4 at
    // 90): the web default, half the chroma data to encode.
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    // Box-averaged chroma like libjpeg, rather than the top-left sample:
    // visibly cleaner colour edges at a negligible cost.
    encoder.set_chroma_subsampling_method(ChromaSubsamplingMethod::Average);
    let color = if pixels.channels == 1 {
        ColorType::Luma
    } else {
        ColorType::Rgb
    };
    encoder
        .encode(&pixels.data, width, height, color)
        .map_err(ImageError::internal)?;
    Ok(out)
}

fn png(pixels: &Pixels) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, pixels.width, pixels.height);
    encoder.set_color(match pixels.channels {
        1 => ::png::ColorType::Grayscale,
        2 => ::png::ColorType::GrayscaleAlpha,
        3 => ::png::ColorType::Rgb,
        _ => ::png::ColorType::Rgba,
    });
    encoder.set_depth(::png::BitDepth::Eight);
    // fdeflate: several times faster than zlib's default level at a few
    // percent larger files; variants are re-creatable, speed matters more.
    encoder.set_compression(::png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(ImageError::internal)?;
    writer
        .write_image_data(&pixels.data)
        .map_err(ImageError::internal)?;
    writer.finish().map_err(ImageError::internal)?;
    Ok(out)
}

/// Lossy WebP at `quality` with libwebp's default method (4, the effort
/// vipsthumbnail and sharp use too); alpha is kept, compressed losslessly.
#[cfg(not(target_arch = "wasm32"))]
fn webp(pixels: Pixels, quality: u8) -> Result<Vec<u8>> {
    // libwebp takes RGB or RGBA.
    let pixels = pixels.into_color();
    let (w, h) = (pixels.width, pixels.height);
    let encoder = if pixels.channels == 4 {
        webp::Encoder::from_rgba(&pixels.data, w, h)
    } else {
        webp::Encoder::from_rgb(&pixels.data, w, h)
    };
    let mut config = webp::WebPConfig::new()
        .map_err(|()| ImageError::internal("libwebp: no default configuration"))?;
    config.quality = f32::from(quality.clamp(1, 100));
    config.method = 4;
    config.alpha_compression = 1;
    let encoded = encoder
        .encode_advanced(&config)
        .map_err(|e| ImageError::internal(format!("libwebp: {e:?}")))?;
    Ok(encoded.to_vec())
}

#[cfg(target_arch = "wasm32")]
fn webp(pixels: Pixels, _quality: u8) -> Result<Vec<u8>> {
    webp_lossless(&pixels)
}

/// AVIF through ravif at speed 8 of 10: a variant is encoded on its first
/// request, so speed matters more than the last percent of size.
#[cfg(all(feature = "avif", not(target_arch = "wasm32")))]
fn avif(pixels: Pixels, quality: u8) -> Result<Vec<u8>> {
    use ravif::{Encoder, Img, RGB8, RGBA8};

    let pixels = pixels.into_color();
    let (w, h) = (pixels.width as usize, pixels.height as usize);
    let encoder = Encoder::new()
        .with_quality(f32::from(quality.clamp(1, 100)))
        .with_alpha_quality(f32::from(quality.clamp(1, 100)))
        .with_speed(8)
        .with_num_threads(Some(1));
    let encoded = if pixels.channels == 4 {
        let rgba: Vec<RGBA8> = pixels
            .data
            .chunks_exact(4)
            .map(|p| RGBA8::new(p[0], p[1], p[2], p[3]))
            .collect();
        encoder.encode_rgba(Img::new(&rgba[..], w, h))
    } else {
        let rgb: Vec<RGB8> = pixels
            .data
            .chunks_exact(3)
            .map(|p| RGB8::new(p[0], p[1], p[2]))
            .collect();
        encoder.encode_rgb(Img::new(&rgb[..], w, h))
    };
    encoded
        .map(|e| e.avif_file)
        .map_err(|e| ImageError::internal(format!("ravif: {e}")))
}

#[cfg(not(all(feature = "avif", not(target_arch = "wasm32"))))]
fn avif(_pixels: Pixels, _quality: u8) -> Result<Vec<u8>> {
    Err(ImageError::new(
        crate::error::ErrorKind::UnsupportedType,
        "this build does not encode AVIF",
    ))
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn webp_lossless(pixels: &Pixels) -> Result<Vec<u8>> {
    let color = match pixels.channels {
        1 => ExtendedColorType::L8,
        2 => ExtendedColorType::La8,
        3 => ExtendedColorType::Rgb8,
        _ => ExtendedColorType::Rgba8,
    };
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .encode(&pixels.data, pixels.width, pixels.height, color)
        .map_err(ImageError::internal)?;
    Ok(out)
}
