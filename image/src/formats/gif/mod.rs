//! GIF: one walk over the blocks reads the header (screen size, frame
//! count, transparency), checks the block structure up to the 0x3B trailer
//! (the LZW data itself is checked by decoding every frame) and indexes the
//! blocks for stripping. Decoding is the `gif` crate's (see [`decode`]).
//!
//! The walk also sums up the frames (how many, their pixels, any that lies
//! outside the logical screen), so that an animation is held to the frame
//! and pixel limits before its first frame is decoded. A frame beyond the
//! screen is refused: the screen is all the header says, so it is what the
//! pixel limit and the memory estimate read, and the decoder would allocate
//! and decode the whole frame (it cannot clip).

mod decode;

use crate::decoded::{DecodeRequest, Decoded};
use crate::endian::le16;
use crate::error::{ErrorKind, ImageError, Result};
use crate::format::{Container, Format, Parse, parse_raster};
use crate::header::ImageHeader;
use crate::limits::Limits;

pub(crate) const FORMAT: Format = Format {
    name: "GIF",
    mime_type: "image/gif",
    extensions: &["gif"],
    sniff: |b| b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a"),
    parse: Parse::Raster(parse_raster::<Gif>),
};

/// Bytes per pixel when processing: the canvas of the first frame as RGBA
/// and its composed copy.
pub(crate) const BYTES_PER_PIXEL: u64 = 9;

const EXTENSION: u8 = 0x21;
const IMAGE: u8 = 0x2C;
const TRAILER: u8 = 0x3B;
const GRAPHIC_CONTROL: u8 = 0xF9;
const PLAIN_TEXT: u8 = 0x01;
const APPLICATION: u8 = 0xFF;

/// The logical screen: header, screen descriptor and global colour table.
struct Screen {
    width: u16,
    height: u16,
    /// Where the first block starts.
    end: usize,
}

fn screen(b: &[u8]) -> Result<Screen> {
    if !(b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a")) {
        return Err(ImageError::corrupt("not a GIF: bad signature"));
    }
    let (Some(width), Some(height), Some(&packed)) = (le16(b, 6), le16(b, 8), b.get(10)) else {
        return Err(ImageError::truncated("GIF screen descriptor"));
    };
    let end = 13 + color_table_len(packed);
    if end > b.len() {
        return Err(ImageError::truncated("GIF colour table"));
    }
    Ok(Screen { width, height, end })
}

/// The size of the colour table a descriptor's packed byte announces.
fn color_table_len(packed: u8) -> usize {
    if packed & 0x80 == 0 {
        0
    } else {
        3 << ((packed & 7) + 1)
    }
}

/// Position after a chain of data sub-blocks (ended by a zero-length one).
fn skip_sub_blocks(b: &[u8], mut i: usize) -> Result<usize> {
    loop {
        let len = *b.get(i).ok_or_else(|| ImageError::truncated("GIF data"))?;
        i += 1 + usize::from(len);
        if len == 0 {
            return Ok(i);
        }
        if i > b.len() {
            return Err(ImageError::truncated("GIF data"));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Extension(u8),
    Image,
    Trailer,
}

/// One block, borrowed from the file.
#[derive(Debug, Clone, Copy)]
struct Block<'a> {
    kind: BlockKind,
    /// The whole block, introducer included: what a copy writes.
    raw: &'a [u8],
}

impl<'a> Block<'a> {
    /// The block from `start` to `end` (which the walk found).
    fn at(b: &'a [u8], start: usize, end: usize) -> Self {
        let kind = match b[start] {
            TRAILER => BlockKind::Trailer,
            EXTENSION => BlockKind::Extension(b[start + 1]),
            // The walk lets no other introducer through.
            _ => BlockKind::Image,
        };
        Self {
            kind,
            raw: &b[start..end],
        }
    }

    /// The first data sub-block of an extension (without its length byte).
    fn first_sub_block(&self) -> &'a [u8] {
        let len = self.raw.get(2).map_or(0, |&l| usize::from(l));
        self.raw.get(3..3 + len).unwrap_or(&[])
    }

    /// A graphic control extension that declares a transparent colour.
    fn declares_transparency(&self) -> bool {
        self.kind == BlockKind::Extension(GRAPHIC_CONTROL)
            && self
                .first_sub_block()
                .first()
                .is_some_and(|flags| flags & 1 == 1)
    }

    /// Left, top, width, height of an image descriptor.
    fn image_rect(&self) -> Option<[u16; 4]> {
        let r = self.raw;
        Some([le16(r, 1)?, le16(r, 3)?, le16(r, 5)?, le16(r, 7)?])
    }
}

/// Walks the blocks after the logical screen, up to and including the
/// trailer, each with its position; fails when the data ends before the
/// trailer.
struct Blocks<'a> {
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Blocks<'a> {
    fn next_block(&mut self) -> Result<(usize, Block<'a>)> {
        let b = self.bytes;
        let start = self.pos;
        let introducer = *b
            .get(start)
            .ok_or_else(|| ImageError::truncated("GIF (no trailer)"))?;
        let end = match introducer {
            TRAILER => start + 1,
            EXTENSION => {
                if b.get(start + 1).is_none() {
                    return Err(ImageError::truncated("GIF extension"));
                }
                skip_sub_blocks(b, start + 2)?
            }
            IMAGE => {
                let packed = *b
                    .get(start + 9)
                    .ok_or_else(|| ImageError::truncated("GIF image descriptor"))?;
                // Descriptor (10 bytes), local colour table, LZW minimum code size.
                let data = start + 10 + color_table_len(packed) + 1;
                skip_sub_blocks(b, data)?
            }
            _ => return Err(ImageError::corrupt("GIF: unknown block")),
        };
        self.pos = end;
        let block = Block::at(b, start, end);
        Ok((start, block))
    }
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Result<(usize, Block<'a>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.next_block();
        self.done = match &next {
            Ok((_, block)) => block.kind == BlockKind::Trailer,
            Err(_) => true,
        };
        Some(next)
    }
}

/// The frames of a GIF as its image descriptors declare them.
#[derive(Debug, Default, Clone, Copy)]
struct Frames {
    count: u32,
    /// The sum of their rectangles.
    pixels: u64,
    /// The first frame that does not fit in the screen: its number (from
    /// 1) and left, top, width, height.
    beyond_screen: Option<(u32, [u16; 4])>,
}

impl Frames {
    fn see(&mut self, rect: [u16; 4], screen: &Screen) {
        self.count += 1;
        let [left, top, width, height] = rect;
        self.pixels += u64::from(width) * u64::from(height);
        let fits = u32::from(left) + u32::from(width) <= u32::from(screen.width)
            && u32::from(top) + u32::from(height) <= u32::from(screen.height);
        if !fits && self.beyond_screen.is_none() {
            self.beyond_screen = Some((self.count, rect));
        }
    }

    /// Refuses the frames the limits do not allow, before any is decoded.
    fn check(&self, limits: &Limits, screen: (u32, u32)) -> Result<()> {
        if let Some((n, [left, top, width, height])) = self.beyond_screen {
            return Err(ImageError::new(
                ErrorKind::TooManyPixels,
                format!(
                    "GIF frame {n} is {width}x{height} at ({left}, {top}), beyond the {}x{} \
                     logical screen that the pixel limit was checked against",
                    screen.0, screen.1
                ),
            ));
        }
        limits.check_frames(self.count)?;
        if self.count > 1 {
            limits.check_total_pixels(self.count, self.pixels)?;
        }
        Ok(())
    }
}

/// A walked GIF: its structure is whole, or it would not have parsed.
#[derive(Debug)]
pub(crate) struct Gif {
    /// The end of the logical screen, where the first block starts.
    screen_end: usize,
    /// Where each block starts, then where the trailer ends (blocks follow
    /// each other without gaps). u32: Parsed refuses raster files of
    /// 4 GiB or more.
    bounds: Vec<u32>,
    frames: Frames,
    /// The logical screen's width and height.
    screen: (u32, u32),
}

impl Gif {
    /// The blocks after the logical screen, from the index.
    fn blocks<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = Block<'a>> {
        self.bounds
            .windows(2)
            .map(move |w| Block::at(bytes, w[0] as usize, w[1] as usize))
    }
}

/// Application extensions that change how the image renders: the loop count
/// (two spellings) and an ICC profile.
fn is_kept_application(block: &Block<'_>) -> bool {
    matches!(
        block.first_sub_block(),
        b"NETSCAPE2.0" | b"ANIMEXTS1.0" | b"ICCRGBG1012"
    )
}

impl Container for Gif {
    /// Reads the screen size, counts frames and looks for transparency,
    /// walking the block structure (not the pixel data) to the trailer, so
    /// a truncated file is already an error here.
    fn parse(bytes: &[u8]) -> Result<(ImageHeader, Self)> {
        let screen = screen(bytes)?;
        if screen.width == 0 || screen.height == 0 {
            return Err(ImageError::corrupt("GIF: empty logical screen"));
        }
        let walk = Blocks {
            bytes,
            pos: screen.end,
            done: false,
        };
        let mut bounds = Vec::new();
        let mut frames = Frames::default();
        let mut has_alpha = false;
        for block in walk {
            let (start, block) = block?;
            bounds.push(start as u32);
            has_alpha |= block.declares_transparency();
            if block.kind == BlockKind::Image {
                let rect = block.image_rect().unwrap_or_default();
                if frames.count == 0 {
                    // A first frame that leaves part of the screen uncovered shows
                    // transparency there.
                    let [left, top, w, h] = rect;
                    has_alpha |= left > 0 || top > 0 || w < screen.width || h < screen.height;
                }
                frames.see(rect, &screen);
            }
            if block.kind == BlockKind::Trailer {
                bounds.push((start + 1) as u32);
            }
        }
        if frames.count == 0 {
            return Err(ImageError::corrupt("GIF: no image data"));
        }
        let header = ImageHeader {
            width: u32::from(screen.width),
            height: u32::from(screen.height),
            orientation: 1,
            has_alpha,
            animated: frames.count > 1,
        };
        let gif = Self {
            screen_end: screen.end,
            bounds,
            frames,
            screen: (header.width, header.height),
        };
        Ok((header, gif))
    }

    fn completeness(&self) -> Result<()> {
        // The parse walked every block to the trailer, or failed.
        Ok(())
    }

    fn memory_per_pixel_x4(&self) -> u64 {
        4 * BYTES_PER_PIXEL
    }

    /// Copies the GIF without comments, plain-text blocks and application
    /// extensions other than the loop count and ICC profile; frames are
    /// copied untouched. GIF has no orientation metadata.
    fn strip(&self, bytes: &[u8], _header: &ImageHeader) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(bytes.len());
        out.extend_from_slice(&bytes[..self.screen_end]);
        // A graphic control extension belongs to the next graphic block: hold it
        // until we know whether that block is kept.
        let mut pending_control: Option<&[u8]> = None;
        for block in self.blocks(bytes) {
            match block.kind {
                BlockKind::Extension(GRAPHIC_CONTROL) => pending_control = Some(block.raw),
                BlockKind::Image => {
                    if let Some(control) = pending_control.take() {
                        out.extend_from_slice(control);
                    }
                    out.extend_from_slice(block.raw);
                }
                // Browsers do not render plain text; its control block goes with it.
                BlockKind::Extension(PLAIN_TEXT) => pending_control = None,
                BlockKind::Extension(APPLICATION) if is_kept_application(&block) => {
                    out.extend_from_slice(block.raw)
                }
                BlockKind::Extension(_) => {}
                BlockKind::Trailer => out.extend_from_slice(block.raw),
            }
        }
        Ok(out)
    }

    fn decode(&self, bytes: &[u8], request: &DecodeRequest<'_>) -> Result<Decoded> {
        self.frames.check(&request.limits, self.screen)?;
        decode::decode(bytes, &request.limits, request.deadline)
    }
}
