// The form before the app runs: index.html draws a copy of it with the first
// paint, so a person types while the wasm is on its way. What they typed, the
// field they were in and a Check pressed meanwhile carry over into the app.
// The wasm's download is slowed (DevTools network throttling) so that the
// typing really happens before the app starts; the tests check that it did.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, saveScreenshot, APP_RUNNING } from './harness.mjs';

let env;
// 'eager': navigation returns once the page is parsed, while the wasm still loads.
before(async () => { env = await setup({ zones: ['broken.zone'], pageLoadStrategy: 'eager' }); });
after(async () => { await env?.close(); });

/** Opens the app with its wasm arriving slowly (about 4 s), without the HTTP cache. */
async function openSlowly() {
  const { browser, fixture } = env;
  await browser.cdp('Network.enable');
  await browser.cdp('Network.setCacheDisabled', { cacheDisabled: true });
  await browser.cdp('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 200000, uploadThroughput: 200000 });
  await browser.goto('about:blank');
  await browser.goto(fixture.permalink()); // the fixture as the resolver, no domain
  await browser.waitFor("return document.querySelector('#domain') !== null;", { what: "index.html's form" });
}

async function fullSpeed() {
  await env.browser.cdp('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
}

const running = (browser) => browser.exec(APP_RUNNING);

test('a check asked for before the app runs is run when it starts', async () => {
  const { browser } = env;
  try {
    await openSlowly();
    await browser.type('#domain', 'broken.example');
    await browser.keys('#domain', '\uE007'); // Enter
    assert.equal(await running(browser), false, 'typed and submitted before the app ran');
    assert.equal(await browser.text('#check'), 'Checking…', 'the button says the check is coming');
    await saveScreenshot(browser, 'early-submit-desktop-light');
    await browser.waitFor(APP_RUNNING, { what: 'the app', ms: 30000 });
    await fullSpeed();
    await browser.waitFor("const p = document.querySelector('#progress'); return p !== null && p.textContent.startsWith('All ');", { what: 'the report', ms: 30000 });
    assert.match(await browser.exec("return document.querySelector('#verdict').textContent;"), /broken\.example/);
    // The history entry is made once the complete report has been drawn (a task after its frame).
    await browser.waitFor("return location.hash.startsWith('#d=broken.example');", { what: 'the address names the check' });
    assert.equal(await browser.exec("return document.querySelector('#domain').value;"), 'broken.example');
  } finally {
    await fullSpeed();
  }
});

test('what was typed, and where, carries over into the app', async () => {
  const { browser } = env;
  try {
    await openSlowly();
    await browser.type('#domain', 'broken.exa');
    assert.equal(await running(browser), false, 'typed before the app ran');
    await browser.waitFor(APP_RUNNING, { what: 'the app', ms: 30000 });
    await fullSpeed();
    // The focus comes back in a task after the app's first renders.
    const field = await browser.waitFor(`const d = document.querySelector('#domain');
      return document.activeElement === d && d.value === 'broken.exa' ? { at: d.selectionStart } : null;`, { what: 'the field, with its text and the focus' });
    assert.equal(field.at, 10, 'the caret where it was');
    assert.equal(await browser.count('#report'), 0, 'nothing checked: Check was not pressed');
    // The app's own form, as a person goes on typing.
    await browser.keys('#domain', 'mple\uE007');
    await browser.waitFor("const p = document.querySelector('#progress'); return p !== null && p.textContent.startsWith('All ');", { what: 'the report' });
    assert.match(await browser.exec("return document.querySelector('#verdict').textContent;"), /broken\.example/);
  } finally {
    await fullSpeed();
  }
});
