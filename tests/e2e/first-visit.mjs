// Benchmark (not a test): a person's first visit. The release build in headless
// Chromium with a fresh profile, the network throttled through the DevTools
// protocol as a typical connection (40 ms round trip, 10 Mbit/s down, 5 up).
// Measured from navigation start, cold (empty cache) and then warm (the same
// page again, from the HTTP cache):
// - the usable form: the form drawn (in the DOM and painted), when a person
//   can type, paste and press Check. index.html carries the app's first
//   render, so this is the first paint; a check asked for before the app
//   runs is run when it starts (tests/e2e/early.test.mjs);
// - the app running: the wasm fetched, compiled and its first render done
//   (body[data-idle] set), when a check can start.
// The fixture serves the files as GitHub Pages does (`--pages`: gzip,
// max-age=600), so the bytes are the shipped ones. Prints
// `first_visit_ms=… app_ready_ms=… warm_ms=… warm_app_ms=… first_paint_ms=…`
// (first_visit_ms and warm_ms: the usable form).
// Usage: node first-visit.mjs   (after the release build and cargo build -p doh-fixture;
// scripts/bench.sh runs it). FIRST_VISIT_RUNS (3): fresh browsers, median taken.
import { median, setup } from './harness.mjs';

const RUNS = Number(process.env.FIRST_VISIT_RUNS || 3);
const THROTTLE = { offline: false, latency: 40, downloadThroughput: (10e6 / 8), uploadThroughput: (5e6 / 8) };
// Runs before the page's own scripts (a DevTools injection, outside the page's
// CSP): notes when the form first appears and when the app marks the body, in
// ms since navigation start.
const WATCH_FORM = `
  new MutationObserver((_, obs) => {
    if (window.__formMs === undefined && document.getElementById('check-form')) window.__formMs = performance.now();
    if (document.body && document.body.hasAttribute('data-idle')) { window.__appMs = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-idle'] });`;

const cold = [];
const coldApp = [];
const warm = [];
const warmApp = [];
const paint = [];
for (let run = 0; run < RUNS; run++) {
  // A new browser (and profile) per run: the first visit is really the first.
  // Served as GitHub Pages serves it: gzip-encoded, cacheable for 10 minutes.
  const env = await setup({ zones: ['healthy.zone'], pages: true });
  try {
    const { browser, fixture } = env;
    await browser.cdp('Network.enable');
    await browser.cdp('Network.emulateNetworkConditions', THROTTLE);
    await browser.cdp('Page.addScriptToEvaluateOnNewDocument', { source: WATCH_FORM });
    const first = await visit(browser, fixture.app);
    cold.push(first.form);
    coldApp.push(first.app);
    paint.push(first.paint);
    await browser.goto('about:blank');
    const again = await visit(browser, fixture.app);
    warm.push(again.form);
    warmApp.push(again.app);
    console.log(
      `run ${run + 1}: cold: form ${first.form.toFixed(0)} ms (first paint ${first.paint.toFixed(0)} ms), app ${first.app.toFixed(0)} ms ` +
        `(wasm arrived at ${first.wasm.toFixed(0)} ms, ${first.wasmBytes} bytes over the wire); warm: form ${again.form.toFixed(0)} ms, app ${again.app.toFixed(0)} ms`,
    );
  } finally {
    await env.close();
  }
}
console.log('goal: first_visit_ms <= 400 (cold, 40 ms RTT, 10 Mbit/s)');
console.log(
  `first_visit_ms=${median(cold).toFixed(0)} app_ready_ms=${median(coldApp).toFixed(0)} warm_ms=${median(warm).toFixed(0)} ` +
    `warm_app_ms=${median(warmApp).toFixed(0)} first_paint_ms=${median(paint).toFixed(0)} runs=${RUNS}`,
);

async function visit(browser, url) {
  await browser.goto(url);
  await browser.waitFor('return typeof window.__appMs === "number";', { what: 'the app', ms: 20000 });
  // The form is usable once it is in the DOM and painted; the wasm's last byte
  // arrived before the app ran (the rest is compiling it and the first render).
  return browser.exec(`const w = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
    const p = performance.getEntriesByName('first-contentful-paint')[0];
    const paint = p ? p.startTime : NaN;
    // (Without a paint entry, which a warm visit sometimes lacks here, the form's arrival.)
    return { form: Number.isFinite(paint) ? Math.max(window.__formMs, paint) : window.__formMs, app: window.__appMs, wasm: w ? w.responseEnd : NaN, wasmBytes: w ? w.transferSize : 0, paint };`);
}
