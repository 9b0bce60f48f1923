// The foundation, end to end: the built app, served under a sub-path as on
// GitHub Pages, asks the fixture DoH server and shows what it answered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, saveScreenshot, startFixture, DIST, APP_RUNNING } from './harness.mjs';

let env;
before(async () => { env = await setup({ zones: ['healthy.zone', 'broken.zone', 'faults.zone', 'idn.zone'] }); });
after(async () => { await env?.close(); });

async function check(domain) {
  const { browser, fixture } = env;
  await browser.goto(fixture.permalink());
  await browser.waitFor(APP_RUNNING, { what: 'the app' });
  await browser.type('#domain', domain);
  await browser.click('#check');
  await browser.waitIdle();
}

test('the app loads from a sub-path (GitHub Pages layout)', async () => {
  const { browser, fixture } = env;
  await browser.goto(fixture.app);
  await browser.waitFor(APP_RUNNING, { what: 'the app' });
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

// static/crash.js: if the wasm ever traps (the release build aborts on a panic
// with a trap), the page says it stopped instead of silently freezing. The traps
// here are real ones: a two-byte function that executes `unreachable`, called by
// a timer as the app's callbacks are. (An error thrown by a function this test
// script defines would reach the page muted, without its error object, as from
// another origin; natives and wasm called by the timer are the page's own.)
const TRAP = `
  // (module (func (export "f") unreachable))
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0,
    7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
  setTimeout(new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f, 0);`;
const SETTLE = 'return new Promise((r) => setTimeout(r, 50));';

test('a WebAssembly trap is shown as "maildoctor stopped", as text, with a reload', async () => {
  const { browser, fixture } = env;
  await check('healthy.example');
  assert.equal(await browser.count('#app-stopped'), 0, 'no notice while all is well');
  await browser.exec(TRAP);
  await browser.waitFor("return document.querySelector('#app-stopped') !== null;", { what: 'the stopped notice' });
  const notice = await browser.text('#app-stopped');
  assert.match(notice, /maildoctor stopped/);
  assert.match(notice, /not a problem with your domain/);
  assert.match(notice, /RuntimeError: unreachable/);
  assert.equal(await browser.attr('#app-stopped', 'role'), 'alert');
  assert.equal(await browser.exec('return document.activeElement.textContent;'), 'Reload', 'focus on the way out');
  // The report below is stale: dimmed and inert (no clicks, no focus).
  assert.equal(await browser.exec("return document.querySelector('#report').inert;"), true, 'the stale report is inert');
  assert.ok(Number(await browser.exec("return getComputedStyle(document.querySelector('#report')).opacity;")) < 0.5, 'dimmed');
  await saveScreenshot(browser, 'app-stopped');
  // A second trap does not stack a second notice.
  await browser.exec(TRAP);
  await browser.exec(SETTLE);
  assert.equal(await browser.count('#app-stopped'), 1);

  // An ordinary script error (a DOM method called on a plain object, seen with its error object) is not the app stopping.
  await browser.goto('about:blank');
  await browser.goto(fixture.app);
  await browser.waitFor(APP_RUNNING, { what: 'the app' });
  await browser.exec(`window.__seen = [];
    addEventListener('error', (e) => window.__seen.push(e.error && e.error.name));
    setTimeout(Element.prototype.remove.bind({}), 0);`);
  await browser.exec(SETTLE);
  assert.deepEqual(await browser.exec('return window.__seen;'), ['TypeError'], 'the error reached the page');
  assert.equal(await browser.count('#app-stopped'), 0);
});

test('wasm that does not arrive whole: "maildoctor could not start", with a reload', async () => {
  // The built app with its .wasm cut short, as a broken download would leave it.
  const dir = mkdtempSync(join(tmpdir(), 'maildoctor-cut-'));
  let fixture;
  try {
    cpSync(DIST, dir, { recursive: true });
    const wasm = readdirSync(dir).find((f) => f.endsWith('.wasm'));
    writeFileSync(join(dir, wasm), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4]));
    fixture = await startFixture({ zones: ['healthy.zone'], serveDir: dir });
    const { browser } = env;
    await browser.goto(fixture.app);
    await browser.waitFor("return document.querySelector('#app-stopped') !== null;", { what: 'the could-not-start notice' });
    const notice = await browser.text('#app-stopped');
    assert.match(notice, /maildoctor could not start/);
    assert.match(notice, /CompileError/);
    // index.html's copy of the form stays, out of reach: it would never run a check.
    assert.equal(await browser.exec("return document.querySelector('#check-form').inert;"), true, 'the form is inert');
    await saveScreenshot(browser, 'app-could-not-start');
  } finally {
    fixture?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
