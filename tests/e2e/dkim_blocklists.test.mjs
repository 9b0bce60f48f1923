// DKIM and blocklists in the page, against the fixture DoH server: a key found
// only through the selectors field, a 1024-bit key, nothing found among the
// selectors probed (and what the diagnosis makes of it with Gmail's 4.7.30),
// and the blocklists over tests/e2e/zones/blocklists.zone: a listed sending IP
// as a ranked cause with its removal page, Spamhaus refusing ("couldn't ask",
// never listed or clean), a list whose test entry fails, a list that times out.
// Also: a multi-recipient bounce pasted shows each recipient's status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, saveScreenshot, saveElementShot, openReport, findings as sectionFindings, says } from './harness.mjs';

let env;
before(async () => { env = await setup({ zones: ['dkim.zone', 'blocklists.zone'] }); });
after(async () => { await env?.close(); });

/** Gmail's DKIM deferral (support.google.com/a/answer/3726730: 421 4.7.30 "DKIM did not pass"). */
const GMAIL_4730 = `421-4.7.30 This message does not pass DKIM authentication. Gmail requires all
421-4.7.30 bulk email senders to authenticate with DKIM. To learn more, go to
421 4.7.30 https://support.google.com/mail/answer/81126 d9443c01a7336-2f1 - gsmtp`;

/** An RFC 3464 report on three recipients, each with its own outcome. */
const THREE_RECIPIENTS = `Reporting-MTA: dns; mail.dkim-none.example
Arrival-Date: Sat, 5 Dec 2026 09:12:01 +0000

Final-Recipient: rfc822; ann@partner.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx1.partner.example
Diagnostic-Code: smtp; 550 5.1.1 <ann@partner.example>: Recipient address rejected: User unknown

Final-Recipient: rfc822; bob@partner.example
Action: delayed
Status: 4.4.2
Remote-MTA: dns; mx1.partner.example
Diagnostic-Code: smtp; 421 4.4.2 mx1.partner.example Error: timeout exceeded

Final-Recipient: rfc822; cy@partner.example
Action: delivered
Status: 2.0.0
Remote-MTA: dns; mx1.partner.example
Diagnostic-Code: smtp; 250 2.0.0 Ok: queued as 4F2A1
`;

/** The header of a message from dkim-given.example that arrived at Gmail, as
 * "Show original" gives it (trimmed): its signature names the selector no
 * catalogue guesses; its envelope sender is a subdomain (relaxed alignment). */
const DELIVERED_HEADER = `Delivered-To: bob@gmail.com
Received: by 2002:a05:6a10:8c0d:b0:5b1:2c3d:4e5f with SMTP id x13csp1234567pxb;
        Sat, 5 Dec 2026 01:02:03 -0800 (PST)
Return-Path: <bounce@news.dkim-given.example>
Received: from mx.dkim-given.example (mx.dkim-given.example. [93.184.216.40])
        by mx.google.com with ESMTPS id a1si1234567plh.12.2026.12.05.01.02.03
        for <bob@gmail.com>
        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);
        Sat, 05 Dec 2026 01:02:03 -0800 (PST)
Received-SPF: pass (google.com: domain of bounce@news.dkim-given.example designates 93.184.216.40 as permitted sender) client-ip=93.184.216.40;
Authentication-Results: mx.google.com;
       dkim=pass header.i=@dkim-given.example header.s=mail2026 header.b=Zx12Ab34;
       spf=pass (google.com: domain of bounce@news.dkim-given.example designates 93.184.216.40 as permitted sender) smtp.mailfrom=bounce@news.dkim-given.example;
       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=dkim-given.example
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=dkim-given.example; s=mail2026;
        h=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
        b=Zx12Ab34Zx12Ab34Zx12Ab34==
From: Shop <news@dkim-given.example>
To: bob@gmail.com
Subject: Your order
`;

const open = (params) => openReport(env, params);

const findings = (check) => sectionFindings(env, check);

async function rows(selector) {
  return env.browser.exec(
    'return [...document.querySelectorAll(arguments[0])].map(e => ({ ...e.dataset, text: e.textContent }));',
    selector,
  );
}

test('DKIM: a key at a selector no catalogue guesses is found through the selectors field', async () => {
  await open({ d: 'dkim-given.example' });
  assert.ok(says(await findings('dkim'), /No DKIM key found among the \d+ selectors probed/), 'not found without the selector');
  await open({ d: 'dkim-given.example', sel: 'mail2026' });
  const { browser } = env;
  assert.equal(await browser.exec("return document.querySelector('#dkim-selectors').value;"), 'mail2026');
  assert.equal(await browser.attr('section[data-check="dkim"]', 'data-status'), 'pass');
  const found = await rows('section[data-check="dkim"] tr.dkim-selector');
  assert.deepEqual(found.map((r) => r.selector), ['mail2026']);
  assert.match(found[0].text, /you gave it/);
  assert.match(found[0].text, /RSA 2048 bits/);
  await saveElementShot(browser, 'section[data-check="dkim"]', 'dkim-given-section-desktop-light');
  assert.ok(says(await findings('dkim'), /Selector "mail2026".* publishes a 2048-bit RSA key\./));
  await saveScreenshot(browser, 'dkim-given-desktop-light');
});

test('DKIM: a 1024-bit key is a warning, with the RFC and the way out', async () => {
  await open({ d: 'dkim-weak.example' });
  const { browser } = env;
  assert.equal(await browser.attr('section[data-check="dkim"]', 'data-status'), 'warn');
  assert.ok(says(await findings('dkim'), /publishes a 1024-bit RSA key: the minimum Gmail and Yahoo accept/));
  const section = await browser.text('section[data-check="dkim"]');
  assert.match(section, /RSA 1024 bits/);
  assert.match(section, /RFC 8301/);
  assert.match(section, /2048/);
});

test('DKIM: nothing found among N selectors, and Gmail 4.7.30 makes it a likely cause', async () => {
  const { browser, fixture } = env;
  await browser.goto(fixture.permalink());
  await browser.waitFor("return document.querySelector('#smtp-text') !== null;", { what: 'the form' });
  await browser.type('#smtp-text', GMAIL_4730);
  await browser.type('#domain', 'dkim-none.example');
  await browser.click('#check');
  await browser.waitIdle();
  const section = await browser.text('section[data-check="dkim"]');
  const probed = section.match(/No DKIM key found among the (\d+) selectors probed/);
  assert.ok(probed && Number(probed[1]) > 20, `says how many were probed: ${section.slice(0, 300)}`);
  assert.match(section, /There may still be DKIM/);
  assert.doesNotMatch(section.replaceAll('There may still be DKIM', ''), /\bno DKIM\b(?! key)/i, 'never "no DKIM"');
  const cause = await rows('#causes li.cause[data-id="sender.dkim"]');
  assert.equal(cause.length, 1, 'the DKIM cause is ranked with the likely causes');
  assert.match(cause[0].text, /No DKIM key found for your domain/);
  assert.match(cause[0].text, /Likely/);
  assert.match(cause[0].text, /s= \(selector\)/);
  assert.equal(await browser.attr('#causes li.cause', 'data-id'), 'sender.dkim', 'ranked first, not as throttling');
  await saveScreenshot(browser, 'dkim-none-causes-desktop-light');
});

test('a pasted message header fills the selector, the domain and the IP, and shows alignment', async () => {
  const { browser, fixture } = env;
  await browser.goto(fixture.permalink());
  await browser.waitFor("return document.querySelector('#smtp-text') !== null;", { what: 'the form' });
  await browser.type('#smtp-text', DELIVERED_HEADER);
  await browser.waitFor("return (document.querySelector('#reply-summary')?.textContent || '').includes('message header');", { what: 'the header read' });
  const value = (id) => browser.exec('return document.getElementById(arguments[0]).value;', id);
  assert.equal(await value('domain'), 'dkim-given.example', 'the From domain');
  assert.equal(await value('dkim-selectors'), 'mail2026', "the signature's s=");
  assert.equal(await value('sending-ip'), '93.184.216.40', 'the IP Gmail received it from');
  assert.equal(
    await browser.text('#reply-summary'),
    'Read as a message header from dkim-given.example; signed by dkim-given.example with selector mail2026; sent from 93.184.216.40.',
  );
  const lines = await browser.texts('#reply-recipients li');
  assert.match(lines[0], /^SPF: news\.dkim-given\.example, aligned \(relaxed: the same organizational domain as From\), passed/);
  assert.match(lines[1], /^DKIM: dkim-given\.example, aligned \(strict: the From domain itself\), passed/);
  await saveElementShot(browser, '#check-form', 'header-paste-desktop-light');
  // Checked with what the header gave: the key at the selector only the header names is found.
  await browser.click('#check');
  await browser.waitIdle();
  assert.equal(await browser.attr('section[data-check="dkim"]', 'data-status'), 'pass');
  const found = await rows('section[data-check="dkim"] tr.dkim-selector');
  assert.deepEqual(found.map((r) => r.selector), ['mail2026']);
  assert.ok(says(await findings('ptr'), /93\.184\.216\.40/), 'the sending IP is checked');
});

test('a bounce on three recipients shows each one\'s status under the paste box', async () => {
  const { browser, fixture } = env;
  await browser.goto(fixture.permalink());
  await browser.waitFor("return document.querySelector('#smtp-text') !== null;", { what: 'the form' });
  await browser.type('#smtp-text', THREE_RECIPIENTS);
  await browser.waitFor("return document.querySelectorAll('#reply-recipients li').length === 3;", { what: 'three recipients' });
  const lines = await browser.texts('#reply-recipients li');
  assert.match(lines[0], /^ann@partner\.example — failed, 550 5\.1\.1: /);
  assert.match(lines[1], /^bob@partner\.example — delayed, 421 4\.4\.2: /);
  assert.match(lines[2], /^cy@partner\.example — delivered, 250 2\.0\.0: /);
  await saveElementShot(browser, '#check-form', 'reply-recipients-desktop-light');
  // One recipient is no list: the summary line says it all.
  await browser.type('#smtp-text', '421 4.4.2 mx1.partner.example Error: timeout exceeded');
  await browser.waitFor("return document.querySelector('#reply-recipients') === null;", { what: 'no recipient list' });
  assert.match(await browser.text('#reply-summary'), /Read as 421 4\.4\.2/);
});

test('blocklists: the listed sending IP is a likely cause with its removal page; refusals are never "listed" or "clean"', async () => {
  await open({ d: 'blocklisted.example', ip: '93.184.216.21' });
  const { browser } = env;
  // One table row per list; in it, one line per answer, the targets it was the answer for.
  const all = await browser.exec(
    'return [...document.querySelectorAll(\'section[data-check="blocklists"] tr[data-list] .bl-row\')].map(e => ({ list: e.closest("tr").dataset.list, state: e.dataset.state, about: e.querySelector(".bl-about").textContent }));',
  );
  const state = (list, what) => all.filter((r) => r.list === list && r.about.includes(what)).map((r) => r.state);
  const lists = await browser.exec('return [...document.querySelectorAll(\'section[data-check="blocklists"] tr[data-list]\')].map(e => e.dataset.list);');
  assert.equal(lists[0], 'spamcop', `the list with a listing leads: ${lists}`);
  assert.equal(new Set(lists).size, lists.length, `one row per list: ${lists}`);
  assert.deepEqual(state('spamhaus-zen', '93.184.216.2'), ['refused'], 'Spamhaus ZEN: one line for both addresses');
  assert.deepEqual(state('spamcop', '93.184.216.21'), ['listed'], 'SpamCop lists the sending IP');
  assert.deepEqual(state('spamcop', '93.184.216.20'), ['not-listed'], 'not the MX host');
  assert.ok(all.filter((r) => r.list.startsWith('spamhaus')).every((r) => r.state === 'refused'), 'Spamhaus: refused');
  assert.ok(all.filter((r) => r.list === 'psbl').every((r) => r.state === 'unusable'), 'PSBL: its test entry fails');
  assert.ok(all.filter((r) => r.list === 'mailspike').every((r) => r.state === 'unusable' || r.state === 'failed'), 'Mailspike: timed out');
  assert.ok(all.filter((r) => r.list === 'uribl').every((r) => r.state === 'refused'), 'URIBL: refused');
  assert.ok(says(await findings('blocklists'), /is listed on SpamCop/));
  const commands = await browser.texts('section[data-check="blocklists"] .bl-commands code');
  assert.ok(commands.includes('dig +short A 21.216.184.93.zen.spamhaus.org'), `a dig line for Spamhaus: ${commands}`);

  const cause = await rows('#causes li.cause[data-id="sender.reputation"]');
  assert.equal(cause.length, 1, 'reputation is a ranked cause');
  assert.match(cause[0].text, /Likely/);
  assert.match(cause[0].text, /93\.184\.216\.21 \(sending server\) is listed on SpamCop/);
  assert.match(cause[0].text, /https:\/\/www\.spamcop\.net\/bl\.shtml/);
  assert.match(cause[0].text, /Could not ask [^.]*Spamhaus ZEN[^.]*neither listed nor clean/);
  assert.equal(await browser.attr('#causes li.cause', 'data-id'), 'sender.reputation', 'ranked first');
  await saveScreenshot(browser, 'blocklists-desktop-light');
  await saveElementShot(browser, 'section[data-check="blocklists"]', 'blocklists-section-desktop-light');
  await browser.cdp('Emulation.setDeviceMetricsOverride', { width: 375, height: 812, deviceScaleFactor: 1, mobile: true });
  await open({ d: 'blocklisted.example', ip: '93.184.216.21' });
  const overflow = await browser.exec('return document.documentElement.scrollWidth > window.innerWidth + 1;');
  await saveScreenshot(browser, 'blocklists-375-light');
  await saveElementShot(browser, 'section[data-check="blocklists"]', 'blocklists-section-375-light');
  await browser.cdp('Emulation.clearDeviceMetricsOverride', {});
  assert.equal(overflow, false, 'no horizontal scrolling at 375 px');
});
