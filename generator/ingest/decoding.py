"""Bytes to text: which encoding a file is in, and a UTF-8 copy when DuckDB cannot read it.

UTF-8 files are read in place. UTF-16 files are transcoded. A file that is not valid
UTF-8 is decoded value by value: every run of bytes that is valid UTF-8 stays UTF-8 and
every byte that is not is read as Windows-1252 (Latin-1 for the five bytes it leaves
undefined), so a file mixing both, as files edited by several tools do, reads without
mojibake. Control characters other than tab and line breaks (NUL from rich-text fields)
are noted here and removed from values by the typed insert.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError

HEAD_BYTES = 1 << 16
_CHUNK = 1 << 20
# control bytes that never belong in CSV text (tab, LF and CR do)
CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_CONTROL = re.compile(b"[" + re.escape(CONTROL_BYTES) + b"]")
_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_SIGNATURES = {b"PK\x03\x04": "an Excel workbook or a ZIP archive",
               b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook",
               b"%PDF": "a PDF document", b"\x1f\x8b": "a gzip archive"}


@dataclass(frozen=True)
class Encoding:
    """How a file's bytes are text: `codec` for Python, whether DuckDB can read it as is."""

    codec: str  # 'utf-8', 'utf-8-sig', 'utf-16', 'utf-16-le', 'utf-16-be' or 'mixed'
    in_place: bool  # DuckDB reads the file itself (valid UTF-8 as far as was looked)
    controls: bool  # control characters seen (their values are cleaned)


def binary_kind(head: bytes) -> str | None:
    """What a file is when it is a known binary format by its first bytes."""
    return next((kind for sig, kind in _SIGNATURES.items() if head.startswith(sig)), None)


def sniff_encoding(head: bytes, name: str) -> Encoding:
    """The encoding of a text file from its first bytes; binary data is a DataError."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Encoding("utf-16", False, False)
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return Encoding("utf-16-le", False, False)
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return Encoding("utf-16-be", False, False)
    controls = len(_CONTROL.findall(head))
    if controls > max(8, len(head) // 20):
        first = _CONTROL.search(head)
        row = head[:first.start()].count(b"\n") + 1 if first else 1
        raise DataError(f"the file holds binary data, not text ({controls:,} control bytes "
                        f"in its first {len(head):,} bytes)", file=name, row=row,
                        hint="export it again as CSV (UTF-8), XLSX or Parquet")
    codec = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return Encoding("mixed", False, controls > 0)
    return Encoding(codec, True, controls > 0)


def head_text(head: bytes, encoding: Encoding) -> str:
    """The first bytes as text (for the header), decoded the way the whole file will be."""
    if encoding.codec == "mixed":
        return decode_mixed(head)[0]
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors="replace")
    return decoder.decode(head, final=False)


def _decode_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: Latin-1


_CP1252 = [_decode_byte(b) for b in range(256)]


def _cp1252_errors(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start:error.end]
    return "".join(_CP1252[b] for b in bad), error.end


codecs.register_error("crmproof-cp1252", _cp1252_errors)


def decode_mixed(data: bytes) -> tuple[str, int, int]:
    """Text of bytes that are UTF-8, Windows-1252 or both, line by line: (text, characters
    read as UTF-8 beyond ASCII, characters read as Windows-1252)."""
    try:
        text = data.decode("utf-8")
        return text, sum(1 for c in text if ord(c) > 127), 0
    except UnicodeDecodeError:
        pass
    parts, utf8, legacy = [], 0, 0
    for line in data.splitlines(keepends=True):
        try:
            text = line.decode("utf-8")
            utf8 += sum(1 for c in text if ord(c) > 127)
        except UnicodeDecodeError:
            if _MULTIBYTE.search(line) is None:  # no UTF-8 in the line: the fast C codec
                text = line.decode("cp1252", errors="crmproof-cp1252")
                legacy += sum(1 for c in text if ord(c) > 127)
            else:
                text = line.decode("utf-8", errors="crmproof-cp1252")
                valid = sum(1 for c in line.decode("utf-8", errors="ignore") if ord(c) > 127)
                utf8 += valid
                legacy += sum(1 for c in text if ord(c) > 127) - valid
        parts.append(text)
    return "".join(parts), utf8, legacy


def transcode(path: Path, target: Path, encoding: Encoding) -> tuple[int, int]:
    """Write `path` as UTF-8 to `target`; return (UTF-8, Windows-1252) characters beyond
    ASCII for a 'mixed' file, (0, 0) for UTF-16."""
    utf8 = legacy = 0
    with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        if encoding.codec.startswith("utf-16"):
            decoder = codecs.getincrementaldecoder(encoding.codec)(errors="replace")
            while chunk := src.read(_CHUNK):
                dst.write(decoder.decode(chunk))
            dst.write(decoder.decode(b"", final=True))
            return 0, 0
        rest = b""
        while chunk := src.read(_CHUNK):
            data = rest + chunk
            cut = data.rfind(b"\n") + 1
            data, rest = (data[:cut], data[cut:]) if cut else (b"", data)
            text, u, c = decode_mixed(data)
            dst.write(text.removeprefix("\ufeff") if dst.tell() == 0 else text)
            utf8, legacy = utf8 + u, legacy + c
        if rest:
            text, u, c = decode_mixed(rest)
            dst.write(text)
            utf8, legacy = utf8 + u, legacy + c
    return utf8, legacy


def is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True
