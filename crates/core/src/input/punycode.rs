//! RFC 3492 Punycode decoding: an "xn--" label's ASCII tail → its Unicode
//! label, so the page can show "bücher.example" for "xn--bcher-kva.example".
//!
//! Only decoding: encoding and all of UTS #46 (mapping, normalisation,
//! validity) belong to the [`IdnaMapper`](super::IdnaMapper). A decoded name
//! is shown only when the mapper turns it back into the same A-labels, so this
//! decoder never has to judge whether a label is valid IDNA.

// RFC 3492 §5: parameter values for Punycode.
const BASE: u32 = 36;
const TMIN: u32 = 1;
const TMAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// Decodes the part of a label after "xn--". `None` for anything RFC 3492
/// §6.2 calls a failure: a bad digit, overflow, a non-ASCII basic code point,
/// or a result that is not a Unicode scalar value.
pub fn decode(input: &str) -> Option<String> {
    if !input.is_ascii() {
        return None;
    }
    // §6.2: "consume all code points before the last delimiter (if there is one)
    // and copy them to output"; the rest are the deltas.
    let (basic, deltas) = match input.rfind('-') {
        Some(dash) => (input.get(..dash)?, input.get(dash + 1..)?),
        None => ("", input),
    };
    let mut output: Vec<char> = basic.chars().collect();
    let mut n = INITIAL_N;
    let mut i: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let mut digits = deltas.bytes().peekable();
    while digits.peek().is_some() {
        let old_i = i;
        let mut w: u32 = 1;
        let mut k = BASE;
        loop {
            let digit = digit_value(digits.next()?)?;
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k = k.checked_add(BASE)?;
        }
        let length = u32::try_from(output.len()).ok()?.checked_add(1)?;
        bias = adapt(i - old_i, length, old_i == 0);
        n = n.checked_add(i / length)?;
        i %= length;
        // §6.2: "if n is a basic code point then fail".
        if n < INITIAL_N {
            return None;
        }
        output.insert(usize::try_from(i).ok()?, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

/// §5: "0"–"9" are 26–35, "A"–"Z" and "a"–"z" are 0–25.
fn digit_value(byte: u8) -> Option<u32> {
    match byte {
        b'a'..=b'z' => Some(u32::from(byte - b'a')),
        b'A'..=b'Z' => Some(u32::from(byte - b'A')),
        b'0'..=b'9' => Some(u32::from(byte - b'0') + 26),
        _ => None,
    }
}

/// §6.2: t = tmin if k <= bias, tmax if k >= bias + tmax, else k - bias.
fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        TMIN
    } else if k >= bias + TMAX {
        TMAX
    } else {
        k - bias
    }
}

/// §6.1: bias adaptation.
fn adapt(delta: u32, numpoints: u32, first_time: bool) -> u32 {
    let mut delta = if first_time { delta / DAMP } else { delta / 2 };
    delta += delta / numpoints;
    let mut k = 0;
    while delta > ((BASE - TMIN) * TMAX) / 2 {
        delta /= BASE - TMIN;
        k += BASE;
    }
    k + (((BASE - TMIN + 1) * delta) / (delta + SKEW))
}

#[cfg(test)]
mod tests {
    use super::decode;

    /// RFC 3492 §7.1 sample strings: (code points, Punycode).
    #[test]
    fn rfc3492_samples() {
        let samples: &[(&[u32], &str)] = &[
            // (A) Arabic (Egyptian)
            (
                &[
                    0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645, 0x0648, 0x0634,
                    0x0639, 0x0631, 0x0628, 0x064A, 0x061F,
                ],
                "egbpdaj6bu4bxfgehfvwxn",
            ),
            // (B) Chinese (simplified)
            (&[0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587], "ihqwcrb4cv8a8dqg056pqjye"),
            // (C) Chinese (traditional)
            (&[0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587], "ihqwctvzc91f659drss3x8bo0yb"),
            // (D) Czech: Pro<ccaron>prost<ecaron>nemluv<iacute><ccaron>esky
            (
                &[
                    0x0050, 0x0072, 0x006F, 0x010D, 0x0070, 0x0072, 0x006F, 0x0073, 0x0074, 0x011B, 0x006E, 0x0065,
                    0x006D, 0x006C, 0x0075, 0x0076, 0x00ED, 0x010D, 0x0065, 0x0073, 0x006B, 0x0079,
                ],
                "Proprostnemluvesky-uyb24dma41a",
            ),
            // (E) Hebrew
            (
                &[
                    0x05DC, 0x05DE, 0x05D4, 0x05D4, 0x05DD, 0x05E4, 0x05E9, 0x05D5, 0x05D8, 0x05DC, 0x05D0, 0x05DE,
                    0x05D3, 0x05D1, 0x05E8, 0x05D9, 0x05DD, 0x05E2, 0x05D1, 0x05E8, 0x05D9, 0x05EA,
                ],
                "4dbcagdahymbxekheh6e0a7fei0b",
            ),
            // (G) Japanese (kanji and hiragana)
            (
                &[
                    0x306A, 0x305C, 0x307F, 0x3093, 0x306A, 0x65E5, 0x672C, 0x8A9E, 0x3092, 0x8A71, 0x3057, 0x3066,
                    0x304F, 0x308C, 0x306A, 0x3044, 0x306E, 0x304B,
                ],
                "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa",
            ),
            // (L) 3<nen>B<gumi><kinpachi><sensei>
            (&[0x0033, 0x5E74, 0x0042, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F], "3B-ww4c5e180e575a65lsy2b"),
            // (M) <amuro><namie>-with-SUPER-MONKEYS
            (
                &[
                    0x5B89, 0x5BA4, 0x5948, 0x7F8E, 0x6075, 0x002D, 0x0077, 0x0069, 0x0074, 0x0068, 0x002D, 0x0053,
                    0x0055, 0x0050, 0x0045, 0x0052, 0x002D, 0x004D, 0x004F, 0x004E, 0x004B, 0x0045, 0x0059, 0x0053,
                ],
                "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n",
            ),
            // (P) Maji<de>Koi<suru>5<byou><mae>
            (
                &[
                    0x004D, 0x0061, 0x006A, 0x0069, 0x3067, 0x004B, 0x006F, 0x0069, 0x3059, 0x308B, 0x0035, 0x79D2,
                    0x524D,
                ],
                "MajiKoi5-783gue6qz075azm5e",
            ),
            // (R) <sono><supiido><de>
            (&[0x305D, 0x306E, 0x30B9, 0x30D4, 0x30FC, 0x30C9, 0x3067], "d9juau41awczczp"),
            // (S) -> $1.00 <-
            (&[0x002D, 0x003E, 0x0020, 0x0024, 0x0031, 0x002E, 0x0030, 0x0030, 0x0020, 0x003C, 0x002D], "-> $1.00 <--"),
        ];
        for (points, puny) in samples {
            let want: String = points.iter().map(|&p| char::from_u32(p).unwrap()).collect();
            assert_eq!(decode(puny).as_deref(), Some(want.as_str()), "{puny}");
        }
        assert_eq!(decode("bcher-kva").as_deref(), Some("bücher"));
        assert_eq!(decode("zca").as_deref(), Some("ß"));
    }

    #[test]
    fn failures_are_none_not_panics() {
        for bad in ["bcher-kv!", "99999999999", "ü-kva", "a-", "zzzzzzzzzzzzzzzzzzzzzzzzzz", "0000000000a"] {
            // "a-" is a label of basic code points only: valid, decodes to "a".
            if bad == "a-" {
                assert_eq!(decode(bad).as_deref(), Some("a"));
            } else {
                assert_eq!(decode(bad), None, "{bad}");
            }
        }
        // A delta that lands on a surrogate (U+D800) is not a char.
        assert_eq!(decode("ib9b"), None);
        // ... while one step below it (U+D7FF) is.
        assert_eq!(decode("hb9b").map(|s| s.chars().map(u32::from).collect::<Vec<_>>()), Some(vec![0xD7FF]));
    }
}
