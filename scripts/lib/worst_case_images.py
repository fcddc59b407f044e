"""Writes the images that need the most decoding memory per pixel, at a given
pixel count, for scripts/measure-edge-upload --peaks:

  rgba16.png        16-bit RGBA PNG (decoded at 8 bytes a pixel, then
                    converted to 8 bits: both buffers exist at once)
  rgba16.ppm        (input for cjpeg: a 4:4:4 progressive JPEG keeps every
                    DCT coefficient of three full-size planes while decoding)
  anim.gif          2-frame GIF (a screen plus a buffer per frame)
  frame1.png, frame2.png   8-bit RGBA frames (input for img2webp; RGBA is
                    resized with premultiplied alpha, in copies of the image)
  noise.png         8-bit RGBA noise: as many pixels AND as many bytes as
                    allowed at once (the upload stays in memory while it is
                    decoded, and its metadata-stripped copy is made after)

Standard library only. Pixel data is a gradient, not noise: what matters is
the decoded size, and small files keep the upload out of the measurement.

    python3 worst_case_images.py OUT_DIR MEGAPIXELS
"""

import math
import os
import struct
import sys
import zlib


def png(path, w, h, depth, rows):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    z = zlib.compressobj(6)
    idat = b"".join(z.compress(b"\0" + rows(y)) for y in range(h)) + z.flush()
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", idat))
        f.write(chunk(b"IEND", b""))


def gradient(w, channels, sixteen_bit, shift):
    samples = []
    for x in range(w):
        v = (x + shift) % 256
        samples += [v, 255 - v, (v * 7) % 256, 200][:channels]
    if sixteen_bit:
        return bytes(b for s in samples for b in (s, s))
    return bytes(samples)


def ppm(path, w, h):
    line = gradient(w, 3, False, 0)
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h))
        for y in range(h):
            f.write(line[y % 3:] + line[:y % 3])


def gif(path, w, h, frames):
    """An animation: the decoder composites the first frame onto a screen
    and decodes every later one into a frame buffer."""
    palette = b"".join(bytes([i, 255 - i, (i * 7) % 256]) for i in range(256))

    def lzw(pixels):
        # Textbook GIF LZW: 8-bit literals, variable code width up to 12
        # bits, a CLEAR when the table is full.
        clear, end = 256, 257
        table = {bytes([i]): i for i in range(256)}
        width, next_code = 9, 258
        out, acc, nbits = bytearray(), 0, 0

        def emit(code):
            nonlocal acc, nbits
            acc |= code << nbits
            nbits += width
            while nbits >= 8:
                out.append(acc & 0xFF)
                acc >>= 8
                nbits -= 8

        emit(clear)
        current = b""
        for p in pixels:
            grown = current + bytes([p])
            if grown in table:
                current = grown
                continue
            emit(table[current])
            if next_code < 4096:
                table[grown] = next_code
                next_code += 1
                if next_code > (1 << width) and width < 12:
                    width += 1
            else:
                emit(clear)
                table = {bytes([i]): i for i in range(256)}
                width, next_code = 9, 258
            current = bytes([p])
        emit(table[current])
        emit(end)
        if nbits:
            out.append(acc & 0xFF)
        blocks = bytearray()
        for i in range(0, len(out), 255):
            part = out[i:i + 255]
            blocks += bytes([len(part)]) + part
        return bytes([8]) + bytes(blocks) + b"\0"

    with open(path, "wb") as f:
        f.write(b"GIF89a" + struct.pack("<HHBBB", w, h, 0xF7, 0, 0) + palette)
        f.write(b"\x21\xFF\x0BNETSCAPE2.0\x03\x01\0\0\0")
        row = bytes((x % 256) for x in range(w))
        for n in range(frames):
            f.write(b"\x21\xF9\x04\x04\x0A\0\0\0")
            f.write(b"\x2C" + struct.pack("<HHHHB", 0, 0, w, h, 0))
            f.write(lzw(bytes((v + n) % 256 for v in row) * h))
        f.write(b"\x3B")


def main():
    out, megapixels = sys.argv[1], float(sys.argv[2])
    side = int(math.sqrt(megapixels * 1e6))
    w = h = side
    os.makedirs(out, exist_ok=True)
    line16 = gradient(w, 4, True, 0)
    png(os.path.join(out, "rgba16.png"), w, h, 16, lambda y: line16)
    ppm(os.path.join(out, "rgba16.ppm"), w, h)
    gif(os.path.join(out, "anim.gif"), w, h, 2)
    png(os.path.join(out, "noise.png"), w, h, 8, lambda y: os.urandom(w * 4))
    for n in (1, 2):
        line8 = gradient(w, 4, False, n * 17)
        png(os.path.join(out, "frame%d.png" % n), w, h, 8, lambda y, l=line8: l)
    print(w, h)


if __name__ == "__main__":
    main()
