// Transport security (MTA-STS, TLS-RPT, DANE, BIMI) and why a resolver failed
// (Extended DNS Errors, DNSSEC bogus), against tests/e2e/zones/transport.zone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, saveScreenshot, findings, says, SCREENSHOTS, openReport } from './harness.mjs';

/** A screenshot of the page from the top of `first` to the bottom of `last` (the whole
 * page is too tall to read these sections in). */
async function saveSections(browser, name, first, last) {
  const [top, bottom] = await browser.exec(
    'const r = (s) => document.querySelector(s).getBoundingClientRect();' +
      'return [r(arguments[0]).top + scrollY, r(arguments[1]).bottom + scrollY];',
    first,
    last,
  );
  const metrics = await browser.cdp('Page.getLayoutMetrics');
  const { width } = metrics.cssContentSize || metrics.contentSize;
  const shot = await browser.cdp('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: 0, y: Math.floor(top), width: Math.ceil(width), height: Math.ceil(bottom - top), scale: 1 },
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, `${name}.png`), Buffer.from(shot.data, 'base64'));
}

let env;
before(async () => { env = await setup({ zones: ['transport.zone'] }); });
after(async () => { await env?.close(); });

// Covers mx1.sts.example, not backup.relay.example.
const POLICY = 'version: STSv1\nmode: enforce\nmx: *.sts.example\nmax_age: 604800\n';

const open = (params) => openReport(env, params);

const status = (check) => env.browser.attr(`section[data-check="${check}"]`, 'data-status');

test('TLS-RPT missing: not published', async () => {
  await open({ d: 'sts.example' });
  const tlsrpt = await findings(env, 'tls-rpt');
  assert.equal(tlsrpt.length, 1);
  assert.match(tlsrpt[0], /No TLS-RPT record at _smtp\._tls\.sts\.example/);
  assert.match(await env.browser.text('section[data-check="tls-rpt"] .badge'), /Not published/);
  assert.equal(await env.browser.count('section script, section img, section iframe'), 0);
});

test('TLSA usage 1 in an unsigned zone', async () => {
  await open({ d: 'sts.example' });
  const dane = await findings(env, 'dane');
  assert.ok(says(dane, /usage 1 \(PKIX-EE\)/), `PKIX usage: ${dane}`);
  assert.ok(says(dane, /not DNSSEC-validated/), `not authenticated: ${dane}`);
  // The raw answers are collapsed, and rendered only once opened: open them,
  // wait for their list, then read it.
  const { browser } = env;
  await browser.exec('document.querySelector(\'section[data-check="dane"] details.evidence\').open = true;');
  await browser.waitFor("return document.querySelector('section[data-check=\"dane\"] details.evidence .lookup') !== null;", { what: 'the DANE evidence rendered' });
  const evidence = await browser.text('section[data-check="dane"] details.evidence');
  assert.match(evidence, /_25\._tcp\.mx1\.sts\.example TLSA → NOERROR, 1 record · DNSSEC: insecure/);
});

test('BIMI with DMARC p=none (the reason named)', async () => {
  await open({ d: 'sts.example' });
  assert.ok(says(await findings(env, 'bimi'), /DMARC is not at enforcement \(the policy for sts\.example is none\)/), 'BIMI needs DMARC at enforcement');
});

test('MTA-STS enforce with an MX the pasted policy does not cover', async () => {
  await open({ d: 'sts.example' });
  const { browser } = env;
  // Before a policy is pasted: the exact command that fetches it.
  const sts = await browser.text('section[data-check="mta-sts"]');
  assert.match(sts, /curl -sS --max-redirs 0 .* https:\/\/mta-sts\.sts\.example\/\.well-known\/mta-sts\.txt/);
  assert.ok(says(await findings(env, 'mta-sts'), /policy file at .* is not fetched from this page/));

  await browser.type('#mta-sts-policy', POLICY);
  await browser.click('#check');
  await browser.waitIdle();
  // The page carries no finding codes (harness.mjs): the messages say it.
  const found = await findings(env, 'mta-sts');
  assert.ok(says(found, /backup\.relay\.example match no mx: line .*senders that honour MTA-STS will not deliver/), `uncovered MX: ${found}`);
  assert.equal(await status('mta-sts'), 'fail');
  await saveSections(browser, 'transport-form-light', '#check-form', '#causes');
});

test('the transport sections, seen', async () => {
  await open({ d: 'sts.example' });
  const sections = await env.browser.exec(
    'return [...document.querySelectorAll("section[data-check]")].map(s => s.dataset.check).filter(k => ["mta-sts", "tls-rpt", "dane", "bimi"].includes(k));',
  );
  await saveScreenshot(env.browser, 'transport-desktop-light');
  await saveSections(env.browser, 'transport-sections-light', `section[data-check="${sections[0]}"]`, `section[data-check="${sections.at(-1)}"]`);
});

test('a SERVFAIL with EDE 22 is shown with its reason, and the diagnosis names it', async () => {
  await open({ d: 'dark.example' });
  const { browser } = env;
  assert.equal(await status('mx'), 'unknown');
  const mx = await browser.text('section[data-check="mx"] .couldnt-ask');
  assert.match(mx, /SERVFAIL.*the resolver says: No Reachable Authority \(22\): At delegation dark\.example for dark\.example\/mx/);
  assert.match(await browser.text('#causes'), /name servers cannot be reached/);
  await saveScreenshot(browser, 'ede22-desktop-light');
  await saveSections(browser, 'ede22-top-light', '#verdict', 'section[data-check="mx"]');
});

test('a bogus zone: SERVFAIL that answers with CD=1 is called a DNSSEC failure', async () => {
  await open({ d: 'bogus.example' });
  const mx = await env.browser.text('section[data-check="mx"]');
  assert.match(mx, /DNSSEC validation failed \(bogus\)/);
  assert.match(mx, /DNSSEC Bogus \(6\): RRSIG expired/);
});
