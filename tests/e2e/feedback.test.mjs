// What "Check" shows, and when: nothing changes on the page for the first
// 100 ms after the press (ui::app::FEEDBACK_MS: a run over by then is drawn
// once, complete), then the button says "Checking…" and the report's start
// appears while the answers are still out. At 200 ms a query, a run here
// takes at least three rounds: the feedback must come long before its end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, APP_RUNNING } from './harness.mjs';

let env;
before(async () => { env = await setup({ zones: ['broken.zone', 'healthy.zone'], latencyMs: 200 }); });
after(async () => { await env?.close(); });

test('the feedback of a press comes after 100 ms, while the run is still out', async () => {
  const { browser, fixture } = env;
  await browser.goto(fixture.permalink());
  await browser.waitFor(APP_RUNNING, { what: 'the app' });
  await browser.type('#domain', 'broken.example');
  const seen = await browser.execAsync(`
    const done = arguments[arguments.length - 1];
    const start = performance.now();
    const changes = [];
    let fed = null;
    const obs = new MutationObserver((records) => {
      const at = performance.now() - start;
      for (const r of records) if (r.target !== document.body) changes.push(at);
      if (fed === null && document.querySelector('#check').textContent === 'Checking…') {
        fed = { at, busy: document.body.getAttribute('data-idle') === 'false', progress: document.querySelector('#progress')?.textContent ?? '' };
      }
      if (document.body.getAttribute('data-idle') === 'true') { obs.disconnect(); done({ fed, first: changes[0], end: at }); }
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    document.querySelector('#check').click();`);
  assert.ok(seen.fed, `the button said "Checking…" at some point: ${JSON.stringify(seen)}`);
  assert.ok(seen.first >= 95, `nothing on the page changed before 100 ms: first change at ${seen.first} ms`);
  assert.ok(seen.fed.busy, 'the feedback came while the run was still out');
  assert.match(seen.fed.progress, /^Checking broken\.example: \d+ of \d+ checks answered…$/);
  assert.ok(seen.fed.at < seen.end - 200, `the feedback (${seen.fed.at} ms) well before the end (${seen.end} ms)`);
  assert.equal(await browser.text('#check'), 'Check', 'the button is back once the run is over');
});
