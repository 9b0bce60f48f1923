// Profiling aid (not a test): one check of broken.example traced with Chrome's
// own tracing (not the sampling profiler: exact task durations), over a direct
// DevTools websocket to the browser chromedriver started (found through its
// DevToolsActivePort file). Prints each main-thread task from the click to the
// complete report: its start (ms from the click), its length, the queries sent
// in it, and what it spent its time on (script, style, layout, paint, GC);
// then the totals. Tracing slows the page down (a 90 ms report takes about
// 160), so read the shape, not the figures.
// Usage: node --experimental-websocket trace.mjs
//   LAT=ms injected per query (0)   RUNS=n (3; the last is traced)   MIN=ms shortest task shown (0.5)
//   DOH_FIXTURE=../../target/fixture/doh-fixture   (as scripts/bench.sh runs it)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, APP_RUNNING } from './harness.mjs';
const env = await setup({ zones: ['broken.zone', 'healthy.zone'], latencyMs: Number(process.env.LAT||0), transport: 'h2' });
const dirs = readdirSync(tmpdir()).filter(d => d.startsWith('maildoctor-chromium-')).map(d => join(tmpdir(), d)).sort((a,b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
const port = readFileSync(join(dirs[0], 'DevToolsActivePort'), 'utf8').split('\n')[0];
const ver = await (await fetch(`http://127.0.0.1:${port}/json/version`)).json();
const ws = new WebSocket(ver.webSocketDebuggerUrl);
await new Promise(r => ws.onopen = r);
let id = 0; const pending = new Map(); const events = []; let done;
ws.onmessage = (m) => { const msg = JSON.parse(m.data);
  if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
  else if (msg.method === 'Tracing.dataCollected') events.push(...msg.params.value);
  else if (msg.method === 'Tracing.tracingComplete') done();
};
const send = (method, params = {}) => new Promise(r => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
try {
  const { browser, fixture } = env;
  const RUNS = Number(process.env.RUNS||3);
  const results = [];
  for (let run = 0; run < RUNS; run++) {
  await browser.goto(fixture.permalink());
  await browser.waitFor(APP_RUNNING, { what: 'the app' });
  await browser.type('#domain', 'broken.example');
  await browser.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));');
  const tracing = run === RUNS - 1;
  if (tracing) { events.length = 0; await send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing,v8.execute,toplevel,netlog,loading', transferMode: 'ReportEvents' }); }
  const res = await browser.execAsync(`
    const done = arguments[arguments.length - 1];
    performance.clearResourceTimings();
    let seenBusy = false;
    performance.mark('click');
    const start = performance.now();
    const obs = new MutationObserver(() => {
      const idle = document.body.getAttribute('data-idle');
      if (idle === 'false') seenBusy = true;
      if (seenBusy && idle === 'true') { obs.disconnect(); performance.mark('idle');
        const f = performance.getEntriesByType('resource').filter((e) => e.name.includes('dns-query')).map(e => [e.startTime-start, e.responseEnd-start]);
        done({ms: performance.now()-start, f}); }
    });
    obs.observe(document.body, { attributes: true, attributeFilter: ['data-idle'] });
    document.querySelector('#check').click();
  `);
  results.push(res);
  console.log('run', run, res.ms.toFixed(1));
  if (tracing) { await new Promise(r => setTimeout(r, 300)); const p = new Promise(r => done = r); await send('Tracing.end'); await p; }
  }
  const res = results[results.length-1];
  // analyze
  const click = events.find(e => e.name === 'click' && (e.cat||'').includes('user_timing'));
  const mainTid = click.tid, pid = click.pid;
  const t0 = click.ts;
  const main = events.filter(e => e.pid === pid && e.tid === mainTid && e.ph === 'X');
  // Top-level tasks only ('ThreadControllerImpl::RunTask' nests inside 'RunTask' in some builds).
  const tasks = main.filter(e => e.name === 'RunTask').filter(e => e.ts + e.dur >= t0 - 1000 && e.ts <= t0 + (res.ms + 40) * 1000);
  const inside = (p, c) => c.ts >= p.ts && c.ts + (c.dur||0) <= p.ts + p.dur;
  const names = ['FunctionCall','TimerFire','FireAnimationFrame','RunMicrotasks','EventDispatch','UpdateLayoutTree','Layout','PrePaint','Paint','Layerize','Commit','ParseHTML','ResourceReceiveResponse','ResourceFinish','ResourceSendRequest','MajorGC','MinorGC','V8.GC_SCAVENGER','UpdateLayer','HitTest','ScheduleStyleRecalculation','v8.callFunction','V8.GCScavenger','BlinkGC.AtomicPhase','ResourceReceivedData','XHRReadyStateChange','ScrollLayer'];
  const totals = {}; let busy = 0;
  const endMs = res.ms;
  for (const t of tasks) {
    const rel = (t.ts - t0) / 1000; const d = t.dur / 1000;
    if (rel > endMs) continue;
    busy += d;
    const kids = main.filter(e => e !== t && inside(t, e) && names.includes(e.name));
    const by = {};
    // only direct-ish: sum exclusive by name (approx: count top-level kinds)
    for (const k of kids) by[k.name] = (by[k.name] || 0) + k.dur / 1000;
    for (const [k, v] of Object.entries(by)) totals[k] = (totals[k] || 0) + v;
    if (d >= Number(process.env.MIN||0.5)) {
      const q = res.f.filter(([s]) => s >= rel && s <= rel + d).length;
      const a = res.f.filter(([,e]) => e >= rel - 0 && e <= rel + d).length;
      console.log(rel.toFixed(1).padStart(7), d.toFixed(2).padStart(6), `q${q}`.padEnd(4), Object.entries(by).filter(([,v])=>v>=0.1).sort((x,y)=>y[1]-x[1]).slice(0,5).map(([k,v])=>`${k} ${v.toFixed(1)}`).join(', '));
    }
  }
  console.log('report', res.ms.toFixed(1), 'busy in tasks', busy.toFixed(1), 'last answer', Math.max(...res.f.map(x=>x[1])).toFixed(1));
  console.log('totals', Object.entries(totals).sort((x,y)=>y[1]-x[1]).map(([k,v])=>`${k} ${v.toFixed(1)}`).join(', '));
} finally { ws.close(); await env.close(); }
