// Profiling aid (not a test): what one fetch() call costs the page, by how it
// is made: 33 DoH queries a batch, 15 batches per variant, the median time
// spent inside fetch() itself (µs a call). The literal options object is the
// floor's; the shared object and its signal are the app's (src/doh/client.rs);
// `touch256k`/`touch4m` run a loop over 256 KB / 4 MB of memory before each
// call, as other work between two fetches does. Measured 2026-12-05: 124-188
// µs a call plain, 306-318 with 4 MB touched in between: the reason the app's
// queries leave together (the DoH client's outbox).
//   DOH_FIXTURE=../../target/fixture/doh-fixture node fetch-cost.mjs
import { setup, APP_RUNNING } from './harness.mjs';
const env = await setup({ zones: ['broken.zone', 'healthy.zone'], latencyMs: 0, transport: 'h2' });
try {
  const { browser, fixture } = env;
  await browser.goto(fixture.permalink());
  await browser.waitFor(APP_RUNNING, { what: 'the app' });
  const r = await browser.execAsync(`
    const done = arguments[arguments.length - 1]; const doh = arguments[0];
    const q = 'AAABAAABAAAAAAAABmJyb2tlbgdleGFtcGxlAAAQAAE';
    const N = 33; const res = {};
    const shared = new Object(); { const h = new Object(); Reflect.set(h, 'Accept', 'application/dns-message'); Reflect.set(shared, 'headers', h); Reflect.set(shared, 'cache', 'no-store'); Reflect.set(shared, 'credentials', 'omit'); }
    const enc = new TextEncoder(), dec = new TextDecoder();
    const flat = (s) => dec.decode(enc.encode(s));
    const big = new Uint8Array(4 << 20); let sink = 0;
    const touch = (n) => { for (let i = 0; i < n; i += 64) sink += big[i]++; };
    const variants = {
      touch256k: (u) => { touch(256 << 10); return fetch(u, { headers: { Accept: 'application/dns-message' }, cache: 'no-store', credentials: 'omit' }); },
      touch4m: (u) => { touch(4 << 20); return fetch(u, { headers: { Accept: 'application/dns-message' }, cache: 'no-store', credentials: 'omit' }); },
      literal: (u) => fetch(u, { headers: { Accept: 'application/dns-message' }, cache: 'no-store', credentials: 'omit' }),
      sharedObj: (u) => fetch(u, shared),
      sharedSignal: (u) => { Reflect.set(shared, 'signal', AbortSignal.timeout(5000)); const p = fetch(u, shared); return p; },
      decodedUrl: (u) => fetch(flat(u), { headers: { Accept: 'application/dns-message' }, cache: 'no-store', credentials: 'omit' }),
      noInit: (u) => fetch(u),
    };
    (async () => {
      for (let rep = 0; rep < 15; rep++) for (const [name, f] of Object.entries(variants)) {
        if (name !== 'sharedSignal') Reflect.deleteProperty(shared, 'signal');
        const urls = []; for (let i = 0; i < N; i++) urls.push(doh + '?dns=' + q + '&r=' + Math.random());
        let sum = 0; const ps = [];
        for (const u of urls) { if (name.startsWith('touch')) { const n = name === 'touch4m' ? 4 << 20 : 256 << 10; touch(n); const t = performance.now(); ps.push(fetch(u, { headers: { Accept: 'application/dns-message' }, cache: 'no-store', credentials: 'omit' })); sum += performance.now() - t; } else { const t = performance.now(); ps.push(f(u)); sum += performance.now() - t; } }
        await Promise.all(ps.map(p => p.then(r => r.arrayBuffer())));
        (res[name] ||= []).push(sum * 1000 / N);
        await new Promise(r => setTimeout(r, 20));
      }
      const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
      done(Object.fromEntries(Object.entries(res).map(([k, v]) => [k, med(v).toFixed(0) + ' us/call'])));
    })();
  `, fixture.doh);
  console.log(r);
} finally { await env.close(); }
