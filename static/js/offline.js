// Offline use: registers the service worker (sw.js at the site root) in a built site.
//
// Only dist/site (made by `make site`) registers it: its index.html carries
// <meta name="fcnn-site">. The repository served by `make serve` registers
// nothing, so editing a file and reloading always shows the edit (see
// scripts/site/sw.js for how a worker left over from a built site removes itself).
//
// Registration waits until the page says it is ready (body[data-ready-ms]), so
// the first visit's precaching does not compete with loading the runtime.

const BUILT = document.querySelector('meta[name="fcnn-site"]') !== null;
const FALLBACK_MS = 20_000; // register anyway if the runtime never becomes ready

function whenReady() {
  return new Promise((resolve) => {
    if (document.body.dataset.readyMs) return resolve();
    const observer = new MutationObserver(() => {
      if (document.body.dataset.readyMs) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-ready-ms"] });
    setTimeout(() => {
      observer.disconnect();
      resolve();
    }, FALLBACK_MS);
  });
}

async function register() {
  await whenReady();
  try {
    const registration = await navigator.serviceWorker.register("./sw.js", { scope: "./" });
    document.body.dataset.offline = registration.active ? "ready" : "installing";
    const active = (await navigator.serviceWorker.ready).active;
    if (active.state !== "activated") {
      await new Promise((resolve) => active.addEventListener("statechange", () => active.state === "activated" && resolve()));
    }
    // every file is cached: from now on the page loads with the network off
    document.body.dataset.offline = "ready";
  } catch (error) {
    // the app still works online; say why it will not work offline
    document.body.dataset.offline = "unavailable";
    console.warn(`Offline use is unavailable: ${error.message}`);
  }
}

if (BUILT && "serviceWorker" in navigator) {
  if (navigator.serviceWorker.controller) {
    // a new build took over this open page: its next load uses the new version
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      console.info("fcnn: a new version is installed; reload to use it.");
    });
  }
  register();
}
