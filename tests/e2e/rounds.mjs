// Profiling aid (not a test): the app's rounds against the floor's, from the
// resource timings of each query (ms from the click): per round, when its first
// and last query left and when its last answer was in; the time spent inside
// fetch() itself (a wrapper around it); and when the last answer was in the
// network service, when in the page's JavaScript (the app's Promise.all of
// response and body, the floor's arrayBuffer()), and when the report was
// complete. Medians of RUNS pairs.
//   LAT=0 RUNS=9 DOH_FIXTURE=../../target/fixture/doh-fixture node rounds.mjs <questions.json>
import { readFileSync } from 'node:fs';
import { setup, APP_RUNNING, median, FLOOR_ASK_JS, TYPE_CODES } from './harness.mjs';
const rounds = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const roundOf = new Map();
rounds.forEach((r, i) => r.forEach(([name, type]) => roundOf.set(`${name.toLowerCase().replace(/\.$/, '')} ${TYPE_CODES[type]}`, i)));
function question(url) {
  const dns = new URL(url).searchParams.get('dns');
  const b = Buffer.from(dns.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const labels = []; let i = 12;
  while (i < b.length && b[i] !== 0) { labels.push(b.subarray(i + 1, i + 1 + b[i]).toString('latin1')); i += b[i] + 1; }
  return `${labels.join('.').toLowerCase()} ${b.readUInt16BE(i + 1)}`;
}
const env = await setup({ zones: ['broken.zone', 'healthy.zone'], latencyMs: Number(process.env.LAT || 0), transport: 'h2' });
const summarize = (entries, end) => {
  const out = rounds.map(() => ({ first: Infinity, lastSent: 0, lastIn: 0, n: 0 }));
  for (const e of entries) {
    const r = out[roundOf.get(question(e.name)) ?? 0];
    r.first = Math.min(r.first, e.start); r.lastSent = Math.max(r.lastSent, e.start); r.lastIn = Math.max(r.lastIn, e.end); r.n++;
  }
  return { rounds: out, end };
};
const grab = `performance.getEntriesByType('resource').filter((e) => e.name.includes('dns=')).map((e) => ({ name: e.name, start: e.startTime - start, end: e.responseEnd - start }))`;
try {
  const { browser, fixture } = env;
  const app = [], floor = [];
  for (let run = -1; run < Number(process.env.RUNS || 9); run++) {
    await browser.goto(fixture.permalink());
    await browser.waitFor(APP_RUNNING, { what: 'the app' });
    await browser.type('#domain', 'broken.example');
    await browser.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));');
    const a = await browser.execAsync(`
      const done = arguments[arguments.length - 1]; performance.clearResourceTimings();
      const real = window.__realFetch ||= window.fetch; const calls = []; window.fetch = function (u, i) { const t = performance.now(); const p = real.call(this, u, i); calls.push([t, performance.now() - t]); return p; };
      const realAll = window.__realAll ||= Promise.all; const resolved = []; Promise.all = function (a) { const p = realAll.call(this, a); p.then(() => resolved.push(performance.now() - start), () => {}); return p; };
      const start = performance.now(); let seenBusy = false;
      const obs = new MutationObserver(() => { const idle = document.body.getAttribute('data-idle');
        if (idle === 'false') seenBusy = true;
        if (seenBusy && idle === 'true') { obs.disconnect(); const end = performance.now() - start; window.fetch = real; Promise.all = realAll; done({ end, calls, resolved, entries: ${grab} }); } });
      obs.observe(document.body, { attributes: true, attributeFilter: ['data-idle'] });
      document.querySelector('#check').click();`);
    await browser.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));');
    const f = await browser.execAsync(`
      const done = arguments[arguments.length - 1]; performance.clearResourceTimings();
      const [doh, questionRounds] = [arguments[0], arguments[1]];
      const real = window.__realFetch ||= window.fetch; const calls = []; const fetch = function (u, i) { const t = performance.now(); const p = real.call(window, u, i); calls.push([t, performance.now() - t]); return p; };
      ${FLOOR_ASK_JS}
      const timed = (q) => ask(q).then((b) => { resolved.push(performance.now() - start); return b; });
      const resolved = []; let start;
      (async () => { start = performance.now(); for (const round of questionRounds) await Promise.all(round.map(timed));
        const end = performance.now() - start; done({ end, calls, resolved, entries: ${grab} }); })();`, fixture.doh, rounds);
    if (run >= 0) { app.push({ ...summarize(a.entries, a.end), calls: a.calls, resolved: a.resolved }); floor.push({ ...summarize(f.entries, f.end), calls: f.calls, resolved: f.resolved }); }
  }
  for (const [name, rs] of [['app', app], ['floor', floor]]) {
    const m = (fn) => median(rs.map(fn)).toFixed(1);
    console.log(`${name}: last answer in the network service ${m((r) => Math.max(...r.rounds.map((x) => x.lastIn)))} ms, in the page's JS ${m((r) => Math.max(...r.resolved))} ms (${m((r) => r.resolved.length)} answers), report complete ${m((r) => r.end)} ms`);
  }
  for (const [name, rs] of [['app', app], ['floor', floor]]) {
    const m = (fn) => median(rs.map(fn)).toFixed(0);
    console.log(`${name.padEnd(5)} ` + rounds.map((_, i) => `R${i + 1}(${m((r) => r.rounds[i].n)}): sent ${m((r) => r.rounds[i].first)}-${m((r) => r.rounds[i].lastSent)} in ${m((r) => r.rounds[i].lastIn)}`).join('  ') + `  end ${m((r) => r.end)}  fetch() calls: ${m((r) => r.calls.reduce((a, c) => a + c[1], 0))} ms in all, first 33: ${m((r) => r.calls.slice(0, 33).reduce((a, c) => a + c[1], 0))} ms over ${m((r) => r.calls[32][0] - r.calls[0][0])} ms`);
  }
} finally { await env.close(); }
