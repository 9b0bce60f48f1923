//! A stable-Rust fuzzing harness for every target in `targets::TARGETS`, for
//! machines without a nightly toolchain (cargo-fuzz needs one): it builds each
//! target's seed corpus, runs every seed, then mutated inputs through the same
//! checks as the cargo-fuzz targets, and prints one line per target.
//!
//! cargo run --release --bin stable-fuzz -- [--target NAME|all] [--runs N] [--seed S]
//! cargo run --release --bin stable-fuzz -- --write-corpus   (seeds for `cargo fuzz run`, into corpus/NAME/)
//!
//! cargo run --release --bin stable-fuzz -- --target NAME --replay FILE   (one input, panic message shown)
//!
//! `--runs` counts per target, seeds included. Exits 1 when any input crashed,
//! saving it under `artifacts/NAME/`.

use std::panic;
use std::time::Instant;

use maildoctor_fuzz::mutate::{mutate, Rng};
use maildoctor_fuzz::targets::{target, Target, TARGETS};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let number = |name: &str, default: u64| -> u64 {
        match flag(name) {
            Some(v) => v.parse().unwrap_or_else(|_| usage(&format!("{name} takes a number, not {v:?}"))),
            None => default,
        }
    };
    let runs = number("--runs", 200_000);
    let seed = number("--seed", 0x5eed_5bf1);
    let chosen: Vec<&Target> = match flag("--target").map(String::as_str) {
        None | Some("all") => TARGETS.iter().collect(),
        Some(name) => vec![target(name).unwrap_or_else(|| usage(&format!("no target {name:?}")))],
    };

    if args.iter().any(|a| a == "--write-corpus") {
        for t in chosen {
            write_corpus(t);
        }
        return;
    }

    if let Some(file) = flag("--replay") {
        // One saved input, with the panic message shown.
        let [t] = chosen.as_slice() else { usage("--replay needs --target NAME") };
        let input = std::fs::read(file).unwrap_or_else(|e| usage(&format!("{file}: {e}")));
        (t.check)(&input);
        println!("{}: {file} passes", t.name);
        return;
    }

    let mut crashed = false;
    for t in chosen {
        let (inputs, crashes, seeds, seconds) = run(t, runs, seed);
        println!("{}: {inputs} inputs ({seeds} seeds) in {seconds:.1}s, seed {seed:#x}: {crashes} crashes", t.name);
        crashed |= crashes > 0;
    }
    if crashed {
        println!("crashing inputs saved under {}/artifacts/", env!("CARGO_MANIFEST_DIR"));
        std::process::exit(1);
    }
}

/// Every seed as it is, then mutants up to `runs` inputs in all: (inputs, crashes, seeds, seconds).
fn run(t: &Target, runs: u64, seed: u64) -> (u64, u64, usize, f64) {
    let mut corpus = (t.seeds)();
    corpus.sort();
    corpus.dedup();
    assert!(!corpus.is_empty(), "{}: no seeds found", t.name);
    let seeds = corpus.len();
    let artifacts = format!("{}/artifacts/{}", env!("CARGO_MANIFEST_DIR"), t.name);
    let mut rng = Rng::new(seed);
    // Quiet panics while fuzzing: they are counted and saved instead.
    panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let (mut inputs, mut crashes) = (0u64, 0u64);
    let mut next = 0usize;
    while inputs < runs {
        let input = if next < seeds {
            next += 1;
            corpus[next - 1].clone()
        } else {
            let base = &corpus[rng.below(corpus.len())];
            let other = &corpus[rng.below(corpus.len())];
            mutate(&mut rng, base, other, t.tokens)
        };
        inputs += 1;
        if panic::catch_unwind(|| (t.check)(&input)).is_err() {
            crashes += 1;
            save(&artifacts, crashes, &input);
        } else if next >= seeds && rng.below(64) == 0 && corpus.len() < 20_000 {
            // Keep some mutants as new bases, so inputs drift further from the seeds.
            corpus.push(input);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let _ = panic::take_hook();
    (inputs, crashes, seeds, seconds)
}

fn write_corpus(t: &Target) {
    let dir = format!("{}/corpus/{}", env!("CARGO_MANIFEST_DIR"), t.name);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
    let mut seeds = (t.seeds)();
    seeds.sort();
    seeds.dedup();
    for (i, seed) in seeds.iter().enumerate() {
        std::fs::write(format!("{dir}/seed-{i:05}"), seed).unwrap_or_else(|e| panic!("{dir}: {e}"));
    }
    println!("{}: wrote {} seeds into {dir}", t.name, seeds.len());
}

fn save(dir: &str, n: u64, input: &[u8]) {
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(format!("{dir}/crash-{n}.bin"), input);
}

fn usage(problem: &str) -> ! {
    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    eprintln!(
        "stable-fuzz: {problem}\nusage: stable-fuzz [--target NAME|all] [--runs N] [--seed S] [--write-corpus] [--replay FILE]\ntargets: {}",
        names.join(" ")
    );
    std::process::exit(2);
}
