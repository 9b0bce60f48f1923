// The page reaching its resolver the way it reaches Cloudflare or Google:
// over HTTPS and HTTP/2 (the benchmark's transport: the fixture's --h2-port
// listener, counted by its /log/transport), from a page on another origin,
// under the page's Content-Security-Policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { setup, APP_RUNNING } from './harness.mjs';

let env;
before(async () => { env = await setup({ zones: ['healthy.zone'], transport: 'h2' }); });
after(async () => { await env?.close(); });

test('over HTTPS + HTTP/2 a check completes on one preconnected connection', async () => {
  const { browser, fixture } = env;
  const origin = new URL(fixture.doh).origin;
  assert.match(origin, /^https:\/\/127\.0\.0\.1:\d+$/);
  await browser.goto(fixture.permalink());
  await browser.waitFor(APP_RUNNING, { what: 'the app' });
  // At load, before any query: a preconnect hint for the resolver's origin, and the connection it opened.
  assert.equal(await browser.attr('#doh-preconnect', 'href'), origin);
  assert.equal(await browser.attr('#doh-preconnect', 'crossorigin'), 'anonymous');
  for (let i = 0; i < 100 && (await env.h2Stats()).connections === 0; i++) await sleep(50);
  assert.deepEqual(await env.h2Stats(), { connections: 1, streams: 0 }, 'connected by the preconnect, no query yet');

  await browser.type('#domain', 'healthy.example');
  await browser.click('#check');
  await browser.waitIdle();
  const mx = await browser.texts('section[data-check="mx"] .mx-host');
  assert.equal(mx.length, 2, `two MX rows: ${JSON.stringify(mx)}`);
  const after = await env.h2Stats();
  assert.ok(after.streams >= 4, `the queries came as HTTP/2 streams: ${JSON.stringify(after)}`);
  assert.equal(after.connections, 1, `all over one connection, the preconnected one: ${JSON.stringify(after)}`);
  const fetched = await browser.exec(
    "return performance.getEntriesByType('resource').filter(e => e.name.includes('dns-query')).map(e => e.nextHopProtocol);",
  );
  assert.ok(fetched.length >= 4 && fetched.every((p) => p === 'h2'), `every DoH fetch over h2: ${fetched}`);
});
