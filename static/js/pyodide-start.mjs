// PyScript's interpreter module for the engine worker (pyscript.toml: interpreter).
//
// It is Pyodide's own loadPyodide, plus a memory snapshot: most of Pyodide's
// start-up is Python initialising itself inside WebAssembly (seconds on a slow
// machine), and the result is the same on every visit. So the first start
// boots Pyodide in full and keeps a copy of its memory right after boot, in
// the browser's Cache Storage; later starts restore that copy instead of
// booting (Pyodide's `_makeSnapshot` / `_loadSnapshot` options). numpy and
// the other packages are loaded after boot or restore, as PyScript asks.
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

async function readSnapshot() {
  try {
    const hit = await (await caches.open(CACHE)).match(KEY);
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch (_) {
    return null; // no Cache Storage (e.g. an insecure origin): boot in full
  }
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

export async function loadPyodide(options = {}) {
  // PyScript passes packages (with packages_cache = "passthrough") and an indexURL
  // derived from this module's URL; Pyodide's files are in the vendor folder.
  const { packages, ...rest } = options;
  const settings = { ...rest, indexURL: INDEX_URL };
  let pyodide = null;
  const snapshot = await readSnapshot();
  if (snapshot) {
    try {
      const started = performance.now();
      pyodide = await boot({ ...settings, _loadSnapshot: snapshot });
      console.info(`Pyodide restored from its memory snapshot in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      console.warn(`Pyodide memory snapshot not usable, booting in full: ${error.message}`);
      await forgetSnapshot();
    }
  }
  if (!pyodide) {
    pyodide = await boot({ ...settings, _makeSnapshot: true });
    let made = null;
    try {
      made = pyodide.makeMemorySnapshot();
    } catch (error) {
      console.warn(`Pyodide memory snapshot not made: ${error.message}`);
    }
    if (made) storeSnapshot(made); // not awaited: storing must not delay the start
  }
  if (packages && packages.length) await pyodide.loadPackage(packages);
  return pyodide;
}
