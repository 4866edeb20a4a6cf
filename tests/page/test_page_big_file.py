"""A chosen file reaches the engine as its bytes (issue 5, outcome 5), in real Chromium.

The page sends the file's bytes, not file.text(): the engine decodes them
(so a Latin-1 file keeps its accents), and a 100,000-row file loads, shows
its first rows and trains. How fast is measured by scripts/bench_scale.py,
not here.
"""

import numpy as np
import pytest

from page_support import open_app, tid, train_to_done

pytestmark = pytest.mark.browser


def test_a_latin1_file_keeps_its_accents(guarded_page, app_server, tmp_path):
    page = guarded_page
    open_app(page, app_server)
    path = tmp_path / "villes.csv"
    path.write_bytes("ville,prix,surface\nMontréal,3,40\nZürich,4,51\nSão Paulo,2,33\n".encode("latin-1"))
    page.set_input_files(tid("file-input"), str(path))
    page.wait_for_function("() => document.querySelector('[data-testid=dataset-info]').textContent.startsWith('villes.csv')")
    cells = page.eval_on_selector_all(f'{tid("data-preview")} tbody tr td:first-child', "els => els.map(e => e.textContent)")
    assert cells == ["Montréal", "Zürich", "São Paulo"]


def test_a_file_of_100000_rows_loads_previews_and_trains(guarded_page, app_server, tmp_path):
    page = guarded_page
    open_app(page, app_server)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(100_000, 19))
    y = x @ rng.normal(size=19)
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join([f"x{i}" for i in range(1, 20)] + ["target"]) + "\n")
        np.savetxt(out, np.column_stack([x, y]), fmt="%.6g", delimiter=",")
    page.set_input_files(tid("file-input"), str(path))
    page.wait_for_function(
        "() => document.querySelector('[data-testid=dataset-info]').textContent.startsWith('big.csv')", timeout=120_000
    )
    assert page.text_content(tid("dataset-info")) == "big.csv: 100000 rows, 20 columns"
    assert page.locator(f'{tid("data-preview")} tbody tr').count() == 20
    kinds = page.eval_on_selector_all(f'{tid("column-summary")} tbody tr td:nth-child(2)', "els => els.map(e => e.textContent)")
    assert kinds == ["numeric"] * 20
    assert page.input_value(tid("target-select")) == "target"
    page.fill(tid("batch-size"), "256")
    assert train_to_done(page, epochs=1, timeout=180_000) == "done"
    assert "70000 training rows, 30000 test rows" in page.text_content(tid("task-info"))
    assert page.text_content(tid("epoch-counter")) == "1"
