//! Fingerprints: GitHub's `primaryLocationLineHash` (a port of the rolling hash in the
//! upload-sarif action's `src/fingerprints.ts`) and the scanner's own stable key for baselines,
//! which survives line shifts (`rule`, path, the finding line's text without blanks, occurrence).

use std::collections::BTreeMap;

use crate::facts::FileFacts;
use crate::rules::Finding;

const BLOCK_SIZE: usize = 100;
const MOD: u64 = 37;

/// The `primaryLocationLineHash` of every line of `text`, indexed by 1-based line number
/// (index 0 unused). Exactly the upload-sarif algorithm: a rolling hash over UTF-16 code units
/// of up to 100 characters from each line start, spaces and tabs skipped, CR/CRLF read as LF,
/// with a `:n` suffix counting earlier identical hashes.
pub fn line_hashes(text: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    let mut window = [0u64; BLOCK_SIZE];
    let mut line_numbers = [-1i64; BLOCK_SIZE];
    let mut hash: u64 = 0;
    let first_mod = (0..BLOCK_SIZE).fold(1u64, |acc, _| acc.wrapping_mul(MOD));
    let mut index = 0usize;
    let mut line_number = 0i64;
    let mut line_start = true;
    let mut prev_cr = false;
    let mut counts: BTreeMap<u64, u32> = BTreeMap::new();

    let mut output = |hash: u64, line: i64, out: &mut Vec<String>| {
        let count = counts.entry(hash).or_insert(0);
        *count += 1;
        let line = usize::try_from(line).unwrap_or(0);
        if out.len() <= line {
            out.resize(line + 1, String::new());
        }
        out[line] = format!("{hash:x}:{count}");
    };
    let update =
        |hash: &mut u64, index: &mut usize, window: &mut [u64; BLOCK_SIZE], current: u64| {
            let begin = window[*index];
            window[*index] = current;
            *hash = MOD
                .wrapping_mul(*hash)
                .wrapping_add(current)
                .wrapping_sub(first_mod.wrapping_mul(begin));
            *index = (*index + 1) % BLOCK_SIZE;
        };

    let units = text
        .encode_utf16()
        .map(u64::from)
        .chain(std::iter::once(65535u64));
    for unit in units {
        let mut current = unit;
        if current == u64::from(b' ')
            || current == u64::from(b'\t')
            || (prev_cr && current == u64::from(b'\n'))
        {
            prev_cr = false;
            continue;
        }
        if current == u64::from(b'\r') {
            current = u64::from(b'\n');
            prev_cr = true;
        } else {
            prev_cr = false;
        }
        if line_numbers[index] != -1 {
            output(hash, line_numbers[index], &mut out);
            line_numbers[index] = -1;
        }
        if line_start {
            line_start = false;
            line_number += 1;
            line_numbers[index] = line_number;
        }
        if current == u64::from(b'\n') {
            line_start = true;
        }
        update(&mut hash, &mut index, &mut window, current);
    }
    for _ in 0..BLOCK_SIZE {
        if line_numbers[index] != -1 {
            output(hash, line_numbers[index], &mut out);
            line_numbers[index] = -1;
        }
        update(&mut hash, &mut index, &mut window, 0);
    }
    out
}

/// FNV-1a, 64 bit: small, stable across platforms and releases.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Give every finding its stable fingerprint (`datalossScan/v1`).
pub fn assign(findings: &mut [Finding], files: &BTreeMap<&str, &FileFacts>) {
    findings.sort_by(|a, b| (&a.path, a.span.start, a.rule).cmp(&(&b.path, b.span.start, b.rule)));
    let mut seen: BTreeMap<(String, &'static str, String), u32> = BTreeMap::new();
    for finding in findings.iter_mut() {
        let line_text: String = files
            .get(finding.path.as_str())
            .map(|f| {
                let line = f.file.position(finding.span.start()).line;
                f.file
                    .line_text(line)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect()
            })
            .unwrap_or_default();
        let n = seen
            .entry((finding.path.clone(), finding.rule, line_text.clone()))
            .or_insert(0);
        *n += 1;
        let key = fnv1a(&[finding.rule, &finding.path, &line_text, &n.to_string()]);
        finding.fingerprint = format!("{key:016x}");
    }
}
