// The full report, as a person sees it: verdict, ranked causes, one section
// per check, generated records, permalinks, accessibility, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, saveScreenshot, ROOT } from './harness.mjs';

let env;
before(async () => { env = await setup({ zones: ['healthy.zone', 'broken.zone', 'faults.zone'] }); });
after(async () => { await env?.close(); });

const GMAIL_421 = `421-4.7.0 [203.0.113.9      15] Our system has detected an unusual rate of
421-4.7.0 unsolicited mail originating from your IP address. To protect our
421-4.7.0 users from spam, mail sent from your IP address has been temporarily
421 4.7.0 rate limited. https://support.google.com/mail/?p=UnsolicitedRateLimitError gsmtp`;

async function open(params) {
  const { browser, fixture } = env;
  await browser.goto(fixture.permalink(params));
  await browser.waitFor("return document.querySelector('#check-form') !== null;", { what: 'the form' });
  await browser.waitIdle();
}

async function codes(check) {
  return env.browser.exec(
    'return [...document.querySelectorAll(`section[data-check="${arguments[0]}"] li.finding`)].map(e => e.dataset.code);',
    check,
  );
}

test('a permalink opened cold runs the check (healthy domain)', async () => {
  await open({ d: 'healthy.example' });
  const { browser } = env;
  assert.equal(await browser.exec("return document.querySelector('#domain').value;"), 'healthy.example');
  for (const check of ['mx', 'spf', 'dmarc']) {
    assert.equal(await browser.attr(`section[data-check="${check}"]`, 'data-status'), 'pass', `${check} passes`);
  }
  assert.ok((await browser.text('#verdict')).length > 0, 'a verdict is shown');
  await saveScreenshot(browser, 'healthy-desktop-light');
});

test('the broken reference domain: every problem is named', async () => {
  await open({ d: 'broken.example' });
  const spf = await codes('spf');
  assert.ok(spf.includes('spf.multiple'), `two SPF records: ${spf}`);
  const mx = await codes('mx');
  assert.ok(mx.includes('mx.target-cname'), `MX → CNAME: ${mx}`);
  assert.ok((await codes('dmarc')).includes('dmarc.none'), 'no DMARC');
  assert.ok((await codes('ptr')).includes('ptr.missing'), 'no PTR');
  assert.equal(await env.browser.attr('section[data-check="spf"]', 'data-status'), 'fail');
  assert.ok((await env.browser.count('#causes li.cause')) > 0, 'causes are ranked');
  assert.ok((await env.browser.count('#generated .generated-record[data-kind="spf"]')) > 0, 'a corrected SPF record');
  assert.ok((await env.browser.count('#generated .generated-record[data-kind="dmarc"]')) > 0, 'a DMARC record');
  await saveScreenshot(env.browser, 'broken-desktop-light');
});

test('SPF lint of the first record: +all and 12 lookups', async () => {
  await open({ d: 'broken.example' });
  const text = await env.browser.text('section[data-check="spf"]');
  assert.match(text, /\+all/);
  assert.match(text, /12/);
});

for (const [domain, reason] of [['servfail.example', /SERVFAIL/], ['slow.example', /timed out|timeout/i]]) {
  test(`a resolver that fails (${domain}) shows "couldn't ask", with a retry`, async () => {
    await open({ d: domain });
    const { browser } = env;
    for (const check of ['mx', 'dmarc']) {
      assert.equal(await browser.attr(`section[data-check="${check}"]`, 'data-status'), 'unknown', check);
      assert.match(await browser.text(`section[data-check="${check}"]`), reason);
    }
    assert.ok((await browser.count('section[data-check="mx"] button')) > 0, 'a retry button');
  });
}

test('a pasted Gmail 421 reply fills the form and names Gmail', async () => {
  const { browser, fixture } = env;
  await browser.goto(`${fixture.app}#resolver=custom&doh=${encodeURIComponent(fixture.doh)}`);
  await browser.waitFor("return document.querySelector('#smtp-text') !== null;", { what: 'the form' });
  await browser.type('#smtp-text', GMAIL_421);
  await browser.waitFor("return document.querySelector('#sending-ip').value === '203.0.113.9';", { what: 'the IP is filled in' });
  await browser.type('#domain', 'healthy.example');
  await browser.click('#check');
  await browser.waitIdle();
  assert.match(await browser.text('body'), /Gmail|Google/);
  assert.match(await browser.text('#causes'), /rate|limit/i);
});

test('back and forward move between checks', async () => {
  await open({ d: 'healthy.example' });
  const { browser } = env;
  await browser.type('#domain', 'broken.example');
  await browser.click('#check');
  await browser.waitIdle();
  assert.match(await browser.url(), /d=broken\.example/);
  await browser.back();
  await browser.waitFor("return location.hash.includes('d=healthy.example') && document.querySelector('#domain').value === 'healthy.example';", { what: 'back to healthy' });
  await browser.waitIdle();
});

test('hostile TXT content is shown as text', async () => {
  await open({ d: 'healthy.example' });
  const { browser } = env;
  const txt = await browser.texts('section[data-check="txt"] .txt-record');
  assert.ok(txt.some((t) => t.includes('<img src=x onerror=') && t.includes('<script>')), `markup shown literally: ${JSON.stringify(txt)}`);
  assert.equal(await browser.count('section script, section img, section iframe'), 0);
  assert.equal(await browser.exec('return document.body.dataset.pwned || null;'), null, 'nothing ran');
});

test('axe-core finds no accessibility violations on the report', async () => {
  await open({ d: 'broken.example' });
  const axe = readFileSync(join(ROOT, 'tests/e2e/node_modules/axe-core/axe.min.js'), 'utf8');
  await env.browser.exec(axe);
  const violations = await env.browser.execAsync(`
    const done = arguments[arguments.length - 1];
    axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.length)), e => done(['axe failed: ' + e]));
  `);
  assert.deepEqual(violations, []);
});

test('screenshots: 375 px and dark', async () => {
  const { browser } = env;
  await browser.cdp('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'dark' }] });
  await open({ d: 'broken.example' });
  await saveScreenshot(browser, 'broken-desktop-dark');
  await browser.cdp('Emulation.setDeviceMetricsOverride', { width: 375, height: 812, deviceScaleFactor: 1, mobile: true });
  await open({ d: 'broken.example' });
  const overflow = await browser.exec('return document.documentElement.scrollWidth > window.innerWidth + 1;');
  assert.equal(overflow, false, 'no horizontal scrolling at 375 px');
  await saveScreenshot(browser, 'broken-375-dark');
  await browser.cdp('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'light' }] });
  await open({ d: 'healthy.example' });
  await saveScreenshot(browser, 'healthy-375-light');
  await browser.cdp('Emulation.clearDeviceMetricsOverride', {});
});
