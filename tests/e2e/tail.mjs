// Profiling aid (not a test): what follows a check's last answer, for one or
// more builds taking turns. Many checks of broken.example in one page per
// build (as scripts/bench.sh runs them), and per check: `end`, click to the
// idle page (body[data-idle=true], what the benchmark measures); `tail`, the
// last answer in the page's JavaScript (the app's last Promise.all) to the
// idle page; `raf-after`, the idle page to the next animation frame, when the
// browser starts to draw the complete report (work queued before it, such as
// a forced layout, holds it back); `paint-after`, to a task after that frame.
// Medians over every turn so far.
// The first two checks of each page are not counted.
//   N=20 TURNS=3 LAT=0 DOH_FIXTURE=../../target/fixture/doh-fixture node tail.mjs /tmp/A /tmp/B
// where /tmp/A and /tmp/B are release builds (cp -r dist /tmp/A; strip
// index.html's integrity attributes if you edit a file in one).
import { setup, APP_RUNNING, median } from './harness.mjs';
const dists = process.argv.slice(2);
const N = Number(process.env.N || 20), TURNS = Number(process.env.TURNS || 3);
const res = Object.fromEntries(dists.map((d) => [d, { tail: [], end: [], paint: [], raf: [] }]));
for (let t = 0; t < TURNS; t++) {
  for (const d of dists) {
    const env = await setup({ zones: ['broken.zone', 'healthy.zone'], latencyMs: Number(process.env.LAT || 0), transport: 'h2', serveDir: d });
    try {
      const { browser, fixture } = env;
      await browser.goto(fixture.permalink());
      await browser.waitFor(APP_RUNNING, { what: 'the app' });
      await browser.type('#domain', 'broken.example');
      for (let i = 0; i < N + 2; i++) {
        await browser.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 30)));');
        const a = await browser.execAsync(`
          const done = arguments[arguments.length - 1];
          const realAll = window.__realAll ||= Promise.all; let last = 0; Promise.all = function (a) { const p = realAll.call(this, a); p.then(() => { last = performance.now(); }, () => {}); return p; };
          const start = performance.now(); let seenBusy = false;
          const obs = new MutationObserver(() => { const idle = document.body.getAttribute('data-idle');
            if (idle === 'false') seenBusy = true;
            if (seenBusy && idle === 'true') { obs.disconnect(); const end = performance.now(); Promise.all = realAll;
              requestAnimationFrame(() => { const raf = performance.now() - end; setTimeout(() => done({ end: end - start, tail: end - last, paint: performance.now() - end, raf }), 0); }); } });
          obs.observe(document.body, { attributes: true, attributeFilter: ['data-idle'] });
          document.querySelector('#check').click();`);
        if (i >= 2) { res[d].tail.push(a.tail); res[d].end.push(a.end); res[d].paint.push(a.paint); res[d].raf.push(a.raf); }
      }
    } finally { await env.close(); }
  }
  for (const d of dists) console.log(`turn ${t + 1} ${d}: tail ${median(res[d].tail).toFixed(2)} end ${median(res[d].end).toFixed(1)} raf-after ${median(res[d].raf).toFixed(2)} paint-after ${median(res[d].paint).toFixed(2)} (n=${res[d].tail.length})`);
}
