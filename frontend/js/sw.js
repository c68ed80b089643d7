// tickerboard's service worker, served by the server at /sw.js with two constants put in
// front of this text (server/src/offline.rs): VERSION (the hashed assets' names, so a new
// build is a new worker, which installs itself and drops the old copies) and ASSETS (the
// files a page needs: the hashed script, wasm and stylesheet, ECharts, nav.js, the
// favicon, the manifest, the offline page).
//
// Pages (navigations): the network's answer when it comes within a few seconds, and a
// copy of each page answered 200 kept; otherwise the last copy, with a banner saying the
// reader is offline and when the copy is from; a page never visited: the offline page.
// The assets: from the cache first (their names change with their content). Error
// answers, CSVs, the server functions, /data-version and this worker are never kept.
const CACHE = `tickerboard-${VERSION}`;
const OFFLINE = '/offline.html';
const WAIT_MS = 4000;
const SAVED = 'x-tickerboard-saved';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (request.mode === 'navigate') return event.respondWith(page(request));
  if (ASSETS.includes(url.pathname)) return event.respondWith(asset(request));
});

/** A page: the network first; its copy after WAIT_MS without an answer, or offline. */
async function page(request) {
  const cache = await caches.open(CACHE);
  const key = pageKey(request.url);
  const network = fetch(request).then(async (response) => {
    if (keepable(response)) await cache.put(key, await stamped(response.clone()));
    return response;
  });
  const late = new Promise((resolve) => setTimeout(resolve, WAIT_MS, null));
  try {
    const response = await Promise.race([network, late]);
    if (response) return response;
  } catch (e) {
    // No network: the copy, below.
  }
  const copy = await cache.match(key);
  if (copy) return withBanner(copy);
  try {
    return await network;
  } catch (e) {
    return (await cache.match(OFFLINE)) || Response.error();
  }
}

/** A page is kept by its path and query (the fragment aside). */
function pageKey(href) {
  const url = new URL(href);
  url.hash = '';
  return url.href;
}

/** Only a page answered 200 in HTML: never an error, a file or a download. */
function keepable(response) {
  const type = response.headers.get('content-type') || '';
  return response.status === 200 && type.startsWith('text/html') && !response.headers.has('content-disposition');
}

/** The response with the time it was kept. */
async function stamped(response) {
  const headers = new Headers(response.headers);
  // The body is decoded already: no encoding or length of the wire's.
  headers.delete('content-encoding');
  headers.delete('content-length');
  headers.set(SAVED, new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

/** A kept page with the offline banner after its `<body>`. */
async function withBanner(copy) {
  const saved = new Date(copy.headers.get(SAVED) || Date.now());
  const when = saved.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  const banner = `<div class="offline-banner" role="status" data-testid="offline-banner">You are offline: this is the page as it was on ${when}.</div>`;
  const html = (await copy.text()).replace(/<body[^>]*>/, (body) => body + banner);
  const headers = new Headers(copy.headers);
  headers.delete('content-length');
  return new Response(html, { status: 200, headers });
}

/** An asset: the cache, else the network (and kept). */
async function asset(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
