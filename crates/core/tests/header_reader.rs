//! The message-header reader over realistic delivered-message headers
//! (Gmail, Outlook.com, Yahoo; written for these tests, addresses changed),
//! and over bad pastes.

use maildoctor_core::header::{read_headers, HeaderErrorKind, SendingIpRule};
use proptest::prelude::*;

/// A message from a Google Workspace domain to a Gmail user: Gmail's "Show
/// original", CRLF line ends, with the page's junk lines on top and a body.
const GMAIL_LF: &str = r#"Original Message
Message ID	<CAF=abc123@mail.gmail.com>

Delivered-To: bob@gmail.com
Received: by 2002:a05:7000:1f0a:b0:5d1:1234:abcd with SMTP id k10csp123456mar;
        Tue, 3 Mar 2026 02:11:43 -0800 (PST)
X-Received: by 2002:a17:902:e5c5:b0:1d4:4a1b:1234 with SMTP id u5mr1234;
        Tue, 03 Mar 2026 02:11:43 -0800 (PST)
ARC-Authentication-Results: i=1; mx.google.com;
       dkim=pass header.i=@example.com header.s=google header.b=Abc12345
Return-Path: <alice@example.com>
Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])
        by mx.google.com with SMTPS id a1sor123456plh.12.2026.03.03.02.11.43
        for <bob@gmail.com>
        (Google Transport Security);
        Tue, 03 Mar 2026 02:11:43 -0800 (PST)
Received-SPF: pass (google.com: domain of alice@example.com designates 209.85.220.41 as permitted sender) client-ip=209.85.220.41;
Authentication-Results: mx.google.com;
       dkim=pass header.i=@example.com header.s=google header.b=Abc12345;
       spf=pass (google.com: domain of alice@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=alice@example.com;
       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
        d=example.com; s=google; t=1772532703; x=1773137503;
        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject
         :date:message-id:reply-to;
        bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
        b=Abc12345xyzAbc12345xyzAbc12345xyz
         Abc12345xyzAbc12345xyz==
MIME-Version: 1.0
From: "Alice Example" <alice@example.com>
Date: Tue, 3 Mar 2026 11:11:31 +0100
Message-ID: <CAF=abc123@mail.gmail.com>
Subject: Hello
To: bob@gmail.com
Content-Type: text/plain; charset="UTF-8"

Hi Bob,
Received: from evil.example ([6.6.6.6]) by mx.google.com
"#;

fn gmail() -> String {
    GMAIL_LF.replace('\n', "\r\n")
}
/// A newsletter through SendGrid to Outlook.com: Microsoft's internal hops on
/// top, Received-SPF with client-ip, SPF passing for SendGrid's bounce domain.
const OUTLOOK: &str = "Received: from SN7PR19MB1234.namprd19.prod.outlook.com (2603:10b6:806:e1::10)
 by DM6PR19MB5678.namprd19.prod.outlook.com with HTTPS; Wed, 4 Mar 2026 09:15:02
 +0000
Received: from BN9PR03CA0123.namprd03.prod.outlook.com (2603:10b6:408:fe::8)
 by SN7PR19MB1234.namprd19.prod.outlook.com (2603:10b6:806:e1::10) with
 Microsoft SMTP Server (version=TLS1_2,
 cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7890.12; Wed, 4 Mar
 2026 09:15:01 +0000
Authentication-Results: spf=pass (sender IP is 149.72.123.45)
 smtp.mailfrom=em1234.shop.example; dkim=pass (signature was verified)
 header.d=shop.example;dkim=pass (signature was verified)
 header.d=sendgrid.net;dmarc=pass action=none
 header.from=shop.example;compauth=pass reason=100
Received-SPF: Pass (protection.outlook.com: domain of em1234.shop.example
 designates 149.72.123.45 as permitted sender)
 receiver=protection.outlook.com; client-ip=149.72.123.45;
 helo=o1.ptr1234.shop.example; pr=C
Received: from o1.ptr1234.shop.example (149.72.123.45) by
 BN9PR03CA0123.outlook.office365.com (10.13.177.111) with Microsoft SMTP Server
 (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.7890.12 via Frontend
 Transport; Wed, 4 Mar 2026 09:15:00 +0000
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example;
	h=content-type:from:mime-version:subject:to:cc:content-type:from:subject:to;
	s=s1; bh=frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=; b=QmFzZTY0
Return-Path: bounces+1234-abcd-bob=outlook.com@em1234.shop.example
From: Shop <news@shop.example>
To: bob@outlook.com
Subject: Spring sale
";

/// A message from a mail.example.org user to Yahoo, signed with rsa-sha1 by
/// an old server, and a Return-Path on the hosting provider's domain.
const YAHOO: &str = "X-Apparently-To: carol@yahoo.com; Thu, 05 Mar 2026 14:02:11 +0000
Return-Path: <srs0=abcd=ke=mail.example.org=dave@hosting.example.net>
Received-SPF: pass (domain of hosting.example.net designates 203.0.113.25 as permitted sender)
Authentication-Results: atlas-production.v2-mail-prod1-gq1.omega.yahoo.com;
 dkim=pass header.i=@mail.example.org header.s=default;
 spf=pass smtp.mailfrom=hosting.example.net;
 dmarc=fail(p=NONE) header.from=example.org;
Received: from 127.0.0.1  (EHLO mx1.hosting.example.net) (185.12.64.7)
  by 10.217.151.76 with SMTPs; Thu, 05 Mar 2026 14:02:11 +0000
Received: from [192.168.1.20] (unknown [85.214.1.2])
  by mx1.hosting.example.net (Postfix) with ESMTPSA id 4Q1x2y3z
  for <carol@yahoo.com>; Thu,  5 Mar 2026 15:02:09 +0100 (CET)
DKIM-Signature: v=1; a=rsa-sha1; c=relaxed/relaxed; d=mail.example.org;
 s=default; h=From:To:Subject:Date; i=dave@mail.example.org; b=QUJD
From: Dave <dave@mail.example.org>
To: carol@yahoo.com
Subject: Lunch?
";

#[test]
fn gmail_delivered_message() {
    let h = read_headers(&gmail()).unwrap();
    assert_eq!(h.skipped_lines, 2, "the page's two junk lines");
    assert!(h.get("received").all(|f| !f.value.contains("evil")), "the body is ignored");
    let sig = &h.dkim_signatures[0];
    assert_eq!(
        (sig.domain.as_deref(), sig.selector.as_deref(), sig.algorithm.as_deref()),
        (Some("example.com"), Some("google"), Some("rsa-sha256"))
    );
    assert!(sig.signed_headers.contains(&"from".to_string()) && sig.signed_headers.contains(&"reply-to".to_string()));
    assert_eq!(h.auth_results.len(), 1, "ARC-Authentication-Results is not Authentication-Results");
    let ar = &h.auth_results[0];
    assert_eq!(ar.authserv_id, "mx.google.com");
    let methods: Vec<(&str, &str)> = ar.results.iter().map(|r| (r.method.as_str(), r.result.as_str())).collect();
    assert_eq!(methods, [("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass")]);
    assert_eq!(ar.result("spf").unwrap().property("smtp.mailfrom"), Some("alice@example.com"));
    assert_eq!(ar.result("dkim").unwrap().property("header.i"), Some("@example.com"));
    assert_eq!(ar.result("dmarc").unwrap().property("header.from"), Some("example.com"));
    let ip = h.sending_ip.as_ref().unwrap();
    assert_eq!((ip.ip.to_string().as_str(), ip.rule), ("209.85.220.41", SendingIpRule::ReceivedSpf));
    assert_eq!((h.return_path.as_deref(), h.from.as_deref()), (Some("alice@example.com"), Some("alice@example.com")));
    let a = &h.alignment;
    assert!(a.org_domains_approximate);
    let spf = a.spf.as_ref().unwrap();
    assert!(spf.strict && spf.relaxed && spf.passed == Some(true));
    assert!(a.dkim[0].strict && a.dkim[0].passed == Some(true));
    assert!(a.passes_relaxed());
    assert!(h.findings.is_empty(), "{:#?}", h.findings);
}

#[test]
fn outlook_delivered_message() {
    let h = read_headers(OUTLOOK).unwrap();
    assert_eq!(h.skipped_lines, 0);
    assert_eq!(h.received.len(), 3);
    assert_eq!(h.received[2].from_ip.map(|i| i.to_string()).as_deref(), Some("149.72.123.45"));
    assert_eq!(h.received[2].from_helo.as_deref(), Some("o1.ptr1234.shop.example"));
    let ip = h.sending_ip.as_ref().unwrap();
    assert_eq!((ip.ip.to_string().as_str(), ip.rule), ("149.72.123.45", SendingIpRule::ReceivedSpf));
    // Microsoft's Authentication-Results has no authserv-id: the first part is already a result.
    let ar = &h.auth_results[0];
    assert_eq!(ar.authserv_id, "");
    let spf = ar.result("spf").map(|r| (r.result.as_str(), r.property("smtp.mailfrom")));
    assert_eq!(spf, Some(("pass", Some("em1234.shop.example"))));
    assert!(h.alignment.spf.as_ref().is_some_and(|c| c.passed == Some(true)));
    let dkim: Vec<&str> = ar.all("dkim").filter_map(|r| r.property("header.d")).collect();
    assert!(dkim.contains(&"sendgrid.net"), "{ar:#?}");
    assert_eq!(h.spf_domain().as_deref(), Some("em1234.shop.example"));
    let spf = h.alignment.spf.as_ref().unwrap();
    assert!(!spf.strict && spf.relaxed, "relaxed only: a subdomain of shop.example");
    assert_eq!(h.alignment.dkim[0].domain, "shop.example");
    assert!(h.alignment.dkim[0].strict && h.alignment.dkim[0].passed == Some(true));
    assert!(h.findings.is_empty(), "{:#?}", h.findings);
}

#[test]
fn yahoo_delivered_message() {
    let h = read_headers(YAHOO).unwrap();
    let codes: Vec<&str> = h.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["dkim.sig-sha1"]);
    // No client-ip, no "designates" in the topmost Authentication-Results: the Received walk.
    // Hop 0 is Yahoo's own (127.0.0.1 helo, 185.12.64.7 from hosting.example.net: outside Yahoo).
    let ip = h.sending_ip.as_ref().unwrap();
    assert_eq!(
        (ip.ip.to_string().as_str(), ip.rule, ip.hop),
        ("185.12.64.7", SendingIpRule::FirstExternalHop, Some(0))
    );
    assert_eq!(h.return_path.as_deref(), Some("srs0=abcd=ke=mail.example.org=dave@hosting.example.net"));
    assert_eq!(h.from_domain().as_deref(), Some("mail.example.org"));
    let a = &h.alignment;
    assert!(!a.spf.as_ref().unwrap().relaxed, "hosting.example.net is another organization");
    assert!(a.dkim[0].strict && a.dkim[0].passed == Some(true), "d= is the From domain itself");
    assert_eq!(h.dkim_signatures[0].identity_domain().as_deref(), Some("mail.example.org"));
}

#[test]
fn alignment_in_words_for_each_authenticated_domain() {
    let lines = read_headers(OUTLOOK).unwrap().alignment.lines();
    assert_eq!(
        lines[0],
        "SPF: em1234.shop.example, aligned (relaxed: the same organizational domain as From), passed at the receiver."
    );
    assert_eq!(lines[1], "DKIM: shop.example, aligned (strict: the From domain itself), passed at the receiver.");
    let lines = read_headers(YAHOO).unwrap().alignment.lines();
    assert!(lines[0].starts_with("SPF: hosting.example.net, not aligned with From"), "{lines:?}");
    let none = read_headers("From: a@brand.example\nSubject: hi\n").unwrap();
    assert!(none.alignment.lines().is_empty(), "nothing authenticated, nothing to compare");
}

#[test]
fn unaligned_and_given_org_domains() {
    let text = "From: a@brand.example\nReturn-Path: <b@esp.example>\nDKIM-Signature: v=1; a=rsa-sha256; d=esp.example; s=k1; h=from\n";
    let h = read_headers(text).unwrap();
    assert_eq!(h.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), ["dmarc.not-aligned"]);
    assert!(h.findings[0].message.contains("estimated"));
    // With organizational domains from the caller (here: everything is one org), it aligns.
    let a = h.alignment_with(&|_d: &str| Some("one.example".to_string()));
    assert!(!a.org_domains_approximate && a.any_relaxed());
}

#[test]
fn sending_ip_walks_the_chain_when_nothing_else_says() {
    let text = "Received: from relay2.corp.example (relay2.corp.example [10.0.0.5]) by mx.corp.example; Mon, 2 Mar 2026 10:00:02 +0000
Received: from mail.partner.example (mail.partner.example [81.2.69.142]) by relay2.corp.example; Mon, 2 Mar 2026 10:00:01 +0000
Received: from laptop (unknown [81.2.69.200]) by mail.partner.example; Mon, 2 Mar 2026 10:00:00 +0000
From: x@partner.example
";
    let h = read_headers(text).unwrap();
    let ip = h.sending_ip.unwrap();
    assert_eq!(
        (ip.ip.to_string().as_str(), ip.hop, ip.host.as_deref()),
        ("81.2.69.142", Some(1), Some("mail.partner.example"))
    );
    // Same provider on both sides: the topmost public hop.
    let text = "Received: from out.bigmail.example (out.bigmail.example [81.2.69.7]) by in.bigmail.example; Mon, 2 Mar 2026 10:00:01 +0000\nFrom: a@bigmail.example\n";
    let ip = read_headers(text).unwrap().sending_ip.unwrap();
    assert_eq!((ip.ip.to_string().as_str(), ip.rule), ("81.2.69.7", SendingIpRule::RecipientsOwnProvider));
}

#[test]
fn bad_pastes_get_clear_errors() {
    let cases: &[(&str, HeaderErrorKind, usize)] = &[
        ("", HeaderErrorKind::Empty, 0),
        ("   \n\n", HeaderErrorKind::Empty, 0),
        ("hello there\nthis is not a header\n", HeaderErrorKind::NoFields, 0),
        ("From: a@b.example\nX: \u{0}\u{1}", HeaderErrorKind::Binary, 21),
    ];
    for &(text, kind, offset) in cases {
        let e = read_headers(text).unwrap_err();
        assert_eq!((e.kind, e.offset), (kind, offset), "{text:?}: {}", e.message);
    }
    let big = "X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n".repeat(20_000);
    assert_eq!(read_headers(&big).unwrap_err().kind, HeaderErrorKind::TooLarge);
    // 1 MB of body after a short header is fine: the body is not read.
    let with_body = format!("From: a@b.example\n\n{}", "body line\n".repeat(100_000));
    assert_eq!(read_headers(&with_body).unwrap().fields.len(), 1);
    // A truncated field: read as far as it goes.
    let cut = read_headers("From: a@b.example\nDKIM-Signature: v=1; a=rsa-sha256; d=b.exa").unwrap();
    assert_eq!(cut.dkim_signatures[0].domain.as_deref(), Some("b.exa"));
    assert_eq!(
        cut.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        ["dkim.sig-incomplete", "dmarc.not-aligned"]
    );
}

proptest! {
    #[test]
    fn never_panics(text in "\\PC{0,300}") {
        let _ = read_headers(&text);
    }

    #[test]
    fn mangled_real_headers_never_panic(cut in 0usize..2000, junk in "[\\x20-\\x7e\\n\\t();:<>@\\[\\]\"]{0,40}") {
        for base in [gmail().as_str(), OUTLOOK, YAHOO] {
            let at = (0..=cut.min(base.len())).rev().find(|i| base.is_char_boundary(*i)).unwrap_or(0);
            let _ = read_headers(&format!("{}{junk}{}", &base[..at], &base[at..]));
            let _ = read_headers(&base[..at]);
        }
    }
}
