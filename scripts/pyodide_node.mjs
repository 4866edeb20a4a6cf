// Run a Python file in the vendored Pyodide under Node: the same WebAssembly numpy the page's
// worker runs (V8, as in Chromium), without a browser. The script's last expression is printed.
//   node scripts/pyodide_node.mjs scripts/check_pyodide_products.py
// The repository is mounted at its own path inside Pyodide (so `import fcnn` works), and /tmp too.
import { loadPyodide } from "../static/vendor/pyodide/pyodide.mjs";
import fs from "fs";
import path from "path";
import { fileURLToPath } from "url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const py = await loadPyodide({ indexURL: path.join(root, "static/vendor/pyodide") + "/" });
await py.loadPackage("numpy", { messageCallback: () => {} });
for (const dir of [root, "/tmp"]) {
  py.FS.mkdirTree(dir);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, dir);
}
py.globals.set("REPOSITORY", root);
try {
  console.log(py.runPython(fs.readFileSync(process.argv[2], "utf8")));
} catch (error) {
  console.error(String(error.message || error));
  process.exit(1);
}
