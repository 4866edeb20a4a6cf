"""A teacher's notes: a strict Markdown subset made into data, never HTML."""

from fcnn.web.notes import MAX_NOTES_CHARS, render_notes


def test_headings_paragraphs_lists_and_code_become_blocks():
    blocks = render_notes("# Lesson\n\nTrain the **network**\nand *watch* the `loss`.\n\n- one\n- two\n\n"
                          "1. first\n2. second\n\n```\nx = 1\n<b>\n```\n")
    assert [b["type"] for b in blocks] == ["h2", "p", "ul", "ol", "pre"]
    assert blocks[0]["inlines"] == [{"type": "text", "text": "Lesson"}]
    assert blocks[1]["inlines"] == [
        {"type": "text", "text": "Train the "}, {"type": "strong", "text": "network"},
        {"type": "text", "text": " and "}, {"type": "em", "text": "watch"}, {"type": "text", "text": " the "},
        {"type": "code", "text": "loss"}, {"type": "text", "text": "."}]
    assert blocks[2]["items"] == [[{"type": "text", "text": "one"}], [{"type": "text", "text": "two"}]]
    assert blocks[3]["items"][1] == [{"type": "text", "text": "second"}]
    assert blocks[4] == {"type": "pre", "text": "x = 1\n<b>"}


def test_html_stays_text_and_only_safe_links_are_links():
    blocks = render_notes('<script>alert(1)</script> <img src=x onerror=alert(1)> '
                          '[ok](https://example.org/a) [rel](notes/more.html) [bad](javascript:alert(1)) '
                          '[data](data:text/html,hi) [mail](mailto:t@example.org)')
    pieces = blocks[0]["inlines"]
    links = [(p["text"], p["href"]) for p in pieces if p["type"] == "link"]
    assert links == [("ok", "https://example.org/a"), ("rel", "notes/more.html"), ("mail", "mailto:t@example.org")]
    text = "".join(p["text"] for p in pieces if p["type"] == "text")
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert "[bad](javascript:alert(1))" in text and "[data](data:text/html,hi)" in text


def test_snake_case_words_are_not_emphasis_and_an_unclosed_fence_is_code():
    blocks = render_notes("use early_stopping and weight_decay\n\n```\nopen")
    assert blocks[0]["inlines"] == [{"type": "text", "text": "use early_stopping and weight_decay"}]
    assert blocks[1] == {"type": "pre", "text": "open"}


def test_notes_are_read_up_to_the_limit():
    blocks = render_notes("a" * (MAX_NOTES_CHARS + 500))
    assert len(blocks[0]["inlines"][0]["text"]) == MAX_NOTES_CHARS
