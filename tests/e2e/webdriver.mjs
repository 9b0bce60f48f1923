// A minimal W3C WebDriver client (just what the e2e tests use), over Node's fetch.
// Chromium and chromedriver come from Debian; nothing is downloaded.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function startChromedriver(port) {
  const proc = spawn('chromedriver', [`--port=${port}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/status`);
      if (r.ok && (await r.json()).value.ready) return { base, stop: () => proc.kill() };
    } catch { /* not up yet */ }
    await sleep(100);
  }
  proc.kill();
  throw new Error('chromedriver did not start');
}

export class Browser {
  /** `args`: extra Chromium switches (e.g. trust for the fixture's HTTP/2 certificate). */
  /** `pageLoadStrategy: 'eager'`: `goto` returns once the document is parsed, not loaded. */
  static async open(driverBase, { width = 1280, height = 1000, args = [], pageLoadStrategy = 'normal' } = {}) {
    const userDataDir = mkdtempSync(join(tmpdir(), 'maildoctor-chromium-'));
    const caps = {
      capabilities: {
        alwaysMatch: {
          browserName: 'chrome',
          pageLoadStrategy,
          'goog:chromeOptions': {
            binary: '/usr/bin/chromium',
            args: [...CHROMIUM_ARGS, ...args, `--user-data-dir=${userDataDir}`, `--window-size=${width},${height}`],
          },
          'goog:loggingPrefs': { browser: 'ALL' },
        },
      },
    };
    const r = await call(driverBase, 'POST', '/session', caps);
    return new Browser(driverBase, r.sessionId, userDataDir);
  }

  constructor(base, id, userDataDir) {
    this.base = base;
    this.id = id;
    this.userDataDir = userDataDir;
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async goto(url) { await this.cmd('POST', '/url', { url }); }
  async url() { return this.cmd('GET', '/url'); }
  async back() { await this.cmd('POST', '/back', {}); }
  async exec(script, ...args) { return this.cmd('POST', '/execute/sync', { script, args }); }
  async execAsync(script, ...args) { return this.cmd('POST', '/execute/async', { script, args }); }
  async setSize(width, height) { await this.cmd('POST', '/window/rect', { width, height }); }
  async screenshot() { return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64'); }
  async cdp(cmd, params = {}) { return this.cmd('POST', '/goog/cdp/execute', { cmd, params }); }
  async logs() { return this.cmd('POST', '/se/log', { type: 'browser' }).catch(() => []); }
  /** Ends the session, and removes its profile (2-3 MB a browser, left in /tmp before). */
  async close() {
    await this.cmd('DELETE', '').catch(() => {});
    // Chromium may still be writing as it exits: a few tries.
    rmSync(this.userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }

  async find(css) {
    const el = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return el[ELEMENT];
  }
  async type(css, text) {
    const id = await this.find(css);
    await this.cmd('POST', `/element/${id}/clear`, {});
    await this.cmd('POST', `/element/${id}/value`, { text });
  }
  async click(css) {
    const id = await this.find(css);
    await this.cmd('POST', `/element/${id}/click`, {});
  }
  /** Presses keys into the focused element (e.g. '\uE007' is Enter). */
  async keys(css, text) {
    const id = await this.find(css);
    await this.cmd('POST', `/element/${id}/value`, { text });
  }
  async text(css) {
    return this.exec('const e = document.querySelector(arguments[0]); return e ? e.innerText : null;', css);
  }
  async count(css) {
    return this.exec('return document.querySelectorAll(arguments[0]).length;', css);
  }
  async attr(css, name) {
    return this.exec('const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;', css, name);
  }
  async texts(css) {
    return this.exec('return [...document.querySelectorAll(arguments[0])].map(e => e.innerText);', css);
  }

  /** Polls `script` (a function body returning truthy) until it holds or `ms` passes. */
  async waitFor(script, { ms = 15000, what = script } = {}, ...args) {
    const end = Date.now() + ms;
    let last;
    while (Date.now() < end) {
      last = await this.exec(script, ...args).catch((e) => { last = e; return null; });
      if (last) return last;
      await sleep(50);
    }
    throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
  }

  /** Waits until the app says no query is in flight. */
  async waitIdle(ms = 20000) {
    // Settled too: a frame after the run, the report's off-screen blocks are
    // laid out and the history entry made (a click before could miss a block
    // that moves as it is laid out).
    await this.waitFor(
      "return document.body && document.body.getAttribute('data-idle') === 'true' && document.body.getAttribute('data-settled') !== 'false';",
      { ms, what: 'body[data-idle=true], not data-settled=false' },
    );
  }
}

async function call(base, method, path, body) {
  const r = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json().catch(() => ({}));
  if (!r.ok) {
    const v = json.value || {};
    throw new Error(`WebDriver ${method} ${path}: ${v.error || r.status}: ${(v.message || '').split('\n')[0]}`);
  }
  return json.value;
}
