// The foundation, end to end: the built app, served under a sub-path as on
// GitHub Pages, asks the fixture DoH server and shows what it answered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, saveScreenshot } from './harness.mjs';

let env;
before(async () => { env = await setup({ zones: ['healthy.zone', 'broken.zone', 'faults.zone', 'idn.zone'] }); });
after(async () => { await env?.close(); });

async function check(domain) {
  const { browser, fixture } = env;
  await browser.goto(`${fixture.app}#resolver=custom&doh=${encodeURIComponent(fixture.doh)}`);
  await browser.waitFor("return document.querySelector('#domain') !== null;", { what: 'the form' });
  await browser.type('#domain', domain);
  await browser.click('#check');
  await browser.waitIdle();
}

test('the app loads from a sub-path (GitHub Pages layout)', async () => {
  const { browser, fixture } = env;
  await browser.goto(fixture.app);
  await browser.waitFor("return document.querySelector('#check-form') !== null;", { what: 'the form renders' });
  assert.ok(fixture.app.endsWith('/maildoctor/'));
  const scripts = await browser.exec("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.wasm'));");
  assert.equal(scripts.length, 1, 'one wasm module loaded');
  assert.ok(scripts[0].includes('/maildoctor/'), `wasm came from the sub-path: ${scripts[0]}`);
});

test('a healthy domain shows its MX hosts and TXT records', async () => {
  await env.fixture.clearLog();
  await check('healthy.example');
  const { browser } = env;
  // The resolver gets the questions and nothing else: no page address, no cookies.
  const log = await env.fixture.log();
  assert.ok(log.length > 0, 'queries were asked');
  assert.deepEqual(log.filter((q) => q.referer !== null || q.cookie), [], 'no Referer or Cookie sent with a query');
  const mx = await browser.texts('section[data-check="mx"] .mx-host');
  assert.equal(mx.length, 2, `two MX rows: ${JSON.stringify(mx)}`);
  assert.match(mx[0], /10/);
  assert.match(mx[0], /mx1\.healthy\.example/);
  assert.match(mx[1], /mx2\.healthy\.example/);
  const body = await browser.text('body');
  assert.match(body, /v=spf1 mx ip4:93\.184\.215\.0\/24 -all/);
  assert.match(body, /google-site-verification=abc123/);
  await saveScreenshot(browser, 'thin-healthy');
});

test('a domain that does not exist says so', async () => {
  await check('no-such-domain.example');
  const section = await env.browser.text('section[data-check="mx"]');
  assert.match(section, /does not exist/i);
});

test('a resolver failure is "couldn\'t ask", not a broken record', async () => {
  await check('servfail.example');
  const { browser } = env;
  assert.equal(await browser.attr('section[data-check="mx"]', 'data-status'), 'unknown');
  assert.match(await browser.text('section[data-check="mx"]'), /SERVFAIL/);
});

test('bad input gets a clear message and no query', async () => {
  const { browser, fixture } = env;
  await fixture.clearLog();
  for (const [input, pattern] of [
    ['exa mple.com', /spaces/],
    ['', /domain name/i],
    [`${'a'.repeat(64)}.com`, /63/],
    ['bad$name.com', /cannot contain/],
  ]) {
    await check(input);
    const msg = await browser.text('#input-error');
    assert.ok(msg, `an error is shown for ${JSON.stringify(input)}`);
    assert.match(msg, pattern);
  }
  assert.deepEqual(await fixture.log(), [], 'no DNS query was made');
});

// The page maps names typed in Unicode with the browser's own UTS #46 (its URL
// parser, src/ui/idna.rs), not with tables shipped in the wasm.
test('a name typed in Unicode is asked for as its A-label and shown in Unicode', async () => {
  const { browser, fixture } = env;
  await fixture.clearLog();
  await check('BÜCHER.example');
  const names = (await fixture.log()).map((e) => e.name.replace(/\.$/, ''));
  assert.ok(names.includes('xn--bcher-kva.example'), `asked for the A-label: ${JSON.stringify(names)}`);
  assert.ok(names.every((n) => /^[\x21-\x7e]*$/.test(n)), `only ASCII names asked: ${JSON.stringify(names)}`);
  assert.match(await browser.text('#input-notes'), /queried as xn--bcher-kva\.example/);
  assert.match(await browser.text('body'), /bücher\.example \(xn--bcher-kva\.example\)/);
  assert.match(await browser.text('section[data-check="mx"] .mx-host'), /mx\.xn--bcher-kva\.example/);
});

test('IDNA in the browser: non-transitional ß, and names UTS #46 refuses', async () => {
  const { browser, fixture } = env;
  await fixture.clearLog();
  await check('faß.example');
  assert.match(await browser.text('#input-notes'), /queried as xn--fa-hia\.example/);
  await fixture.clearLog();
  for (const input of ['a\u200db.example', 'aא.example', 'xn--ü.example']) {
    await check(input);
    assert.match(await browser.text('#input-error'), /not a valid international domain name/, JSON.stringify(input));
  }
  assert.deepEqual(await fixture.log(), [], 'no DNS query for a refused name');
});
