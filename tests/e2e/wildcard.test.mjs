// RFC 9990 §4 external report authorisation published as a DNS wildcard
// (`*._report._dmarc.<destination>`, RFC 4592), as report services publish it,
// end to end: the page asks for <domain>._report._dmarc.<destination> and the
// resolver's synthesised answer authorises the reports. Run against the fixture
// and, with MAILDOCTOR_DOH=real, against the real DoH stack (scripts/test.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, REAL, APP_RUNNING } from './harness.mjs';

let env;
before(async () => { env = await setup({ zones: ['healthy.zone', 'wildcard.zone'] }); });
after(async () => { await env?.close(); });

/** The DMARC section's finding messages for `domain`, as shown. */
async function dmarcFindings(domain) {
  const { browser, fixture } = env;
  await browser.goto(fixture.permalink({ d: domain }));
  await browser.waitFor(APP_RUNNING, { what: 'the app' });
  await browser.waitIdle();
  return browser.exec(
    'return [...document.querySelectorAll(\'section[data-check="dmarc"] li.finding\')].map(e => e.innerText);',
  );
}

test('a wildcard at the report service authorises the reports', async () => {
  await env.fixture.clearLog();
  const messages = await dmarcFindings('shop.example');
  assert.ok(messages.some((m) => /accepts DMARC reports for shop\.example/.test(m)), `authorised: ${messages}`);
  assert.ok(!messages.some((m) => /has not authorized them/.test(m)), `not refused: ${messages}`);
  assert.match(await env.browser.text('section[data-check="dmarc"]'), /dmarc-reports\.example accepts DMARC reports for shop\.example/);
  const asked = (await env.fixture.log()).map((e) => `${e.name} ${e.type}`);
  if (REAL) {
    // Every answer came from the real stack: not one question reached the fixture.
    assert.deepEqual(asked, [], 'no DNS query reached the fixture');
  } else {
    assert.ok(asked.includes('shop.example._report._dmarc.dmarc-reports.example TXT'), `asked: ${asked}`);
  }
});

test('an empty non-terminal at the report service blocks the wildcard (RFC 4592 §3.3.1)', async () => {
  const messages = await dmarcFindings('shop.example.org');
  assert.ok(messages.some((m) => /has not authorized them/.test(m)), `not authorised: ${messages}`);
});
