"""The page reads in its light and its dark scheme (issue 20, outcome 8): every piece of text on
screen, in the workspace and in each sheet of the side panel, has WCAG AA contrast against what
lies behind it (4.5:1, or 3:1 for large text), measured from the colours the browser computed.
Disabled controls are exempt, as WCAG exempts inactive components."""

from __future__ import annotations

import pytest

from page_support import PageGuard, choose_sample, close_sheet, install_event_recorder, open_app, open_sheet, train_to_done

pytestmark = pytest.mark.browser

SHEETS = ("preview", "results", "predict", "rate", "inside", "save")

# Each text on screen with too little contrast: [its text, its colour, its background, the ratio, the least].
LOW_CONTRAST_JS = """() => {
    const parse = (text) => {
        const m = text.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
    const luminance = ([r, g, b]) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    // what lies behind an element: the backgrounds of it and its ancestors, composed from the page's own
    const behind = (element) => {
        const layers = [];
        for (let n = element; n; n = n.parentElement) {
            const c = parse(getComputedStyle(n).backgroundColor);
            if (c && c[3] > 0) layers.push(c);
            if (c && c[3] >= 1) break;
        }
        let colour = parse(getComputedStyle(document.documentElement).backgroundColor) || [255, 255, 255, 1];
        if (colour[3] < 1) colour = [255, 255, 255, 1];
        for (const layer of layers.reverse()) colour = over(layer, colour);
        return colour;
    };
    const opacity = (element) => {
        let value = 1;
        for (let n = element; n; n = n.parentElement) value *= Number(getComputedStyle(n).opacity);
        return value;
    };
    const low = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        const element = node.parentElement;
        if (!text || !element || element.closest('svg, option, script, style, [hidden]')) continue;
        if (!element.getClientRects().length || getComputedStyle(element).visibility === 'hidden') continue;
        if (element.closest('button:disabled, select:disabled')) continue;
        const label = element.closest('label');
        if (label && label.htmlFor && document.getElementById(label.htmlFor)?.disabled) continue;
        const style = getComputedStyle(element);
        const colour = parse(style.color);
        if (!colour) continue;
        colour[3] *= opacity(element);
        const back = behind(element);
        const [a, b] = [luminance(over(colour, back)), luminance(back)];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        const least = large ? 3 : 4.5;
        if (ratio < least - 0.01) low.push([text.slice(0, 40), style.color, `rgb(${back.slice(0, 3).map(Math.round)})`, Number(ratio.toFixed(2)), least]);
    }
    return low;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_on_screen_meets_wcag_aa_contrast(browser, app_server, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(60_000)
    guard = PageGuard(page, app_server)
    install_event_recorder(page)
    try:
        open_app(page, app_server)
        choose_sample(page, "iris")
        train_to_done(page, epochs=3)  # every view filled: metrics, results, what-if, maps
        found = {"workspace": page.evaluate(LOW_CONTRAST_JS)}
        for sheet in SHEETS:
            open_sheet(page, sheet)
            found[sheet] = page.evaluate(LOW_CONTRAST_JS)
            close_sheet(page)
        page.select_option('[data-testid="network-face"]', "nodes")
        page.wait_for_selector('[data-testid="graph-view"][data-state="drawn"]')
        found["nodes"] = page.evaluate(LOW_CONTRAST_JS)
        assert {where: low for where, low in found.items() if low} == {}
        assert not guard.problems(), guard.problems()
    finally:
        context.close()
