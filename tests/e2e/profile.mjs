// Profiling aid (not a test): one reference check in headless Chromium with a
// CPU profile (CDP Profiler) and the DoH requests' resource timings, to see
// where the time between the click and the complete report goes.
// Usage: LATENCY_MS=50 node profile.mjs   (after trunk build and cargo build -p doh-fixture)
//   BENCH_TRANSPORT=h1             the fixture over HTTP/1.1 instead of HTTPS + HTTP/2
//   RUNS=8 QUIET=1 CPU_PROFILE=0   medians of first query / last answer / report times only
//   TIMELINE=1                     busiest frames per 10 ms of the profile
//   DUMP=file                      the raw CPU profile written to file
//   RENDERS=1                      the DOM mutation batches, timed (a subtree observer: slows DOM calls)
//   STAGES=1                       the wasm's time by stage (decode, checks, derive, render),
//     each sample counted for the nearest frame of ours on its stack: needs a named build
//   SAME_PAGE=1 WARM=5             every check in one page (as the benchmark runs them), after
//     WARM unprofiled ones, so the wasm is compiled and tiered up; default: a fresh page a run
//   MAILDOCTOR_DIST=dir            another build, e.g. one with function names: copy index.html
//     with data-wasm-opt="0" data-keep-debug on the rust link, `trunk build --release --dist dir that.html`
// Keep in mind: on a loaded 2-core machine these times move by ±30 ms between identical runs.
import { writeFileSync } from 'node:fs';
import { setup, APP_RUNNING } from './harness.mjs';

const LATENCY_MS = Number(process.env.LATENCY_MS || 50);
const DOMAIN = process.env.BENCH_DOMAIN || 'broken.example';
const TOP = Number(process.env.TOP || 25);
// CPU_PROFILE=0: timings only (the sampling profiler itself slows the page down).
const CPU_PROFILE = process.env.CPU_PROFILE !== '0';

/** "name TYPE" of an RFC 8484 ?dns= query (RFC 1035 §4.1.2: QNAME labels, then QTYPE). */
function question(dns) {
  if (!dns) return '?';
  const b = Buffer.from(dns.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const labels = [];
  let i = 12;
  while (i < b.length && b[i] !== 0) {
    labels.push(b.subarray(i + 1, i + 1 + b[i]).toString('latin1'));
    i += b[i] + 1;
  }
  const type = { 1: 'A', 2: 'NS', 5: 'CNAME', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA' }[b.readUInt16BE(i + 1)] || b.readUInt16BE(i + 1);
  return `${labels.join('.')} ${type}`;
}

// BENCH_TRANSPORT=h1 asks the fixture over HTTP/1.1 directly, to compare.
const TRANSPORT = process.env.BENCH_TRANSPORT || 'h2';
const env = await setup({ zones: ['broken.zone', 'healthy.zone'], latencyMs: LATENCY_MS, transport: TRANSPORT });
try {
  const { browser, fixture } = env;
  // A warm-up run, so the profile is of a steady page, as in the benchmark's later runs.
  const RUNS = Number(process.env.RUNS || 1);
  const summary = [];
  const SAME_PAGE = process.env.SAME_PAGE === '1';
  const warm = SAME_PAGE ? Number(process.env.WARM || 5) : 1;
  let first = true;
  for (const profile of [...Array(warm).fill(false), ...Array(RUNS).fill(true)]) {
    if (first || !SAME_PAGE) {
      await browser.goto(fixture.permalink());
      await browser.waitFor(APP_RUNNING, { what: 'the app' });
      await browser.type('#domain', DOMAIN);
    } else {
      await browser.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 30)));');
    }
    first = false;
    await fixture.clearLog();
    if (profile && CPU_PROFILE) {
      await browser.cdp('Profiler.enable');
      await browser.cdp('Profiler.setSamplingInterval', { interval: 100 });
      await browser.cdp('Profiler.start');
    }
    const result = await browser.execAsync(`
      const done = arguments[arguments.length - 1];
      performance.clearResourceTimings();
      const start = performance.now();
      let seenBusy = false;
      const renders = [];
      // RENDERS=1: each batch of DOM mutations, timed. Off by default: an observer of the
      // whole subtree makes every DOM call of the page queue a record, and the profile then
      // charges insertBefore and the like with that.
      if (${process.env.RENDERS === '1'}) new MutationObserver((m) => renders.push([performance.now() - start, m.length])).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      const obs = new MutationObserver(() => {
        const idle = document.body.getAttribute('data-idle');
        if (idle === 'false') seenBusy = true;
        if (seenBusy && idle === 'true') {
          obs.disconnect();
          const end = performance.now();
          const fetches = performance.getEntriesByType('resource')
            .filter((e) => e.name.includes('dns-query'))
            .map((e) => ({
              dns: new URL(e.name).searchParams.get('dns'),
              start: e.startTime - start,
              queued: e.requestStart - e.startTime,
              connect: e.connectEnd - e.connectStart,
              wait: e.responseStart - e.requestStart,
              end: e.responseEnd - start,
            }));
          done({ ms: end - start, fetches, renders });
        }
      });
      obs.observe(document.body, { attributes: true, attributeFilter: ['data-idle'] });
      document.querySelector('#check').click();
    `);
    if (!profile) continue;
    const firstFetch = Math.min(...result.fetches.map((f) => f.start));
    const lastAnswer = Math.max(...result.fetches.map((f) => f.end));
    summary.push([firstFetch, lastAnswer, result.ms]);
    if (process.env.QUIET) continue;
    console.log(`report ${result.ms.toFixed(0)} ms, ${result.fetches.length} DoH fetches`);
    if (result.renders.length) console.log('DOM mutation batches (ms, count): ' + result.renders.map(([t, n]) => `${t.toFixed(0)}:${n}`).join(' '));
    console.log('  start  queued connect  wait    end  (ms from the click)  question');
    for (const f of result.fetches.sort((a, b) => a.start - b.start)) {
      const n = (x) => x.toFixed(1).padStart(6);
      console.log(`${n(f.start)} ${n(f.queued)} ${n(f.connect)} ${n(f.wait)} ${n(f.end)}  ${question(f.dns)}`);
    }
    if (!CPU_PROFILE) continue;
    const { profile: prof } = await browser.cdp('Profiler.stop');
    // DUMP=file: the raw profile too (for a closer look at its call tree).
    if (process.env.DUMP) writeFileSync(process.env.DUMP, JSON.stringify(prof));
    // Self time per function, from the sampled profile.
    const self = new Map();
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const dt = prof.timeDeltas;
    prof.samples.forEach((id, i) => {
      const node = byId.get(id);
      const name = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}`;
      self.set(name, (self.get(name) || 0) + (dt[i + 1] || 0) / 1000);
    });
    // A coarse timeline: per 10 ms, the busiest frames (self time), to see what each phase costs.
    if (process.env.TIMELINE) {
      let t = 0;
      const buckets = new Map();
      prof.samples.forEach((id, i) => {
        t += dt[i] / 1000;
        const node = byId.get(id);
        const name = node.callFrame.functionName || node.callFrame.url.split('/').pop() || '(anon)';
        const b = Math.floor(t / 10);
        if (!buckets.has(b)) buckets.set(b, new Map());
        const m = buckets.get(b);
        m.set(name, (m.get(name) || 0) + (dt[i + 1] || 0) / 1000);
      });
      for (const [b, m] of [...buckets].sort((x, y) => x[0] - y[0])) {
        const top = [...m].filter(([n]) => n !== '(idle)').sort((x, y) => y[1] - x[1]).slice(0, 4);
        const busy = top.reduce((a, [, v]) => a + v, 0);
        if (busy > 1) console.log(`${String(b * 10).padStart(5)}  ` + top.map(([n, v]) => `${v.toFixed(1)} ${n.slice(0, 60)}`).join(' | '));
      }
    }
    if (process.env.STAGES) stages(prof, byId);
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`profile: ${total.toFixed(0)} ms sampled; top self times:`);
    for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
    }
  }
  const med = (i) => summary.map((r) => r[i]).sort((a, b) => a - b)[Math.floor(summary.length / 2)].toFixed(0);
  console.log(`median of ${summary.length}: first_fetch=${med(0)} last_answer=${med(1)} report=${med(2)}`);
} finally {
  await env.close();
}

/**
 * The wasm's samples by stage: each sample goes to the nearest frame on its
 * stack (leaf first) whose name says which part of the page it is in. With a
 * stripped build every wasm frame is "wasm-function[N]": all "unnamed".
 */
function stages(prof, byId) {
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const STAGES = [
    ['decode (DNS wire)', /maildoctor_core[^:]*::dns::wire/],
    ['derive (diagnosis, fixes, steps)', /maildoctor_core[^:]*::(check::derive|diagnosis|generate|requirements|check::published)/],
    ['checks', /maildoctor_core/],
    ['DoH client', /maildoctor[^_:]*::doh/],
    ['render (yew, views)', /yew|maildoctor[^_:]*::ui/],
  ];
  const ms = new Map();
  prof.samples.forEach((id, i) => {
    const leaf = byId.get(id).callFrame;
    if (!leaf.url.endsWith('.wasm')) return;
    let stage = 'unnamed or std only';
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at).callFrame.functionName;
      const hit = STAGES.find(([, re]) => re.test(name));
      if (hit) { stage = hit[0]; break; }
    }
    ms.set(stage, (ms.get(stage) || 0) + (prof.timeDeltas[i + 1] || 0) / 1000);
  });
  const total = [...ms.values()].reduce((a, b) => a + b, 0);
  console.log(`wasm by stage (${total.toFixed(1)} ms sampled): ` +
    [...ms].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '));
}
