//! GIF blocks: the header (screen size, frame count, transparency), metadata
//! stripping, and the completeness check (the 0x3B trailer must end the
//! block sequence).

use super::{corrupt, header::ImageHeader, le16, truncated};
use crate::Result;

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
        return Err(corrupt("not a GIF: bad signature"));
    }
    let (Some(width), Some(height), Some(&packed)) = (le16(b, 6), le16(b, 8), b.get(10)) else {
        return Err(truncated("GIF screen descriptor"));
    };
    let end = 13 + color_table_len(packed);
    if end > b.len() {
        return Err(truncated("GIF colour table"));
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
        let len = *b.get(i).ok_or_else(|| truncated("GIF data"))?;
        i += 1 + usize::from(len);
        if len == 0 {
            return Ok(i);
        }
        if i > b.len() {
            return Err(truncated("GIF data"));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Extension(u8),
    Image,
    Trailer,
}

/// One block, borrowed from the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Block<'a> {
    pub kind: BlockKind,
    /// The whole block, introducer included: what a copy writes.
    pub raw: &'a [u8],
}

impl<'a> Block<'a> {
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

/// Iterates over the blocks after the logical screen, up to and including the
/// trailer; fails when the data ends before the trailer.
pub(crate) struct Blocks<'a> {
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Blocks<'a> {
    fn next_block(&mut self) -> Result<Block<'a>> {
        let b = self.bytes;
        let start = self.pos;
        let introducer = *b.get(start).ok_or_else(|| truncated("GIF (no trailer)"))?;
        let (kind, end) = match introducer {
            TRAILER => (BlockKind::Trailer, start + 1),
            EXTENSION => {
                let label = *b.get(start + 1).ok_or_else(|| truncated("GIF extension"))?;
                (BlockKind::Extension(label), skip_sub_blocks(b, start + 2)?)
            }
            IMAGE => {
                let packed = *b
                    .get(start + 9)
                    .ok_or_else(|| truncated("GIF image descriptor"))?;
                // Descriptor (10 bytes), local colour table, LZW minimum code size.
                let data = start + 10 + color_table_len(packed) + 1;
                (BlockKind::Image, skip_sub_blocks(b, data)?)
            }
            _ => return Err(corrupt("GIF: unknown block")),
        };
        self.pos = end;
        Ok(Block {
            kind,
            raw: &b[start..end],
        })
    }
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Result<Block<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.next_block();
        self.done = match &next {
            Ok(block) => block.kind == BlockKind::Trailer,
            Err(_) => true,
        };
        Some(next)
    }
}

fn blocks(bytes: &[u8]) -> Result<(Screen, Blocks<'_>)> {
    let screen = screen(bytes)?;
    let blocks = Blocks {
        bytes,
        pos: screen.end,
        done: false,
    };
    Ok((screen, blocks))
}

/// Reads the screen size, counts frames and looks for transparency. This
/// walks the block structure (not the pixel data), so a truncated file is
/// already an error here.
pub(crate) fn read_header(bytes: &[u8]) -> Result<ImageHeader> {
    let (screen, blocks) = blocks(bytes)?;
    if screen.width == 0 || screen.height == 0 {
        return Err(corrupt("GIF: empty logical screen"));
    }
    let mut frames = 0u32;
    let mut has_alpha = false;
    for block in blocks {
        let block = block?;
        has_alpha |= block.declares_transparency();
        if block.kind == BlockKind::Image {
            if frames == 0 {
                // A first frame that leaves part of the screen uncovered shows
                // transparency there.
                let [left, top, w, h] = block.image_rect().unwrap_or_default();
                has_alpha |= left > 0 || top > 0 || w < screen.width || h < screen.height;
            }
            frames += 1;
        }
    }
    if frames == 0 {
        return Err(corrupt("GIF: no image data"));
    }
    Ok(ImageHeader {
        width: u32::from(screen.width),
        height: u32::from(screen.height),
        orientation: 1,
        has_alpha,
        animated: frames > 1,
    })
}

/// Checks the block structure up to the trailer (the LZW data itself is
/// checked by decoding every frame).
pub(crate) fn check_complete(bytes: &[u8]) -> Result<()> {
    read_header(bytes).map(|_| ())
}

/// Application extensions that change how the image renders: the loop count
/// (two spellings) and an ICC profile.
fn is_kept_application(block: &Block<'_>) -> bool {
    matches!(
        block.first_sub_block(),
        b"NETSCAPE2.0" | b"ANIMEXTS1.0" | b"ICCRGBG1012"
    )
}

/// Copies the GIF without comments, plain-text blocks and application
/// extensions other than the loop count and ICC profile; frames are copied
/// untouched.
pub(crate) fn strip(bytes: &[u8]) -> Result<Vec<u8>> {
    let (screen, blocks) = blocks(bytes)?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..screen.end]);
    // A graphic control extension belongs to the next graphic block: hold it
    // until we know whether that block is kept.
    let mut pending_control: Option<&[u8]> = None;
    let mut frames = 0;
    for block in blocks {
        let block = block?;
        match block.kind {
            BlockKind::Extension(GRAPHIC_CONTROL) => pending_control = Some(block.raw),
            BlockKind::Image => {
                frames += 1;
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
    if frames == 0 {
        return Err(corrupt("GIF: no image data"));
    }
    Ok(out)
}
