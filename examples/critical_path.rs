//! The benchmark's lower bound: how many rounds of dependent DNS queries the
//! report for a domain needs, measured by running the app's own runner
//! (`maildoctor_core::check::runner::run_all`, the same code the page runs) over zone files with
//! a `SteppedResolver`, which releases all waiting queries together, one round
//! at a time. With L ms per query, no report can finish before rounds × L.
//!
//! Usage: cargo run --release --example critical_path -- --zone FILE [--zone FILE…] DOMAIN [--ip IP] [--questions FILE]
//! Prints one line: `rounds=N requested=N issued=N`. `--questions FILE` also
//! writes the questions of each round as JSON, `[[["name","TYPE"],…],…]`: the
//! benchmark asks them again as plain fetches for its transport floor.

use std::process::ExitCode;
use std::rc::Rc;

use maildoctor::ui::request::FormFields;
use maildoctor_core::check::runner::run_all;
use maildoctor_core::dns::stepped::{run_in_rounds, SteppedResolver};
use maildoctor_core::dns::{MemoryResolver, SharedResolver};
use maildoctor_core::input::NativeIdna;

fn main() -> ExitCode {
    let mut zone_text = String::new();
    let mut fields = FormFields::default();
    let mut questions_file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--zone" => {
                let Some(path) = args.next() else { return fail("--zone needs a file") };
                match std::fs::read_to_string(&path) {
                    Ok(text) => zone_text.push_str(&text),
                    Err(e) => return fail(&format!("{path}: {e}")),
                }
                zone_text.push('\n');
            }
            "--ip" => fields.sending_ip = args.next().unwrap_or_default(),
            "--questions" => questions_file = args.next(),
            _ => fields.domain = arg,
        }
    }
    let zone = match MemoryResolver::from_zone_text(&zone_text) {
        Ok(zone) => zone,
        Err(e) => return fail(&e.to_string()),
    };
    let request = match fields.validate(&NativeIdna) {
        Ok(request) => request,
        Err(e) => return fail(&e.message),
    };
    let stepped = Rc::new(SteppedResolver::new(zone));
    let (stats, rounds) = run_in_rounds(stepped, |r| async move {
        // As in the page: one SharedResolver per run, in front of the network.
        let shared = SharedResolver::new(r);
        run_all(&shared, &request, 1, &|_| {}).await;
        shared.stats()
    });
    let Some(stats) = stats else { return fail("the report did not finish") };
    if let Some(path) = questions_file {
        if let Err(e) = std::fs::write(&path, questions_json(&rounds)) {
            return fail(&format!("{path}: {e}"));
        }
    }
    println!("rounds={} requested={} issued={}", rounds.len(), stats.requested, stats.issued);
    ExitCode::SUCCESS
}

/// `[[["name","TYPE"],…],…]`.
fn questions_json(rounds: &[Vec<maildoctor_core::dns::stepped::Question>]) -> String {
    let rounds: Vec<Vec<[String; 2]>> =
        rounds.iter().map(|r| r.iter().map(|(name, rtype)| [name.clone(), rtype.to_string()]).collect()).collect();
    serde_json::to_string(&rounds).unwrap_or_default() + "\n"
}

fn fail(message: &str) -> ExitCode {
    eprintln!("critical_path: {message}");
    ExitCode::FAILURE
}
