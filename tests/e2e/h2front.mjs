// An HTTPS + HTTP/2 front for the fixture DoH server, so the benchmark sees
// the transport real DoH providers speak (Cloudflare and Google: TLS, HTTP/2,
// one connection carrying every query as its own stream). The fixture itself
// speaks HTTP/1.1, where Chromium opens at most 6 connections per origin and
// queues the rest.
//
// Each HTTP/2 stream is forwarded to the fixture over HTTP/1.1 through a
// keep-alive agent without a socket limit: queries run concurrently, each with
// the fixture's injected latency, and status, headers (CORS included) and body
// come back unchanged. Node built-ins only; the self-signed certificate is made
// at start by `openssl` into a temporary folder, and Chromium is told to trust
// exactly that key (--ignore-certificate-errors-spki-list), nothing else.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Hop-by-hop headers (RFC 9110 §7.6.1) and ones HTTP/2 forbids (RFC 9113 §8.2.2).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'host']);

/** A self-signed P-256 certificate for 127.0.0.1; returns { key, cert, spki } (spki: base64 SHA-256 of the key). */
function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'maildoctor-h2-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const pem = readFileSync(cert);
    const der = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
    return { key: readFileSync(key), cert: pem, spki: createHash('sha256').update(der).digest('base64') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts the front for `upstream` (e.g. http://127.0.0.1:1234) on a free port.
 * Resolves to { origin: 'https://127.0.0.1:N', chromiumArgs, close }.
 */
export async function startH2Front(upstream) {
  const { key, cert, spki } = makeCertificate();
  const target = new URL(upstream);
  // noDelay: no Nagle wait on loopback (small writes would otherwise wait for an ACK).
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, noDelay: true });
  const server = http2.createSecureServer({ key, cert, allowHTTP1: false });
  let streams = 0;
  server.on('stream', (stream, headers) => {
    streams += 1;
    const forward = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith(':') && !HOP_BY_HOP.has(name)) forward[name] = value;
    }
    const request = http.request({
      agent,
      host: target.hostname,
      port: target.port,
      method: headers[':method'],
      path: headers[':path'],
      headers: { ...forward, host: target.host },
    }, (response) => {
      // Timing-Allow-Origin only lets profile.mjs read this cross-origin fetch's
      // timings (Resource Timing hides them otherwise); it changes nothing else.
      const back = { ':status': response.statusCode, 'timing-allow-origin': '*' };
      for (const [name, value] of Object.entries(response.headers)) {
        if (!HOP_BY_HOP.has(name)) back[name] = value;
      }
      // DoH answers are small: read the whole body, then send headers and body
      // together (as the fixture does), instead of frame by frame as it streams in.
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        if (stream.destroyed) return;
        stream.respond(back);
        stream.end(Buffer.concat(chunks));
      });
    });
    request.on('error', (e) => {
      if (stream.destroyed) return;
      if (!stream.headersSent) stream.respond({ ':status': 502, 'access-control-allow-origin': '*' });
      stream.end(`h2front: ${e.message}`);
    });
    stream.on('error', () => request.destroy());
    stream.pipe(request);
  });
  // The TCP connection under TLS: no Nagle wait either (HEADERS and DATA frames are small writes).
  server.on('connection', (socket) => socket.setNoDelay(true));
  const sessions = new Set();
  let connections = 0;
  server.on('session', (s) => {
    connections += 1;
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  // A browser's stream reset (an aborted fetch) or a dropped connection is not the front's failure.
  server.on('sessionError', () => {});
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const origin = `https://127.0.0.1:${server.address().port}`;
  return {
    origin,
    // Trust exactly this certificate's key; QUIC stays off (CHROMIUM_ARGS), so it is HTTP/2 over TLS.
    chromiumArgs: [`--ignore-certificate-errors-spki-list=${spki}`],
    /** HTTP/2 connections and streams (requests) so far: proof of the transport. */
    stats: () => ({ connections, streams }),
    close() {
      agent.destroy();
      server.close();
      // Open browser sessions would keep close() waiting; end them.
      for (const s of sessions) s.destroy();
    },
  };
}
