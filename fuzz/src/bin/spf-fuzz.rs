//! A stable-Rust fuzzing harness for the SPF parser and macro expander, for
//! machines without a nightly toolchain (cargo-fuzz needs one): it builds a
//! seed corpus from the openspf suites' records, then runs N mutated inputs
//! through the same checks as the cargo-fuzz targets and reports how many ran.
//!
//! cargo run --release -- [--runs N] [--seed S]
//! cargo run --release -- --write-corpus   (seed corpus for `cargo fuzz run`, into corpus/)

use std::panic;
use std::time::Instant;

use maildoctor_fuzz::{check_macro, check_record, mutate, seeds_from_suite, Rng};

const SUITES: &[&str] = &[
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance/openspf-rfc7208/rfc7208-tests.yml"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance/openspf-rfc4408/rfc4408-tests.yml"),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let runs = value("--runs", 200_000);
    let seed = value("--seed", 0x5eed_5bf1);

    let mut corpus: Vec<Vec<u8>> = Vec::new();
    for path in SUITES {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("seed suite missing at {path}: {e}"));
        corpus.extend(seeds_from_suite(&text));
    }
    corpus.sort();
    corpus.dedup();
    assert!(corpus.len() > 100, "expected the openspf records as seeds, found {}", corpus.len());
    let seeds = corpus.len();
    if args.iter().any(|a| a == "--write-corpus") {
        write_corpus(&corpus);
        return;
    }

    // Quiet panics: they are counted and saved instead.
    panic::set_hook(Box::new(|_| {}));
    let artifacts = concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts/spf-fuzz");
    let mut rng = Rng::new(seed);
    let started = Instant::now();
    let (mut record_runs, mut macro_runs, mut crashes) = (0u64, 0u64, 0u64);
    for seed_input in corpus.clone() {
        // Every seed as it is, first.
        if panic::catch_unwind(|| check_record(&seed_input)).is_err() {
            crashes += 1;
            save(artifacts, crashes, &seed_input);
        }
        record_runs += 1;
    }
    while record_runs + macro_runs < runs {
        let base = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, base, other);
        let as_macro = rng.below(3) == 0;
        let outcome = if as_macro {
            macro_runs += 1;
            panic::catch_unwind(|| check_macro(&input))
        } else {
            record_runs += 1;
            panic::catch_unwind(|| check_record(&input))
        };
        if outcome.is_err() {
            crashes += 1;
            save(artifacts, crashes, &input);
        } else if rng.below(64) == 0 && corpus.len() < 20_000 {
            // Keep some mutants as new bases, so inputs drift further from the seeds.
            corpus.push(input);
        }
    }
    let _ = panic::take_hook();
    println!(
        "spf-fuzz: ran {} inputs ({record_runs} record, {macro_runs} macro) from {seeds} seeds in {:.1}s, seed {seed:#x}: {crashes} crashes",
        record_runs + macro_runs,
        started.elapsed().as_secs_f64()
    );
    if crashes > 0 {
        println!("crashing inputs saved in {artifacts}");
        std::process::exit(1);
    }
}

/// Seeds for the cargo-fuzz targets: records as they are; for the macro target, prefixed with its syntax byte.
fn write_corpus(corpus: &[Vec<u8>]) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    for target in ["spf_parse", "spf_macro"] {
        let dir = format!("{root}/{target}");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
        for (i, seed) in corpus.iter().enumerate() {
            let data = if target == "spf_macro" { [&[2u8][..], seed].concat() } else { seed.clone() };
            std::fs::write(format!("{dir}/seed-{i:04}"), data).unwrap_or_else(|e| panic!("{dir}: {e}"));
        }
    }
    println!("wrote {} seeds per target into {root}", corpus.len());
}

fn save(dir: &str, n: u64, input: &[u8]) {
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(format!("{dir}/crash-{n}.bin"), input);
}
