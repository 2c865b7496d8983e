//! The fast path of a mint `emit`: decides that a MintRequest is valid straight from its JSON
//! text, without a `serde_json::Value` tree, the validator's converted copy, a lossy UTF-8 copy
//! or (for compact input) a minified copy.
//!
//! [`super::mint::parse_and_validate`] is the rule; this is an accelerator for the common case.
//! It never rejects: it says "valid" (returning the bytes to push, which are exactly
//! [`super::message::minify_json`] of the input) or "don't know", and the caller then runs the
//! rule, which gives the deployer's exact reason. It says "valid" only for input inside a strict
//! subset of what the rule accepts:
//! * valid UTF-8; JSON with only ` \t\n\r` between tokens, nothing after the object;
//! * every key a schema key of its object, none repeated (no `__proto__`), none escaped;
//! * strings without a backslash or a control character (so their text is their value);
//! * integer fields written `0` or `[1-9][0-9]*` (at most 16 digits), within the field's range
//!   and at most 2^53-1: no sign, fraction, exponent, numeric string or `null` where not nullable;
//! * `p_value` written `0`, `1`, `0.<digits>` or `1.<zeros>` (in [0, 1] however it rounds);
//! * strings that pass the very pattern tests and `isoDate()` model the rule uses;
//! * the cross-field rules: a positive sample size, `totalSamples` equal to a positive
//!   `sample_size_candidate`, contributor weights summing to 10000.
//!
//! Anything else (numeric strings, `1e3`, `200.0`, `-0`, escapes, duplicate keys, unknown keys,
//! invalid UTF-8, overflowing numbers, ...) goes to the rule, even when it is valid. A property
//! test below checks that whatever this accepts, the rule accepts, with the same bytes.

use super::message::minify_json;
use super::mint::{ADDRESS, HASH, SIGNATURE, UINT, is_infinity, parse_iso};

/// JavaScript's `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE: u64 = 9_007_199_254_740_991;
/// The bound of the basis-point fields.
const BPS: u64 = 10_000;

/// The bytes to push (`minify_json(raw)`) when `raw` is surely a valid mint request; `None`:
/// the caller must ask [`super::mint::parse_and_validate`] (valid or not).
pub fn accept(raw: &[u8]) -> Option<Vec<u8>> {
    let spaced = scan(raw)?;
    // Without whitespace between tokens, the compact form is the input itself.
    Some(if spaced { minify_json(raw) } else { raw.to_vec() })
}

/// `Some(true)` when `raw` is surely a valid mint request; `None` when only the full validator
/// can tell (this never answers `Some(false)`).
pub fn is_valid_fast(raw: &[u8]) -> Option<bool> {
    scan(raw).map(|_| true)
}

/// Whether `raw` is a valid request within the fast path's subset: `Some(spaced)` (whether any
/// whitespace stands between tokens), or `None` (don't know).
fn scan(raw: &[u8]) -> Option<bool> {
    let text = std::str::from_utf8(raw).ok()?;
    let mut s = Scanner { text, i: 0, spaced: false };
    s.request()?;
    s.ws();
    (s.i == raw.len()).then_some(s.spaced)
}

/// Marks a key of an object as seen: `None` if it was seen before.
fn once(seen: &mut u32, bit: u32) -> Option<()> {
    let mask = 1 << bit;
    if *seen & mask != 0 {
        return None;
    }
    *seen |= mask;
    Some(())
}

/// All of bits `0..n` set: the `n` required keys (numbered first) are present.
fn all_of(seen: u32, n: u32) -> bool {
    let mask = (1 << n) - 1;
    seen & mask == mask
}

/// Whether any of the eight bytes of `w` is `"`, `\` or below 0x20 (exact for "any"; which
/// one does not matter, the byte loop then looks).
fn needs_care(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is below `n` (n <= 0x80): its lane borrows and had its high bit clear.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    below(w ^ (ONES * u64::from(b'"')), 1) | below(w ^ (ONES * u64::from(b'\\')), 1) | below(w, 0x20) != 0
}

struct Scanner<'a> {
    text: &'a str,
    i: usize,
    /// Whitespace was skipped between tokens.
    spaced: bool,
}

impl<'a> Scanner<'a> {
    fn ws(&mut self) {
        let b = self.text.as_bytes();
        let start = self.i;
        while matches!(b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
        self.spaced |= self.i != start;
    }

    /// The next token's first byte, after whitespace.
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.text.as_bytes().get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// A string without escapes or control characters: its text.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let b = self.text.as_bytes();
        let start = self.i;
        // Eight bytes at a time while none of them is a quote, a backslash or a control
        // character (hashes and signatures are most of a request's bytes).
        while let Some(chunk) = b.get(self.i..self.i + 8) {
            if needs_care(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
                break;
            }
            self.i += 8;
        }
        loop {
            match *b.get(self.i)? {
                b'"' => break,
                b'\\' | 0x00..=0x1f => return None,
                _ => self.i += 1,
            }
        }
        // Both ends are at ASCII quotes: character boundaries.
        let s = &self.text[start..self.i];
        self.i += 1;
        Some(s)
    }

    /// `null` -> `Some(None)`, else the value `read` accepts.
    fn nullable<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.peek()? == b'n' {
            self.text[self.i..].starts_with("null").then(|| self.i += 4)?;
            return Some(None);
        }
        read(self).map(Some)
    }

    /// A plain integer token within `min..=max` (`max` at most 2^53-1).
    fn int(&mut self, min: u64, max: u64) -> Option<u64> {
        self.ws();
        let b = self.text.as_bytes();
        let start = self.i;
        let mut v = 0u64;
        while let Some(&c @ b'0'..=b'9') = b.get(self.i) {
            if self.i - start == 16 {
                return None;
            }
            v = v * 10 + u64::from(c - b'0');
            self.i += 1;
        }
        let digits = self.i - start;
        if digits == 0 || (digits > 1 && b[start] == b'0') || matches!(b.get(self.i), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        (min..=max).contains(&v).then_some(v)
    }

    /// `0`, `1`, `0.<digits>` or `1.<zeros>`: a number in [0, 1] however it rounds.
    fn probability(&mut self) -> Option<()> {
        self.ws();
        let b = self.text.as_bytes();
        let lead = *b.get(self.i)?;
        if !matches!(lead, b'0' | b'1') {
            return None;
        }
        self.i += 1;
        if b.get(self.i) == Some(&b'.') {
            self.i += 1;
            let start = self.i;
            while let Some(&c @ b'0'..=b'9') = b.get(self.i) {
                if lead == b'1' && c != b'0' {
                    return None;
                }
                self.i += 1;
            }
            if self.i == start {
                return None;
            }
        }
        (!matches!(b.get(self.i), Some(b'0'..=b'9' | b'.' | b'e' | b'E'))).then_some(())
    }

    /// A non-empty string (the rule's `Joi.string()`).
    fn text(&mut self) -> Option<()> {
        let s = self.string()?;
        (!s.is_empty() && !is_infinity(s)).then_some(())
    }

    /// A non-empty string of at most `max` UTF-16 code units.
    fn bounded(&mut self, max: usize) -> Option<()> {
        let s = self.string()?;
        // A UTF-8 text has at least as many bytes as UTF-16 code units.
        (!s.is_empty() && !is_infinity(s) && (s.len() <= max || s.encode_utf16().count() <= max)).then_some(())
    }

    fn exact(&mut self, want: &str) -> Option<()> {
        (self.string()? == want).then_some(())
    }

    fn pattern(&mut self, p: &super::mint::Pattern) -> Option<()> {
        (p.test)(self.string()?).then_some(())
    }

    fn timestamp(&mut self) -> Option<()> {
        parse_iso(self.string()?).map(drop)
    }

    /// `{ "key": value, ... }`, each member read by `member` (which refuses an unknown or
    /// repeated key).
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            member(self, key)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `[ item, ... ]`: how many items.
    fn array(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<usize> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.i += 1;
            return Some(0);
        }
        let mut n = 0;
        loop {
            item(self)?;
            n += 1;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(n);
                }
                _ => return None,
            }
        }
    }

    /// The request object (the rule's `ROOT`).
    fn request(&mut self) -> Option<()> {
        let mut seen = 0;
        let mut total = 0;
        let mut candidate = None;
        self.object(|s, key| match key {
            "message_type" => once(&mut seen, 0).and_then(|_| s.exact("mint_request")),
            "schema_version" => once(&mut seen, 1).and_then(|_| s.exact("1.0")),
            "message_id" => once(&mut seen, 2).and_then(|_| s.text()),
            "timestamp" => once(&mut seen, 3).and_then(|_| s.timestamp()),
            "model_id" => once(&mut seen, 4).and_then(|_| s.text()),
            "model_id_uint" => once(&mut seen, 5).and_then(|_| s.pattern(&UINT)),
            "eval_id" => once(&mut seen, 6).and_then(|_| s.text()),
            "benchmark_spec_id" => once(&mut seen, 7).and_then(|_| s.text()),
            "dataset_hash" => once(&mut seen, 8).and_then(|_| s.pattern(&HASH)),
            "attestation_hash" => once(&mut seen, 9).and_then(|_| s.pattern(&HASH)),
            "idempotency_key" => once(&mut seen, 10).and_then(|_| s.pattern(&HASH)),
            "baseline_commitment" => once(&mut seen, 11).and_then(|_| s.pattern(&HASH)),
            "candidate_commitment" => once(&mut seen, 12).and_then(|_| s.pattern(&HASH)),
            "attester_signatures" => once(&mut seen, 13).and_then(|_| s.signatures()),
            "totalSamples" => once(&mut seen, 14).and_then(|_| s.int(1, MAX_SAFE)).map(|n| total = n),
            "deadline" => once(&mut seen, 15).and_then(|_| s.int(1, MAX_SAFE)).map(drop),
            "evaluation" => once(&mut seen, 16).and_then(|_| s.evaluation()).map(|c| candidate = c),
            "contributors" => once(&mut seen, 17).and_then(|_| s.contributors()),
            "_retryCount" => once(&mut seen, 18).and_then(|_| s.int(0, MAX_SAFE)).map(drop),
            _ => None,
        })?;
        // The root's cross-field rule: totalSamples matches a positive sample_size_candidate.
        (all_of(seen, 18) && candidate.is_none_or(|c| c == total)).then_some(())
    }

    /// 1 to 8 signatures.
    fn signatures(&mut self) -> Option<()> {
        let n = self.array(|s| s.pattern(&SIGNATURE))?;
        (1..=8).contains(&n).then_some(())
    }

    /// The `evaluation` object: `Some(sample_size_candidate)` when positive, else `None`.
    fn evaluation(&mut self) -> Option<Option<u64>> {
        let mut seen = 0;
        let (mut baseline, mut candidate) = (None, None);
        let bps = |s: &mut Self| s.nullable(|s| s.int(0, BPS)).map(drop);
        self.object(|s, key| match key {
            "metric_name" => once(&mut seen, 0).and_then(|_| s.text()),
            "metric_family" => once(&mut seen, 1).and_then(|_| s.text()),
            "baseline_score_bps" => once(&mut seen, 2).and_then(|_| s.int(0, BPS)).map(drop),
            "new_score_bps" => once(&mut seen, 3).and_then(|_| s.int(0, BPS)).map(drop),
            "max_cost_usd_micro" => once(&mut seen, 4).and_then(|_| s.int(0, MAX_SAFE)).map(drop),
            "actual_cost_usd_micro" => once(&mut seen, 5).and_then(|_| s.int(0, MAX_SAFE)).map(drop),
            "sample_size_baseline" => {
                once(&mut seen, 6).and_then(|_| s.nullable(|s| s.int(0, MAX_SAFE))).map(|n| baseline = n.filter(|&n| n > 0))
            }
            "sample_size_candidate" => {
                once(&mut seen, 7).and_then(|_| s.nullable(|s| s.int(0, MAX_SAFE))).map(|n| candidate = n.filter(|&n| n > 0))
            }
            "ci_low_bps" => once(&mut seen, 8).and_then(|_| bps(s)),
            "ci_high_bps" => once(&mut seen, 9).and_then(|_| bps(s)),
            "p_value" => once(&mut seen, 10).and_then(|_| s.nullable(Self::probability)).map(drop),
            "effect_size_bps" => once(&mut seen, 11).and_then(|_| bps(s)),
            "statistical_method" => once(&mut seen, 12).and_then(|_| s.nullable(|s| s.bounded(128))).map(drop),
            "statistical_reason" => once(&mut seen, 13).and_then(|_| s.nullable(|s| s.bounded(1024))).map(drop),
            _ => None,
        })?;
        // The evaluation's cross-field rule: a positive sample size to derive totalSamples from.
        (all_of(seen, 6) && (baseline.is_some() || candidate.is_some())).then_some(candidate)
    }

    /// 1 to 100 contributors whose weights sum to 10000.
    fn contributors(&mut self) -> Option<()> {
        let mut sum = 0;
        let n = self.array(|s| s.contributor().map(|w| sum += w))?;
        ((1..=100).contains(&n) && sum == BPS).then_some(())
    }

    /// One contributor: its weight.
    fn contributor(&mut self) -> Option<u64> {
        let mut seen = 0;
        let mut weight = 0;
        let optional_text = |s: &mut Self| s.nullable(Self::text).map(drop);
        self.object(|s, key| match key {
            "wallet_address" => once(&mut seen, 0).and_then(|_| s.pattern(&ADDRESS)),
            "weight_bps" => once(&mut seen, 1).and_then(|_| s.int(1, BPS)).map(|w| weight = w),
            "recipientKind" => once(&mut seen, 2)
                .and_then(|_| s.nullable(|s| s.string().filter(|k| matches!(*k, "wallet" | "escrow"))))
                .map(drop),
            "submissionId" => once(&mut seen, 3).and_then(|_| optional_text(s)),
            "contributionBatchId" => once(&mut seen, 4).and_then(|_| optional_text(s)),
            "contributorId" => once(&mut seen, 5).and_then(|_| optional_text(s)),
            _ => None,
        })?;
        all_of(seen, 2).then_some(weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::mint::parse_and_validate;
    use proptest::prelude::*;
    use proptest::sample::{Index, select};
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};

    /// The generator line of the emit benchmark (the pipeline's shape, every optional key there).
    fn pipeline_line(i: u64) -> String {
        let h = |k: u64| format!("0x{:016x}{}", i * 7 + k, "ab".repeat(24));
        format!(
            concat!(
                r#"{{"message_type":"mint_request","schema_version":"1.0","message_id":"3f1c2b7e-9a4d-4c1e-8b2a-{:012x}","#,
                r#""timestamp":"2026-07-01T09:30:00.123456+00:00","model_id":"demo-model","model_id_uint":"{}","#,
                r#""eval_id":"eval-{:08}","benchmark_spec_id":"bench-demo-v1","dataset_hash":"{}","attestation_hash":"{}","#,
                r#""idempotency_key":"{}","baseline_commitment":"{}","candidate_commitment":"{}","#,
                r#""attester_signatures":["0x{}1b"],"totalSamples":200,"deadline":4102444800,"#,
                r#""evaluation":{{"metric_name":"accuracy","metric_family":"proportion","baseline_score_bps":7000,"#,
                r#""new_score_bps":7200,"max_cost_usd_micro":1000000,"actual_cost_usd_micro":250000,"#,
                r#""sample_size_baseline":null,"sample_size_candidate":200,"ci_low_bps":null,"ci_high_bps":null,"#,
                r#""p_value":null,"effect_size_bps":null,"statistical_method":null,"statistical_reason":null}},"#,
                r#""contributors":[{{"wallet_address":"0x1111222233334444555566667777888899990000","weight_bps":10000,"#,
                r#""submissionId":null,"contributionBatchId":null,"contributorId":null,"recipientKind":"wallet"}}]}}"#
            ),
            i,
            42 + i,
            i,
            h(1),
            h(2),
            h(3),
            h(4),
            h(5),
            "ab".repeat(64)
        )
    }

    #[test]
    fn needs_care_finds_quotes_backslashes_and_control_bytes() {
        let reference = |w: u64| w.to_le_bytes().iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20);
        // Every byte value in every lane, among bytes of every kind.
        for filler in [b'a', 0xff, 0x80, 0x21, 0x7f, 0x5d, 0x23, 0x1f, 0x00] {
            for lane in 0..8 {
                for b in 0..=255u8 {
                    let mut bytes = [filler; 8];
                    bytes[lane] = b;
                    let w = u64::from_le_bytes(bytes);
                    assert_eq!(needs_care(w), reference(w), "{bytes:?}");
                }
            }
        }
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..1_000_000 {
            let w = rng.u64(..);
            assert_eq!(needs_care(w), reference(w), "{:?}", w.to_le_bytes());
        }
    }

    /// What the rule says, and what the fast path says, about one input; panics when the fast
    /// path accepts what the rule refuses or pushes other bytes.
    fn both(raw: &[u8]) -> (bool, bool) {
        let rule = parse_and_validate(raw);
        let fast = accept(raw);
        if let Some(bytes) = &fast {
            assert!(rule.is_ok(), "fast path accepted what the rule refuses ({:?}): {}", rule, String::from_utf8_lossy(raw));
            assert_eq!(bytes, &minify_json(raw), "other bytes than minify_json: {}", String::from_utf8_lossy(raw));
        }
        assert_eq!(is_valid_fast(raw), fast.as_ref().map(|_| true));
        (rule.is_ok(), fast.is_some())
    }

    #[test]
    fn the_pipeline_shape_takes_the_fast_path() {
        for i in [0, 1, 99_999, 1 << 40] {
            let line = pipeline_line(i);
            assert_eq!(both(line.as_bytes()), (true, true), "{line}");
            assert_eq!(accept(line.as_bytes()).unwrap(), line.as_bytes());
        }
        // Spaced out over lines (the wire-format document's layout): minified like the rule's path.
        let v: serde_json::Value = serde_json::from_str(&pipeline_line(3)).unwrap();
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        assert_eq!(both(pretty.as_bytes()), (true, true));
        assert_eq!(accept(pretty.as_bytes()).unwrap(), pipeline_line(3).as_bytes());
        let padded = format!(" \t{}\r\n ", pipeline_line(4));
        assert_eq!(both(padded.as_bytes()), (true, true));
    }

    /// Each check at its edge: just inside takes the fast path, just outside (or in a form only
    /// the rule reads) goes to the rule, which decides.
    #[test]
    fn each_edge_is_decided_here_or_left_to_the_rule() {
        let line = pipeline_line(7);
        let with = |from: &str, to: &str| {
            assert!(line.contains(from), "{from}");
            line.replacen(from, to, 1)
        };
        let inside = [
            with("\"totalSamples\":200", "\"totalSamples\":200,\"_retryCount\":0"),
            with("\"baseline_score_bps\":7000", "\"baseline_score_bps\":10000"),
            with("\"baseline_score_bps\":7000", "\"baseline_score_bps\":0"),
            with("\"max_cost_usd_micro\":1000000", "\"max_cost_usd_micro\":9007199254740991"),
            with("\"deadline\":4102444800", "\"deadline\":1"),
            with("\"p_value\":null", "\"p_value\":0.049999999999999999999"),
            with("\"p_value\":null", "\"p_value\":1.000"),
            with("\"p_value\":null", "\"p_value\":0"),
            with("\"statistical_method\":null", &format!("\"statistical_method\":\"{}\"", "é".repeat(128))),
            with("\"statistical_method\":null", &format!("\"statistical_method\":\"{}\"", "😀".repeat(64))),
            with("\"statistical_reason\":null", &format!("\"statistical_reason\":\"{}\"", "m".repeat(1024))),
            with(
                "\"sample_size_baseline\":null,\"sample_size_candidate\":200",
                "\"sample_size_baseline\":5,\"sample_size_candidate\":0",
            ),
            with("\"totalSamples\":200", "\"totalSamples\":9")
                .replace("\"sample_size_baseline\":null,\"sample_size_candidate\":200,", "\"sample_size_baseline\":9,"),
            with("\"recipientKind\":\"wallet\"", "\"recipientKind\":null"),
            with("\"submissionId\":null", "\"submissionId\":\" \""),
            with("\"timestamp\":\"2026-07-01T09:30:00.123456+00:00\"", "\"timestamp\":\"2026-02-30 24:00-23:59\""),
            with("\"model_id\":\"demo-model\"", "\"model_id\":\"\u{7f}é\u{2028}\""),
            with(
                "\"weight_bps\":10000,",
                "\"weight_bps\":1,\"submissionId\":\"x\"},{\"wallet_address\":\"0xABCDEF2233334444555566667777888899990000\",\"weight_bps\":9999,",
            ),
        ];
        for text in &inside {
            assert_eq!(both(text.as_bytes()), (true, true), "{text}");
        }
        // Valid, but in a form only the rule reads.
        let valid_elsewhere = [
            with("\"totalSamples\":200", "\"totalSamples\":\"200\""),
            with("\"totalSamples\":200", "\"totalSamples\":200.0"),
            with("\"totalSamples\":200", "\"totalSamples\":2e2"),
            with("\"deadline\":4102444800", "\"deadline\":4.1024448E9"),
            with("\"ci_low_bps\":null", "\"ci_low_bps\":-0"),
            with("\"p_value\":null", "\"p_value\":1e-7"),
            with("\"p_value\":null", "\"p_value\":1.0000000000000001"),
            with("\"model_id\":\"demo-model\"", "\"model_id\":\"demo\\u002dmodel\""),
            with("\"model_id\":\"demo-model\"", "\"model_id\":\"x\",\"model_id\":\"demo-model\""),
            with("\"model_id\":\"demo-model\"", "\"__proto__\":{},\"model_id\":\"demo-model\""),
            with("\"model_id\":", "\"model\\u005fid\":"),
            with("\"weight_bps\":10000", "\"weight_bps\":1e4"),
        ];
        for text in &valid_elsewhere {
            assert_eq!(both(text.as_bytes()), (true, false), "{text}");
        }
        let mut lossy = line.clone().into_bytes();
        let at = line.find("demo-model").unwrap();
        lossy[at] = 0xff;
        assert_eq!(both(&lossy), (true, false));
        // Invalid: the rule gives the reason.
        let invalid = [
            with("\"message_type\":\"mint_request\"", "\"message_type\":\"mint_request \""),
            with("\"schema_version\":\"1.0\"", "\"schema_version\":\"1.00\""),
            with("\"baseline_score_bps\":7000", "\"baseline_score_bps\":10001"),
            with("\"max_cost_usd_micro\":1000000", "\"max_cost_usd_micro\":9007199254740992"),
            with("\"max_cost_usd_micro\":1000000", "\"max_cost_usd_micro\":10000000000000000"),
            with("\"deadline\":4102444800", "\"deadline\":0"),
            with("\"deadline\":4102444800", "\"deadline\":1e400"),
            with("\"deadline\":4102444800", "\"deadline\":04102444800"),
            with("\"totalSamples\":200", "\"totalSamples\":201"),
            with("\"totalSamples\":200", "\"totalSamples\":200,\"_retryCount\":null"),
            with("\"p_value\":null", "\"p_value\":1.01"),
            with("\"p_value\":null", "\"p_value\":0.5e1"),
            with("\"statistical_method\":null", &format!("\"statistical_method\":\"{}\"", "é".repeat(129))),
            with("\"statistical_method\":null", &format!("\"statistical_method\":\"{}\"", "😀".repeat(65))),
            with("\"statistical_method\":null", "\"statistical_method\":\"\""),
            with("\"sample_size_candidate\":200", "\"sample_size_candidate\":0"),
            with("\"recipientKind\":\"wallet\"", "\"recipientKind\":\"Wallet\""),
            with("\"submissionId\":null", "\"submissionId\":\"\""),
            with("\"timestamp\":\"2026-07-01T09:30:00.123456+00:00\"", "\"timestamp\":\"2026-07-01T09:30:00+24:00\""),
            with("\"model_id_uint\":\"", "\"model_id_uint\":\"0"),
            with("\"dataset_hash\":\"0x", "\"dataset_hash\":\"0xA"),
            with("\"attester_signatures\":[", "\"attester_signatures\":[]],\"x\":["),
            with("\"wallet_address\":\"0x1", "\"wallet_address\":\"0x"),
            with("\"weight_bps\":10000", "\"weight_bps\":9999"),
            with("\"model_id\":\"demo-model\"", "\"model_id\":\"\u{FDD0}hokusai-mint:+Infinity\u{FDD0}\""),
            with("\"model_id\":\"demo-model\"", "\"model_id\":\"demo\u{1}model\""),
            with("\"model_id\":\"demo-model\"", "\"model_id\":\"\\ud800\""),
            with("\"model_id\":\"demo-model\"", "\"model_id\":\"demo-model\",\"note\":1"),
            format!("{line}x"),
            format!("\u{feff}{line}"),
            line[..line.len() - 1].to_owned(),
        ];
        for text in &invalid {
            assert_eq!(both(text.as_bytes()), (false, false), "{text}");
        }
    }

    /// A JSON value to lay out: literal text, an object or array, or (before [`resolve`]) a
    /// choice between a field's plain value and an edge value, or an absent member.
    #[derive(Clone, Debug)]
    enum J {
        Lit(String),
        Obj(Vec<(String, J)>),
        Arr(Vec<J>),
        Alt(Box<J>, Box<J>),
        Absent,
    }

    fn lit(s: impl Into<String>) -> J {
        J::Lit(s.into())
    }

    /// A string literal (the text needs no escape, or carries its own).
    fn quoted(s: impl AsRef<str>) -> J {
        J::Lit(format!("\"{}\"", s.as_ref()))
    }

    /// The value with each choice made: the edge side for the choices numbered in `edge` (in
    /// the order met, counting only the choices on the plain side), the plain side for the rest.
    fn resolve(j: J, edge: &[usize], seen: &mut usize) -> J {
        match j {
            J::Alt(plain, e) => {
                let n = *seen;
                *seen += 1;
                if edge.contains(&n) { resolve(*e, &[], &mut 0) } else { resolve(*plain, edge, seen) }
            }
            J::Obj(members) => J::Obj(
                members.into_iter().map(|(k, v)| (k, resolve(v, edge, seen))).filter(|(_, v)| !matches!(v, J::Absent)).collect(),
            ),
            J::Arr(items) => J::Arr(items.into_iter().map(|v| resolve(v, edge, seen)).collect()),
            other => other,
        }
    }

    fn write(j: &J, ws: &str, out: &mut String) {
        match j {
            J::Lit(s) => out.push_str(s),
            J::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                        out.push_str(ws);
                    }
                    out.push_str(&format!("\"{k}\":{ws}"));
                    write(v, ws, out);
                }
                out.push('}');
            }
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                        out.push_str(ws);
                    }
                    write(v, ws, out);
                }
                out.push(']');
            }
            J::Alt(..) | J::Absent => unreachable!("resolved before writing"),
        }
    }

    type S<T> = BoxedStrategy<T>;

    /// A field's values: `plain` ones within its rule, `edge` ones just outside it or in a form
    /// only the rule reads (valid or not).
    struct F {
        plain: S<J>,
        edge: S<J>,
    }

    fn f(plain: impl Strategy<Value = J> + 'static, edge: impl Strategy<Value = J> + 'static) -> F {
        F { plain: plain.boxed(), edge: edge.boxed() }
    }

    /// The field as a choice between its plain and edge values (with `edges`), or plain only.
    fn value(f: F, edges: bool) -> S<J> {
        if edges { (f.plain, f.edge).prop_map(|(p, e)| J::Alt(Box::new(p), Box::new(e))).boxed() } else { f.plain }
    }

    fn lits(texts: &'static [&'static str]) -> S<J> {
        select(texts).prop_map(lit).boxed()
    }

    /// A string of `len` characters from `alphabet`, drawn from a seed (much cheaper than a
    /// regex strategy; these strings need no shrinking).
    fn chars(alphabet: &'static str, len: std::ops::RangeInclusive<usize>) -> S<String> {
        let alphabet: Vec<char> = alphabet.chars().collect();
        any::<u64>()
            .prop_map(move |seed| {
                let mut rng = fastrand::Rng::with_seed(seed);
                let n = rng.usize(len.clone());
                (0..n).map(|_| alphabet[rng.usize(..alphabet.len())]).collect()
            })
            .boxed()
    }

    /// `prefix` then characters from `alphabet`, as a string literal.
    fn word(prefix: &'static str, alphabet: &'static str, len: std::ops::RangeInclusive<usize>) -> S<J> {
        chars(alphabet, len).prop_map(move |s| quoted(format!("{prefix}{s}"))).boxed()
    }

    /// Values no field takes, or text that is not JSON.
    const JUNK: &[&str] = &[
        "null",
        "true",
        "false",
        "[]",
        "{}",
        "5",
        "-1",
        "\"\"",
        "1e400",
        "-1e400",
        "\"\\ud800\"",
        "\"\\u0041\"",
        "\"a\\nb\"",
        "\"a\u{1}b\"",
        "\"a\tb\"",
        "\"\u{FDD0}hokusai-mint:+Infinity\u{FDD0}\"",
        "\"\u{FDD0}hokusai-mint:-Infinity\u{FDD0}\"",
        "nul",
        "nulll",
        "\"open",
        "[1,]",
        "{\"a\":1}",
        "Infinity",
        "NaN",
    ];

    fn junk() -> S<J> {
        lits(JUNK)
    }

    const HEX_LOWER: &str = "0123456789abcdef";
    const HEX: &str = "0123456789abcdefABCDEF";

    fn text_plain() -> S<J> {
        prop_oneof![
            4 => word("", "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 _.:/-", 1..=24),
            1 => word("", "abcxyzé€😀\u{7f}\u{2028} ", 1..=8),
        ]
        .boxed()
    }

    fn text_edge() -> S<J> {
        prop_oneof![
            junk(),
            lits(&["\" \"", "\"\\u0041bc\"", "\"a\\\"b\"", "\"a\\\\b\"", "\"\\/\"", "\"é\""]),
            word("\\t", "abc", 0..=3),
        ]
        .boxed()
    }

    fn text() -> F {
        f(text_plain(), text_edge())
    }

    fn nullable_text() -> F {
        f(prop_oneof![Just(lit("null")), text_plain()], text_edge())
    }

    fn int_plain(min: u64, max: u64, nullable: bool) -> S<J> {
        let n = |v: u64| lit(v.to_string());
        let mut plain = vec![Just(n(min)).boxed(), Just(n(max)).boxed(), (min..=max.min(1_000_000)).prop_map(n).boxed()];
        plain.push((min..=max).prop_map(n).boxed());
        if nullable {
            plain.push(Just(lit("null")).boxed());
        }
        proptest::strategy::Union::new(plain).boxed()
    }

    /// Around an integer field in `min..=max`: the values just outside, other spellings of
    /// values inside, numbers no integer field takes.
    fn int_edge(min: u64, max: u64) -> S<J> {
        let spelled = prop_oneof![
            Just(format!("{}", max + 1)),
            Just(if min > 0 { format!("{}", min - 1) } else { "-1".to_owned() }),
            Just(format!("-{min}")),
            Just(format!("{min}.0")),
            Just(format!("{max}.0")),
            Just(format!("{min}e0")),
            Just(format!("{max}E0")),
            Just(format!("{min}.5")),
            Just(format!("\"{min}\"")),
            Just(format!("\" {max} \"")),
            Just(format!("0{min}")),
            Just(format!("{max}.000000000000000000001")),
            (min..=max).prop_map(|v| format!("{}e-1", v * 10)),
            (min..=max).prop_map(|v| format!("\"{v}\"")),
        ];
        prop_oneof![
            4 => spelled.prop_map(lit),
            2 => lits(&["null", "-0", "1e3", "1E3", "1e+3", "2.5", "00", "1.", ".5", "+1", "-", "9007199254740992", "9007199254740993"]),
            2 => lits(&["12345678901234567890", "123456789012345678901234567890", "9007199254740991.0", "90071992547409910"]),
            1 => lits(&["0.0", "1e-400", "10000", "10001", "0", "1"]),
            1 => junk(),
        ]
        .boxed()
    }

    fn int(min: u64, max: u64, nullable: bool) -> F {
        f(int_plain(min, max, nullable), int_edge(min, max))
    }

    fn probability() -> F {
        let plain = prop_oneof![
            Just(lit("null")),
            lits(&["0", "1", "1.0", "1.000", "0.0"]),
            chars("0123456789", 1..=20).prop_map(|d| lit(format!("0.{d}"))),
        ];
        let edge = prop_oneof![
            lits(&["1.5", "-0.1", "-0", "1e-7", "1E-7", "0.5e1", "0.5E-1", "\"0.03\"", "2", "1e0", "0.", ".5", "01", "00.5"]),
            lits(&["0.1000000000000000055511151231257827", "1.0000000000000001", "0.99999999999999999999", "1.01", "10"]),
            junk(),
        ];
        f(plain, edge)
    }

    /// A string of at most `max` UTF-16 code units, and the lengths around.
    fn bounded(max: usize) -> F {
        let plain = prop_oneof![
            Just(lit("null")),
            text_plain(),
            Just(quoted("m".repeat(max))),
            Just(quoted("é".repeat(max))),
            Just(quoted("😀".repeat(max / 2))),
            Just(quoted(format!("{}é", "a".repeat(max - 1)))),
        ];
        let edge = prop_oneof![
            Just(quoted("m".repeat(max + 1))),
            Just(quoted("é".repeat(max + 1))),
            Just(quoted(format!("{}😀", "a".repeat(max - 1)))),
            Just(quoted(format!("{}\\u0041", "a".repeat(max - 1)))),
            text_edge(),
        ];
        f(plain, edge)
    }

    /// `0x` and `n` hex digits from `alphabet`, and near misses of that.
    fn hex(n: usize, alphabet: &'static str) -> F {
        let edge = prop_oneof![
            word("0x", HEX, n..=n),
            word("0x", alphabet, n - 1..=n - 1),
            word("0x", alphabet, n + 1..=n + 1),
            word("0X", alphabet, n..=n),
            word("", alphabet, n + 2..=n + 2),
            word("0x", "0123456789abcdefABCDEFgG", n..=n),
            word("0x", "éa", n - 1..=n - 1),
            word(" 0x", alphabet, n..=n),
            junk(),
        ];
        f(word("0x", alphabet, n..=n), edge)
    }

    fn uint_text() -> F {
        let edge = prop_oneof![
            lits(&[
                "\"0\"", "\"042\"", "\"00\"", "\"4a\"", "\" 42\"", "\"42 \"", "\"+42\"", "\"-42\"", "\"4e2\"", "\"4.0\"", "42"
            ]),
            word("0", "0123456789", 1..=3),
            junk(),
        ];
        f((1u8..=9, chars("0123456789", 0..=30)).prop_map(|(d, rest)| quoted(format!("{d}{rest}"))), edge)
    }

    fn timestamp() -> F {
        let time = prop_oneof![
            Just(String::new()),
            (0u32..24, 0u32..60).prop_map(|(h, m)| format!("T{h:02}:{m:02}")),
            (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| format!("T{h:02}:{m:02}:{s:02}")),
            (0u32..24, 0u32..60, 0u32..60, chars("0123456789", 1..=9))
                .prop_map(|(h, m, s, f)| format!("T{h:02}:{m:02}:{s:02}.{f}")),
            (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| format!(" {h:02}:{m:02}:{s:02}")),
        ];
        let offset = prop_oneof![
            Just(String::new()),
            Just("Z".to_owned()),
            (select(&["+", "-"][..]), 0u32..24, proptest::option::of((any::<bool>(), 0u32..60))).prop_map(
                |(sign, h, m)| match m {
                    None => format!("{sign}{h:02}"),
                    Some((colon, m)) => format!("{sign}{h:02}{}{m:02}", if colon { ":" } else { "" }),
                }
            ),
        ];
        let plain = (1970u32..2100, 1u32..13, 1u32..29, time, offset).prop_map(|(y, mo, d, t, o)| {
            let o = if t.is_empty() { "" } else { &o };
            quoted(format!("{y:04}-{mo:02}-{d:02}{t}{o}"))
        });
        let edge = prop_oneof![
            4 => lits(&[
                "\"2026-05-05\"",
                "\"2026-05\"",
                "\"2026\"",
                "\"2026-05T12:00\"",
                "\"2026-02-30\"",
                "\"2026-05-05T24:00\"",
                "\"2026-05-05T24:00:00\"",
                "\"2026-05-05T12:60\"",
                "\"2026-13-01\"",
                "\"2026-5-5\"",
                "\"20260505\"",
                "\"2026-05-05T12\"",
                "\"2026-05-05T12:00:00+24:00\"",
                "\"2026-05-05T12:00:00z\"",
                "\"2026-05-05t12:00:00Z\"",
                "\"2026-05-05T12:00:00 Z\"",
                "\"2026-05-05T12:00:00,5\"",
                "\"2026-05-05\u{2028}12:00:00Z\"",
                "\"0099-05-05 12:00\"",
                "\"0099-05-05T12:00\"",
                "\"+002026-05-05\"",
                "\"-000000-01-01\"",
                "\"+275760-09-13T00:00:00Z\"",
                "\"+275760-09-13T00:00:00.001Z\"",
                "\"0000-01-01T00:00:00+01:00\"",
                "\"2026-05-05T12:00:00\\u005a\"",
                "\"yesterday\"",
            ]),
            1 => junk(),
        ];
        f(plain, edge)
    }

    /// Exactly `want`.
    fn exact(want: &'static str) -> F {
        let edge = prop_oneof![
            Just(quoted(format!("{want} "))),
            Just(quoted(want.to_uppercase())),
            Just(quoted(&want[..want.len() - 1])),
            Just(quoted(format!("\\u{:04x}{}", want.as_bytes()[0], &want[1..]))),
            junk(),
        ];
        f(Just(quoted(want)), edge)
    }

    /// A member: required ones are absent only as an edge, optional ones now and then.
    fn required(key: &'static str, f: F, edges: bool) -> S<(String, J)> {
        let f = F { plain: f.plain, edge: prop_oneof![9 => f.edge, 1 => Just(J::Absent)].boxed() };
        value(f, edges).prop_map(move |v| (key.to_owned(), v)).boxed()
    }

    fn optional(key: &'static str, f: F, edges: bool) -> S<(String, J)> {
        let f = F { plain: prop_oneof![3 => f.plain, 1 => Just(J::Absent)].boxed(), edge: f.edge };
        value(f, edges).prop_map(move |v| (key.to_owned(), v)).boxed()
    }

    /// Key-level edits of an object (with edges only): a repeated key, an unknown one, an
    /// escaped one.
    #[derive(Clone, Debug)]
    enum Edit {
        None,
        Repeat(Index, Index, Option<J>),
        Unknown(&'static str, J, Index),
        Escape(Index),
    }

    fn edit(edges: bool) -> S<Edit> {
        if !edges {
            return Just(Edit::None).boxed();
        }
        let unknown = select(&["note", "__proto__", "10", "Message_type", "message_type ", "constructor", ""][..]);
        prop_oneof![
            40 => Just(Edit::None),
            1 => (any::<Index>(), any::<Index>(), proptest::option::of(junk())).prop_map(|(a, b, j)| Edit::Repeat(a, b, j)),
            1 => (unknown, prop_oneof![junk(), Just(J::Obj(vec![]))], any::<Index>()).prop_map(|(k, j, at)| Edit::Unknown(k, j, at)),
            1 => any::<Index>().prop_map(Edit::Escape),
        ]
        .boxed()
    }

    /// An object of members, in order or shuffled, then (with edges, rarely) edited.
    fn object(members: Vec<S<(String, J)>>, edges: bool) -> S<J> {
        let ordered = prop_oneof![3 => members.clone(), 1 => members.prop_shuffle()];
        (ordered, edit(edges))
            .prop_map(|(mut ms, e)| {
                let n = ms.len();
                match e {
                    Edit::None => {}
                    Edit::Repeat(from, to, junk) => {
                        let (k, v) = ms[from.index(n)].clone();
                        ms.insert(to.index(n + 1), (k, junk.unwrap_or(v)));
                    }
                    Edit::Unknown(k, v, at) => ms.insert(at.index(n + 1), (k.to_owned(), v)),
                    Edit::Escape(at) => {
                        let k = &mut ms[at.index(n)].0;
                        let first = k.remove(0);
                        *k = format!("\\u{:04x}{k}", first as u32);
                    }
                }
                J::Obj(ms)
            })
            .boxed()
    }

    fn signatures() -> F {
        let plain = || hex(130, HEX).plain;
        let edge = prop_oneof![
            Just(J::Arr(vec![])),
            proptest::collection::vec(plain(), 9..=10).prop_map(J::Arr),
            (proptest::collection::vec(plain(), 0..=2), hex(130, HEX).edge, any::<Index>()).prop_map(|(mut items, bad, at)| {
                items.insert(at.index(items.len() + 1), bad);
                J::Arr(items)
            }),
            plain(),
            junk(),
        ];
        f(proptest::collection::vec(plain(), 1..=8).prop_map(J::Arr), edge)
    }

    /// The sample count is `@S` until the line is written: `totalSamples`, and either
    /// `sample_size_candidate` or (`by_candidate` false) only a positive `sample_size_baseline`.
    fn evaluation(by_candidate: bool, edges: bool) -> S<J> {
        let sample_edge = || prop_oneof![3 => int_edge(0, MAX_SAFE), 1 => lits(&["@S", "@S1", "0", "null"])];
        let (baseline, candidate) = if by_candidate {
            (
                optional("sample_size_baseline", int(0, MAX_SAFE, true), edges),
                required("sample_size_candidate", f(Just(lit("@S")), sample_edge()), edges),
            )
        } else {
            (
                required("sample_size_baseline", f((1..=MAX_SAFE).prop_map(|n| lit(n.to_string())), sample_edge()), edges),
                optional("sample_size_candidate", f(lits(&["null", "0"]), sample_edge()), edges),
            )
        };
        object(
            vec![
                required("metric_name", text(), edges),
                required("metric_family", text(), edges),
                required("baseline_score_bps", int(0, BPS, false), edges),
                required("new_score_bps", int(0, BPS, false), edges),
                required("max_cost_usd_micro", int(0, MAX_SAFE, false), edges),
                required("actual_cost_usd_micro", int(0, MAX_SAFE, false), edges),
                baseline,
                candidate,
                optional("ci_low_bps", int(0, BPS, true), edges),
                optional("ci_high_bps", int(0, BPS, true), edges),
                optional("p_value", probability(), edges),
                optional("effect_size_bps", int(0, BPS, true), edges),
                optional("statistical_method", bounded(128), edges),
                optional("statistical_reason", bounded(1024), edges),
            ],
            edges,
        )
    }

    /// A contributor whose weight is `@W` until [`fill`] sets it.
    fn contributor(edges: bool) -> S<J> {
        let kind = f(lits(&["\"wallet\"", "\"escrow\"", "null"]), lits(&["\"Wallet\"", "\"\"", "\"bank\"", "\"wallet \""]));
        object(
            vec![
                required("wallet_address", hex(40, HEX), edges),
                required("weight_bps", f(Just(lit("@W")), int_edge(1, BPS)), edges),
                optional("submissionId", nullable_text(), edges),
                optional("contributionBatchId", nullable_text(), edges),
                optional("contributorId", nullable_text(), edges),
                optional("recipientKind", kind, edges),
            ],
            edges,
        )
    }

    fn fill_weight(j: &mut J, w: u64) {
        match j {
            J::Lit(s) if s == "@W" => *s = w.to_string(),
            J::Obj(members) => members.iter_mut().for_each(|(_, v)| fill_weight(v, w)),
            J::Arr(items) => items.iter_mut().for_each(|v| fill_weight(v, w)),
            J::Alt(p, e) => {
                fill_weight(p, w);
                fill_weight(e, w);
            }
            J::Lit(_) | J::Absent => {}
        }
    }

    /// The contributors with weights summing to 10000 (`parts` split it among up to 4; 100 or
    /// more share it), the last one's shifted by `off`.
    fn fill(mut items: Vec<J>, parts: &[u64], off: i64) -> J {
        let n = items.len();
        let mut weights: Vec<u64> = if n >= 100 { vec![BPS / n as u64; n] } else { parts[..n - 1].to_vec() };
        if n < 100 {
            weights.push(BPS - weights.iter().sum::<u64>());
        } else {
            weights[n - 1] += BPS % n as u64;
        }
        let last = weights.last_mut().expect("at least one contributor");
        *last = last.saturating_add_signed(off);
        for (item, w) in items.iter_mut().zip(weights) {
            fill_weight(item, w);
        }
        J::Arr(items)
    }

    /// 1 to 4 contributors whose weights sum to 10000, or 100 of 100 each; as edges, sums off,
    /// 101 contributors (summing to 10000), items that are no contributor.
    fn contributors(edges: bool) -> F {
        let parts = || proptest::collection::vec(1u64..=2500, 3);
        let plain = (
            prop_oneof![
                40 => proptest::collection::vec(contributor(edges), 1..=4),
                1 => proptest::collection::vec(contributor(false), 100),
            ],
            parts(),
        )
            .prop_map(|(items, parts)| fill(items, &parts, 0));
        let few = || proptest::collection::vec(contributor(false), 1..=4);
        let edge = prop_oneof![
            (few(), parts(), select(&[-1i64, 1, -5000][..])).prop_map(|(items, parts, off)| fill(items, &parts, off)),
            (proptest::collection::vec(contributor(false), 101), parts()).prop_map(|(items, parts)| fill(items, &parts, 0)),
            (few(), parts(), prop_oneof![lits(&["null", "5", "{}"]), contributor(false)]).prop_map(
                |(items, parts, mut extra)| {
                    fill_weight(&mut extra, 1);
                    match fill(items, &parts, 0) {
                        J::Arr(mut items) => {
                            items.push(extra);
                            J::Arr(items)
                        }
                        other => other,
                    }
                }
            ),
            Just(J::Arr(vec![])),
            junk(),
        ];
        f(plain, edge)
    }

    fn request(edges: bool) -> S<J> {
        let total = f(Just(lit("@S")), prop_oneof![lits(&["@S1", "@S.0", "\"@S\""]), int_edge(1, MAX_SAFE)]);
        let evaluation =
            f(prop_oneof![evaluation(true, edges), evaluation(false, edges)], prop_oneof![junk(), Just(J::Arr(vec![]))]);
        object(
            vec![
                required("message_type", exact("mint_request"), edges),
                required("schema_version", exact("1.0"), edges),
                required("message_id", text(), edges),
                required("timestamp", timestamp(), edges),
                required("model_id", text(), edges),
                required("model_id_uint", uint_text(), edges),
                required("eval_id", text(), edges),
                required("benchmark_spec_id", text(), edges),
                required("dataset_hash", hex(64, HEX_LOWER), edges),
                required("attestation_hash", hex(64, HEX_LOWER), edges),
                required("idempotency_key", hex(64, HEX_LOWER), edges),
                required("baseline_commitment", hex(64, HEX_LOWER), edges),
                required("candidate_commitment", hex(64, HEX_LOWER), edges),
                required("attester_signatures", signatures(), edges),
                required("totalSamples", total, edges),
                required("deadline", int(1, MAX_SAFE, false), edges),
                required("evaluation", evaluation, edges),
                required("contributors", contributors(edges), edges),
                optional("_retryCount", int(0, MAX_SAFE, false), edges),
            ],
            edges,
        )
    }

    /// Damage to the bytes as a whole (with edges only).
    #[derive(Clone, Debug)]
    enum Damage {
        None,
        /// An invalid UTF-8 byte in place of one.
        Byte(Index),
        Truncate(Index),
        Append(&'static str),
    }

    /// A request laid out as a line, compact mostly, or with whitespace between tokens. With
    /// edges, 0 to 2 of its fields take an edge value.
    fn line(edges: bool) -> S<Vec<u8>> {
        let ws = prop_oneof![4 => Just(""), 1 => select(&[" ", "\n  ", "\t", "\r\n", "  "][..])];
        let (damage, picks) = if edges {
            (
                prop_oneof![
                    40 => Just(Damage::None),
                    1 => any::<Index>().prop_map(Damage::Byte),
                    1 => any::<Index>().prop_map(Damage::Truncate),
                    1 => select(&["x", ",", "}", " {}", "\u{0}", "\u{feff}"][..]).prop_map(Damage::Append),
                ]
                .boxed(),
                prop_oneof![1 => Just(0), 6 => Just(1), 2 => Just(2)]
                    .prop_flat_map(|n| proptest::collection::vec(any::<Index>(), n))
                    .boxed(),
            )
        } else {
            (Just(Damage::None).boxed(), Just(vec![]).boxed())
        };
        let samples = prop_oneof![1u64..=1_000_000, Just(MAX_SAFE), 1..=MAX_SAFE];
        (request(edges), picks, samples, ws.clone(), ws, damage)
            .prop_map(|(j, picks, samples, ws, outer, damage)| {
                let mut choices = 0;
                let plain = resolve(j.clone(), &[], &mut choices);
                let edge: Vec<usize> = picks.iter().map(|i| i.index(choices.max(1))).collect();
                let j = if edge.is_empty() { plain } else { resolve(j, &edge, &mut 0) };
                let mut text = outer.to_owned();
                write(&j, ws, &mut text);
                text.push_str(outer);
                let text = text.replace("@S1", &(samples + 1).to_string()).replace("@S", &samples.to_string());
                let mut bytes = text.into_bytes();
                match damage {
                    Damage::None => {}
                    Damage::Byte(at) => {
                        let at = at.index(bytes.len());
                        bytes[at] = 0xff;
                    }
                    Damage::Truncate(at) => bytes.truncate(at.index(bytes.len())),
                    Damage::Append(tail) => bytes.extend_from_slice(tail.as_bytes()),
                }
                bytes
            })
            .boxed()
    }

    /// Cases of the property test, unless `PROPTEST_CASES` says (for a long run).
    fn cases() -> u32 {
        if std::env::var_os("PROPTEST_CASES").is_some() { ProptestConfig::default().cases } else { 10_000 }
    }

    proptest! {
        // XorShift: the default ChaCha costs most of the time of a debug build's run.
        #![proptest_config(ProptestConfig { cases: cases(), rng_algorithm: RngAlgorithm::XorShift, ..ProptestConfig::default() })]
        /// Whatever the fast path accepts, the rule accepts, and the bytes pushed are the same.
        #[test]
        fn agrees_with_the_rule(raw in line(true)) {
            both(&raw);
        }
    }

    /// Counts (inputs, rule accepts, fast path accepts) over `n` generated lines.
    fn tally(edges: bool, n: usize) -> (usize, usize, usize) {
        let rng = TestRng::deterministic_rng(RngAlgorithm::XorShift);
        let mut runner = TestRunner::new_with_rng(ProptestConfig::default(), rng);
        let strategy = line(edges);
        let (mut valid, mut fast) = (0, 0);
        for _ in 0..n {
            let raw = strategy.new_tree(&mut runner).unwrap().current();
            let (rule, f) = both(&raw);
            valid += usize::from(rule);
            fast += usize::from(f);
        }
        (n, valid, fast)
    }

    /// Plain valid requests (every field varied within its rule, keys in any order, spaced or
    /// not) all take the fast path: it is not a no-op.
    #[test]
    fn plain_valid_requests_take_the_fast_path() {
        let (n, valid, fast) = tally(false, 3000);
        eprintln!("plain: {n} lines, {valid} valid, {fast} by the fast path");
        assert_eq!(valid, n, "the plain generator makes valid requests only");
        assert_eq!(fast, valid, "every plain valid request is decided by the fast path");
    }

    /// The edge generator makes both valid and invalid lines, and some of the valid ones are
    /// decided here (most of the others use a form only the rule reads).
    #[test]
    fn the_edge_generator_exercises_both_answers() {
        let (n, valid, fast) = tally(true, 5000);
        eprintln!("edges: {n} lines, {valid} valid, {fast} by the fast path");
        assert!(valid * 5 >= n && valid * 5 <= n * 4, "{valid} of {n} valid");
        assert!(fast * 5 >= valid, "fast path decided {fast} of {valid} valid lines");
        assert!(fast < valid, "some valid lines are left to the rule");
    }
}
