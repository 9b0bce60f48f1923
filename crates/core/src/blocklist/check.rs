//! The blocklist check: every question of the [`plan`] in one concurrent
//! round through the page's resolver, then each (list, target) row read in
//! the light of its list's test entries.

use super::answer::{interpret, probe_health, settle, ProbeHealth, State};
use super::catalogue::{Blocklist, CATALOGUE};
use super::findings::findings;
use super::query::{plan, BlocklistTargets, NotSent, Plan, Target};
use crate::dns::{Lookup, RecordType, Resolver};
use crate::finding::Finding;
use crate::join::join_all;

/// One list × one target.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlocklistRow {
    pub list: &'static Blocklist,
    /// Index into [`BlocklistReport::targets`].
    pub target: usize,
    pub query_name: String,
    /// The answer itself is in [`BlocklistReport::lookups`] ([`row_lookup`]).
    pub state: State,
    /// [`State::meaning`], ready to show.
    pub meaning: String,
}

/// How one list fared: its test entries and how many questions it got.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListHealth {
    pub list: &'static Blocklist,
    pub health: ProbeHealth,
    /// The must-be-listed and must-not-be-listed test questions.
    pub probe_lookups: [Lookup; 2],
    /// Distinct questions sent to this list, test entries included.
    pub queries: usize,
}

/// What to run by hand when a list refused the page's resolver.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ManualCheck {
    pub list: &'static Blocklist,
    pub target: usize,
    pub query_name: String,
    /// e.g. `dig +short A 2.0.0.192.zen.spamhaus.org`
    pub command: String,
    pub lookup_url: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlocklistReport {
    pub targets: Vec<Target>,
    pub rows: Vec<BlocklistRow>,
    pub lists: Vec<ListHealth>,
    pub not_sent: Vec<NotSent>,
    /// Lists in the catalogue that are no longer run (SORBS), never asked.
    pub closed: Vec<&'static Blocklist>,
    pub commands: Vec<ManualCheck>,
    /// Every question asked, once each, probes first.
    pub lookups: Vec<Lookup>,
    pub findings: Vec<Finding>,
}

impl BlocklistReport {
    pub fn target(&self, row: &BlocklistRow) -> Option<&Target> {
        self.targets.get(row.target)
    }

    /// The rows of one target.
    pub fn rows_for(&self, target: usize) -> impl Iterator<Item = &BlocklistRow> {
        self.rows.iter().filter(move |r| r.target == target)
    }

    /// The answers as the report tells them: one entry per list, the lists
    /// with a listing first (catalogue order otherwise), and the targets one
    /// list answered alike told together. Why: a list that refuses the
    /// resolver refuses every question in the same words; told per target,
    /// that was 13 of broken.example's 13 rows and a section 5,000 px tall.
    pub fn by_list(&self) -> Vec<ListResults<'_>> {
        let mut out: Vec<ListResults<'_>> = Vec::new();
        for row in &self.rows {
            let at = match out.iter().position(|l| l.list.id == row.list.id) {
                Some(at) => at,
                None => {
                    out.push(ListResults { list: row.list, lines: Vec::new() });
                    out.len() - 1
                }
            };
            let target = self.target(row);
            let lines = &mut out[at].lines;
            match lines.iter_mut().find(|l| l.row.meaning == row.meaning) {
                Some(line) => line.targets.extend(target),
                None => lines.push(ResultLine { row, targets: target.into_iter().collect() }),
            }
        }
        // Not a sort (a stable sort's code costs the wasm several hundred
        // bytes): the catalogue's order kept within each part.
        let (mut listed, others): (Vec<_>, Vec<_>) =
            out.into_iter().partition(|l| l.lines.iter().any(|line| matches!(line.row.state, State::Listed { .. })));
        listed.extend(others);
        listed
    }
}

/// One list's answers, for [`BlocklistReport::by_list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListResults<'a> {
    pub list: &'static Blocklist,
    pub lines: Vec<ResultLine<'a>>,
}

/// Targets a list answered alike: the first row's state and meaning stand
/// for them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultLine<'a> {
    pub row: &'a BlocklistRow,
    pub targets: Vec<&'a Target>,
}

impl ResultLine<'_> {
    /// "93.184.216.21 (sending server); mail.example (mail host name)".
    pub fn about(&self) -> String {
        let mut out = String::new();
        for (i, t) in self.targets.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            out.push_str(&t.describe());
        }
        out
    }
}

/// The `dig` line a person runs on their own server (its own resolver, not a
/// public one) to ask `query_name` themselves.
pub fn dig_command(query_name: &str) -> String {
    format!("dig +short A {query_name}")
}

/// Checks `targets` against every active list in the catalogue: one round of
/// concurrent A queries (test entries included), through `resolver`.
pub async fn check_blocklists<R: Resolver>(resolver: &R, targets: &BlocklistTargets) -> BlocklistReport {
    let plan = plan(targets);
    let names = plan.query_names();
    let lookups = join_all(names.iter().map(|n| resolver.lookup(n, RecordType::A))).await;
    assemble(&plan, lookups)
}

/// Builds the report from the plan and the answers, in `plan.query_names()` order.
fn assemble(plan: &Plan, lookups: Vec<Lookup>) -> BlocklistReport {
    // A few dozen names: a list, not a hash map (each map type adds its own code to the wasm).
    let by_name: Vec<(String, &Lookup)> = plan.query_names().into_iter().zip(lookups.iter()).collect();
    let missing = |name: &str| Lookup::new(name, RecordType::A, crate::dns::Outcome::Failed(missing_failure()));
    let get = |name: &str| {
        by_name.iter().find(|(n, _)| n == name).map(|(_, l)| (*l).clone()).unwrap_or_else(|| missing(name))
    };

    // Loops that push, not map/filter chains collected: smaller in the wasm.
    let mut lists: Vec<ListHealth> = Vec::with_capacity(plan.probes.len());
    for p in &plan.probes {
        let (listed, unlisted) = (get(&p.listed_name), get(&p.unlisted_name));
        lists.push(ListHealth {
            list: p.list,
            health: probe_health(p.list, &listed, &unlisted),
            probe_lookups: [listed, unlisted],
            queries: plan.queries_for(p.list),
        });
    }

    let mut rows: Vec<BlocklistRow> = Vec::with_capacity(plan.rows.len());
    for r in &plan.rows {
        let lookup = get(&r.query_name);
        let healthy = ProbeHealth::Healthy;
        let probe = lists.iter().find(|h| h.list.id == r.list.id).map(|h| &h.health).unwrap_or(&healthy);
        let state = settle(r.list, interpret(r.list, &lookup), probe);
        rows.push(BlocklistRow {
            list: r.list,
            target: r.target,
            query_name: r.query_name.clone(),
            meaning: state.meaning(),
            state,
        });
    }

    let mut commands: Vec<ManualCheck> = Vec::new();
    for r in &rows {
        // A list asked only about registrable domains (SURBL) gets the same
        // question for the domain and its mail host's name: one command.
        let asked = commands.iter().any(|c| c.query_name == r.query_name);
        if matches!(r.state, State::Refused { .. }) && !asked {
            commands.push(ManualCheck {
                list: r.list,
                target: r.target,
                query_name: r.query_name.clone(),
                command: dig_command(&r.query_name),
                lookup_url: r.list.lookup_url,
            });
        }
    }

    let mut report = BlocklistReport {
        targets: plan.targets.clone(),
        rows,
        lists,
        not_sent: plan.not_sent.clone(),
        closed: CATALOGUE.iter().filter(|l| !l.is_active()).collect(),
        commands,
        lookups,
        findings: Vec::new(),
    };
    report.findings = findings(&report);
    report
}

/// Never expected: every planned name is asked. Kept as "couldn't ask" so
/// a bug here can never turn into "not listed".
fn missing_failure() -> crate::dns::Failure {
    crate::dns::Failure::Transport("the question was not asked".to_string())
}

/// The lookup of a row, from the report's lookups.
pub fn row_lookup<'a>(report: &'a BlocklistReport, row: &BlocklistRow) -> Option<&'a Lookup> {
    report.lookups.iter().find(|l| l.name == row.query_name)
}

/// The registry's contract (see `check`).
impl crate::check::CheckReport for BlocklistReport {
    fn findings(&self) -> &[Finding] {
        &self.findings
    }

    fn lookups(&self) -> Vec<Lookup> {
        self.lookups.clone()
    }

    /// Unknown when every question failed (the resolver could not be asked);
    /// not checked when nothing was sent, or no list could be read from this
    /// resolver (each refused it or failed its test entries): then the check
    /// says nothing about the addresses, and the person's own server must
    /// ask (the commands). Otherwise by the findings.
    fn status(&self) -> crate::check::Status {
        use crate::check::Status;
        let failed = |s: &State| matches!(s, State::LookupFailed { .. });
        let unread = |s: &State| failed(s) || matches!(s, State::Refused { .. } | State::Unusable { .. });
        if !self.rows.is_empty() && self.rows.iter().all(|r| failed(&r.state)) {
            return Status::Unknown;
        }
        if self.rows.iter().all(|r| unread(&r.state)) {
            return Status::NotChecked;
        }
        Status::from_findings(&self.findings)
    }
}
