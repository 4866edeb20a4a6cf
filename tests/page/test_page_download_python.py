"""'Download as Python': the page's model as one numpy-only .py file that predicts a CSV
byte for byte as `python -m fcnn predict model.json` does with the page's JSON model file."""

import subprocess
import sys

import pytest

from page_support import show, ROOT, choose_sample, open_app, tid, train_to_done

pytestmark = pytest.mark.browser


def download_file(page, testid, folder):
    with page.expect_download() as info:
        show(page, testid).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_the_python_download_predicts_as_fcnn_predict_does(guarded_page, app_server, tmp_path):
    page = guarded_page
    open_app(page, app_server)
    assert page.is_disabled(tid("download-python"))  # no model yet
    choose_sample(page, "iris")
    assert train_to_done(page, epochs=15) == "done"
    assert not page.is_disabled(tid("download-python"))
    model_json = download_file(page, "download-model", tmp_path)
    model_py = download_file(page, "download-python", tmp_path)
    assert model_py.name.endswith(".py") and "import numpy" in model_py.read_text()
    data = ROOT / "static" / "data" / "iris.csv"
    by_file = subprocess.run([sys.executable, "-I", str(model_py), str(data)], capture_output=True, check=True)
    by_fcnn = subprocess.run([sys.executable, "-m", "fcnn", "predict", str(model_json), str(data)],
                             capture_output=True, check=True, cwd=ROOT)
    assert by_file.stdout.count(b"\n") == data.read_bytes().count(b"\n")
    assert by_file.stdout == by_fcnn.stdout
