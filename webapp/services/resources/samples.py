"""Small generated files for the demo library, tests and benchmarks: one-page PDFs, tiny MP4s."""


def make_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing `lines` (ASCII; the demo's words are pinyin and digits).

    Written by hand: a few objects and a cross-reference table, far quicker than any layout
    engine for the hundreds of files the demo needs."""
    text = ["BT", "/F1 22 Tf", "60 780 Td", "28 TL"]
    for line in lines:
        safe = line.encode("ascii", "replace").decode().replace("\\", "\\\\") \
            .replace("(", "\\(").replace(")", "\\)")
        text.append(f"({safe}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _box(kind: bytes, payload: bytes) -> bytes:
    return (len(payload) + 8).to_bytes(4, "big") + kind + payload


def make_mp4(seconds: int = 1, filler: int = 0) -> bytes:
    """An ISO base media file sniffed as video/mp4 (ftyp, moov with its header, mdat).

    It holds no decodable frames: the demo's "videos" show the player, the range requests and
    the download; `filler` bytes of mdat make it as large as a test needs."""
    ftyp = _box(b"ftyp", b"isom" + (512).to_bytes(4, "big") + b"isomiso2mp41")
    mvhd = _box(b"mvhd", bytes(4) + bytes(8) + (1000).to_bytes(4, "big")
                + (seconds * 1000).to_bytes(4, "big") + (0x00010000).to_bytes(4, "big")
                + (0x0100).to_bytes(2, "big") + bytes(10)
                + b"".join(v.to_bytes(4, "big") for v in (0x10000, 0, 0, 0, 0x10000, 0, 0, 0,
                                                          0x40000000))
                + bytes(24) + (2).to_bytes(4, "big"))
    moov = _box(b"moov", mvhd)
    return ftyp + moov + _box(b"mdat", bytes(filler))
