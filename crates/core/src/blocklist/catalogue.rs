//! The lists maildoctor knows: one table, one entry per list.
//!
//! Every entry says what the list's zone lists (IP addresses or domain
//! names), which address families it publishes, what each answer means,
//! where a person looks themselves up, which test entries prove the list
//! answers (RFC 5782 §5), and whether it is known to refuse queries that come
//! through public resolvers — which is what a browser's DNS-over-HTTPS
//! resolver is.
//!
//! Sources: every answer meaning cites where it was read, with the date it
//! was checked (`checked`). Where only a secondary source (another tool's
//! code, a blocklist-directory site) was found, the source says so; where
//! nothing was found, the meaning falls back to RFC 5782 §2.3 ("an A record
//! means listed") and the entry says it was not verified.

use std::net::Ipv4Addr;

/// What a list's zone is keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum ListKind {
    /// Reversed IP addresses (RFC 5782 §2.1 IPv4, §2.4 IPv6).
    Ip,
    /// Domain names (RFC 5782 §2.2, "DBL-style", a.k.a. RHSBL / URI list).
    Domain,
}

/// Whether the list is still run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ListStatus {
    Active,
    /// Shut down: kept in the table so the page can say why it is not asked.
    Closed {
        why: &'static str,
    },
}

/// How a list's `127.x.y.z` answers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Codes {
    /// Each answer address has its own meaning.
    Table {
        codes: &'static [(Ipv4Addr, &'static str)],
        /// What an answer in 127.0.0.0/8 that is not in the table means:
        /// `Some(meaning)` still a listing (the list documents "any A record"),
        /// `None` "unknown" (the operator documents a closed set of codes, so
        /// anything else is not to be read as a listing).
        otherwise: Option<&'static str>,
    },
    /// The last octet is a bitmask of sub-lists (SURBL, URIBL multi zones).
    Bitmask { bits: &'static [(u8, &'static str)] },
}

/// A page or document a fact was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    pub url: &'static str,
    /// What was read there.
    pub what: &'static str,
    /// When it was last checked (YYYY-MM-DD), and how: "operator", "secondary".
    pub checked: &'static str,
}

/// One DNS blocklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Blocklist {
    /// Stable identifier: "spamhaus-zen".
    pub id: &'static str,
    pub name: &'static str,
    /// The zone queries are made under, without trailing dot.
    pub zone: &'static str,
    pub kind: ListKind,
    /// Domain lists only: ask about the registrable domain ("example.co.uk"),
    /// not the host name, because the list holds only those (SURBL and URIBL
    /// say so and ask not to be queried at other levels).
    pub registrable_only: bool,
    /// Publishes IPv4 entries (IP lists only).
    pub ipv4: bool,
    /// Publishes IPv6 entries (IP lists only). Most lists are IPv4-only, and
    /// there NXDOMAIN for an IPv6 name means nothing, so such lists are not asked.
    pub ipv6: bool,
    pub codes: Codes,
    /// Answers that are not listings but the list refusing or erring, with
    /// their meaning. Never read as "listed".
    pub errors: &'static [(Ipv4Addr, &'static str)],
    /// `Some(how)`: known to refuse (or only serve registered) resolvers such
    /// as the public ones a browser's DoH goes through.
    pub refuses_public_resolvers: Option<&'static str>,
    /// Where a person checks a listing and asks for removal.
    pub lookup_url: &'static str,
    /// The name under the zone that must be listed (RFC 5782 §5 test entry),
    /// e.g. "2.0.0.127" or "dbltest.com".
    pub test_listed: &'static str,
    /// The name under the zone that must not be listed ("1.0.0.127", "invalid").
    pub test_unlisted: &'static str,
    pub status: ListStatus,
}

impl Blocklist {
    pub fn is_active(&self) -> bool {
        self.status == ListStatus::Active
    }
}

const fn ip(a: u8, b: u8, c: u8, d: u8) -> Ipv4Addr {
    Ipv4Addr::new(a, b, c, d)
}

/// RFC 5782 §5: the test entries every IPv4 list and every domain list must carry.
const RFC5782: Source = Source {
    url: "https://www.rfc-editor.org/rfc/rfc5782#section-5",
    what: "IPv4 lists MUST list 127.0.0.2 and MUST NOT list 127.0.0.1; domain lists MUST list TEST and MUST NOT list INVALID",
    checked: "2026-12-05 (RFC text)",
};

/// Spamhaus error answers, shared by every Spamhaus zone.
// 127.255.255.254 and .255: spamhaus.org/news/article/788 (2019-09-30, operator).
// 127.255.255.252: only secondary sources (securityzones.net, Spamhaus FAQ quoted in code); not re-read at Spamhaus.
const SPAMHAUS_ERRORS: &[(Ipv4Addr, &str)] = &[
    (ip(127, 255, 255, 252), "error: typing error in the list's zone name (not a listing)"),
    (ip(127, 255, 255, 254), "refused: the query came through a public or open resolver (not a listing)"),
    (ip(127, 255, 255, 255), "refused: excessive number of queries from this resolver (not a listing)"),
];

const SPAMHAUS_SOURCES: &[Source] = &[
    Source {
        url: "https://docs.spamhaustech.com/10-data-type-documentation/datasets/040-zones.html",
        what: "zone table: zen codes 127.0.0.2/.3/.4/.9/.10/.11/.30, dbl codes 127.0.1.2–.6, .102–.106, 127.0.1.255",
        checked: "2026-12-05 (operator)",
    },
    Source {
        url: "https://www.spamhaus.org/news/article/788/",
        what: "127.255.255.254 = query via public/open resolver, 127.255.255.255 = excessive queries; never a listing",
        checked: "2026-12-05 (operator, article of 2019-09-30)",
    },
    Source {
        url: "https://www.spamhaus.com/resource-center/help-for-spamhaus-projects-legacy-blocklist-users",
        what: "public mirrors block queries from public/open resolvers such as Cloudflare's",
        checked: "2026-12-05 (operator)",
    },
    Source {
        url: "https://www.securityzones.net/error-return-codes-for-spamhaus-public-mirrors/",
        what: "127.255.255.252 = typing error in the DNSBL name",
        checked: "2026-12-05 (secondary; not verified at Spamhaus)",
    },
];

const SPAMHAUS_REFUSES: &str =
    "Spamhaus's free public mirrors refuse queries from public resolvers (Google, Cloudflare \
     and the like, which this page uses) and answer them 127.255.255.254.";

/// The catalogue. Order is the order rows appear in a report.
pub const CATALOGUE: &[Blocklist] = &[
    Blocklist {
        id: "spamhaus-zen",
        name: "Spamhaus ZEN",
        zone: "zen.spamhaus.org",
        kind: ListKind::Ip,
        registrable_only: false,
        ipv4: true,
        // Not verified here: Spamhaus's zone table read above does not say
        // whether zen answers ip6 names; it is widely reported that it does.
        ipv6: true,
        codes: Codes::Table {
            codes: &[
                (ip(127, 0, 0, 2), "SBL: Spamhaus Blocklist, a spam source or spam operation"),
                (ip(127, 0, 0, 3), "CSS: a low-reputation sender detected automatically (part of SBL)"),
                (ip(127, 0, 0, 4), "XBL: an exploited or infected machine (botnet, proxy)"),
                (ip(127, 0, 0, 9), "DROP: a hijacked or spammer-run network (always with SBL)"),
                (ip(127, 0, 0, 10), "PBL (set by the ISP): an end-user address that should not send mail directly"),
                (ip(127, 0, 0, 11), "PBL (set by Spamhaus): an end-user address that should not send mail directly"),
                (ip(127, 0, 0, 30), "BCL: a botnet controller"),
            ],
            // Spamhaus documents a closed set: anything else is "unknown" (reference doc §5).
            otherwise: None,
        },
        errors: SPAMHAUS_ERRORS,
        refuses_public_resolvers: Some(SPAMHAUS_REFUSES),
        lookup_url: "https://check.spamhaus.org/",
        test_listed: "2.0.0.127",
        test_unlisted: "1.0.0.127",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "spamhaus-dbl",
        name: "Spamhaus DBL",
        zone: "dbl.spamhaus.org",
        kind: ListKind::Domain,
        registrable_only: false,
        ipv4: false,
        ipv6: false,
        codes: Codes::Table {
            codes: &[
                (ip(127, 0, 1, 2), "a low-reputation domain (spam)"),
                (ip(127, 0, 1, 4), "a phishing domain"),
                (ip(127, 0, 1, 5), "a malware domain"),
                (ip(127, 0, 1, 6), "a botnet command-and-control domain"),
                (ip(127, 0, 1, 102), "an abused legitimate domain"),
                (ip(127, 0, 1, 103), "an abused redirector or URL shortener"),
                (ip(127, 0, 1, 104), "an abused legitimate domain used for phishing"),
                (ip(127, 0, 1, 105), "an abused legitimate domain used for malware"),
                (ip(127, 0, 1, 106), "an abused legitimate domain hosting botnet command-and-control"),
            ],
            otherwise: None,
        },
        errors: &[
            (ip(127, 0, 1, 255), "error: an IP address was queried in a domain zone (not a listing)"),
            (ip(127, 255, 255, 252), "error: typing error in the list's zone name (not a listing)"),
            (ip(127, 255, 255, 254), "refused: the query came through a public or open resolver (not a listing)"),
            (ip(127, 255, 255, 255), "refused: excessive number of queries from this resolver (not a listing)"),
        ],
        refuses_public_resolvers: Some(SPAMHAUS_REFUSES),
        lookup_url: "https://check.spamhaus.org/",
        // dbltest.com: seen in other tools' code and tests (answer 127.0.1.2);
        // not read on a Spamhaus page here (secondary).
        test_listed: "dbltest.com",
        test_unlisted: "invalid",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "spamcop",
        name: "SpamCop",
        zone: "bl.spamcop.net",
        kind: ListKind::Ip,
        registrable_only: false,
        ipv4: true,
        ipv6: false,
        // Not verified at SpamCop: its pages read here (spamcop.net/bl.shtml)
        // do not give the answer code; 127.0.0.2 is the RFC 5782 convention.
        codes: Codes::Table {
            codes: &[(ip(127, 0, 0, 2), "sent mail that SpamCop users reported as spam")],
            otherwise: Some("listed (answer code not documented by SpamCop)"),
        },
        errors: &[],
        refuses_public_resolvers: None,
        lookup_url: "https://www.spamcop.net/bl.shtml",
        test_listed: "2.0.0.127",
        test_unlisted: "1.0.0.127",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "barracuda",
        name: "Barracuda Reputation Block List",
        zone: "b.barracudacentral.org",
        kind: ListKind::Ip,
        registrable_only: false,
        ipv4: true,
        ipv6: false,
        codes: Codes::Table {
            codes: &[(ip(127, 0, 0, 2), "listed by the Barracuda Reputation System (spam traps, botnets, open proxies)")],
            otherwise: Some("listed (answer code not documented by Barracuda)"),
        },
        errors: &[],
        refuses_public_resolvers: Some(
            "Barracuda answers only resolvers whose IP was registered with it (free, at barracudacentral.org); \
             public resolvers are not.",
        ),
        // Secondary: the lookup/removal page path was read on a directory site.
        lookup_url: "https://www.barracudacentral.org/lookups",
        test_listed: "2.0.0.127",
        test_unlisted: "1.0.0.127",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "uceprotect-1",
        name: "UCEPROTECT Level 1",
        zone: "dnsbl-1.uceprotect.net",
        kind: ListKind::Ip,
        registrable_only: false,
        ipv4: true,
        ipv6: false,
        // Not verified: no UCEPROTECT page giving the answer code was found here.
        codes: Codes::Table {
            codes: &[(ip(127, 0, 0, 2), "this single address sent mail to UCEPROTECT's spam traps")],
            otherwise: Some("listed (answer code not documented by UCEPROTECT)"),
        },
        errors: &[],
        refuses_public_resolvers: None,
        lookup_url: "https://www.uceprotect.net/",
        test_listed: "2.0.0.127",
        test_unlisted: "1.0.0.127",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "psbl",
        name: "PSBL (Passive Spam Block List)",
        zone: "psbl.surriel.com",
        kind: ListKind::Ip,
        registrable_only: false,
        ipv4: true,
        ipv6: false,
        codes: Codes::Table {
            codes: &[(ip(127, 0, 0, 2), "sent mail to PSBL's spam traps")],
            otherwise: Some("listed (answer code not documented by PSBL)"),
        },
        errors: &[],
        refuses_public_resolvers: None,
        lookup_url: "https://psbl.org/listing",
        test_listed: "2.0.0.127",
        test_unlisted: "1.0.0.127",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "mailspike",
        name: "Mailspike BL",
        zone: "bl.mailspike.net",
        kind: ListKind::Ip,
        registrable_only: false,
        ipv4: true,
        ipv6: false,
        codes: Codes::Table {
            codes: &[(ip(127, 0, 0, 2), "part of a distributed spam wave (z.mailspike.net)")],
            // Operator: bl combines z (127.0.0.2) with rep levels L3–L5,
            // "mapped to the corresponding A record from rep.mailspike.net";
            // which code is which level was not verified here.
            otherwise: Some("a poor reputation level (L3–L5) on rep.mailspike.net"),
        },
        errors: &[],
        refuses_public_resolvers: None,
        lookup_url: "https://mailspike.org/",
        test_listed: "2.0.0.127",
        test_unlisted: "1.0.0.127",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "s5h",
        name: "S5H (all.s5h.net)",
        zone: "all.s5h.net",
        kind: ListKind::Ip,
        registrable_only: false,
        ipv4: true,
        ipv6: true,
        // The operator calls the zone RFC 5782 compliant; no per-code meaning found.
        codes: Codes::Table {
            codes: &[(ip(127, 0, 0, 2), "sent spam or abusive traffic seen by S5H")],
            otherwise: Some("listed (answer code not documented by S5H)"),
        },
        errors: &[],
        refuses_public_resolvers: None,
        lookup_url: "https://www.usenix.org.uk/content/rbl.html",
        test_listed: "2.0.0.127",
        test_unlisted: "1.0.0.127",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "surbl",
        name: "SURBL multi",
        zone: "multi.surbl.org",
        kind: ListKind::Domain,
        registrable_only: true,
        ipv4: false,
        ipv6: false,
        codes: Codes::Bitmask {
            bits: &[
                (4, "DM: disposable email domain"),
                (8, "PH: phishing site"),
                (16, "MW: malware site"),
                (32, "CT: click-tracking domain"),
                (64, "ABUSE: spam and abuse site"),
                (128, "CR: cracked (compromised) site"),
            ],
        },
        // Bit 1 is SpamAssassin's SURBL_BLOCKED: the query was refused (reference doc §5).
        errors: &[(ip(127, 0, 0, 1), "refused: SURBL blocks heavy (public) resolvers (not a listing)")],
        refuses_public_resolvers: Some("SURBL blocks resolvers that send it many queries, as public resolvers do."),
        lookup_url: "https://www.surbl.org/",
        test_listed: "test.surbl.org",
        test_unlisted: "invalid",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "uribl",
        name: "URIBL multi",
        zone: "multi.uribl.com",
        kind: ListKind::Domain,
        registrable_only: true,
        ipv4: false,
        ipv6: false,
        codes: Codes::Bitmask {
            // Bit values: secondary (domaincare.io, other tools' tests); the
            // operator confirms 2 = black ("only 127.0.0.2 indicates a listing on black").
            bits: &[
                (2, "black: domains used by spammers"),
                (4, "grey: domains in bulk mail that may honour opt-out"),
                (8, "red: very young or WHOIS-hidden domains active in mail flow"),
            ],
        },
        errors: &[(ip(127, 0, 0, 1), "refused: \"Query Refused\", URIBL refuses high-volume resolvers (not a listing)")],
        refuses_public_resolvers: Some(
            "URIBL refuses high-volume resolvers (Google and OpenDNS are named) and answers them 127.0.0.1, \"Query Refused\".",
        ),
        // The site has a lookup page (about.shtml); its exact address was not verified.
        lookup_url: "https://www.uribl.com/",
        // test.uribl.com answers 127.0.0.14 (black|grey|red): secondary, other tools' tests.
        test_listed: "test.uribl.com",
        test_unlisted: "invalid",
        status: ListStatus::Active,
    },
    Blocklist {
        id: "sorbs",
        name: "SORBS",
        zone: "dnsbl.sorbs.net",
        kind: ListKind::Ip,
        registrable_only: false,
        ipv4: true,
        ipv6: false,
        codes: Codes::Table { codes: &[], otherwise: None },
        errors: &[],
        refuses_public_resolvers: None,
        lookup_url: "http://www.sorbs.net/",
        test_listed: "2.0.0.127",
        test_unlisted: "1.0.0.127",
        status: ListStatus::Closed {
            why: "SORBS was shut down by its owner (Proofpoint) on 5 June 2024 and its zones emptied, \
                  so it is not asked: \"not listed\" would mean nothing.",
        },
    },
];

/// Where the facts about each list were read, by id, in catalogue order. Kept
/// beside the catalogue rather than in its entries: the page shows none of it,
/// and in the entries the text was shipped with the wasm all the same (-1 589
/// gzip bytes, measured). A test checks that every list has its sources.
pub const SOURCES: &[(&str, &[Source])] = &[
    ("spamhaus-zen", SPAMHAUS_SOURCES),
    ("spamhaus-dbl", SPAMHAUS_SOURCES),
    (
        "spamcop",
        &[
            Source {
                url: "https://www.spamcop.net/bl.shtml",
                what: "the SCBL lists IPs that sent reported mail; listings expire when reports stop",
                checked: "2026-12-05 (operator; answer codes not given there)",
            },
            RFC5782,
        ],
    ),
    (
        "barracuda",
        &[
            Source {
                url: "https://www.barracudacentral.org/rbl/how-to-use",
                what: "standard DNSBL; 2.0.0.127.b.barracudacentral.org answers 127.0.0.2",
                checked: "2026-12-05 (operator)",
            },
            Source {
                url: "https://whatismyipaddress.com/blacklist/barracudacentral",
                what: "free, but the querying server's IP must be registered",
                checked: "2026-12-05 (secondary)",
            },
        ],
    ),
    (
        "uceprotect-1",
        &[
            Source {
                url: "https://docs.inboxally.com/en_US/blocklists/uceprotectl1",
                what: "level 1 lists single IPs seen at spam traps; delisting is automatic after 7 days",
                checked: "2026-12-05 (secondary; answer code not verified)",
            },
            RFC5782,
        ],
    ),
    (
        "psbl",
        &[
            Source {
                url: "http://psbl.surriel.com/howto/",
                what: "query psbl.surriel.com like any DNSBL; anybody is free to use it",
                checked: "2026-12-05 (operator; answer code not given there)",
            },
            Source {
                url: "https://domaincare.io/blacklists/psbl",
                what: "single tier: listed IPs answer 127.0.0.2",
                checked: "2026-12-05 (secondary)",
            },
        ],
    ),
    (
        "mailspike",
        &[Source {
            url: "https://mailspike.org/usage.html",
            what: "bl = z (127.0.0.2) plus rep levels L3–L5; public DNS limited to 100,000 queries a day",
            checked: "2026-12-05 (operator)",
        }],
    ),
    (
        "s5h",
        &[
            Source {
                url: "http://www.s5h.net/rblcheck",
                what: "all.s5h.net is fully RFC 5782 compliant; delisting from the listed host",
                checked: "2026-12-05 (operator)",
            },
            Source {
                url: "https://whatismyipaddress.com/blacklist/s5h",
                what: "all.s5h.net supports both IPv4 and IPv6 lookups",
                checked: "2026-12-05 (secondary)",
            },
        ],
    ),
    (
        "surbl",
        &[
            Source {
                url: "https://pipelinedata.tilda.ws/surbl",
                what: "multi bitmask: 8 PH, 16 MW, 64 ABUSE, 128 CR; other octets reserved (a copy of SURBL's lists page)",
                checked: "2026-12-05 (copy of the operator page)",
            },
            Source {
                url: "https://www.securityzones.net/new-return-codes-added-to-surbl-multi/",
                what: "added 4 DM (disposable) and 32 CT (click tracker)",
                checked: "2026-12-05 (SURBL partner)",
            },
            Source {
                url: "https://lists.surbl.org/hyperkitty/list/discuss@lists.surbl.org/message/VIKF4YAKGWLU3HESEWZAEUNETNTHUJPL",
                what: "test.surbl.org and 2.0.0.127 are in all SURBL lists",
                checked: "2026-12-05 (operator mailing list, old post)",
            },
        ],
    ),
    (
        "uribl",
        &[
            Source {
                url: "https://uribl.com/refused.shtml",
                what: "refused queries answer 127.0.0.1 (bit 0x1 is never a classification); use multi with bitmask checks",
                checked: "2026-12-05 (operator)",
            },
            Source {
                url: "https://www.uribl.com/about.shtml",
                what: "black, grey, red lists; multi combines them; lookup page on the site",
                checked: "2026-12-05 (operator)",
            },
            Source {
                url: "https://domaincare.io/blacklists/uribl",
                what: "127.0.0.2 black, .4 grey, .8 red",
                checked: "2026-12-05 (secondary)",
            },
        ],
    ),
    (
        "sorbs",
        &[Source {
            url: "https://www.techzine.eu/",
            what: "Proofpoint closed SORBS on 5 June 2024: its statement to The Register, reported by techzine.eu and \
                   spamtacular.com, as cited in the reference notes §5 (article URL not located here)",
            checked: "2026-12-05 (secondary, not re-read)",
        }],
    ),
];

/// Where the facts about `list` were read ([`SOURCES`]).
pub fn sources(list: &Blocklist) -> &'static [Source] {
    SOURCES.iter().find(|(id, _)| *id == list.id).map_or(&[], |(_, sources)| sources)
}

/// The catalogue entry with this id.
pub fn list_by_id(id: &str) -> Option<&'static Blocklist> {
    CATALOGUE.iter().find(|l| l.id == id)
}
