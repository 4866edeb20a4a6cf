// Built site only: scripts/build_site.py adds this script, with the runtime files the engine's
// worker will fetch in `data-files`. On a visit that no service worker serves (the first one),
// the page asks for them at once, so they download while PyScript starts here and creates the
// worker; the worker's own requests then find them in the browser's HTTP cache.
// scripts/bench_startup.py counts how often the server sent each file, to check that they do.
// A page that the service worker controls has every file in its cache already: nothing to do.
const files = document.currentScript?.dataset.files;

if (files && !navigator.serviceWorker?.controller) {
  for (const href of files.split(" ")) {
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch"; // read by fetch() or import() in the worker: a CORS-mode, same-origin request
    link.crossOrigin = "anonymous";
    link.href = href;
    document.head.append(link);
  }
}
