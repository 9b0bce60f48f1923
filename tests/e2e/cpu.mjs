// Profiling aid (not a test): CPU time per process and thread (from
// /proc/*/task/*/schedstat, nanoseconds) spent during a check of broken.example
// and during its floor pass (the same questions as plain fetch() calls, round
// by round), from the click to the idle page exactly: the page marks both ends
// with a synchronous request to this script, which reads /proc then. On 2
// cores at 0 ms latency the page, Chromium's network service, its GPU process
// and the fixture compete for the CPU, so what the app costs over the floor is
// mostly CPU it spends, wherever it spends it (the renderer's main thread is
// "chromium"; frames cost the GPU process's VizCompositor). Medians of RUNS
// paired runs, and the median of the paired differences. Usage:
//   LAT=0 RUNS=7 DOH_FIXTURE=../../target/fixture/doh-fixture node cpu.mjs <questions.json>
import { readFileSync, readdirSync } from 'node:fs';
import { setup, APP_RUNNING, median, FLOOR_ASK_JS } from './harness.mjs';
const rounds = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const env = await setup({ zones: ['broken.zone', 'healthy.zone'], latencyMs: Number(process.env.LAT || 0), transport: 'h2' });
function classify(pid) {
  let cmd = '';
  try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return null; }
  if (cmd.includes('doh-fixture')) return 'fixture';
  if (!/chrom/i.test(cmd)) return 'other';
  if (cmd.includes('--type=renderer')) return 'renderer';
  if (cmd.includes('--type=gpu-process')) return 'gpu';
  if (cmd.includes('--type=utility') && cmd.includes('network')) return 'network';
  if (cmd.includes('--type=')) return 'chrome-other';
  return /chromedriver/.test(cmd) ? 'other' : 'browser';
}
function snapshot() {
  const by = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const cls = classify(pid);
    if (!cls) continue;
    let ns = 0;
    try { for (const t of readdirSync(`/proc/${pid}/task`)) { const v = Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); ns += v;
      if (cls === 'renderer' || cls === 'gpu' || cls === 'network') { const k = `${cls}/${readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim()}`; by[k] = (by[k] || 0) + v; } } } catch { continue; }
    by[`${cls}`] = (by[cls] || 0) + ns;
    by[`pid${pid}`] = ns;
  }
  return by;
}
/** ms of CPU per process class (and thread) between two snapshots. */
const delta = (a, b) => {
  const d = {};
  for (const k of Object.keys(b)) if (!k.startsWith('pid')) d[k] = (b[k] - (a[k] || 0)) / 1e6;
  return d;
};
const RUNS = Number(process.env.RUNS || 7);
// Snapshots taken when the page asks (a synchronous XHR at the click and at
// the idle page): the window is exactly the measured one.
import { createServer } from 'node:http';
const marks = [];
const server = createServer((req, res) => { marks.push(snapshot()); res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }); res.end(); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const MARK = `http://127.0.0.1:${server.address().port}/mark`;
const markJs = `(() => { const x = new XMLHttpRequest(); x.open('GET', ${JSON.stringify(MARK)} + '?' + Math.random(), false); x.send(); })()`;
const app = [], floor = [];
try {
  const { browser, fixture } = env;
  for (let run = -1; run < RUNS; run++) {
    await browser.goto(fixture.permalink());
    await browser.waitFor(APP_RUNNING, { what: 'the app' });
    await browser.type('#domain', 'broken.example');
    await browser.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100)));');
    marks.length = 0;
    const ms = await browser.execAsync(`
      const done = arguments[arguments.length - 1];
      ${markJs}; const start = performance.now(); let seenBusy = false;
      const obs = new MutationObserver(() => { const idle = document.body.getAttribute('data-idle');
        if (idle === 'false') seenBusy = true;
        if (seenBusy && idle === 'true') { obs.disconnect(); const t = performance.now() - start; ${markJs}; done(t); } });
      obs.observe(document.body, { attributes: true, attributeFilter: ['data-idle'] });
      document.querySelector('#check').click();`);
    if (run >= 0) app.push({ ms, cpu: delta(marks[0], marks[1]) });
    await browser.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100)));');
    marks.length = 0;
    const fms = await browser.execAsync(`
      const done = arguments[arguments.length - 1];
      const [doh, questionRounds] = [arguments[0], arguments[1]];
      ${FLOOR_ASK_JS}
      (async () => { ${markJs}; const start = performance.now(); for (const round of questionRounds) await Promise.all(round.map(ask));
        const t = performance.now() - start; ${markJs}; done(t); })();`, fixture.doh, rounds);
    if (run >= 0) floor.push({ ms: fms, cpu: delta(marks[0], marks[1]) });
    if (run >= 0) console.log(`run ${run + 1}: app ${ms.toFixed(0)} ms, floor ${fms.toFixed(0)} ms`);
  }
  const keys = [...new Set([...app, ...floor].flatMap((r) => Object.keys(r.cpu)))].sort();
  const row = (name, rs) => `${name.padEnd(6)} wall ${median(rs.map((r) => r.ms)).toFixed(1).padStart(6)}  ` + keys.map((k) => `${k} ${median(rs.map((r) => r.cpu[k] || 0)).toFixed(1)}`).join('  ');
  console.log('CPU ms per pass, medians (from the click to the idle page):');
  console.log(row('app', app));
  console.log(row('floor', floor));
  const diff = app.map((r, i) => r.ms - floor[i].ms);
  console.log(`app adds ${median(diff).toFixed(1)} ms (median of ${diff.length} paired differences, ${Math.min(...diff).toFixed(0)} to ${Math.max(...diff).toFixed(0)})`);
} finally { server.close(); await env.close(); }
