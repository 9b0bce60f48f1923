// Benchmark (not a test): a person's first visit. The release build in headless
// Chromium with a fresh profile, the network throttled through the DevTools
// protocol as a typical connection (40 ms round trip, 10 Mbit/s down, 5 up),
// and the time from navigation start to a usable form (the wasm fetched,
// compiled and its first render done), cold (empty cache) and then warm (the
// same page again, from the HTTP cache); and, cold, the first paint (the
// page's name and tagline, which index.html draws before the wasm). The fixture
// serves the files as GitHub Pages does (`--pages`: gzip, max-age=600), so the
// bytes are the shipped ones. Prints `first_visit_ms=… warm_ms=… first_paint_ms=…`.
// Usage: node first-visit.mjs   (after the release build and cargo build -p doh-fixture;
// scripts/bench.sh runs it). FIRST_VISIT_RUNS (3): fresh browsers, median taken.
import { median, setup } from './harness.mjs';

const RUNS = Number(process.env.FIRST_VISIT_RUNS || 3);
const THROTTLE = { offline: false, latency: 40, downloadThroughput: (10e6 / 8), uploadThroughput: (5e6 / 8) };
// Runs before the page's own scripts (a DevTools injection, outside the page's
// CSP): notes when the form the app renders first appears, in ms since navigation start.
const WATCH_FORM = `
  new MutationObserver((_, obs) => {
    if (document.getElementById('check-form')) { window.__formReadyMs = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });`;

const cold = [];
const warm = [];
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
    cold.push(first.ready);
    paint.push(first.paint);
    await browser.goto('about:blank');
    const again = await visit(browser, fixture.app);
    warm.push(again.ready);
    console.log(
      `run ${run + 1}: cold ${first.ready.toFixed(0)} ms (first paint ${first.paint.toFixed(0)} ms, wasm arrived at ${first.wasm.toFixed(0)} ms, ` +
        `${first.wasmBytes} bytes over the wire), warm ${again.ready.toFixed(0)} ms`,
    );
  } finally {
    await env.close();
  }
}
console.log('goal: first_visit_ms <= 400 (cold, 40 ms RTT, 10 Mbit/s)');
console.log(
  `first_visit_ms=${median(cold).toFixed(0)} warm_ms=${median(warm).toFixed(0)} first_paint_ms=${median(paint).toFixed(0)} runs=${RUNS}`,
);

async function visit(browser, url) {
  await browser.goto(url);
  await browser.waitFor('return typeof window.__formReadyMs === "number";', { what: 'the form', ms: 20000 });
  // When the wasm's last byte arrived (the rest is compiling it and the first render).
  return browser.exec(`const w = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
    const p = performance.getEntriesByName('first-contentful-paint')[0];
    return { ready: window.__formReadyMs, wasm: w ? w.responseEnd : NaN, wasmBytes: w ? w.transferSize : 0, paint: p ? p.startTime : NaN };`);
}
