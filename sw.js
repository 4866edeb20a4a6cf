// Development stand-in for the service worker: it removes itself.
//
// The real service worker is built into dist/site/sw.js by scripts/build_site.py
// (source: scripts/site/sw.js), with a version derived from every file of the
// site. The repository served as it is (`make serve`) registers no service
// worker, because its files change with every edit and a cache would serve
// stale ones (static/js/offline.js registers only in a built site).
//
// This file exists for one case: a browser that once opened a built site on
// the same origin (say http://127.0.0.1:8000/) still has that site's worker.
// On the next visit the browser checks /sw.js for an update, finds this file,
// installs it, and this worker deletes fcnn's caches, unregisters itself and
// reloads the open pages, which then come from the development server.

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("fcnn-")) await caches.delete(name);
      }
      await self.registration.unregister();
      for (const client of await self.clients.matchAll({ type: "window" })) {
        client.navigate(client.url);
      }
    })(),
  );
});
