//! Fingerprints: GitHub's `primaryLocationLineHash` (a port of the rolling hash in the
//! upload-sarif action's `src/fingerprints.ts`) and the scanner's own stable key for baselines,
//! which survives line shifts (`rule`, path, the finding line's text without blanks, occurrence).

use std::collections::BTreeMap;

use crate::rules::Finding;
use crate::source::SourceFile;

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
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a(parts: &[&str]) -> u64 {
    fnv1a_from(FNV_START, parts)
}

/// FNV-1a over `parts` (each followed by a NUL byte), going on from `hash`.
fn fnv1a_from(mut hash: u64, parts: &[&str]) -> u64 {
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A line's hash state after (rule, path, text), and the key of its text (hash, length).
type LineHash = (u64, (u64, usize));

/// Give every finding its stable fingerprint (`datalossScan/v1`): its rule, path, the text of
/// its line without whitespace, and which occurrence of that (rule, path, text) it is. Each
/// line's text is read and hashed once per rule, however many findings it holds (a minified
/// one-line dump with thousands of them).
pub fn assign(findings: &mut [Finding], files: &BTreeMap<&str, &SourceFile>) {
    findings.sort_by(|a, b| (&a.path, a.span.start, a.rule).cmp(&(&b.path, b.span.start, b.rule)));
    // (path, rule, hash of the line text and its length) → occurrences so far.
    let mut seen: std::collections::HashMap<(String, &'static str, u64, usize), u32> =
        std::collections::HashMap::new();
    // For the current path: (line, rule) → (hash state after rule, path and text; text key).
    let mut lines: std::collections::HashMap<(u32, &'static str), LineHash> =
        std::collections::HashMap::new();
    let mut current: Option<String> = None;
    for finding in findings.iter_mut() {
        if current.as_deref() != Some(finding.path.as_str()) {
            current = Some(finding.path.clone());
            lines.clear();
        }
        let file = files.get(finding.path.as_str());
        let line = file.map_or(0, |f| {
            u32::try_from(f.line_index.line_of(finding.span.start()) + 1).unwrap_or(u32::MAX)
        });
        let (state, text_key) = *lines.entry((line, finding.rule)).or_insert_with(|| {
            let text: String = file
                .map(|f| {
                    f.line_text(line)
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect()
                })
                .unwrap_or_default();
            (
                fnv1a(&[finding.rule, &finding.path, &text]),
                (fnv1a(&[&text]), text.len()),
            )
        });
        let n = seen
            .entry((finding.path.clone(), finding.rule, text_key.0, text_key.1))
            .or_insert(0);
        *n += 1;
        let key = fnv1a_from(state, &[&n.to_string()]);
        finding.fingerprint = format!("{key:016x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `line_hashes` without the unused index 0, as upload-sarif's callback would see them.
    fn hashes(text: &str) -> Vec<String> {
        line_hashes(text).into_iter().skip(1).collect()
    }

    /// The published test vectors of github/codeql-action `src/fingerprints.test.ts` (test `hash`).
    #[test]
    fn upload_sarif_published_vectors() {
        assert_eq!(hashes(""), ["c129715d7a2bc9a3:1"]);
        assert_eq!(
            hashes(" a\nb\n  \t\tc\n d"),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ]
        );
        assert_eq!(
            hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End"),
            [
                "8b7cf3e952e7aeb2:1",
                "b1ae1287ec4718d9:1",
                "bff680108adb0fcc:1",
                "c6805c5e1288b612:1",
                "b86d3392aea1be30:1",
                "e6ceba753e1a442:1",
            ]
        );
        let with_final_newline = [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ];
        // The same lines with LF, CR, CRLF and mixed line ends hash the same.
        for text in [
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
        ] {
            assert_eq!(hashes(text), with_final_newline, "{text:?}");
        }
        let lorem = "Lorem ipsum dolor sit amet.\n".repeat(10);
        assert_eq!(
            hashes(&lorem),
            [
                "a7f2ff13bc495cf2:1",
                "a7f2ff13bc495cf2:2",
                "a7f2ff13bc495cf2:3",
                "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5",
                "a7f2ff13bc495cf2:6",
                "a7f2ff1481e87703:1",
                "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1",
                "cc97dc7b1d7d8f7b:1",
                "c129715d7a2bc9a3:1"
            ]
        );
    }

    /// Values computed from the definition (Σ u[p+i]·37^(99-i) mod 2^64 over the 100 UTF-16 units
    /// from each line start, blanks dropped, line ends read as LF, then U+FFFF and zeros), and
    /// cross-checked against the upload-sarif code run under Node.js.
    #[test]
    fn crlf_tabs_non_ascii_and_long_lines() {
        assert_eq!(
            hashes("docker compose down -v\r\necho done\r\n"),
            [
                "bc223e30a641e319:1",
                "18c41ae734728512:1",
                "c129715d7a2bc9a3:1"
            ]
        );
        assert_eq!(
            hashes("\tdocker volume prune -f\n\t\techo ok\n"),
            [
                "23343bfec338e7f5:1",
                "9b711808c47fa9fa:1",
                "c129715d7a2bc9a3:1"
            ]
        );
        // "é", "ï" are one UTF-16 unit each; "😀" is a surrogate pair (two units).
        assert_eq!(
            hashes("# café\necho 'naïve' 😀 && docker compose down -v\n"),
            [
                "4e8ac13519ecf925:1",
                "7442f6c1fe9e4391:1",
                "c129715d7a2bc9a3:1"
            ]
        );
        // A CR, then a blank, then an LF: two line ends (the blank resets the CRLF pairing).
        assert_eq!(
            hashes("a\r \nb\r\r\nc"),
            [
                "c52f781a43dbc195:1",
                "73409ca04f7d2c2e:1",
                "b0367d257df6d03c:1",
                "1c206f60a702cfe8:1",
                "188ff2f224477a1e:1"
            ]
        );
        // Only the first 100 units of a line count.
        let long = format!("{}\ny\n", "x".repeat(150));
        assert_eq!(
            hashes(&long),
            [
                "52b56201ffb58620:1",
                "c33be7e0cf7c3ca:1",
                "c129715d7a2bc9a3:1"
            ]
        );
        // A byte-order mark is hashed like any other unit (Node keeps it when reading UTF-8).
        assert_eq!(
            hashes("\u{feff}echo hi\n"),
            ["35fc54072f82b0cc:1", "c129715d7a2bc9a3:1"]
        );
    }

    /// The definition, written directly: compare it with the rolling implementation.
    fn reference(text: &str) -> Vec<String> {
        let mut units = Vec::new();
        let mut prev_cr = false;
        for u in text.encode_utf16() {
            if u == 32 || u == 9 || (prev_cr && u == 10) {
                prev_cr = false;
                continue;
            }
            prev_cr = u == 13;
            units.push(if u == 13 { 10u64 } else { u64::from(u) });
        }
        units.push(65535);
        let mut starts = vec![0];
        starts.extend(
            units
                .iter()
                .enumerate()
                .filter(|(_, u)| **u == 10)
                .map(|(i, _)| i + 1),
        );
        units.extend([0; BLOCK_SIZE]);
        let mut counts: BTreeMap<u64, u32> = BTreeMap::new();
        starts
            .iter()
            .map(|&p| {
                let h = units[p..p + BLOCK_SIZE]
                    .iter()
                    .fold(0u64, |h, &u| h.wrapping_mul(MOD).wrapping_add(u));
                let n = counts.entry(h).or_insert(0);
                *n += 1;
                format!("{h:x}:{n}")
            })
            .collect()
    }

    #[test]
    fn rolling_hash_matches_the_definition() {
        let pieces = [
            "a",
            " ",
            "\t",
            "\n",
            "\r",
            "\r\n",
            "é",
            "😀",
            "DROP TABLE x;",
            "",
            "-- x",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}{a}");
                    assert_eq!(hashes(&text), reference(&text), "{text:?}");
                }
            }
        }
        let big = "line one\n  line two\r\n\tline three 😀\r".repeat(20);
        assert_eq!(hashes(&big), reference(&big));
    }

    /// One hash per line as `LineIndex` counts lines, so `line_hashes(text)[line]` is the line's.
    #[test]
    fn one_hash_per_line() {
        for text in ["", "a", "a\n", "a\r\nb", "a\rb\r", "a\r \nb"] {
            let index = crate::source::LineIndex::new(text);
            assert_eq!(line_hashes(text).len(), index.line_count() + 1, "{text:?}");
        }
    }
}
