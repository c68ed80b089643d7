// Moves between tickerboard's pages in place. Every page is rendered on the server (and
// served from its memory between ingests); this script fetches the next one's HTML and
// morphs the document into it with idiomorph, so focus, scroll and the islands (the
// WebAssembly parts: the chart, "Copy link") stay. Without it, or without JavaScript,
// the same links and GET forms load pages the ordinary way.
//
// What it takes over:
// - a click on a link to our origin (not a download, not rel=external, no target):
//   a new history entry, or the current one replaced when the link says `data-replace`;
// - a GET form's submit: a new entry, the current one replaced for `data-live="replace"`;
// - a change inside a `data-live` form: sends the form at once. `data-live="push"` makes
//   a new entry, `data-live="replace"` replaces the current one unless the control says
//   `data-push` (another symbol is a new entry; another chart style is not);
// - Back and Forward: the page of the URL they land on;
// - controls marked `data-scripted` (disabled as the server sends them): enabled.
// The URL shown is the page's `<link rel=canonical>` when it has one (the server's
// short form: defaults left out, values it dropped gone). After each page it fires
// `tickerboard:page` on window.
//
// An island that keeps the state of its path (`data-owner="/"`, and `data-ready` once
// hydrated: the home page's) gets the navigations to that path instead: a
// `tickerboard:go` event on window with `{ href, replace, record }`, and it shows them
// itself (through its server function; no HTML is fetched). Changes inside its own
// forms are its own. Before it is ready, its forms' changes load their page the
// ordinary way, and its links and forms go through here, the island morphed with the
// rest.
import { Idiomorph } from 'idiomorph/dist/idiomorph.esm.js';
import { drawEarly } from './early.js';

// The chart of the page as first loaded, before the WebAssembly (early.js).
drawEarly();

let current = null;

/** The islands already in the page hydrate when the WebAssembly loads. */
for (const island of document.querySelectorAll('leptos-island')) island.$$hydrated = true;

function linkTarget(ev) {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return null;
  const a = ev.target instanceof Element ? ev.target.closest('a[href]') : null;
  if (!a || a.target || a.hasAttribute('download')) return null;
  if ((a.getAttribute('rel') || '').split(/\s+/).includes('external')) return null;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return null;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return null;
  return { url, replace: a.hasAttribute('data-replace') };
}

function formUrl(form, submitter) {
  const url = new URL(form.getAttribute('action') || location.pathname, location.href);
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form, submitter)) {
    if (typeof value === 'string') params.append(name, value);
  }
  url.search = params.toString();
  return url;
}

function isGetForm(form) {
  return form instanceof HTMLFormElement && (form.getAttribute('method') || 'get').toLowerCase() === 'get';
}

document.addEventListener('click', (ev) => {
  const target = linkTarget(ev);
  if (!target) return;
  ev.preventDefault();
  go(target.url, { replace: target.replace });
});

document.addEventListener('submit', (ev) => {
  const form = ev.target;
  if (ev.defaultPrevented || !isGetForm(form)) return;
  const url = formUrl(form, ev.submitter);
  if (url.origin !== location.origin) return;
  ev.preventDefault();
  go(url, { replace: form.dataset.live === 'replace' });
});

document.addEventListener('change', (ev) => {
  const control = ev.target;
  const form = control && control.form;
  if (!form || !form.hasAttribute('data-live') || !isGetForm(form)) return;
  const owner = form.closest('[data-owner]');
  if (owner && owner.hasAttribute('data-ready')) return;
  if (owner) return form.submit();
  const push = form.dataset.live === 'push' || control.hasAttribute('data-push');
  go(formUrl(form), { replace: !push });
});

addEventListener('popstate', () => go(new URL(location.href), { record: false }));

/**
 * Controls that work only with this script come `disabled` from the server (so a form
 * sent without JavaScript leaves them out) and say `data-scripted`: enabled here, at
 * start and after each page.
 */
function enableScriptedControls() {
  for (const control of document.querySelectorAll('[data-scripted]')) control.disabled = false;
}
enableScriptedControls();

/** Islands the morph just added hydrate now (those present at load hydrate with the rest). */
function hydrateNewIslands() {
  if (!document.documentElement.hasAttribute('data-hydrated') || !window.__hydrateIsland) return;
  for (const island of document.querySelectorAll('leptos-island')) {
    if (island.$$hydrated) continue;
    island.$$hydrated = true;
    window.__hydrateIsland(island, island.dataset.component);
  }
}

/** The hydrated island that keeps the state of `url`'s path, if there is one. */
function ownerOf(url) {
  const owner = document.querySelector('[data-owner][data-ready]');
  return owner && url.origin === location.origin && owner.dataset.owner === url.pathname ? owner : null;
}

function handOver(url, replace, record, refresh = false) {
  dispatchEvent(new CustomEvent('tickerboard:go', { detail: { href: url.href, replace, record, refresh } }));
}

function setCanonical(href) {
  let link = document.head.querySelector('link[rel=canonical]');
  if (!href) return link && link.remove();
  if (!link) {
    link = document.createElement('link');
    link.rel = 'canonical';
    document.head.append(link);
  }
  link.setAttribute('href', href);
}

/**
 * Shows the page at `url`: fetched, then morphed in. A newer navigation cancels an older
 * one; a failed fetch falls back to loading the page the ordinary way.
 */
async function go(url, { replace = false, record = true } = {}) {
  if (current) current.abort();
  if (ownerOf(url)) return handOver(url, replace, record);
  const mine = (current = new AbortController());
  let response, html;
  try {
    response = await fetch(url, { headers: { Accept: 'text/html' }, signal: mine.signal });
    if (!(response.headers.get('content-type') || '').startsWith('text/html')) throw new Error('not a page');
    html = await response.text();
  } catch (e) {
    if (!mine.signal.aborted) location.assign(url);
    return;
  }
  if (mine !== current) return;
  current = null;
  // The island hydrated while the page was on its way: its state shows it.
  if (ownerOf(url)) return handOver(url, replace, record);
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const canonical = doc.head.querySelector('link[rel=canonical]')?.getAttribute('href');
  const shown = new URL(canonical || response.url, location.href);
  const fromPath = location.pathname;
  if (!record) {
    if (shown.href !== location.href) history.replaceState(history.state, '', shown);
  } else if (replace) {
    history.replaceState(history.state, '', shown);
  } else {
    history.pushState(null, '', shown);
  }
  document.title = doc.title;
  setCanonical(canonical);
  Idiomorph.morph(document.body, doc.body, {
    callbacks: {
      // A hydrated island keeps its own DOM and state; one not hydrated yet is
      // morphed like the rest (it hydrates from what it then holds).
      beforeNodeMorphed(from, to) {
        return !(from.nodeName === 'LEPTOS-ISLAND' && to.nodeName === 'LEPTOS-ISLAND' && from.dataset.component === to.dataset.component && from.querySelector('[data-ready]'));
      },
    },
  });
  enableScriptedControls();
  hydrateNewIslands();
  if (record && !replace && shown.pathname !== fromPath) scrollTo(0, 0);
  dispatchEvent(new CustomEvent('tickerboard:page'));
}

// The address bar shows the server's short form of the first page too.
{
  const canonical = document.head.querySelector('link[rel=canonical]')?.getAttribute('href');
  if (canonical) {
    const shown = new URL(canonical, location.href);
    if (shown.href !== location.href) history.replaceState(history.state, '', shown);
  }
}

/**
 * The markets watchlist: the list of the last `/markets` page shown in this browser (its
 * form's field as the server wrote it; none for every symbol) is kept in localStorage,
 * and the navigation's Markets link opens it. Without storage the link stays plain.
 */
const WATCHLIST = 'tickerboard.watchlist';
function rememberWatchlist() {
  try {
    const field = location.pathname === '/markets' && document.querySelector('input[data-testid="watchlist"]');
    if (field) {
      const list = (field.getAttribute('value') || '').trim();
      if (list) localStorage.setItem(WATCHLIST, list);
      else localStorage.removeItem(WATCHLIST);
    }
    const list = localStorage.getItem(WATCHLIST);
    const link = document.querySelector('.site-nav a[data-testid="nav-markets"]');
    if (link) link.setAttribute('href', list ? `/markets?symbols=${encodeURIComponent(list).replace(/%2C/g, ',')}` : '/markets');
  } catch (e) {
    // Storage refused (a private window's policy): nothing remembered.
  }
}
rememberWatchlist();
addEventListener('tickerboard:page', rememberWatchlist);

/**
 * Pages that update themselves. A visible tab asks `/data-version` every 30 s (and a
 * hidden one when it shows again), with the ETag of the last answer: the server answers
 * 304 from memory while nothing changed. When an ingest changed the data, the page
 * shows it in place: `/`'s island asks its server function again for the same view
 * (keeping the chart's zoom), any other page is fetched and morphed as on navigation
 * (scroll and focus kept); a short notice says so. The first answer is the baseline.
 */
const CHECK_MS = 30_000;
const data = { etag: null, version: null, checked: 0, busy: false };

async function checkData() {
  if (data.busy) return;
  data.busy = true;
  data.checked = Date.now();
  try {
    const response = await fetch('/data-version', {
      headers: data.etag ? { 'If-None-Match': data.etag } : {},
      cache: 'no-store',
    });
    if (response.status !== 200) return;
    data.etag = response.headers.get('etag');
    const { version } = await response.json();
    const changed = data.version !== null && version !== data.version;
    data.version = version;
    if (changed) await refresh();
  } catch (e) {
    // Offline or the server away: the next check tries again.
  } finally {
    data.busy = false;
  }
}

async function refresh() {
  const url = new URL(location.href);
  if (ownerOf(url)) handOver(url, true, false, true);
  else await go(url, { record: false });
  showUpdated();
}

function showUpdated() {
  let note = document.querySelector('[data-testid="updated-note"]');
  if (!note) {
    note = document.createElement('div');
    note.className = 'updated-note';
    note.setAttribute('role', 'status');
    note.dataset.testid = 'updated-note';
    document.body.append(note);
  }
  const time = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  note.textContent = `Updated with new data at ${time}`;
  clearTimeout(note.$$hide);
  note.$$hide = setTimeout(() => note.remove(), 6000);
}

setTimeout(checkData, 1000);
setInterval(() => {
  if (document.visibilityState === 'visible') checkData();
}, CHECK_MS);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && Date.now() - data.checked >= CHECK_MS) checkData();
});

// Installable, with the last pages offline: the service worker (/sw.js, written by the
// server for this build) registers once the page has loaded, never before its first paint.
if ('serviceWorker' in navigator) {
  const register = () => navigator.serviceWorker.register('/sw.js').catch(() => {});
  if (document.readyState === 'complete') register();
  else addEventListener('load', register);
}

window.tickerboard = { go: (href, options) => go(new URL(href, location.href), options) };
