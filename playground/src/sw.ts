// The playground's service worker: caches this build's files when installed (the list and a
// version hash are written above this code by scripts/build-playground.mjs), answers from the
// network while online (a new build is seen at once) and from the cache when offline. Only
// same-origin GET requests are handled; a new version drops the old caches.
export {};
const sw = self as unknown as ServiceWorkerGlobalScope & { SPIKEWORKS_BUILD: { version: string; files: string[] } };

const { version, files } = sw.SPIKEWORKS_BUILD;
const CACHE = `spikeworks-playground-${version}`;

sw.addEventListener('install', (e: ExtendableEvent) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(files)).then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (e: ExtendableEvent) => {
  e.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('spikeworks-playground-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('fetch', (e: FetchEvent) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== sw.location.origin) return;
  e.respondWith(
    fetch(e.request).then(
      (r) => r,
      // Offline: the cached file (the fragment and query of a page URL do not matter).
      () => caches.open(CACHE).then((c) => c.match(e.request, { ignoreSearch: true })).then((r) => r ?? Response.error()),
    ),
  );
});
