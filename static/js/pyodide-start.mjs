// PyScript's interpreter module for the engine worker (pyscript.toml: interpreter).
//
// It is Pyodide's own loadPyodide, plus a memory snapshot: most of Pyodide's
// start-up is Python initialising itself inside WebAssembly (seconds on a slow
// machine), and the result is the same on every visit. So a start restores a
// copy of Pyodide's memory right after boot instead of booting (Pyodide's
// `_loadSnapshot` option): the copy the build made (pyodide-snapshot.bin:
// scripts/pyodide_snapshot.py), or one this browser kept in its Cache Storage
// after booting in full where the build had none. numpy and the other packages
// are loaded after boot or restore, as PyScript asks, and numpy's modules come
// compiled (numpy-pycache.zip: scripts/numpy_pycache.py).
//
// Pyodide checks that a snapshot was made by the same build (its BUILD_ID) and
// throws otherwise; any failure to read, restore or store a snapshot falls
// back to a full boot, so the snapshot can only make start-up faster.
import { loadPyodide as boot, version } from "../vendor/pyodide/pyodide.mjs";

export { version };

const INDEX_URL = new URL("../vendor/pyodide/", import.meta.url).href;
// Outside the "fcnn-" caches of the service worker: it stays across site updates
// (a snapshot depends only on Pyodide, and Pyodide itself checks the build).
const CACHE = `pyodide-snapshot-${version}`;
const KEY = new URL("memory-snapshot", INDEX_URL).href; // a cache key; nothing is served there
const NUMPY_PYCACHE = new URL("../vendor/numpy-pycache.zip", import.meta.url).href;
const BUILT_SNAPSHOT = new URL("../vendor/pyodide-snapshot.bin", import.meta.url).href;

// When each stage of the worker's start ended, in ms since the epoch (comparable with the
// page's performance.timeOrigin): the worker's export `startup_marks` hands them to
// scripts/bench_startup.py, which prints where the start-up time goes.
const marks = (globalThis.fcnnStartupMarks ||= []);
const mark = (name) => marks.push({ name, at: performance.timeOrigin + performance.now() });
mark("worker: interpreter module loaded");

// Whether `bytes` can be a whole snapshot: Pyodide's header (its size in the second 32-bit word)
// and then whole WebAssembly pages of memory. Pyodide checks the rest (a magic number, the build)
// and throws, but memory too small for the module fails its start without an error to catch.
function looksWhole(bytes) {
  if (bytes.length < 64 || bytes.byteOffset % 4) return false;
  const header = new Uint32Array(bytes.buffer, bytes.byteOffset, 2)[1];
  return header >= 16 && header < bytes.length && (bytes.length - header) % 65536 === 0;
}

// {snapshot, source}: this browser's own copy, else the build's, else none (snapshot null)
async function readSnapshot() {
  try {
    const hit = await (await caches.open(CACHE)).match(KEY);
    const bytes = hit ? new Uint8Array(await hit.arrayBuffer()) : null;
    if (bytes && looksWhole(bytes)) return { snapshot: bytes, source: "kept" };
  } catch (_) {
    // no Cache Storage (e.g. an insecure origin): the build's copy, if any
  }
  try {
    const response = await fetch(BUILT_SNAPSHOT);
    const bytes = response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
    // empty when the build had no Node to make it (scripts/pyodide_snapshot.py)
    if (bytes && bytes.length && looksWhole(bytes)) return { snapshot: bytes, source: "built" };
    if (bytes && bytes.length) console.warn("Pyodide memory snapshot of the build is cut short or damaged: booting in full");
  } catch (_) {
    // offline without it in a cache: boot in full
  }
  return { snapshot: null, source: null };
}

async function storeSnapshot(snapshot) {
  try {
    await (await caches.open(CACHE)).put(KEY, new Response(snapshot, { headers: { "content-type": "application/octet-stream" } }));
  } catch (error) {
    console.warn(`Pyodide memory snapshot not stored: ${error.message}`);
  }
}

async function forgetSnapshot() {
  try {
    await caches.delete(CACHE);
  } catch (_) {
    // nothing to forget
  }
}

// numpy's bytecode, compiled at build time by the same Python, into site-packages beside
// numpy's sources. Python checks each file against its source's hash and compiles the
// source itself when they differ; a missing or broken archive only makes the start slower.
async function addNumpyBytecode(pyodide, download) {
  try {
    const response = await download;
    if (response instanceof Error) throw response;
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const archive = await response.arrayBuffer();
    const sitePackages = pyodide.runPython("import sys; [p for p in sys.path if p.endswith('site-packages')][0]");
    pyodide.unpackArchive(archive, "zip", { extractDir: sitePackages });
  } catch (error) {
    console.warn(`numpy's compiled modules not used (numpy is compiled at start instead): ${error.message}`);
  }
}

export async function loadPyodide(options = {}) {
  // PyScript passes packages (with packages_cache = "passthrough") and an indexURL
  // derived from this module's URL; Pyodide's files are in the vendor folder.
  const { packages, ...rest } = options;
  const withNumpy = Boolean(packages && packages.includes("numpy"));
  // asked for now, so it downloads while Pyodide boots (a failure is dealt with when it is used)
  const numpyBytecode = withNumpy ? fetch(NUMPY_PYCACHE).catch((error) => error) : null;
  const settings = { ...rest, indexURL: INDEX_URL };
  let pyodide = null;
  const { snapshot, source } = await readSnapshot();
  mark(snapshot ? `worker: snapshot read (${source})` : "worker: no snapshot");
  if (snapshot) {
    try {
      const started = performance.now();
      pyodide = await boot({ ...settings, _loadSnapshot: snapshot });
      console.info(`Pyodide restored from its memory snapshot (${source === "built" ? "the build's" : "kept by this browser"}) ` +
        `in ${Math.round(performance.now() - started)} ms`);
      mark("worker: Pyodide restored");
    } catch (error) {
      console.warn(`Pyodide memory snapshot not usable, booting in full: ${error.message}`);
      if (source === "kept") await forgetSnapshot();
    }
  }
  if (!pyodide) {
    pyodide = await boot({ ...settings, _makeSnapshot: true });
    mark("worker: Pyodide booted");
    let made = null;
    try {
      made = pyodide.makeMemorySnapshot();
    } catch (error) {
      console.warn(`Pyodide memory snapshot not made: ${error.message}`);
    }
    if (made) storeSnapshot(made); // not awaited: storing must not delay the start
    mark("worker: snapshot made");
  }
  if (packages && packages.length) await pyodide.loadPackage(packages);
  mark("worker: packages loaded");
  if (withNumpy) {
    await addNumpyBytecode(pyodide, numpyBytecode);
    mark("worker: numpy bytecode added");
  }
  return pyodide;
}
