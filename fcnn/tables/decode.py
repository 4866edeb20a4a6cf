"""Bytes → text: the encodings a CSV file comes in, and refusing binary files.

UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark
(Excel's "Unicode text"), else Windows-1252 / Latin-1 with a note. A NUL
byte, a zip or Excel signature, or too many control characters mean the
file is not text.
"""

from __future__ import annotations

import codecs

from ..errors import DataError

# The first characters the binary check looks at, and the share of control
# characters above which the text is taken for binary data.
BINARY_SAMPLE = 8192
BINARY_CONTROL_SHARE = 0.10


def decode(source):
    """(text, encoding, notes) for a str or bytes source."""
    notes = []
    if isinstance(source, str):
        return source.lstrip("\ufeff"), "text", notes
    if not isinstance(source, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_csv_text takes str or bytes, not {type(source).__name__}")
    raw = bytes(source)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export; its NUL bytes are not binary data
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError(
                "the file starts like UTF-16 text but cannot be decoded as such; save it as a UTF-8 CSV file and load it again"
            ) from None
        return text.lstrip("\ufeff"), "utf-16", notes
    _refuse_binary_bytes(raw)
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig", notes
        except UnicodeDecodeError:
            raw = raw[len(codecs.BOM_UTF8) :]
    else:
        try:
            return raw.decode("utf-8"), "utf-8", notes
        except UnicodeDecodeError:
            pass
    # Not UTF-8: most likely a spreadsheet saved in the Windows code page.
    # Windows-1252 is Latin-1 plus curly quotes, € and the like in 0x80–0x9F;
    # the five bytes it leaves undefined fall back to strict Latin-1, which
    # decodes every byte, so a text file never fails here.
    try:
        text, encoding = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    notes.append(
        "the file is not UTF-8, so it was decoded as Latin-1 (Windows-1252); "
        "if accented letters look wrong, save the file as UTF-8 and load it again"
    )
    return text, encoding, notes


def _refuse_binary_bytes(raw):
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(
            "the file is binary (it looks like an Excel workbook or a zip archive), not CSV text; "
            "in your spreadsheet use Save As › CSV and load that file"
        )
    sample = raw[:BINARY_SAMPLE]
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\v")
    if b"\x00" in raw or controls > BINARY_CONTROL_SHARE * len(sample):
        raise DataError("the file holds binary data, not CSV text; choose a CSV file (text with one row per line)")


def refuse_binary_text(text):
    sample = text[:BINARY_SAMPLE]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if "\x00" in text or controls > BINARY_CONTROL_SHARE * len(sample):
        raise DataError("the file holds binary data, not CSV text; choose a CSV file (text with one row per line)")
