// fcnn's service worker: makes a built site (dist/site) work offline after one visit.
//
// This is the template; scripts/build_site.py writes the build's version and the
// list of every file of the site (with sha256) between the BUILD markers below.
// Any change to any file changes the version, so the browser sees a new sw.js,
// installs it, and the new worker replaces the old cache.
//
// - install: fetch every listed file into the cache "fcnn-<version>", each
//   checked by the browser against its sha256 (fetch's `integrity`). A file
//   already cached by an older version with the same hash is copied over, not
//   downloaded again. If any file fails, the install fails and the old
//   version keeps serving.
// - activate: delete every other "fcnn-" cache, take control of open pages.
// - fetch: listed files come from the cache (cache first: the files of one
//   version never change); navigations inside the scope get index.html;
//   anything else goes to the network untouched.
//
// The repository itself (`make serve`) registers no service worker; see
// static/js/offline.js and the root sw.js.

const BUILD = /*BUILD*/ { "version": "dev", "files": [] } /*END*/;

const PREFIX = "fcnn-";
const CACHE = PREFIX + BUILD.version;
const SCOPE = new URL(self.registration.scope);
const INDEX = new URL("index.html", SCOPE).href;
const LISTED = new Map(BUILD.files.map((f) => [new URL(f.path, SCOPE).href, f]));
const HASH_HEADER = "x-fcnn-sha256";

async function fromOlderCache(url, sha256) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const hit = await (await caches.open(name)).match(url);
    if (hit && hit.headers.get(HASH_HEADER) === sha256) return hit;
  }
  return null;
}

async function download(url, file) {
  const response = await fetch(new Request(url, { cache: "no-cache", integrity: file.integrity }));
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  // keep the hash with the response, so the next version can reuse it
  const headers = new Headers(response.headers);
  headers.set(HASH_HEADER, file.sha256);
  return new Response(await response.blob(), { status: 200, statusText: "OK", headers });
}

async function precache() {
  const cache = await caches.open(CACHE);
  const pending = [...LISTED.entries()];
  // a few at a time: the files are large and the page may still be running
  const workers = Array.from({ length: 4 }, async () => {
    while (pending.length) {
      const [url, file] = pending.shift();
      if (await cache.match(url)) continue;
      const response = (await fromOlderCache(url, file.sha256)) || (await download(url, file));
      await cache.put(url, response);
    }
  });
  await Promise.all(workers);
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function cacheKey(request) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  url.hash = "";
  if (request.mode === "navigate" && url.href.startsWith(SCOPE.href)) {
    url.search = "";
    if (url.href === SCOPE.href) return INDEX;
  }
  if (LISTED.has(url.href)) return url.href;
  url.search = "";
  return LISTED.has(url.href) ? url.href : null;
}

self.addEventListener("fetch", (event) => {
  const key = cacheKey(event.request);
  if (!key) return; // not ours: the browser fetches it as usual
  event.respondWith(
    (async () => {
      const hit = await (await caches.open(CACHE)).match(key);
      return hit || fetch(event.request);
    })(),
  );
});

// The page asks which version serves it (tests and the README's checks use this).
self.addEventListener("message", (event) => {
  if (event.data === "fcnn-version" && event.ports[0]) event.ports[0].postMessage(BUILD.version);
});
