// fcnn's service worker: makes a built site (dist/site) work offline after one visit.
//
// This is the template; scripts/build_site.py writes the build's version and the
// list of every file of the site (with sha256) between the BUILD markers below.
// Any change to any file (or to this code) changes the version, so the browser sees a new sw.js,
// installs it, and the new worker replaces the old cache.
//
// - install: fetch every listed file into the cache "fcnn-<version>", each
//   checked by the browser against its sha256 (fetch's `integrity`). A file
//   already cached by an older version with the same hash is copied over, not
//   downloaded again. If any file fails, the install fails and the old
//   version keeps serving.
// - activate: take control of open pages, delete every other "fcnn-" cache.
// - fetch: listed files come from the cache (cache first: the files of one
//   version never change); navigations inside the scope get index.html;
//   anything else goes to the network untouched. On each page load, while
//   online, it also checks that the origin still serves a built site (see
//   removeIfSiteIsGone).
//
// The repository itself (`make serve`) registers no service worker (see
// static/js/offline.js): its files change with every edit, and a cache would
// serve stale ones.

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
      await self.clients.claim();
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
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

// A worker outlives its site: if this origin later serves something else (say
// `make serve` of the repository on a port that once served dist/site), the
// worker would keep serving the old build from its cache. The browser's own
// update check cannot catch that with servers that answer 304 to an older
// file (python -m http.server does), so on each page load, while online, the
// worker asks for sw.js itself, bypassing every cache. If the origin answers
// 404/410, or with a script that is not a built fcnn worker, this worker
// deletes its caches, unregisters and reloads the pages it controls. Offline,
// slow, redirected (captive portal) or failed answers change nothing.
async function removeIfSiteIsGone(pageId) {
  let response;
  try {
    // a slow answer must not hold the navigation's event open (it would delay updates)
    response = await fetch(new URL("sw.js", SCOPE), { cache: "no-store", signal: AbortSignal.timeout(5000) });
  } catch (_) {
    return; // offline, or no answer in time
  }
  if (response.redirected) return;
  let gone = response.status === 404 || response.status === 410;
  if (response.ok && /javascript/.test(response.headers.get("content-type") || "")) {
    gone = !(await response.text()).includes("/*BUILD*/");
  }
  if (!gone) return;
  await self.registration.unregister();
  for (const name of await caches.keys()) if (name.startsWith(PREFIX)) await caches.delete(name);
  const pages = await self.clients.matchAll({ type: "window" });
  // the page this navigation creates is not a client yet: wait for it (up to 10 s)
  for (let i = 0; pageId && i < 100 && !pages.some((c) => c.id === pageId); i++) {
    const page = await self.clients.get(pageId);
    if (page) pages.push(page);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const page of pages) {
    // refresh the browser's HTTP cache first: a server that answers 304 to an older file
    // would otherwise hand back the built index.html it cached
    await fetch(page.url, { cache: "reload" }).catch(() => {});
    page.navigate(page.url).catch(() => {});
  }
}

self.addEventListener("fetch", (event) => {
  const key = cacheKey(event.request);
  if (event.request.mode === "navigate") event.waitUntil(removeIfSiteIsGone(event.resultingClientId));
  if (!key) return; // not ours: the browser fetches it as usual
  event.respondWith(
    (async () => {
      // (caches.match, not caches.open: an old worker must not re-create its deleted cache)
      const hit = await caches.match(key, { cacheName: CACHE });
      return hit || fetch(event.request);
    })(),
  );
});

// The page may ask which version serves it (the tests do).
self.addEventListener("message", (event) => {
  if (event.data === "fcnn-version" && event.ports[0]) event.ports[0].postMessage(BUILD.version);
});
