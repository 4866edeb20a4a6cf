"""A teacher's notes in a strict subset of Markdown, made into plain data the page
builds DOM nodes from (createElement and textContent): no HTML is ever parsed.

Blocks: ``#``/``##``/``###`` headings, paragraphs, ``-``/``*`` and ``1.`` lists,
fenced code (```), separated by blank lines. Inline: ``**strong**``,
``*emphasis*`` or ``_emphasis_``, ```code```, ``[text](url)`` for http(s),
mailto and relative addresses. Everything else, HTML tags included, is text.

    [{"type": "h2", "inlines": [...]}, {"type": "p", "inlines": [...]},
     {"type": "ul"|"ol", "items": [[...], ...]}, {"type": "pre", "text": "..."}]

with inlines ``{"type": "text"|"strong"|"em"|"code", "text": ...}`` and
``{"type": "link", "text": ..., "href": ...}``.
"""

from __future__ import annotations

import re

MAX_NOTES_CHARS = 20_000  # a page of notes, not a book: the page shows them beside the data
INLINE = re.compile(
    r"\*\*(?P<strong>[^*]+)\*\*"
    r"|\*(?P<em>[^*\s][^*]*)\*"
    r"|(?<![\w])_(?P<em2>[^_\s][^_]*)_(?![\w])"
    r"|`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)"
)
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")
HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def inlines(text):
    """One line's (or paragraph's) inline pieces."""
    pieces, position = [], 0
    for match in INLINE.finditer(text):
        if match.start() > position:
            pieces.append({"type": "text", "text": text[position : match.start()]})
        kind = next(k for k in ("strong", "em", "em2", "code", "label") if match.group(k) is not None)
        if kind == "label":
            href = match.group("href")
            scheme = SCHEME.match(href)
            if scheme is None or scheme.group(1).lower() in SAFE_SCHEMES:
                pieces.append({"type": "link", "text": match.group("label"), "href": href})
            else:  # an address we do not follow (javascript:, data:, …) stays text
                pieces.append({"type": "text", "text": match.group(0)})
        else:
            pieces.append({"type": "em" if kind == "em2" else kind, "text": match.group(kind)})
        position = match.end()
    if position < len(text):
        pieces.append({"type": "text", "text": text[position:]})
    return pieces


def _list_block(lines, pattern):
    kind = "ul" if pattern is BULLET else "ol"
    return {"type": kind, "items": [inlines(pattern.match(line).group(1).strip()) for line in lines]}


def _paragraph_blocks(lines):
    """Blocks of one run of non-blank lines that is not fenced code."""
    blocks, paragraph = [], []

    def flush():
        if paragraph:
            blocks.append({"type": "p", "inlines": inlines(" ".join(line.strip() for line in paragraph))})
            paragraph.clear()

    k = 0
    while k < len(lines):
        line = lines[k]
        heading = HEADING.match(line)
        pattern = BULLET if BULLET.match(line) else NUMBERED if NUMBERED.match(line) else None
        if heading:
            flush()
            blocks.append({"type": f"h{len(heading.group(1)) + 1}", "inlines": inlines(heading.group(2).strip())})
        elif pattern:
            flush()
            end = k
            while end < len(lines) and pattern.match(lines[end]):
                end += 1
            blocks.append(_list_block(lines[k:end], pattern))
            k = end
            continue
        else:
            paragraph.append(line)
        k += 1
    flush()
    return blocks


def render_notes(markdown):
    """The notes as blocks (see the module's docstring); at most MAX_NOTES_CHARS characters are read."""
    text = str(markdown).replace("\r\n", "\n").replace("\r", "\n")[:MAX_NOTES_CHARS]
    blocks, run, code = [], [], None
    for line in text.split("\n"):
        if code is not None:
            if line.strip().startswith("```"):
                blocks.append({"type": "pre", "text": "\n".join(code)})
                code = None
            else:
                code.append(line)
        elif line.strip().startswith("```"):
            blocks += _paragraph_blocks(run)
            run, code = [], []
        elif not line.strip():
            blocks += _paragraph_blocks(run)
            run = []
        else:
            run.append(line)
    blocks += _paragraph_blocks(run)
    if code is not None:  # an unclosed fence: the rest is code
        blocks.append({"type": "pre", "text": "\n".join(code)})
    return blocks
