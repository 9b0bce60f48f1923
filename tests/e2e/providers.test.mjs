// Issue 15: the Gmail / Yahoo / Outlook.com sender-requirements checklist, and
// one pasted reply per provider read with the provider's own meaning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, saveScreenshot, openReport } from './harness.mjs';

let env;
before(async () => { env = await setup({ zones: ['healthy.zone', 'broken.zone'] }); });
after(async () => { await env?.close(); });

const open = (params) => openReport(env, params);

test('the sender-requirements checklist: three providers, each requirement marked', async () => {
  await open({ d: 'healthy.example' });
  const { browser } = env;
  assert.equal(await browser.count('#requirements details.req'), 3);
  const text = await browser.text('#requirements');
  for (const name of ['Gmail (personal accounts)', 'Yahoo / AOL', 'Outlook.com (consumer domains)']) {
    assert.ok(text.includes(name), name);
  }
  // Folded, each holds only its name; its list is put in the page on the toggle that opens it.
  assert.equal(await browser.count('#requirements li'), 0, 'no list before it is opened');
  await browser.exec("document.querySelectorAll('#requirements details').forEach(d => { d.open = true; });");
  await browser.waitFor("return document.querySelectorAll('#requirements ul.req-rows').length === 3;", { what: 'the three lists rendered' });
  const marks = await browser.exec("return [...document.querySelectorAll('#requirements li')].map(li => li.dataset.mark);");
  for (const mark of ['pass', 'unknown', 'warn']) assert.ok(marks.includes(mark), `${mark} in ${marks}`);
  assert.match(await browser.text('#requirements'), /0\.3%/);
  // The section alone: everything else of the page hidden for the picture.
  await browser.exec("document.querySelectorAll('body > *, #report > *').forEach(e => { if (!e.contains(document.querySelector('#requirements'))) e.style.display = 'none'; });");
  await saveScreenshot(browser, 'requirements-desktop-light');
});

const REPLIES = [
  ['Outlook.com 5.7.515', '550 5.7.515 Access denied, sending domain healthy.example does not meet the required authentication level. [BN1PEPF00004686.namprd05.prod.outlook.com]', /Microsoft/, /authenticat/i, /sending too fast/i],
  ['Yahoo [TSS04]', '421 4.7.0 [TSS04] Messages from 203.0.113.8 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes', /Yahoo/, /too fast|throttl/i, null],
  ['Gmail 5.7.26', '550-5.7.26 This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp', /Gmail/, /authenticat/i, null],
];

for (const [name, reply, provider, cause, notCause] of REPLIES) {
  test(`a pasted ${name} reply is read with the provider's meaning`, async () => {
    const { browser, fixture } = env;
    await browser.goto(fixture.permalink());
    await browser.waitFor("return document.querySelector('#smtp-text') !== null;", { what: 'the form' });
    await browser.type('#smtp-text', reply);
    await browser.type('#domain', 'healthy.example');
    await browser.click('#check');
    await browser.waitIdle();
    assert.match(await browser.text('body'), provider);
    const causes = await browser.text('#causes');
    assert.match(causes, cause);
    if (notCause) assert.doesNotMatch(causes, notCause);
  });
}

// Issue 21: mail that leaves through Microsoft 365 (told here by the NDR it
// wrote) gets Microsoft's admin pages instead of commands for a server the
// sender does not have.
test('a Microsoft 365 sender gets message trace and DKIM pages, not server commands', async () => {
  const { browser, fixture } = env;
  const ndr = [
    'Delivery has failed to these recipients or groups:',
    '',
    'frank@contoso.example',
    'Diagnostic information for administrators:',
    'Generating server: AM9PR01MB1234.eurprd01.prod.exchangelabs.com',
    '',
    'frank@contoso.example',
    "Remote Server returned '451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped due to SocketError.\" Attempted failover to alternate host, but that did not succeed. The last endpoint attempted was 192.0.2.44:25'",
  ].join('\n');
  await browser.goto(fixture.permalink());
  await browser.waitFor("return document.querySelector('#smtp-text') !== null;", { what: 'the form' });
  await browser.type('#smtp-text', ndr);
  await browser.type('#domain', 'healthy.example');
  await browser.click('#check');
  await browser.waitIdle();
  assert.equal(await browser.text('#h-check-yourself'), 'Check these in Microsoft 365');
  const manual = await browser.text('#check-yourself');
  assert.match(manual, /https:\/\/admin\.exchange\.microsoft\.com\/#\/messagetrace/);
  assert.match(manual, /DKIM/);
  assert.doesNotMatch(manual, /openssl|swaks|traceroute|postqueue/);
  await saveScreenshot(browser, 'm365-desktop-light');
  await browser.cdp('Emulation.setDeviceMetricsOverride', { width: 375, height: 812, deviceScaleFactor: 1, mobile: true });
  const overflow = await browser.exec('return document.documentElement.scrollWidth > window.innerWidth + 1;');
  await saveScreenshot(browser, 'm365-375-light');
  // The section alone, as a person on a phone reads it.
  await browser.exec("const keep = document.querySelector('#check-yourself').closest('section'); document.querySelectorAll('body > *, #report > *').forEach(e => { if (!e.contains(keep)) e.style.display = 'none'; });");
  await saveScreenshot(browser, 'm365-check-yourself-375-light');
  await browser.cdp('Emulation.clearDeviceMetricsOverride', {});
  assert.equal(overflow, false, 'no horizontal scrolling at 375 px');
});
