// Starts what an e2e test needs: the fixture DoH server (which also serves the
// built app from dist/ under a GitHub-Pages-like sub-path) and chromedriver.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Browser, startChromedriver } from './webdriver.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TARGET = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
export const DIST = process.env.MAILDOCTOR_DIST || join(ROOT, 'dist');
export const SUBPATH = '/maildoctor/';
export const SCREENSHOTS = join(TARGET, 'screenshots');

/**
 * A `waitFor` script: the app is running (its first render marks the body
 * data-idle). The form is there before that: index.html's copy of it, drawn
 * with the first paint, which the app replaces when it mounts; a test that
 * typed into the copy could find its element gone.
 */
export const APP_RUNNING = "return document.body !== null && document.body.hasAttribute('data-idle');";

/**
 * `MAILDOCTOR_DOH=real`: the page asks the real DoH stack of scripts/real-doh.sh
 * (dnsdist → unbound → NSD serving tests/e2e/zones) instead of the fixture, at
 * REAL_DOH_URL over HTTPS + HTTP/2, trusting its certificate by REAL_DOH_SPKI.
 * The fixture still serves the app. Scenarios that need the fixture's injected
 * faults or its query log skip themselves here (`{ skip: REAL && '…' }`).
 */
export const REAL = process.env.MAILDOCTOR_DOH === 'real';
function realDoh() {
  const url = process.env.REAL_DOH_URL;
  const spki = process.env.REAL_DOH_SPKI;
  if (!url || !spki) throw new Error('MAILDOCTOR_DOH=real needs REAL_DOH_URL and REAL_DOH_SPKI (scripts/real-doh.sh start DIR writes DIR/env)');
  return { url, spki };
}

/**
 * Starts `doh-fixture` and resolves when it prints its address. `h2: true`
 * also has it listen with HTTPS + HTTP/2 (`--h2-port 0`): then `h2` is
 * { origin: 'https://127.0.0.1:N', spki } (spki: what Chromium's
 * --ignore-certificate-errors-spki-list takes to trust its certificate), and
 * `doh` and `permalink()` point the page there.
 */
export function startFixture({ zones, latencyMs = 0, serveDir = DIST, base = SUBPATH, h2 = false, pages = false } = {}) {
  // DOH_FIXTURE: another build of it (scripts/bench.sh runs an optimised one).
  const bin = process.env.DOH_FIXTURE || join(TARGET, 'debug', 'doh-fixture');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run cargo build -p doh-fixture first`);
  if (!existsSync(join(serveDir, 'index.html'))) throw new Error(`${serveDir}/index.html is missing: run trunk build first`);
  const args = ['--port', '0', '--latency-ms', String(latencyMs), '--serve-dir', serveDir, '--base', base];
  if (h2) args.push('--h2-port', '0');
  // As GitHub Pages serves the app: gzip and max-age (the first-visit benchmark).
  if (pages) args.push('--pages');
  for (const z of zones) args.push('--zone', join(ROOT, 'tests/e2e/zones', z));
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('doh-fixture did not start')), 10000);
    proc.on('exit', (code) => fail(new Error(`doh-fixture exited with ${code}`)));
    let origin = null;
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = line.match(/^listening (http:\/\/127\.0\.0\.1:\d+)$/);
      if (m) origin = m[1];
      // With --h2-port, the second line: listening-h2 https://127.0.0.1:N spki=BASE64
      const m2 = line.match(/^listening-h2 (https:\/\/127\.0\.0\.1:\d+) spki=([A-Za-z0-9+/]+=*)$/);
      if (!origin || (h2 && !m2)) return;
      clearTimeout(timer);
      // The page asks over HTTP/2 when there is an h2 listener, as real DoH providers are reached.
      const doh = `${m2 ? m2[1] : origin}/dns-query`;
      ok({
        origin,
        h2: m2 ? { origin: m2[1], spki: m2[2] } : null,
        doh,
        app: `${origin}${base}`,
        /** The app URL with the check's inputs (none: just the form) in the hash, resolver pointed at `doh`. */
        permalink(params = {}) {
          const p = new URLSearchParams({ ...params, resolver: 'custom', doh: this.doh });
          return `${origin}${base}#${p.toString()}`;
        },
        async log() { return (await fetch(`${origin}/log`)).json(); },
        async clearLog() { await fetch(`${origin}/log/clear`, { method: 'POST' }); },
        /** HTTP/2 connections and streams served since start (not reset by clearLog). */
        async transport() { return (await fetch(`${origin}/log/transport`)).json(); },
        stop: () => proc.kill(),
      });
    });
  });
}

let driverPort = 9515 + (process.pid % 400);

/**
 * One browser per test file: returns { fixture, browser, close, transport }.
 * `transport: 'h2'` (opt-in; the benchmark's default) has the fixture also
 * listen with HTTPS + HTTP/2 (its own self-signed certificate, which Chromium
 * is told to trust by its key, --ignore-certificate-errors-spki-list, and
 * nothing else), and `fixture.doh` and `fixture.permalink()` point there, as
 * real DoH providers are reached; the app itself stays on the fixture's http
 * origin. The default, 'h1', asks the fixture over HTTP/1.1.
 */
export async function setup(options = {}) {
  const transport = options.transport || 'h1';
  if (!['h1', 'h2'].includes(transport)) throw new Error(`transport ${transport}: h1 or h2`);
  // Read before anything starts, so that a missing setting leaves no process behind.
  const real = REAL ? realDoh() : null;
  const fixture = await startFixture({ ...options, h2: transport === 'h2' });
  const args = [];
  if (fixture.h2) {
    // Trust exactly this certificate's key; QUIC stays off (CHROMIUM_ARGS), so it is HTTP/2 over TLS.
    args.push(`--ignore-certificate-errors-spki-list=${fixture.h2.spki}`);
  }
  if (real) {
    // The page's resolver is the real stack; the fixture only serves the app.
    fixture.doh = real.url;
    args.push(`--ignore-certificate-errors-spki-list=${real.spki}`);
  }
  const driver = await startChromedriver(driverPort++);
  const browser = await Browser.open(driver.base, { ...options, args });
  return {
    fixture,
    browser,
    transport,
    /** With 'h2': { connections, streams } the fixture served over HTTP/2 since start; else null. */
    async h2Stats() {
      if (!fixture.h2) return null;
      const { h2_connections: connections, h2_streams: streams } = await fixture.transport();
      return { connections, streams };
    },
    async close() {
      await browser.close();
      driver.stop();
      fixture.stop();
    },
  };
}

/** One element of the page, as a picture (the full-page shot stops at 6000 px, before the last sections). */
export async function saveElementShot(browser, css, name) {
  const rect = await browser.exec(
    'const r = document.querySelector(arguments[0]).getBoundingClientRect(); return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };',
    css,
  );
  const shot = await browser.cdp('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: rect.x, y: rect.y, width: Math.ceil(rect.width), height: Math.min(Math.ceil(rect.height), 6000), scale: 1 },
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, `${name}.png`), Buffer.from(shot.data, 'base64'));
}

export async function saveScreenshot(browser, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}${REAL ? '-real' : ''}.png`);
  // The whole page, not just the viewport: CDP can capture beyond it.
  const metrics = await browser.cdp('Page.getLayoutMetrics');
  const { width, height } = metrics.cssContentSize || metrics.contentSize;
  const shot = await browser.cdp('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: Math.ceil(width), height: Math.min(Math.ceil(height), 6000), scale: 1 },
  });
  writeFileSync(file, Buffer.from(shot.data, 'base64'));
  return file;
}

/** Opens the app at a permalink (the check's inputs) and waits for the report to settle. */
export async function openReport(env, params) {
  const { browser, fixture } = env;
  await browser.goto(fixture.permalink(params));
  await browser.waitFor(APP_RUNNING, { what: 'the app' });
  await browser.waitIdle();
}

/** The messages of a section's findings, as shown. (The page carries no
 * finding codes: their text stays out of the wasm for size; the component
 * tests check the codes.) */
export async function findings(env, check) {
  return env.browser.exec(
    'return [...document.querySelectorAll(`section[data-check="${arguments[0]}"] li.finding`)].map(e => e.innerText);',
    check,
  );
}

/** Some message matches `pattern`. */
export const says = (messages, pattern) => messages.some((m) => pattern.test(m));

/** The record types the floor's questions use, by name (RFC 1035 §3.2.2 and later). */
export const TYPE_CODES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SPF: 99, TLSA: 52 };

/**
 * Page-side source of the transport floor's `ask([name, type])`: the question
 * as a plain `fetch()` with the app's options (src/doh/client.rs), resolving
 * to the body. Needs `doh` (the endpoint) in scope; uses the `fetch` in scope,
 * so a caller can wrap it. Shared by bench.mjs, cpu.mjs and rounds.mjs.
 */
export const FLOOR_ASK_JS = `
  const TYPES = ${JSON.stringify(TYPE_CODES)};
  // RFC 1035 §4.1: a query with ID 0 (RFC 8484 §4.1), RD, one question; base64url without padding.
  function query(name, type) {
    const bytes = [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    for (const label of name.split('.').filter(Boolean)) {
      bytes.push(label.length);
      for (const c of label) bytes.push(c.charCodeAt(0));
    }
    bytes.push(0, TYPES[type] >> 8, TYPES[type] & 255, 0, 1);
    return btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  const ask = ([name, type]) => fetch(doh + '?dns=' + query(name, type), {
    headers: { Accept: 'application/dns-message' }, cache: 'no-store', credentials: 'omit',
  }).then((r) => r.arrayBuffer());`;

/** The median of some timings (the upper one of an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
