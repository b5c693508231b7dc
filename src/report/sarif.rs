//! SARIF 2.1.0 for GitHub code scanning, per the SARIF section of `spec/interface.md`.
//!
//! One run. `tool.driver.rules[]` is the whole catalogue in registry order, so a rule's
//! `ruleIndex` is stable across scans and configurations. Each result has exactly one primary
//! location (a repo-relative, percent-encoded URI under `%SRCROOT%`), a region in 1-based UTF-16
//! columns with an exclusive end, related locations referenced from the message as `[text](id)`,
//! GitHub's `primaryLocationLineHash` and the scanner's own `datalossScan/v1` fingerprint.
//! Notices go to `invocations[0].toolExecutionNotifications`.
//!
//! What it must not do: emit `snippet` fields (GitHub renders code from the repository, and a
//! snippet is one more place a secret could leak), read any file (it sees only the masked
//! `ScanOutcome::sources`), or put anything non-deterministic (time, absolute paths, hash-map
//! order) in the output. When a report would exceed GitHub's upload limits it keeps the most
//! severe results that fit and says so, both in the file and through [`limit_warning`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::notice::{Notice, NoticeLevel};
use crate::outcome::ScanOutcome;
use crate::report::fingerprint::line_hashes;
use crate::report::{ReportOptions, shown};
use crate::rules::{Finding, RuleMeta};
use crate::source::{Encoding, LineIndex, Position, Span};

/// The key of the scanner's own stable fingerprint in `partialFingerprints` (baselines read it).
pub const SARIF_KEY: &str = "datalossScan/v1";

/// GitHub code scanning rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub code scanning rejects an upload whose gzipped SARIF is larger than this (10 MB).
pub const MAX_GZIP_BYTES: usize = 10_000_000;
/// GitHub keeps at most this many related locations per result.
const MAX_RELATED: usize = 1_000;
/// GitHub reads at most this many tags per rule.
const MAX_TAGS: usize = 10;
/// The URI base every location is relative to: the directory the scan ran from.
const SRCROOT: &str = "%SRCROOT%";
/// Rules that find credentials or exposed databases: tagged `security` for code scanning.
const SECURITY_RULES: &[&str] = &["hardcoded-db-password", "db-port-public", "db-trust-auth"];

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    original_uri_base_ids: BTreeMap<&'static str, UriBase>,
    column_kind: &'static str,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: Vec<&'a str>,
    precision: &'a str,
    #[serde(rename = "security-severity")]
    security_severity: String,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: &'static str,
}

#[derive(Serialize)]
struct UriBase {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    descriptor: Descriptor,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct Descriptor {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    justification: &'a str,
}

/// Render the SARIF log.
pub fn render(outcome: &ScanOutcome, meta: &[RuleMeta], opts: &ReportOptions) -> Vec<u8> {
    plan(outcome, meta, opts).0
}

/// A warning for stderr when the report would exceed GitHub's upload limits (and so holds fewer
/// results than the scan found), `None` when it fits.
pub fn limit_warning(outcome: &ScanOutcome, opts: &ReportOptions) -> Option<String> {
    let meta = crate::rules::metadata().ok()?;
    plan(outcome, meta, opts)
        .1
        .map(|text| format!("dataloss-scan: warning: {text}\n"))
}

/// The bytes of the report, and the limit message when results had to be left out.
fn plan(
    outcome: &ScanOutcome,
    meta: &[RuleMeta],
    opts: &ReportOptions,
) -> (Vec<u8>, Option<String>) {
    let findings: Vec<&Finding> = shown(outcome, opts).collect();
    let total = findings.len();
    let mut sources = Sources::new(outcome);
    // Most severe first, then report order: the results kept when the file must be cut.
    let mut by_severity: Vec<usize> = (0..total).collect();
    by_severity.sort_by_key(|&i| std::cmp::Reverse(findings[i].level));
    let mut keep = total.min(MAX_RESULTS);
    loop {
        let limit = (keep < total).then(|| limit_message(total, keep, &findings, &by_severity));
        let mut kept: Vec<usize> = by_severity[..keep].to_vec();
        kept.sort_unstable();
        let bytes = serialize(
            outcome,
            meta,
            &findings,
            &kept,
            &mut sources,
            limit.as_deref(),
        );
        if bytes.len() <= MAX_GZIP_BYTES || keep == 0 || gzip_len(&bytes) <= MAX_GZIP_BYTES {
            return (bytes, limit);
        }
        // Too big even compressed: keep fewer (the size is near proportional to the results).
        keep /= 2;
    }
}

fn limit_message(total: usize, keep: usize, findings: &[&Finding], order: &[usize]) -> String {
    let kept = match order[..keep].last() {
        Some(&i) => format!(
            "only the {keep} most severe (errors first, then warnings, then notes; the least \
             severe kept is a {})",
            findings[i].level.as_str()
        ),
        None => "none of them".to_string(),
    };
    format!(
        "the scan found {total} results, more than GitHub code scanning accepts in one SARIF \
         upload (at most {MAX_RESULTS} results and {MAX_GZIP_BYTES} bytes gzipped), so this SARIF \
         file holds {kept}; use --format json for every finding, or narrow the scan with \
         --select, --exclude or a baseline"
    )
}

/// Deflate the bytes to measure them as gzip would (gzip adds an 18-byte frame).
fn gzip_len(bytes: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(bytes, 6).len() + 18
}

fn serialize(
    outcome: &ScanOutcome,
    meta: &[RuleMeta],
    findings: &[&Finding],
    kept: &[usize],
    sources: &mut Sources,
    limit: Option<&str>,
) -> Vec<u8> {
    let index_of: BTreeMap<&str, usize> = meta
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let results = kept
        .iter()
        .map(|&i| result(findings[i], &index_of, sources))
        .collect();
    let mut notifications: Vec<Notification> = outcome.notices.iter().map(notification).collect();
    if let Some(text) = limit {
        notifications.push(Notification {
            level: "warning",
            message: Text {
                text: capitalize(text),
            },
            descriptor: Descriptor { id: "limit" },
            locations: Vec::new(),
        });
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "dataloss-scan",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: meta.iter().map(rule).collect(),
                },
            },
            automation_details: AutomationDetails {
                id: "dataloss-scan/",
            },
            original_uri_base_ids: [(
                SRCROOT,
                UriBase {
                    description: Text {
                        text: "The directory the scan ran from (the repository root in CI); every \
                               artifact URI is relative to it."
                            .to_string(),
                    },
                },
            )]
            .into_iter()
            .collect(),
            column_kind: "utf16CodeUnits",
            invocations: [Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            results,
        }],
    };
    let mut out = serde_json::to_vec_pretty(&log).unwrap_or_default();
    out.push(b'\n');
    out
}

fn rule(m: &RuleMeta) -> Rule<'_> {
    let security = SECURITY_RULES.contains(&m.id.as_str());
    let mut tags: Vec<&str> = Vec::new();
    let candidates = security
        .then_some("security")
        .into_iter()
        .chain(m.tags.iter().map(String::as_str))
        .chain(std::iter::once(m.pack.as_str()));
    for tag in candidates {
        if !tag.is_empty() && !tags.contains(&tag) && tags.len() < MAX_TAGS {
            tags.push(tag);
        }
    }
    let summary = sentence(&m.summary);
    let help = sentence(&m.help);
    let explanation = m.explanation.trim();
    let help_uri = help_uri(&m.id);
    Rule {
        id: &m.id,
        name: pascal_case(&m.id),
        short_description: Text {
            text: m.summary.trim().to_string(),
        },
        full_description: Text {
            text: full_description(m),
        },
        help: Help {
            text: format!("{summary}\n\nHow to fix: {help}\n\n{explanation}\n"),
            markdown: format!(
                "{summary}\n\n**How to fix:** {help}\n\n{explanation}\n\n[Rule documentation]({help_uri})\n"
            ),
        },
        help_uri,
        default_configuration: Configuration {
            level: m.severity.as_str(),
        },
        properties: RuleProperties {
            tags,
            precision: &m.precision,
            security_severity: security_severity(&m.security_severity),
        },
    }
}

/// Where a rule's documentation lives: its TOML in the repository.
fn help_uri(id: &str) -> String {
    format!("{}/blob/main/rules/{id}.toml", env!("CARGO_PKG_REPOSITORY"))
}

/// The summary, then the first paragraph of "Why it loses data", as one plain-text description.
fn full_description(m: &RuleMeta) -> String {
    let why = m
        .explanation
        .split("\n## ")
        .find_map(|section| {
            let section = section.trim_start_matches("## ");
            let body = section.strip_prefix("Why it loses data")?;
            let paragraph = body.trim().split("\n\n").next()?;
            Some(paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_default();
    let summary = sentence(&m.summary);
    if why.is_empty() {
        summary
    } else {
        format!("{summary} {why}")
    }
}

/// GitHub treats 9.0 as the boundary of "critical"; the contract wants mid-band values, and a
/// value that is not a number in 0–10 would be dropped by GitHub, so both are normalised.
fn security_severity(value: &str) -> String {
    match value.trim().parse::<f64>() {
        Ok(v) if (v - 9.0).abs() < 0.05 => "9.5".to_string(),
        Ok(v) if (0.0..=10.0).contains(&v) => format!("{v:.1}"),
        _ => "5.5".to_string(),
    }
}

fn result<'a>(
    finding: &'a Finding,
    index_of: &BTreeMap<&str, usize>,
    sources: &mut Sources,
) -> SarifResult<'a> {
    let region = sources.region(&finding.path, finding.span);
    let mut fingerprints = BTreeMap::new();
    if let Some(hash) = sources.line_hash(&finding.path, region.start_line) {
        fingerprints.insert("primaryLocationLineHash", hash);
    }
    fingerprints.insert(SARIF_KEY, finding.fingerprint.clone());
    let related: Vec<Location> = finding
        .related
        .iter()
        .take(MAX_RELATED)
        .enumerate()
        .map(|(i, r)| Location {
            id: Some(i + 1),
            physical_location: PhysicalLocation {
                artifact_location: artifact(&r.path),
                region: Some(sources.region(&r.path, r.span)),
            },
            message: Some(Text {
                text: r.message.clone(),
            }),
        })
        .collect();
    let suppressions = finding
        .suppressed
        .as_deref()
        .map(|justification| Suppression {
            kind: "inSource",
            justification: justification.trim(),
        })
        .into_iter()
        .collect();
    SarifResult {
        rule_id: finding.rule,
        rule_index: index_of.get(finding.rule).copied().unwrap_or(0),
        level: finding.level.as_str(),
        message: Text {
            text: message(finding),
        },
        locations: [Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact(&finding.path),
                region: Some(region),
            },
            message: None,
        }],
        related_locations: related,
        partial_fingerprints: fingerprints,
        suppressions,
    }
}

/// The finding's message as a sentence that stands alone (the alert title), then links to its
/// related locations, `[text](id)`. With links present, literal brackets are escaped.
fn message(finding: &Finding) -> String {
    let text = sentence(&finding.message);
    if finding.related.is_empty() {
        return text;
    }
    let mut out = escape_brackets(&text);
    out.push_str(" See ");
    let count = finding.related.len().min(MAX_RELATED);
    for (i, r) in finding.related.iter().take(MAX_RELATED).enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == count { " and " } else { ", " });
        }
        let label = r.message.trim().trim_end_matches('.');
        let label = if label.is_empty() {
            "related location"
        } else {
            label
        };
        let _ = write!(out, "[{}]({})", escape_brackets(label), i + 1);
    }
    out.push('.');
    out
}

/// SARIF §3.11.6: in a message with embedded links, literal `[` and `]` are escaped with `\`.
fn escape_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Trimmed, with a final full stop unless it already ends a sentence.
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() || text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn pascal_case(id: &str) -> String {
    id.split(['-', '_']).map(capitalize).collect()
}

fn notification(notice: &Notice) -> Notification {
    let locations = notice
        .path
        .as_deref()
        .map(|path| Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact(path),
                region: notice.line.map(|line| Region {
                    start_line: line.max(1),
                    start_column: None,
                    end_line: None,
                    end_column: None,
                }),
            },
            message: None,
        })
        .into_iter()
        .collect();
    Notification {
        level: match notice.level {
            NoticeLevel::Warning => "warning",
            NoticeLevel::Info => "note",
        },
        message: Text {
            text: match &notice.path {
                Some(path) => sentence(&format!("{path}: {}", notice.message)),
                None => sentence(&notice.message),
            },
        },
        descriptor: Descriptor {
            id: notice.kind.as_str(),
        },
        locations,
    }
}

fn artifact(path: &str) -> ArtifactLocation {
    ArtifactLocation {
        uri: uri_path(path),
        uri_base_id: SRCROOT,
    }
}

/// A repo-relative path as a URI reference: every byte outside the unreserved set and `/` is
/// percent-encoded (spaces, `%`, `#`, `?`, `:` which would read as a scheme, non-ASCII).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The byte offset where the line hash of the line starting at `start` stops reading: after
/// 100 UTF-16 units, not counting spaces, tabs and the LF of a CRLF (as upload-sarif reads).
fn hash_window_end(text: &str, start: usize) -> usize {
    let mut units = 0;
    let mut prev_cr = false;
    for (at, c) in text.get(start..).unwrap_or("").char_indices() {
        if c == ' ' || c == '\t' || (prev_cr && c == '\n') {
            prev_cr = false;
            continue;
        }
        prev_cr = c == '\r';
        units += c.len_utf16();
        if units >= 100 {
            return start + at + c.len_utf8();
        }
    }
    text.len()
}

/// Per-file line indexes and line hashes, computed once per file from the masked source text.
struct Sources<'a> {
    outcome: &'a ScanOutcome,
    files: BTreeMap<&'a str, FileInfo<'a>>,
}

struct FileInfo<'a> {
    text: &'a str,
    index: LineIndex,
    hashes: Option<Vec<String>>,
    /// The last start and end computed: columns on the same line are counted on from there.
    last: [Option<(usize, Position)>; 2],
}

impl<'a> Sources<'a> {
    fn new(outcome: &'a ScanOutcome) -> Self {
        Sources {
            outcome,
            files: BTreeMap::new(),
        }
    }

    fn file(&mut self, path: &str) -> Option<&mut FileInfo<'a>> {
        let (key, text) = self.outcome.sources.get_key_value(path)?;
        Some(self.files.entry(key.as_str()).or_insert_with(|| FileInfo {
            text,
            index: LineIndex::new(text),
            hashes: None,
            last: [None, None],
        }))
    }

    /// The SARIF region of a span: 1-based, UTF-16 columns, end exclusive. An end at the start
    /// of a later line (a span that takes in a line break) is moved back to the end of the line
    /// before, and an empty span is widened to one unit, so the region shows what it should.
    fn region(&mut self, path: &str, span: Span) -> Region {
        let Some(file) = self.file(path) else {
            return Region {
                start_line: 1,
                start_column: None,
                end_line: None,
                end_column: None,
            };
        };
        let start = file
            .index
            .position_after(file.text, span.start(), file.last[0]);
        let mut end = file
            .index
            .position_after(file.text, span.end(), file.last[1]);
        file.last = [Some((span.start(), start)), Some((span.end(), end))];
        if end.line > start.line && end.column_utf16 == 1 {
            let line = end.line - 1;
            let width = file.index.line_text(file.text, line).encode_utf16().count();
            end = Position {
                line,
                column_utf16: u32::try_from(width).unwrap_or(u32::MAX).saturating_add(1),
                column_chars: 0,
            };
        }
        let end_column = if end.line == start.line && end.column_utf16 <= start.column_utf16 {
            start.column_utf16 + 1
        } else {
            end.column_utf16
        };
        Region {
            start_line: start.line,
            start_column: Some(start.column_utf16),
            end_line: Some(end.line),
            end_column: Some(end_column),
        }
    }

    /// GitHub's `primaryLocationLineHash` for a line, or `None` when it cannot be the value the
    /// uploader would compute: the text is not at hand, the file is UTF-16, or a masked secret lies in the window
    /// the hash reads (the 100 UTF-16 units from the line start, blanks skipped), since the
    /// uploader hashes the real file. Left out, the uploader computes it itself.
    fn line_hash(&mut self, path: &str, line: u32) -> Option<String> {
        let masked = self.outcome.masked.get(path);
        let encoding = self.outcome.encodings.get(path).copied();
        let file = self.file(path)?;
        let (start, _) = file.index.line_range(file.text, line);
        if let Some(spans) = masked {
            let end = hash_window_end(file.text, start);
            if spans.iter().any(|s| s.start() < end && s.end() > start) {
                return None;
            }
        }
        let hashes = match encoding {
            None | Some(Encoding::Utf8) => {
                file.hashes.get_or_insert_with(|| line_hashes(file.text))
            }
            // The uploader reads the mark as a character of line 1 (Node keeps it when it
            // decodes UTF-8); lines and their starts are the same with or without it.
            Some(Encoding::Utf8Bom) => file
                .hashes
                .get_or_insert_with(|| line_hashes(&format!("\u{feff}{}", file.text))),
            // The uploader would hash UTF-16 bytes read as UTF-8: not a value to compute here.
            Some(Encoding::Utf16) => return None,
        };
        hashes.get(line as usize).filter(|h| !h.is_empty()).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_path("scripts/reset db.sh"), "scripts/reset%20db.sh");
        assert_eq!(uri_path("a:b/c#d?.sh"), "a%3Ab/c%23d%3F.sh");
        assert_eq!(uri_path("données/x.sh"), "donn%C3%A9es/x.sh");
        assert_eq!(uri_path("100%.sql"), "100%25.sql");
    }

    #[test]
    fn security_severity_is_mid_band() {
        assert_eq!(security_severity("9.0"), "9.5");
        assert_eq!(security_severity("8"), "8.0");
        assert_eq!(security_severity("2.0"), "2.0");
        assert_eq!(security_severity("high"), "5.5");
    }

    #[test]
    fn catalogue_severities_avoid_the_boundary() {
        for m in crate::rules::metadata().expect("rule metadata parses") {
            let v: f64 = m.security_severity.parse().expect("a number");
            assert!((0.0..=10.0).contains(&v) && v != 9.0, "{}", m.id);
        }
    }

    #[test]
    fn the_hash_window_is_100_units_without_blanks() {
        let line = format!("{}\n", "a b\t".repeat(60));
        // 100 non-blank units are 50 "a b\t" groups; the window ends after the 100th ("b").
        assert_eq!(hash_window_end(&line, 0), 50 * 4 - 1);
        assert_eq!(hash_window_end("short\n", 0), 6);
        // CRLF is one unit; "é" one unit in two bytes; "😀" two units in four bytes.
        let text = format!("x\r\n{}", "😀".repeat(60));
        assert_eq!(hash_window_end(&text, 0), 3 + 4 * 49);
        assert_eq!(hash_window_end(&"é".repeat(120), 0), 200);
    }

    #[test]
    fn names_and_sentences() {
        assert_eq!(pascal_case("compose-down-volumes"), "ComposeDownVolumes");
        assert_eq!(sentence(" deletes data "), "deletes data.");
        assert_eq!(sentence("Done."), "Done.");
        assert_eq!(escape_brackets("ignore[x]"), "ignore\\[x\\]");
    }
}
