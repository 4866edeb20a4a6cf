"""'Link with the data': the loaded table rides in the URL's fragment, deflated by the
browser's CompressionStream; opening the link loads the table, the settings and the target,
and Train trains. A table too big for a link, and a cut or damaged link, get clear messages.

The tests share one page: each loads the table it needs itself (``fresh_load``)."""

import random
from urllib.parse import parse_qs

import pytest

from fcnn.web.facts import facts
from page_support import (PageGuard, error_text, install_event_recorder, load_file, open_app, tid, train_to_done,
                          wait_loaded, wait_state, wait_until_idle)

pytestmark = pytest.mark.browser

# text, missing cells, Latin-1 accents (the file is Windows-1252 bytes) and quoted cells
TABLE = ("ville;type;surface;prix\n"
         + "".join(f'{"Orléans" if i % 3 else "Besançon"};"maison, ""T{i % 4}""";'
                   f'{"" if i % 11 == 4 else 20 + (i * 7) % 90};{1000 + 31 * i + (i % 5) * 40}\n' for i in range(60)))
TABLE_BYTES = TABLE.encode("cp1252")


def fresh_load(page, origin):
    """The shared page, ready for a table: opened when it is not (a link opened by the test before
    may have left it with an error shown, or loading)."""
    if not page.url.startswith(origin):
        open_app(page, origin)
    wait_until_idle(page)


def data_link(page, name):
    """The data link once it carries the table ``name`` (on the shared page, the link of the table
    before stays until the new one is packed)."""
    page.wait_for_function(
        """(name) => { const link = document.querySelector('[data-testid=data-link]');
                      return link.dataset.state === 'ready'
                          && new URLSearchParams(link.getAttribute('href').slice(1)).get('data_name') === name; }""",
        arg=name,
    )
    return page.get_attribute(tid("data-link"), "href")


def preview_cells(page):
    return page.eval_on_selector_all(f'{tid("data-preview")} tbody tr', "rows => rows.map(r => [...r.cells].map(c => c.textContent))")


def test_a_data_link_round_trips_the_table_with_its_settings_and_trains(shared_page, app_server):
    page = shared_page
    fresh_load(page, app_server)
    assert load_file(page, TABLE_BYTES, name="villes.csv", target="prix") == ""
    page.fill(tid("learning-rate"), "0.01")
    page.dispatch_event(tid("learning-rate"), "change")
    page.fill(tid("epochs"), "12")
    page.dispatch_event(tid("epochs"), "change")
    shown = preview_cells(page)
    assert any("Orléans" in cell for row in shown for cell in row) and any('"T' in cell for row in shown for cell in row)
    href = data_link(page, "villes.csv")
    assert href.startswith("#")
    fragment = parse_qs(href[1:])
    assert fragment["data_name"] == ["villes.csv"] and fragment["target"] == ["prix"] and "sample" not in fragment
    assert "data=" not in page.get_attribute(tid("share-link"), "href")  # the plain link never carries data
    assert "never sends to a server" in page.text_content(tid("data-link-note"))

    other = page.context.new_page()  # a new page (no state but the browser's caches), as a person opening the link
    guard = PageGuard(other, app_server)
    install_event_recorder(other)
    try:
        other.goto(app_server + "/" + href)
        wait_loaded(other, "prix")
        assert other.text_content(tid("dataset-info")).startswith("villes.csv: ")
        assert preview_cells(other) == shown
        assert other.input_value(tid("learning-rate")) == "0.01" and other.input_value(tid("epochs")) == "12"
        assert train_to_done(other) == "done"
        assert other.text_content(tid("epoch-counter")) == "12"
        assert other.text_content(tid("metric-r2")).strip() not in ("", "–")
        assert not guard.problems()
    finally:
        other.close()


def test_a_table_too_big_for_a_link_points_to_the_demo_folder(shared_page, app_server):
    page = shared_page
    fresh_load(page, app_server)
    rng = random.Random(3)  # random digits do not compress much: well over the limit
    rows = "".join(f"{rng.random():.12f},{rng.random():.12f},{rng.random():.12f}\n" for _ in range(4000))
    assert load_file(page, "a,b,c\n" + rows, name="big.csv", target="c") == ""
    page.wait_for_selector(f'{tid("data-link")}[data-state="too-big"]', state="attached")
    note = page.text_content(tid("data-link-note"))
    limit_kb = facts()["limits"]["max_data_link_bytes"] // 1024
    assert "too big for a link" in note and f"at most {limit_kb} KB" in note and "python -m fcnn demo" in note
    assert page.get_attribute(tid("data-link"), "href") is None


# packs a table given as text and unpacks it: answers where the text came back changed (-1: nowhere),
# the packed length, and the main-thread tasks over 50 ms while it packed a big table no link can carry
PACK_ROUND_TRIP = """async ([text, big]) => {
    const link = await import('/static/js/data-link.js');
    const packed = await link.packTable(text);
    const back = new TextDecoder().decode(await link.unpackTable(packed.packed));
    let changed = back === text ? -1 : 0;
    while (changed >= 0 && back[changed] === text[changed]) changed += 1;
    // the same table as bytes, a view that starts 7 bytes into its buffer (as a file's bytes may)
    const encoded = new TextEncoder().encode(text);
    const buffer = new Uint8Array(encoded.length + 16);
    buffer.set(encoded, 7);
    const viewPacked = await link.packTable(buffer.subarray(7, 7 + encoded.length));
    const viewBack = new TextDecoder().decode(await link.unpackTable(viewPacked.packed));
    // 128 MB of bytes far over the limit: 1 MB of random digits over and over (deflate looks back 32 KB)
    const block = Uint8Array.from({ length: 1 << 20 }, () => 48 + Math.floor(Math.random() * 10));
    const bigBytes = new Uint8Array(128 << 20);
    for (let at = 0; at < bigBytes.length; at += block.length) bigBytes.set(block, at);
    await new Promise((resolve) => setTimeout(resolve, 0)); // the task that made them is not observed
    const tasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) tasks.push(e.duration); }).observe({ type: 'longtask' });
    const refused = await link.packTable(big, 32 * 1024);
    const refusedBytes = await link.packTable(bigBytes, 32 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { changed, length: packed.compressedBytes, viewSame: viewBack === text, refused: refused.packed,
             refusedBytes: refusedBytes.packed, tasks };
}"""


def test_a_table_is_packed_a_slice_at_a_time_without_cutting_a_character(shared_page, app_server):
    """A table over one 64 KB slice, with characters outside the BMP (two UTF-16 units) where the
    slices meet, comes back whole, as text and as a view of bytes; a table far over the limit, as text
    or as 128 MB of bytes, stops packing early, with no long task."""
    page = shared_page
    fresh_load(page, app_server)
    row = "a,😀,é,\U0001F9EA\n"
    text = "x,y,z,w\n" + row * 20_000  # 200,008 UTF-16 units: 4 slices, the first ending inside a pair
    rng = random.Random(5)
    big = "".join(f"{rng.random():.12f},{rng.random():.12f}\n" for _ in range(300_000))  # 8 MB of digits
    result = page.evaluate(PACK_ROUND_TRIP, [text, big])
    assert result["changed"] == -1 and result["length"] > 0 and result["viewSame"]
    # nothing held the main thread: copying 128 MB of a file's bytes whole held it 300 ms
    assert result["refused"] is None and result["refusedBytes"] is None and result["tasks"] == []


@pytest.mark.parametrize("damage", ["cut", "garbled", "not base64"])
def test_a_cut_or_damaged_link_says_so_and_opens_with_nothing_loaded(shared_page, app_server, damage):
    page = shared_page
    fresh_load(page, app_server)
    assert load_file(page, TABLE_BYTES, name="villes.csv", target="prix") == ""
    fragment = parse_qs(data_link(page, "villes.csv")[1:])
    packed = fragment["data"][0]
    broken = {"cut": packed[: len(packed) // 2], "garbled": packed[:40] + "AAAA" + packed[44:],
              "not base64": packed[:20] + "%21%21" + packed[20:]}[damage]
    page.goto("about:blank")  # a new load of the page, not a change of the fragment of the one shown
    page.goto(f"{app_server}/#target=prix&data_name=villes.csv&data={broken}")
    page.wait_for_function("() => document.querySelector('[data-testid=error-message]').textContent.includes('could not be read')")
    message = error_text(page)
    assert "This link's table could not be read" in message and "Nothing was loaded" in message
    wait_state(page, "ready")
    assert page.text_content(tid("dataset-info")) == "No data loaded."
    assert load_file(page, TABLE_BYTES, name="again.csv", target="prix") == ""  # the page is alive
