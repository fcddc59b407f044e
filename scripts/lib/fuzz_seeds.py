"""Seed inputs for the fuzz targets (fuzz-targets/, fuzz/), written to
OUT/<target>/: small images made from tests/fixtures/ (Pillow), the small
fixtures themselves, and hand-written requests, forms, ranges and texts.

The committed corpora (fuzz/corpus/) are these seeds plus what fuzzing
found, minimized with `scripts/fuzz --merge`; this script is how the seeds
were made (`python3 scripts/lib/fuzz_seeds.py OUT`, with Pillow).
Images are kept tiny (at most 32 px a side, a few KB): libFuzzer mutates
small inputs far faster, and every code path is reached at 16 px.
"""

import io
import os
import sys

from PIL import Image, ImageCms

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")


def fixture(name):
    return Image.open(os.path.join(FIXTURES, name))


def save(img, fmt, **kw):
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def exif_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def jpegs():
    photo = fixture("photo-seeding-800.jpg").convert("RGB").resize((24, 14))
    grey = fixture("photo-grayscale.jpg").convert("L").resize((17, 11))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return {
        "baseline-420.jpg": save(photo, "JPEG", quality=75),
        "baseline-444.jpg": save(photo, "JPEG", quality=90, subsampling=0),
        "baseline-422.jpg": save(photo, "JPEG", quality=60, subsampling=1),
        "grey.jpg": save(grey, "JPEG", quality=75),
        "progressive-420.jpg": save(photo, "JPEG", quality=75, progressive=True),
        "progressive-grey.jpg": save(grey, "JPEG", quality=75, progressive=True),
        "restart.jpg": save(photo, "JPEG", quality=75, restart_marker_blocks=1),
        "orient6.jpg": save(photo, "JPEG", quality=50, exif=exif_orientation(6)),
        "icc.jpg": save(photo.resize((8, 8)), "JPEG", quality=50, icc_profile=srgb),
        "cmyk.jpg": save(photo.convert("CMYK").resize((9, 9)), "JPEG", quality=50),
        "odd-1x1.jpg": save(photo.resize((1, 1)), "JPEG", quality=50),
    }


def pngs():
    alpha = fixture("photo-alpha.png").convert("RGBA").resize((16, 16))
    photo = fixture("photo-seeding-800.jpg").convert("RGB").resize((16, 9))
    palette = alpha.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    palette.info["transparency"] = 0
    frames = [alpha, alpha.rotate(90), alpha.rotate(180)]
    return {
        "rgba.png": save(alpha, "PNG"),
        "rgb-interlaced.png": save(photo, "PNG", interlace=1),
        "palette-trns.png": save(palette, "PNG", transparency=0),
        "grey16.png": save(photo.convert("I;16"), "PNG"),
        "grey-alpha.png": save(alpha.convert("LA"), "PNG"),
        "exif-orient8.png": save(photo, "PNG", exif=exif_orientation(8)),
        "animated.png": save(frames[0], "PNG", save_all=True, append_images=frames[1:],
                             duration=50, loop=0),
    }


def gifs():
    animated = fixture("animated.gif")
    frames = []
    for i in range(3):
        animated.seek(i)
        frames.append(animated.convert("RGBA").resize((12, 12)))
    still = fixture("photo-seeding-800.jpg").convert("RGB").resize((16, 9))
    return {
        "animated.gif": save(frames[0], "GIF", save_all=True, append_images=frames[1:],
                             duration=40, loop=0, disposal=2),
        "still.gif": save(still.convert("P"), "GIF"),
        "transparent.gif": save(frames[0].convert("P"), "GIF", transparency=0),
    }


def webps():
    alpha = fixture("photo-alpha.png").convert("RGBA").resize((16, 16))
    photo = fixture("photo.webp").convert("RGB").resize((16, 9))
    return {
        "lossy.webp": save(photo, "WEBP", quality=50),
        "lossless.webp": save(photo, "WEBP", lossless=True),
        "alpha.webp": save(alpha, "WEBP", quality=50),
        "exif.webp": save(photo, "WEBP", quality=30, exif=exif_orientation(3)),
        "animated.webp": save(alpha, "WEBP", save_all=True,
                              append_images=[alpha.rotate(90)], duration=50, quality=30),
    }


def svgs():
    ns = 'xmlns="http://www.w3.org/2000/svg"'
    xlink = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
    docs = {
        "entities.svg": f'<svg {ns} width="10" height="10"><title>a &amp; b &#x3C; &#60;</title></svg>',
        "style.svg": f'<svg {ns} viewBox="0 0 4 4"><style>rect{{fill:red}}</style><rect width="4" height="4"/></svg>',
        "cdata-style.svg": f'<svg {ns}><style><![CDATA[ @media screen {{ rect {{ fill: url(#g) }} }} ]]></style></svg>',
        "link.svg": f'<svg {ns} {xlink}><a xlink:href="https://example.com/"><text>x</text></a><use href="#r"/></svg>',
        "doctype.svg": f'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- c -->\n<svg {ns} width="5cm" height="2in"/>',
        "handler.svg": f'<svg {ns} onload="alert(1)"/>',
        "padded-js.svg": f'<svg {ns}><a href="&#00000000106;avascript:alert(1)"><text>x</text></a></svg>',
        "foreign.svg": f'<svg {ns}><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
        "gradient.svg": f'<svg {ns}><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><rect fill="url(#g)" width="1" height="1"/></svg>',
        "animate.svg": f'<svg {ns}><set attributeName="href" to="https://x"/><animate attributeName="x" values="0;1"/></svg>',
    }
    out = {k: v.encode() for k, v in docs.items()}
    for name in ("logo.svg", "script.svg"):
        with open(os.path.join(FIXTURES, name), "rb") as f:
            out[name] = f.read()
    return out


def small_fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return {name: f.read()}


def multipart_body(boundary, parts):
    out = b""
    for headers, body in parts:
        out += b"--" + boundary + b"\r\n" + headers + b"\r\n\r\n" + body + b"\r\n"
    return out + b"--" + boundary + b"--\r\n"


def forms():
    png = pngs()["rgba.png"]
    b = b"XyZ"
    file_part = (b'Content-Disposition: form-data; name="file"; filename="a.png"\r\n'
                 b"Content-Type: image/png", png[:64])
    return {
        "one-file": b"\x07" + b + b"\n" + multipart_body(b, [file_part]),
        "fields": b"\x00" + b + b"\n" + multipart_body(b, [
            (b'Content-Disposition: form-data; name="name"', b"Sunset"),
            (b'Content-Disposition: form-data; name="tags"', b"a, b,c"),
            (b'Content-Disposition: form-data; name="unlisted"', b"true"),
            file_part,
        ]),
        "quoted-boundary": b"\x03" + b'"a b"' + b"\n" + multipart_body(b"a b", [
            (b'Content-Disposition: form-data; name="alt_text"; filename*=UTF-8\'\'%C3%A9.png', b"x"),
        ]),
        "too-large": b"\xff" + b + b"\n" + multipart_body(b, [
            (b'Content-Disposition: form-data; name="file"; filename="big"', b"\0" * 600),
        ]),
        "unterminated": b"\x10" + b + b"\n--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nabc",
    }


def requests(token_header=b"Authorization: Bearer $TOKEN"):
    png = pngs()["rgba.png"]

    def form(field, name=b"a.png"):
        body = multipart_body(b"B", [
            (b'Content-Disposition: form-data; name="name"', b"n"),
            (b'Content-Disposition: form-data; name="' + field + b'"; filename="' + name + b'"\r\nContent-Type: image/png', png),
        ])
        return b"Content-Type: multipart/form-data; boundary=B\n\n" + body

    rest = {
        "list": b"GET /api/v1/media?skip=0&limit=2&order=oldest&q=seed&tag=seed\n" + token_header + b"\n\n",
        "list-deleted": b"GET /api/v1/media?deleted=true&include_unlisted=true\n" + token_header + b"\n\n",
        "images": b"GET /api/v1/media/images\n" + token_header + b"\n\n",
        "get": b"GET /api/v1/media/$ID\n" + token_header + b"\n\n",
        "patch": b"PATCH /api/v1/media/$ID\n" + token_header + b"\nContent-Type: application/json\n\n"
                 b'{"alt_text":null,"name":"x","tags":["a","b"],"unlisted":true}',
        "delete": b"DELETE /api/v1/media/$ID?purge=true\n" + token_header + b"\n\n",
        "restore": b"POST /api/v1/media/$DELETED/restore\n" + token_header + b"\n\n",
        "tokens": b"POST /api/v1/tokens\n" + token_header + b"\nContent-Type: application/json\n\n"
                  b'{"scopes":["media:read"],"label":"l"}',
        "revoke": b"DELETE /api/v1/tokens/abc\n" + token_header + b"\n\n",
        "limits": b"GET /api/v1/limits\n\n",
        "upload": b"POST /api/v1/media/upload\n" + token_header + b"\n" + form(b"file"),
        "file-range": b"GET /uploads/media/$ID.png\nRange: bytes=10-20\nIf-None-Match: \"x\"\n\n",
        "variant": b"HEAD /uploads/media/$ID/thumb.png\nIf-Range: \"x\"\nRange: bytes=-5\n\n",
        "svg": b"GET /uploads/media/$SVG.svg\n\n",
    }
    rpc = {
        "fetch": b"POST /media/fetch_media?media_ID=$ID&auth_token=$TOKEN\n\n",
        "fetch-json": b"POST /media/fetch_media\nContent-Type: application/json\n\n"
                      b'{"media_ID":"$DELETED","auth_token":"$TOKEN"}',
        "fetch-all": b"POST /media/fetch_all_media_metadata\n" + token_header + b"\n\n",
        "instance": b"GET /media/fetch_media_instance?instance_ID=$ID-thumb&auth_token=$TOKEN\n\n",
        "volume": b"GET /volume/media/files/$ID/$ID-original.png\nRange: bytes=0-3\n\n",
        "deleted": b"POST /media/mark_media_as_deleted\nContent-Type: application/x-www-form-urlencoded\n\n"
                   b"media_ID=$ID&mark_as_deleted=True&auth_token=$TOKEN",
        "unlisted": b"POST /media/mark_media_as_unlisted?media_ID=$ID&mark_as_unlisted=1\n" + token_header + b"\n\n",
        "update": b"POST /update_media_metadata\n" + token_header + b"\nContent-Type: application/json\n\n"
                  b'{"media_ID":"$ID","alt_text":"a","author_credit_subtext":"c","filename":"f","is_unlisted":false,"is_deleted":false}',
        "task": b"GET /media/task_status?task_ID=abc&auth_token=$TOKEN\n\n",
        "upload": b"POST /media/upload_media?auth_token=$TOKEN\n" + form(b"media"),
    }
    cookie = b"Cookie: theme=dark; refreshToken=$TOKEN"
    cms = {
        "list": b"GET /media?order=added-asc&limit=5&offset=0&search=seed\n" + cookie + b"\n\n",
        "edit": b"POST /media/edit/1\n" + cookie + b"\nContent-Type: application/json\n\n"
                b'{"name":"n","tags":"a,b"}',
        "edit-form": b"POST /media/edit/2\n" + token_header + b"\nContent-Type: application/x-www-form-urlencoded\n\n"
                     b"name=n&tags=a",
        "add": b"POST /media/add\n" + cookie + b"\nContent-Type: application/json\n\n"
               b'{"name":"n","tags":["t"],"image":"data:image/png;base64,'
               + __import__("base64").b64encode(png) + b'"}',
        "delete": b"DELETE /media/delete/1\n" + cookie + b"\n\n",
    }
    return rest, rpc, cms


def main(out):
    corpora = {
        "container_jpeg": jpegs(),
        "container_png": pngs(),
        "container_gif": gifs(),
        "container_webp": webps(),
        "container_svg": svgs(),
        "container_pdf": small_fixture("document.pdf"),
        "container_mp4": small_fixture("clip.mp4"),
        "container_webm": small_fixture("clip.webm"),
    }
    everything = {}
    for target, files in list(corpora.items()):
        for name, data in files.items():
            everything[f"{target}-{name}"] = data
    everything.update(small_fixture("not-a-jpeg.txt"))
    corpora["sniff_inspect"] = everything
    corpora["jpeg_differential"] = corpora["container_jpeg"]
    # render: a choice byte, then a raster image.
    render = {}
    for i, (name, data) in enumerate(sorted({**jpegs(), **pngs(), **gifs(), **webps()}.items())):
        render[name] = bytes([(i * 37) & 0xFF]) + data
    corpora["render"] = render
    corpora["multipart"] = forms()
    corpora["body_read"] = {
        "fits": bytes([10, 20, 3, 5]) + b"hello",
        "over": bytes([4, 20, 1, 255]) + b"0123456789",
        "declared-over": bytes([100, 50, 7, 60]) + b"x",
        "empty": bytes([0, 0, 0, 255]),
    }
    corpora["range"] = {
        "span": b"\x01bytes=0-9",
        "suffix": b"\x02\x00\x10bytes=-100",
        "open": b"\x03\xff\xff\xff\xff\xff\xff\xff\xffbytes=18446744073709551614-",
        "many": b"\x05bytes=0-1,3-4",
        "spaces": b"\x09 bytes= 5 - 7 ",
        "zero": b"\x00bytes=0-0",
    }
    corpora["rpc_params"] = {
        "query": b"media_ID=a&auth_token=mk_x&mark_as_deleted=true\n\n",
        "form": b"limit=1\napplication/x-www-form-urlencoded; charset=utf-8\nname=%C3%A9&tags=a%2Cb&is_unlisted=0",
        "json": b"\napplication/json\n{\"media_ID\": \"x\", \"is_unlisted\": 1, \"alt_text\": null, \"n\": 1.5e3}",
        "duplicate": b"media_ID=a\napplication/json\n{\"media_ID\": \"b\"}",
    }
    corpora["metadata"] = {
        "filename": "my photo.final.jpeg".encode(),
        "tags": " a, b ,,A\nc\nb".encode(),
        "unicode": ("é" * 70 + ".jpeg\n\u202egpj.exe\n\u0007bell").encode(),
        "long": ("x" * 300).encode(),
    }
    rest, rpc, cms = requests()
    corpora["rest_request"] = rest
    corpora["rpc_request"] = rpc
    corpora["cms_request"] = cms
    for target, files in corpora.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print(f"{target}: {len(files)} seeds, {sum(map(len, files.values()))} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
