//! dataloss-scan: finds the ways a repository can lose its database's data.
//!
//! The pipeline is `walk → classify → parse → facts → rules → report`: [`scan`] walks the given
//! paths, reads and classifies each candidate once, extracts facts in parallel, builds the
//! repository's cross-file facts, runs the rules, resolves levels (context, guards), applies inline
//! suppressions and returns sorted findings and notices. The library never prints.

pub mod baseline;
pub mod classify;
pub mod config;
pub mod diff;
pub mod facts;
pub mod fingerprint;
pub mod levels;
pub mod notice;
pub mod parse;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod walk;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::classify::{FileKind, NameClass, classify_head, looks_binary};
use crate::config::{Config, ContextOverrides, DialectOverrides};
use crate::facts::FileFacts;
use crate::facts::repo::RepoFacts;
use crate::levels::{Context, Level, path_context, resolve};
use crate::notice::{Notice, NoticeKind};
use crate::rules::{Check, Ctx, Finding, RULES, RuleMeta, UNUSED_SUPPRESSION};
use crate::source::{Encoding, SourceFile};
use crate::walk::{Candidate, WalkOptions};

/// Files larger than this are skipped with a notice unless configured otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Things that stop a scan (exit status 2). Per-file problems are notices, not errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("path does not exist: {0}")]
    PathNotFound(PathBuf),
    #[error("{0}")]
    Config(String),
    #[error("unknown rule or pack `{0}` (see --list-rules)")]
    UnknownRule(String),
    #[error("invalid rule metadata: {0}")]
    RuleMetadata(String),
    #[error("{0}")]
    Walk(String),
    #[error("could not start worker threads: {0}")]
    Threads(String),
}

/// What to scan and how.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    /// Rule ids or packs to run (empty: all).
    pub select: Vec<String>,
    /// Rule ids or packs to skip.
    pub ignore: Vec<String>,
    pub exclude: Vec<String>,
    pub no_ignore: bool,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    pub config: Config,
    /// A file named in `paths` keeps its path from the working directory
    /// (`db/migrations/0002_x.sql`), as on the command line, so that its kind and context are
    /// those of a scan of the whole tree. Off: it is known by its file name alone (fixtures).
    pub file_paths_from_cwd: bool,
}

/// The result of a scan: sorted findings (suppressed ones included, marked) and notices.
#[derive(Debug, Default)]
pub struct ScanOutcome {
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub files_scanned: usize,
    pub elapsed: Duration,
    /// Ids of the rules that ran.
    pub enabled_rules: Vec<&'static str>,
    /// Text of every file a finding points at, with secret values masked (for snippets and
    /// SARIF line hashes). Reports never see unmasked text.
    pub sources: BTreeMap<String, String>,
    /// Byte spans of the masked secret values in each of `sources` (so a report can tell a
    /// mask from a real `*`, e.g. to leave out a line hash computed over masked text).
    pub masked: BTreeMap<String, Vec<source::Span>>,
    /// The encoding of each of `sources` that is not plain UTF-8 (a dropped byte-order mark,
    /// UTF-16): GitHub's line hash reads the bytes on disk, not the decoded text.
    pub encodings: BTreeMap<String, Encoding>,
}

impl ScanOutcome {
    /// Findings that are not suppressed.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    /// Whether an unsuppressed finding is at or above `threshold`.
    pub fn fails(&self, threshold: Option<Level>) -> bool {
        threshold.is_some_and(|t| self.active().any(|f| f.level >= t))
    }

    /// Add the findings, notices and sources of another scan (call [`ScanOutcome::sort`] after).
    /// A finding at the same place by the same rule as one already here is the same finding
    /// reached from an overlapping root (`dataloss-scan b b/sub`): it is kept once.
    pub fn merge(&mut self, other: ScanOutcome) {
        self.files_scanned += other.files_scanned;
        let seen: BTreeSet<(&str, source::Span, &str)> = self
            .findings
            .iter()
            .map(|f| (f.path.as_str(), f.span, f.rule))
            .collect();
        let new: Vec<Finding> = other
            .findings
            .into_iter()
            .filter(|f| !seen.contains(&(f.path.as_str(), f.span, f.rule)))
            .collect();
        self.findings.extend(new);
        self.notices.extend(other.notices);
        self.sources.extend(other.sources);
        self.masked.extend(other.masked);
        self.encodings.extend(other.encodings);
        for id in other.enabled_rules {
            if !self.enabled_rules.contains(&id) {
                self.enabled_rules.push(id);
            }
        }
    }

    /// Sort findings by (path, offset, rule) and notices, dropping exact duplicates (a file
    /// reached from two overlapping PATHs).
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.path, a.span.start, a.rule, a.span.end, &a.message).cmp(&(
                &b.path,
                b.span.start,
                b.rule,
                b.span.end,
                &b.message,
            ))
        });
        self.findings.dedup();
        self.notices.sort();
        self.notices.dedup();
    }

    /// Prefix every path (findings, related locations, notices) with `prefix` (a scan root
    /// relative to the working directory), so reports point at files from where the user stands.
    pub fn prefix_paths(&mut self, prefix: &str) {
        if prefix.is_empty() {
            return;
        }
        let join = |p: &mut String| *p = format!("{prefix}/{p}");
        for f in &mut self.findings {
            join(&mut f.path);
            for r in &mut f.related {
                join(&mut r.path);
            }
        }
        for n in &mut self.notices {
            if let Some(p) = n.path.as_mut() {
                join(p);
            }
        }
        self.sources = std::mem::take(&mut self.sources)
            .into_iter()
            .map(|(p, t)| (format!("{prefix}/{p}"), t))
            .collect();
        self.masked = std::mem::take(&mut self.masked)
            .into_iter()
            .map(|(p, m)| (format!("{prefix}/{p}"), m))
            .collect();
        self.encodings = std::mem::take(&mut self.encodings)
            .into_iter()
            .map(|(p, e)| (format!("{prefix}/{p}"), e))
            .collect();
    }
}

/// The resolved set of rules to run.
fn enabled_rules(opts: &ScanOptions, meta: &[RuleMeta]) -> Result<Vec<usize>, Error> {
    let known = |s: &str| {
        rules::PACKS.contains(&s)
            || meta
                .iter()
                .any(|m| m.id == s || m.aliases.iter().any(|a| a == s))
    };
    let select: Vec<&String> = if opts.select.is_empty() {
        opts.config.select.iter().collect()
    } else {
        opts.select.iter().collect()
    };
    let ignore: Vec<&String> = opts.ignore.iter().chain(&opts.config.ignore).collect();
    for s in select.iter().chain(&ignore) {
        if !known(s) {
            return Err(Error::UnknownRule((*s).clone()));
        }
    }
    let matches =
        |m: &RuleMeta, s: &str| m.id == s || m.pack == s || m.aliases.iter().any(|a| a == s);
    Ok(meta
        .iter()
        .enumerate()
        .filter(|(_, m)| select.is_empty() || select.iter().any(|s| matches(m, s)))
        .filter(|(_, m)| !ignore.iter().any(|s| matches(m, s)))
        .map(|(i, _)| i)
        .collect())
}

/// Run a scan. Findings are sorted by (path, offset, rule); output built from it is deterministic.
pub fn scan(opts: &ScanOptions) -> Result<ScanOutcome, Error> {
    let started = Instant::now();
    let meta = rules::metadata().map_err(Error::RuleMetadata)?;
    let enabled = enabled_rules(opts, meta)?;
    let overrides = ContextOverrides::new(&opts.config.contexts).map_err(Error::Config)?;
    let dialects = DialectOverrides::new(&opts.config.sql_dialects).map_err(Error::Config)?;
    let mut level_overrides = BTreeMap::new();
    for (id, rule) in &opts.config.rules {
        let Some(found) = rules::lookup(id) else {
            return Err(Error::Config(format!(
                "unknown rule `{id}` in [rules.{id}]"
            )));
        };
        if let Some(level) = rule.level {
            level_overrides.insert(found.id.clone(), level);
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| Error::Threads(e.to_string()))?;
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    let mut outcome = ScanOutcome {
        enabled_rules: enabled.iter().map(|&i| RULES[i].id).collect(),
        ..ScanOutcome::default()
    };
    let setup = Setup {
        meta,
        enabled: &enabled,
        overrides: &overrides,
        dialects: &dialects,
        level_overrides: &level_overrides,
        max_file_size: opts.config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        password_variables: &opts.config.password_variables,
    };
    for path in &paths {
        if !path.exists() {
            return Err(Error::PathNotFound(path.clone()));
        }
        let part = pool.install(|| scan_root(path, opts, &setup))?;
        outcome.merge(part);
    }
    outcome.sort();
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

/// The facts extracted from every file under the given paths, as JSON (`--debug-facts`): for rule
/// authors to see what the facts layer made of a file. Secret values are masked.
pub fn debug_facts(opts: &ScanOptions) -> Result<serde_json::Value, Error> {
    let meta = rules::metadata().map_err(Error::RuleMetadata)?;
    let overrides = ContextOverrides::new(&opts.config.contexts).map_err(Error::Config)?;
    let dialects = DialectOverrides::new(&opts.config.sql_dialects).map_err(Error::Config)?;
    let setup = Setup {
        meta,
        enabled: &[],
        overrides: &overrides,
        dialects: &dialects,
        level_overrides: &BTreeMap::new(),
        max_file_size: opts.config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        password_variables: &opts.config.password_variables,
    };
    let catalog = facts::backup::Catalog::with_config(
        &opts.config.backup_commands,
        &opts.config.backup_images,
    );
    let mut out = Vec::new();
    for path in &opts.paths {
        if !path.exists() {
            return Err(Error::PathNotFound(path.clone()));
        }
        let walk_opts = WalkOptions {
            exclude: opts.exclude.clone(),
            no_ignore: opts.no_ignore,
            threads: opts.threads,
            max_depth: None,
        };
        let (candidates, _) = walk::walk(path, &walk_opts).map_err(Error::Walk)?;
        for candidate in &candidates {
            let (facts, notices) = analyse_file(candidate, &setup);
            let Some(facts) = facts else {
                if !notices.is_empty() {
                    out.push(serde_json::json!({"path": candidate.rel, "notices": notices}));
                }
                continue;
            };
            let mask = |v: serde_json::Value| mask_secrets(v, &facts);
            out.push(serde_json::json!({
                "path": facts.file.path,
                "kind": facts.kind,
                "context": facts.context,
                "regions": facts.regions,
                "shell": mask(serde_json::to_value(&facts.shell).unwrap_or_default()),
                "sql": mask(serde_json::to_value(&facts.sql).unwrap_or_default()),
                "compose": mask(serde_json::to_value(&facts.compose).unwrap_or_default()),
                "backup": mask(
                    serde_json::to_value(facts::backup::steps_of(&facts, &catalog))
                        .unwrap_or_default()
                ),
                "notices": facts.notices,
            }));
        }
    }
    Ok(serde_json::Value::Array(out))
}

/// Replace every string equal to a secret value of the file with `***`.
fn mask_secrets(value: serde_json::Value, facts: &FileFacts) -> serde_json::Value {
    use serde_json::Value;
    let secrets: Vec<&str> = facts
        .secrets
        .iter()
        .map(|s| facts.file.slice(*s))
        .filter(|s| !s.is_empty())
        .collect();
    fn walk(v: Value, secrets: &[&str]) -> Value {
        match v {
            Value::String(s) => {
                let mut s = s;
                for secret in secrets {
                    if s.contains(secret) {
                        s = s.replace(secret, "***");
                    }
                }
                Value::String(s)
            }
            Value::Array(a) => Value::Array(a.into_iter().map(|x| walk(x, secrets)).collect()),
            Value::Object(o) => {
                Value::Object(o.into_iter().map(|(k, x)| (k, walk(x, secrets))).collect())
            }
            other => other,
        }
    }
    if secrets.is_empty() {
        value
    } else {
        walk(value, &secrets)
    }
}

struct Setup<'a> {
    meta: &'a [RuleMeta],
    enabled: &'a [usize],
    overrides: &'a ContextOverrides,
    dialects: &'a DialectOverrides,
    level_overrides: &'a BTreeMap<String, Level>,
    max_file_size: u64,
    /// The config's extra password variable names (`password-variables`).
    password_variables: &'a [String],
}

impl Setup<'_> {
    /// The level rule `i` reports at: the config's override, else its default.
    fn level_of(&self, i: usize) -> Level {
        let m = &self.meta[i];
        self.level_overrides
            .get(&m.id)
            .copied()
            .unwrap_or(m.severity)
    }
}

fn scan_root(path: &Path, opts: &ScanOptions, setup: &Setup) -> Result<ScanOutcome, Error> {
    // A file argument is scanned alone, with its directory as the root.
    // Anything that is not a directory (a FIFO or a device too) is a file argument, so that its
    // notice names it once (`p.sh`, not `p.sh/p.sh`).
    let (root, only): (PathBuf, Option<String>) = if path.exists() && !path.is_dir() {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let root = parent.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (root, Some(name))
    } else {
        (path.to_path_buf(), None)
    };
    let mut exclude = opts.config.exclude.clone();
    exclude.extend(opts.exclude.iter().cloned());
    let walk_opts = WalkOptions {
        exclude,
        no_ignore: opts.no_ignore,
        threads: opts.threads,
        // A file argument: list its directory's own entries, never the tree below it.
        max_depth: only.as_ref().map(|_| 1),
    };
    let (mut candidates, mut notices) = walk::walk(&root, &walk_opts).map_err(Error::Walk)?;
    // A file argument keeps its path from the working directory (`db/migrations/0002_x.sql`, as
    // a pre-commit hook passes it), so that its kind, context and migration layout are read as in
    // a scan of the whole tree.
    let only: Option<(String, String)> = only.map(|name| {
        let full = match walk::cwd_relative(&root) {
            Some(dir) if opts.file_paths_from_cwd && !dir.is_empty() => format!("{dir}/{name}"),
            _ => name.clone(),
        };
        (name, full)
    });
    if let Some((name, full)) = &only {
        candidates.retain(|c| &c.rel == name);
        notices.retain(|n| n.path.as_deref() == Some(name.as_str()));
        for n in &mut notices {
            n.path = Some(full.clone());
        }
        // The walk's notice (a link out of the root, a FIFO) stands: the file is not read.
        if notices.is_empty() {
            // Named explicitly: analyse it even if its name says nothing, by its content (a
            // shell shebang). A name the walk would skip (`notes.txt`) is sniffed too, never
            // taken for a script without one.
            let class = match classify::classify_name(full) {
                NameClass::Skip => NameClass::Sniff,
                class => class,
            };
            candidates = vec![Candidate {
                rel: full.clone(),
                abs: path.to_path_buf(),
                class,
            }];
        }
    }

    // Read, classify and extract facts: one file per task, order kept.
    let results: Vec<(Option<FileFacts>, Vec<Notice>)> = candidates
        .par_iter()
        .map(|c| analyse_file(c, setup))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for (facts, file_notices) in results {
        notices.extend(file_notices);
        if let Some(mut facts) = facts {
            notices.append(&mut facts.notices);
            files.push(facts);
        }
    }
    if let Some((_, only)) = &only
        && files.is_empty()
        && notices.is_empty()
    {
        // The user named this file: say why nothing was found in it.
        notices.push(Notice::file(
            only,
            NoticeKind::Unsupported,
            "skipped: not a kind of file the scanner reads (by its name, or a shell shebang)",
        ));
    }

    if !opts.config.stateful_images.is_empty() {
        // The user's `[[stateful-images]]` extend the shipped table.
        let table = facts::stateful::StatefulTable::with_config(&opts.config.stateful_images);
        for file in &mut files {
            facts::compose::apply_table(file, &table);
        }
    }
    // Compose names a project at the root after the root directory.
    let root_name = std::fs::canonicalize(&root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    let mut repo = RepoFacts::build_with_root(&files, root_name.as_deref());
    if !opts.config.password_variables.is_empty() {
        let names = &opts.config.password_variables;
        repo.add_password_refs(&files, &|n| facts::secrets::is_listed(names, n));
    }
    repo.backup_catalog = facts::backup::Catalog::with_config(
        &opts.config.backup_commands,
        &opts.config.backup_images,
    );
    // Every rule runs (post rules read the others' findings); selection filters the output.
    let mut findings = run_rules(&files, &repo, setup, &mut notices);
    finalize(&mut findings, &files, setup);
    let mut post = run_post_rules(&files, &repo, &findings, setup, &mut notices);
    finalize(&mut post, &files, setup);
    findings.extend(post);
    let enabled_ids: BTreeSet<&str> = setup.enabled.iter().map(|&i| RULES[i].id).collect();
    findings.retain(|f| enabled_ids.contains(f.rule));
    let audit = suppress_and_audit(&mut findings, &files, setup);
    findings.extend(audit);

    // Keep the text of files with findings for snippets and line hashes, with secrets masked.
    let wanted: BTreeSet<&str> = findings
        .iter()
        .flat_map(|f| {
            std::iter::once(f.path.as_str()).chain(f.related.iter().map(|r| r.path.as_str()))
        })
        .collect();
    let sources = files
        .iter()
        .filter(|f| wanted.contains(f.file.path.as_str()))
        .map(|f| (f.file.path.clone(), f.redacted_text()))
        .collect();
    let masked = files
        .iter()
        .filter(|f| wanted.contains(f.file.path.as_str()) && !f.secrets.is_empty())
        .map(|f| (f.file.path.clone(), f.secrets.clone()))
        .collect();
    let encodings = files
        .iter()
        .filter(|f| wanted.contains(f.file.path.as_str()) && f.file.encoding != Encoding::Utf8)
        .map(|f| (f.file.path.clone(), f.file.encoding))
        .collect();
    Ok(ScanOutcome {
        findings,
        notices,
        files_scanned: files.len(),
        sources,
        masked,
        encodings,
        ..ScanOutcome::default()
    })
}

/// Read one candidate once, classify it (sniffing extensionless files), and extract its facts.
fn analyse_file(candidate: &Candidate, setup: &Setup) -> (Option<FileFacts>, Vec<Notice>) {
    let rel = &candidate.rel;
    let mut notices = Vec::new();
    let (text, encoding) = match read_candidate(candidate, setup.max_file_size) {
        Ok(Some(t)) => t,
        Ok(None) => return (None, notices),
        Err(notice) => {
            notices.push(notice);
            return (None, notices);
        }
    };
    let kind = match candidate.class {
        NameClass::Kind(kind) => kind,
        _ => FileKind::Shell,
    };
    let context = setup
        .overrides
        .context_for(rel)
        .unwrap_or_else(|| path_context(rel));
    let mut file = SourceFile::new(rel.clone(), text);
    file.encoding = encoding;
    let dialect = setup.dialects.dialect_for(rel);
    match catch_unwind(AssertUnwindSafe(|| {
        let mut facts = FileFacts::extract_with_dialect(file, kind, context, dialect);
        facts::secrets::apply_password_variables(&mut facts, setup.password_variables);
        facts
    })) {
        Ok(facts) => (Some(facts), notices),
        Err(_) => {
            notices.push(Notice::file(
                rel,
                NoticeKind::InternalError,
                "internal error while analysing this file; it was skipped (please report it)",
            ));
            (None, notices)
        }
    }
}

/// `Ok(None)` means "not a file we analyse" (an extensionless file without a shell shebang).
fn read_candidate(candidate: &Candidate, max: u64) -> Result<Option<(String, Encoding)>, Notice> {
    let rel = &candidate.rel;
    let unreadable = |e: std::io::Error| {
        Notice::file(
            rel,
            NoticeKind::Unreadable,
            format!("skipped: cannot read ({})", io_reason(&e)),
        )
    };
    let mut file = std::fs::File::open(&candidate.abs).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    let mut bytes = Vec::new();
    if candidate.class == NameClass::Sniff {
        // Only the first bytes decide; the rest is read only for scripts.
        let mut head = [0u8; 256];
        let n = read_up_to(&mut file, &mut head).map_err(unreadable)?;
        if classify_head(&decoded_head(&head[..n])) != Some(FileKind::Shell) {
            return Ok(None);
        }
        bytes.extend_from_slice(&head[..n]);
    }
    if len > max {
        return Err(Notice::file(
            rel,
            NoticeKind::TooLarge,
            format!("skipped: {len} bytes is over the {max}-byte limit"),
        ));
    }
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    // UTF-16 text is full of NUL bytes: its byte-order mark decides before the binary test. The
    // file is in memory whole, so a NUL anywhere (not only in the first 8 KiB, where git and
    // ripgrep stop looking) makes it binary: text tools would not treat it as text either.
    if !is_utf16(&bytes) && looks_binary(&bytes) {
        return Err(Notice::file(
            rel,
            NoticeKind::Binary,
            "skipped: binary file",
        ));
    }
    match source::decode(bytes) {
        Ok(decoded) => Ok(Some(decoded)),
        Err(source::DecodeError::NotUtf8 { line }) => {
            Err(
                Notice::file(rel, NoticeKind::NotUtf8, "skipped: not valid UTF-8")
                    .at_line(u32::try_from(line).unwrap_or(u32::MAX)),
            )
        }
        Err(source::DecodeError::BadUtf16) => Err(Notice::file(
            rel,
            NoticeKind::NotUtf8,
            "skipped: starts with a UTF-16 byte-order mark but is not valid UTF-16",
        )),
    }
}

/// A UTF-16 byte-order mark (and not a UTF-32 one, which starts with the same two bytes).
fn is_utf16(bytes: &[u8]) -> bool {
    matches!(bytes, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) && !bytes.starts_with(&[0xFF, 0xFE, 0, 0])
}

/// The first bytes of a file as UTF-8 for the shebang sniff: a UTF-8 byte-order mark dropped,
/// UTF-16 decoded as far as it goes (the head may end inside a character).
fn decoded_head(head: &[u8]) -> Vec<u8> {
    if is_utf16(head) {
        let le = head[0] == 0xFF;
        let units = head[2..].chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        return char::decode_utf16(units)
            .map_while(Result::ok)
            .collect::<String>()
            .into_bytes();
    }
    head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).to_vec()
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "not found".into(),
        _ => e.to_string(),
    }
}

fn run_rules(
    files: &[FileFacts],
    repo: &RepoFacts,
    setup: &Setup,
    notices: &mut Vec<Notice>,
) -> Vec<Finding> {
    let per_file: Vec<(Vec<Finding>, Vec<Notice>)> = files
        .par_iter()
        .map(|file| {
            let mut found = Vec::new();
            let mut problems = Vec::new();
            for (i, rule) in RULES.iter().enumerate() {
                let Check::File(check) = rule.check else {
                    continue;
                };
                if !setup.meta[i].applies_to_kind(file.kind) {
                    continue;
                }
                let mut cx = Ctx::new(rule.id, setup.level_of(i), &file.file.path);
                match catch_unwind(AssertUnwindSafe(|| check(file, repo, &mut cx))) {
                    Ok(()) => found.extend(cx.into_findings()),
                    Err(_) => problems.push(Notice::file(
                        &file.file.path,
                        NoticeKind::InternalError,
                        format!("internal error in rule `{}`; its findings for this file are missing (please report it)", rule.id),
                    )),
                }
            }
            (found, problems)
        })
        .collect();
    let mut findings = Vec::new();
    for (f, n) in per_file {
        findings.extend(f);
        notices.extend(n);
    }
    for (i, rule) in RULES.iter().enumerate() {
        let Check::Repo(check) = rule.check else {
            continue;
        };
        findings.extend(run_whole(rule.id, setup.level_of(i), notices, |cx| {
            check(repo, files, cx)
        }));
    }
    findings
}

/// Run one whole-repository check with its panic caught: a rule that fails says so in a
/// notice, and the scan goes on without its findings.
fn run_whole(
    id: &'static str,
    level: Level,
    notices: &mut Vec<Notice>,
    check: impl FnOnce(&mut Ctx),
) -> Vec<Finding> {
    let mut cx = Ctx::new(id, level, "");
    match catch_unwind(AssertUnwindSafe(|| check(&mut cx))) {
        Ok(()) => cx.into_findings(),
        Err(_) => {
            notices.push(Notice {
                path: None,
                line: None,
                kind: NoticeKind::InternalError,
                level: notice::NoticeLevel::Warning,
                message: format!(
                    "internal error in rule `{id}`; its findings are missing (please report it)"
                ),
            });
            Vec::new()
        }
    }
}

fn run_post_rules(
    files: &[FileFacts],
    repo: &RepoFacts,
    findings: &[Finding],
    setup: &Setup,
    notices: &mut Vec<Notice>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, rule) in RULES.iter().enumerate() {
        let Check::Post(check) = rule.check else {
            continue;
        };
        out.extend(run_whole(rule.id, setup.level_of(i), notices, |cx| {
            check(repo, files, findings, cx)
        }));
    }
    out
}

/// Apply context and guards to every finding (down-migrations drop out) and fingerprint it.
fn finalize(findings: &mut Vec<Finding>, files: &[FileFacts], setup: &Setup) {
    let by_path: BTreeMap<&str, &FileFacts> =
        files.iter().map(|f| (f.file.path.as_str(), f)).collect();
    findings.retain_mut(|finding| {
        let Some(file) = by_path.get(finding.path.as_str()) else {
            return true;
        };
        // A rule sets the context itself when what the command acts on decides it (a teardown
        // of a test Compose project), not the file it is written in.
        let own = file.context_at(finding.span);
        let acts_on = finding.context != Context::Production && finding.context != own;
        let context = if finding.context == Context::Production {
            own
        } else {
            finding.context
        };
        if finding.guard.is_none() {
            finding.guard = file.guard_at(finding.span).map(str::to_string);
        }
        let overridden = setup.level_overrides.contains_key(finding.rule);
        let base = if overridden {
            setup.level_overrides[finding.rule]
        } else {
            finding.level
        };
        let Some(level) = resolve(base, context, finding.guard.is_some()) else {
            return false;
        };
        finding.context = context;
        finding.level = level;
        if let Some(guard) = &finding.guard {
            let why = format!(" (level lowered: it runs only behind {guard})");
            append_to_sentence(&mut finding.message, &why);
        } else if context != Context::Production && base > Level::Note {
            let what = if acts_on { "it acts on" } else { "this is" };
            let why = format!(" (reported as a note: {what} {})", context.describe());
            append_to_sentence(&mut finding.message, &why);
        }
        true
    });
    fingerprint::assign(findings, &by_path);
}

/// Add a parenthesis to a message's last sentence, before its full stop if it has one.
fn append_to_sentence(message: &mut String, parenthesis: &str) {
    let full_stop = message.ends_with('.');
    if full_stop {
        message.pop();
    }
    message.push_str(parenthesis);
    if full_stop {
        message.push('.');
    }
}

/// Mark findings covered by inline suppressions, and report unused or unknown suppressions.
fn suppress_and_audit(
    findings: &mut [Finding],
    files: &[FileFacts],
    setup: &Setup,
) -> Vec<Finding> {
    let enabled_ids: BTreeSet<&str> = setup.enabled.iter().map(|&i| RULES[i].id).collect();
    let audit = enabled_ids.contains(UNUSED_SUPPRESSION);
    let mut extra = Vec::new();
    let mut by_path: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        by_path.entry(f.path.clone()).or_default().push(i);
    }
    for file in files {
        let suppressions = suppress::parse(&file.file);
        if suppressions.is_empty() {
            continue;
        }
        let indices = by_path.get(&file.file.path).cloned().unwrap_or_default();
        let mut used = vec![BTreeSet::<String>::new(); suppressions.len()];
        for &i in &indices {
            let finding = &mut findings[i];
            let line = file.file.position(finding.span.start()).line;
            let aliases = rules::lookup(finding.rule)
                .map(|m| m.aliases.clone())
                .unwrap_or_default();
            for (k, s) in suppressions.iter().enumerate() {
                if s.covers(finding.rule, &aliases, line) {
                    if finding.suppressed.is_none() {
                        finding.suppressed = Some(s.reason.clone());
                    }
                    for id in &s.ids {
                        if id == finding.rule || aliases.contains(id) {
                            used[k].insert(id.clone());
                        }
                    }
                }
            }
        }
        if !audit {
            continue;
        }
        let mut cx = Ctx::new(UNUSED_SUPPRESSION, Level::Note, &file.file.path);
        for (k, s) in suppressions.iter().enumerate() {
            if s.misplaced {
                cx.report(s.span, "This `ignore-file` suppression is not in the file's first comment block, so it suppresses nothing");
                continue;
            }
            for id in &s.ids {
                match rules::lookup(id) {
                    None => {
                        cx.report(s.span, format!("Suppression names `{id}`, which is not a rule id, so it suppresses nothing"));
                    }
                    Some(m)
                        if !used[k].contains(id)
                            && enabled_ids.contains(m.id.as_str())
                            && m.applies_to_kind(file.kind) =>
                    {
                        cx.report(s.span, format!("Suppression of `{id}` matches no finding on this line or the next; remove it"));
                    }
                    Some(_) => {}
                }
            }
        }
        let mut found = cx.into_findings();
        let by_file: BTreeMap<&str, &FileFacts> =
            [(file.file.path.as_str(), file)].into_iter().collect();
        for f in &mut found {
            f.context = file.context;
        }
        fingerprint::assign(&mut found, &by_file);
        extra.extend(found);
    }
    extra
}
