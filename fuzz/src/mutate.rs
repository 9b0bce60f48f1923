//! Deterministic mutation for the stable harness: a seeded PRNG and byte-level mutators.

/// A small deterministic PRNG (xorshift64*), so runs are reproducible from a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// Tokens worth inserting into SPF text: they make mutants reach the deeper grammar.
pub const SPF_TOKENS: &[&str] = &[
    "v=spf1",
    " ",
    "  ",
    "all",
    "-all",
    "~all",
    "?all",
    "+",
    "include:",
    "a",
    "mx",
    "ptr",
    "exists:",
    "ip4:",
    "ip6:",
    "redirect=",
    "exp=",
    ":",
    "/",
    "//",
    ".",
    "..",
    "%{",
    "}",
    "%%",
    "%_",
    "%-",
    "%{d}",
    "%{i}",
    "%{ir}",
    "%{l2r-}",
    "%{D2}",
    "%{p}",
    "%{c}",
    "0",
    "1",
    "32",
    "128",
    "129",
    "255",
    "256",
    "-",
    "=",
    "::",
    "::ffff:",
    "1.2.3.4",
    "2001:db8::1",
    "example.com",
    ".com",
    "\t",
    "\r\n",
    "\0",
    "\u{201c}",
    "\"",
    "\u{a0}",
];

/// One mutant of `input` (sometimes spliced with `other`), inserting tokens from `dictionary`.
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8], dictionary: &[&str]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] = rng.below(256) as u8;
            }
            2 => {
                let token = dictionary.get(rng.below(dictionary.len())).map_or(&b" "[..], |t| t.as_bytes());
                let at = rng.below(out.len() + 1);
                out.splice(at..at, token.iter().copied());
            }
            3 if !out.is_empty() => {
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(8)).min(out.len());
                out.drain(start..end);
            }
            4 if !out.is_empty() => {
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(16)).min(out.len());
                let chunk: Vec<u8> = out[start..end].to_vec();
                let at = rng.below(out.len() + 1);
                out.splice(at..at, chunk);
            }
            5 if !other.is_empty() => {
                let cut = rng.below(out.len() + 1);
                let from = rng.below(other.len());
                out.truncate(cut);
                out.extend_from_slice(&other[from..]);
            }
            _ => {
                let at = rng.below(out.len() + 1);
                out.insert(at, b' ');
            }
        }
    }
    out.truncate(2048);
    out
}
