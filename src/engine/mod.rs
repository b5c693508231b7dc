//! The engine: resolve options once, walk, read and decode each file once, run the front-ends in
//! parallel, build the cross-file analysis, run the rules, resolve levels (context, guards),
//! apply inline suppressions and return sorted findings and notices. The only layer that sees
//! every other one; it never prints.
//!
//! - [`options`]: everything resolved from [`ScanOptions`] and the config, once;
//! - [`read`]: one read, one decode and one front-end run per file;
//! - [`phases`]: per-file, whole-repository and post rules, each with its panic caught;
//! - [`finalize`]: levels, fingerprints and suppressions;
//! - [`debug_facts`]: what the front-ends made of each file (`--debug-facts`).

pub mod baseline;
mod debug;
pub mod diff;
mod finalize;
mod options;
mod phases;
mod read;
mod scrub;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::analysis::repo::RepoFacts;
use crate::classify::NameClass;
use crate::config::{Config, RuleNames};
use crate::model::FileFacts;
use crate::notice::{Notice, NoticeKind};
use crate::source::Encoding;
use crate::walk::Candidate;

pub use crate::outcome::ScanOutcome;
pub use debug::debug_facts;
use finalize::{Suppressions, finalize};
use options::Resolved;
use phases::{run_post_rules, run_rules};
use read::analyse_file;

/// Stack of each worker thread: every recursion over input has a depth limit, and this leaves
/// them a wide margin (memory is only committed as a stack grows).
pub const WORKER_STACK_SIZE: usize = 64 * 1024 * 1024;

/// Files larger than this are skipped with a notice unless configured otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Things that stop a scan (exit status 2). Per-file problems are notices, not errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("path does not exist: {0}")]
    PathNotFound(PathBuf),
    #[error("{0}")]
    Config(String),
    /// The name, and a did-you-mean hint (or nothing).
    #[error("unknown rule or pack `{0}`{1} (see --list-rules)")]
    UnknownRule(String, String),
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
    /// A file list scanned as part of its repository: `paths` holds one directory (the
    /// repository's root), every file under it gives the cross-file facts, and findings and
    /// notices are reported only for these root-relative paths (pre-commit, editors).
    pub only: Vec<String>,
    /// The text of one of `only`, read from standard input instead of the file (`-` with
    /// `--stdin-filename`); the file need not exist.
    pub stdin: Option<(String, Vec<u8>)>,
    /// The scan root's path relative to the config file's directory (`services/api`; empty when
    /// they are the same): the config's globs are relative to its own directory.
    pub root_in_config: String,
    /// Counts the files read so far, for a progress indicator.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
}

/// The rule ids (and aliases) and packs a config file may name, from the rule registry.
pub fn rule_names() -> Result<RuleNames, Error> {
    options::rule_names()
}

/// Read a config file, checking the rule ids it names against the registry.
pub fn load_config(path: &Path) -> Result<Config, String> {
    let names = rule_names().map_err(|e| e.to_string())?;
    Config::load(path, &names)
}

/// The worker pool for `threads` (0: one per core), built on first use and kept: a caller that
/// scans again (an editor integration, the fuzz targets) reuses it rather than starting threads
/// per scan that rayon stops only asynchronously once the pool is dropped. `-j` is capped, so
/// there are few.
fn worker_pool(threads: usize) -> Result<std::sync::Arc<rayon::ThreadPool>, Error> {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex, OnceLock, PoisonError};
    static POOLS: OnceLock<Mutex<BTreeMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(pool) = pools.get(&threads) {
        return Ok(pool.clone());
    }
    let pool = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(WORKER_STACK_SIZE)
            .build()
            .map_err(|e| Error::Threads(e.to_string()))?,
    );
    pools.insert(threads, pool.clone());
    Ok(pool)
}

/// Run a scan. Findings are sorted by (path, offset, rule); output built from it is deterministic.
pub fn scan(opts: &ScanOptions) -> Result<ScanOutcome, Error> {
    let started = Instant::now();
    let setup = Resolved::new(opts)?;
    let pool = worker_pool(opts.threads)?;
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    let mut outcome = ScanOutcome {
        enabled_rules: setup
            .enabled
            .iter()
            .map(|&i| crate::rules::RULES[i].id)
            .collect(),
        ..ScanOutcome::default()
    };
    for path in &paths {
        if !path.exists() {
            return Err(Error::PathNotFound(path.clone()));
        }
        let part = pool.install(|| scan_root(path, &setup))?;
        outcome.merge(part);
    }
    outcome.sort();
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

/// What one PATH argument turns into: the root it is scanned from, the files to read there, and
/// the walk's notices.
pub(crate) struct Found {
    root: PathBuf,
    /// For a file argument: its path as reported (from the working directory).
    only: Option<String>,
    pub candidates: Vec<Candidate>,
    notices: Vec<Notice>,
}

/// Walk one PATH. A file argument is scanned alone, with its directory as the root.
pub(crate) fn candidates(path: &Path, setup: &Resolved) -> Result<Found, Error> {
    // Anything that is not a directory (a FIFO or a device too) is a file argument, so that its
    // notice names it once (`p.sh`, not `p.sh/p.sh`).
    let (root, only): (PathBuf, Option<String>) = if path.exists() && !path.is_dir() {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let root = parent.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let name = path
            .file_name()
            .map(crate::walk::name_of)
            .unwrap_or_default();
        (root, Some(name))
    } else {
        (path.to_path_buf(), None)
    };
    // A file argument: list its directory's own entries, never the tree below it.
    let walk_opts = setup.walk_options(only.is_some());
    let (mut candidates, mut notices) =
        crate::walk::walk(&root, &walk_opts).map_err(Error::Walk)?;
    let Some(name) = only else {
        return Ok(Found {
            root,
            only: None,
            candidates,
            notices,
        });
    };
    // A file argument keeps its path from the working directory (`db/migrations/0002_x.sql`, as
    // a pre-commit hook passes it), so that its kind, context and migration layout are read as in
    // a scan of the whole tree.
    let full = match crate::walk::cwd_relative(&root) {
        Some(dir) if setup.file_paths_from_cwd && !dir.is_empty() => format!("{dir}/{name}"),
        _ => name.clone(),
    };
    candidates.retain(|c| c.rel == name);
    notices.retain(|n| n.path.as_deref() == Some(name.as_str()));
    for n in &mut notices {
        n.path = Some(full.clone());
    }
    // A name the walk skipped (ignored, excluded) or let through as a link inside the root is
    // still never opened unless it is a regular file inside the root.
    if notices.is_empty()
        && let Some(notice) = crate::walk::named_file_notice(path, &root, &full)
    {
        notices.push(notice);
    }
    // The walk's notice (a link out of the root, a FIFO) stands: the file is not read.
    if notices.is_empty() {
        // Named explicitly: analyse it even if its name says nothing, by its content (a shell
        // shebang). A name the walk would skip (`notes.txt`) is sniffed too, never taken for a
        // script without one.
        let class = match crate::classify::classify_name(&full) {
            NameClass::Skip | NameClass::Deferred => NameClass::Sniff,
            class => class,
        };
        candidates = vec![Candidate {
            rel: full.clone(),
            abs: path.to_path_buf(),
            class,
        }];
    }
    Ok(Found {
        root,
        only: Some(full),
        candidates,
        notices,
    })
}

/// A file list in its repository: walk the whole root (the cross-file facts come from every
/// file), and make sure every named file is read, even one the walk skips by its name (a script
/// without a shebang the user named) or one that exists only on standard input.
fn candidates_for_list(root: &Path, setup: &Resolved) -> Result<Found, Error> {
    let (mut candidates, mut notices) =
        crate::walk::walk(root, &setup.walk_options(false)).map_err(Error::Walk)?;
    for rel in &setup.only {
        if candidates.iter().any(|c| &c.rel == rel)
            || notices
                .iter()
                .any(|n| n.path.as_deref() == Some(rel.as_str()))
        {
            continue;
        }
        let abs = root.join(rel);
        let from_stdin = setup.stdin.as_ref().is_some_and(|(name, _)| name == rel);
        let class = match crate::classify::classify_name(rel) {
            NameClass::Skip => NameClass::Sniff,
            class => class,
        };
        if from_stdin || (crate::classify::classify_name(rel) == NameClass::Skip && abs.is_file()) {
            candidates.push(Candidate {
                rel: rel.clone(),
                abs,
                class,
            });
        } else if abs.exists() {
            // The walk left it out: `.gitignore`, `.ignore` or an exclude pattern. A whole-tree
            // scan skips it too.
            notices.push(
                Notice::file(
                    rel,
                    NoticeKind::Unsupported,
                    "skipped: excluded by .gitignore or an exclude pattern",
                )
                .info(),
            );
        }
    }
    candidates.sort();
    Ok(Found {
        root: root.to_path_buf(),
        only: None,
        candidates,
        notices,
    })
}

/// Read the deferred program files that a command of the files read so far runs (`node
/// tools/nuke.js` in `package.json`, a Procfile, a Dockerfile, a script), and put them in path
/// order among the others.
fn read_programs_run(
    files: &mut Vec<FileFacts>,
    deferred: Vec<Candidate>,
    setup: &Resolved,
    notices: &mut Vec<Notice>,
) {
    if deferred.is_empty() {
        return;
    }
    let paths: Vec<&str> = deferred.iter().map(|c| c.rel.as_str()).collect();
    let run = crate::analysis::programs::programs_run(files, &paths);
    if run.is_empty() {
        return;
    }
    let chosen: Vec<&Candidate> = deferred
        .iter()
        .filter(|c| run.contains(c.rel.as_str()))
        .collect();
    let (facts, file_notices) = extract_all(chosen.into_par_iter(), setup);
    notices.extend(file_notices.into_iter().flatten());
    files.extend(facts.into_iter().flatten());
    files.sort_by(|a, b| a.file.path.cmp(&b.file.path));
}

/// Read, classify and extract facts: one file per task, order kept. Facts and notices come back
/// in two vectors, so that the facts become the file list in place (no second copy of every
/// file's facts while it is built).
fn extract_all<'c>(
    candidates: impl IndexedParallelIterator<Item = &'c Candidate>,
    setup: &Resolved,
) -> (Vec<Option<FileFacts>>, Vec<Vec<Notice>>) {
    candidates
        .map(|c| {
            let mut result = analyse_file(c, setup);
            // Release what no rule reads while the file is still hot in this worker's cache.
            if let Some(facts) = &mut result.0 {
                facts.compact();
            }
            if let Some(progress) = &setup.progress {
                progress.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            result
        })
        .unzip()
}

/// The facts of the files read, in the vector that held them: `Option<FileFacts>` has the size of
/// `FileFacts`, so collecting through `filter_map` reuses the allocation (`flatten` builds a
/// second vector, a copy of every file's facts at the peak of the scan).
#[allow(clippy::filter_map_identity)]
fn present(facts: Vec<Option<FileFacts>>) -> Vec<FileFacts> {
    facts.into_iter().filter_map(|f| f).collect()
}

fn scan_root(path: &Path, setup: &Resolved) -> Result<ScanOutcome, Error> {
    let Found {
        root,
        only,
        candidates,
        mut notices,
    } = if setup.only.is_empty() {
        candidates(path, setup)?
    } else {
        candidates_for_list(path, setup)?
    };
    // Program files outside the program folders wait: only those a command runs are read.
    let (deferred, candidates): (Vec<Candidate>, Vec<Candidate>) = candidates
        .into_iter()
        .partition(|c| c.class == NameClass::Deferred);

    let (facts, file_notices) = extract_all(candidates.par_iter(), setup);
    // The walk's list is not read again: give it back before the cross-file passes.
    drop(candidates);
    notices.extend(file_notices.into_iter().flatten());
    let mut files = present(facts);
    read_programs_run(&mut files, deferred, setup, &mut notices);
    for facts in &mut files {
        notices.append(&mut facts.notices);
    }
    // Cross-file facts: SQL files Liquibase changesets run take the changeset's direction; a
    // drop-if-exists before a table's first creation in its set drops nothing.
    crate::analysis::migrations::apply_sql_files(&mut files);
    crate::analysis::migrations::mark_first_creations(&mut files);
    if let Some(only) = &only
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

    // `. ./_lib.sh`: the variables a sourced script sets reach the commands after the line.
    crate::analysis::sourced::import_sourced_variables(&mut files);
    // A script only test runs call (or only a database's first start runs) is part of that setup.
    crate::analysis::callers::inherit_caller_contexts(&mut files, &setup.backup_catalog);
    // Compose services built from the repository's Dockerfiles run their base images.
    let table = setup
        .stateful
        .as_ref()
        .unwrap_or_else(|| crate::knowledge::stateful::StatefulTable::builtin());
    crate::frontends::compose::resolve_builds(&mut files, table);

    // Compose names a project at the root after the root directory.
    let root_name = std::fs::canonicalize(&root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    let mut repo = RepoFacts::build_with_root(&files, root_name.as_deref());
    if !setup.password_variables.is_empty() {
        let names = &setup.password_variables;
        repo.add_password_refs(&files, &|n| {
            crate::knowledge::credentials::is_listed(names, n)
        });
    }
    repo.backup_catalog = setup.backup_catalog.clone();
    repo.fresh_database_sql = crate::analysis::backup::sql_files_on_fresh_database(&files);
    repo.framework = setup.framework.clone();

    // Every rule runs (post rules read the others' findings); selection filters the output.
    let mut findings = run_rules(&files, &repo, setup, &mut notices);
    finalize(&mut findings, &files, setup);
    // Suppressions are marked before the post rules run: a step whose own finding a person
    // suppressed was judged intended, and the rules reading findings see that.
    let mut suppressions = Suppressions::read(&files);
    suppressions.mark(&mut findings, &files);
    let mut post = run_post_rules(&files, &repo, &findings, setup, &mut notices);
    finalize(&mut post, &files, setup);
    suppressions.mark(&mut post, &files);
    // `ignore[compose-down-volumes, destructive-without-backup]` names two rules that fire on
    // the same line; the second stays quiet only because the first finding is suppressed. Ask
    // the rules reading findings what they would have said, so that it is not "unused".
    if suppressions.names_unused_post_rule() {
        let mut unsuppressed = findings.clone();
        for f in &mut unsuppressed {
            f.suppressed = None;
        }
        let mut ignored = Vec::new();
        let mut would = run_post_rules(&files, &repo, &unsuppressed, setup, &mut ignored);
        finalize(&mut would, &files, setup);
        suppressions.mark(&mut would, &files);
    }
    findings.extend(post);
    findings.retain(|f| setup.enabled_ids.contains(f.rule));
    findings.extend(suppressions.audit(&files, setup));
    let mut files_scanned = files.len();
    if !setup.only.is_empty() {
        let named = |p: &str| setup.only.iter().any(|o| o == p);
        findings.retain(|f| named(&f.path));
        notices.retain(|n| n.path.as_deref().is_none_or(named));
        files_scanned = files.iter().filter(|f| named(&f.file.path)).count();
        for rel in &setup.only {
            let read = files.iter().any(|f| &f.file.path == rel);
            let told = notices
                .iter()
                .any(|n| n.path.as_deref() == Some(rel.as_str()));
            if !read && !told {
                let notice = Notice::file(
                    rel,
                    NoticeKind::Unsupported,
                    "skipped: not a kind of file the scanner reads (by its name, or a shell shebang)",
                );
                // One file named is a question about it; a list (pre-commit's) names everything.
                notices.push(if setup.only.len() > 1 {
                    notice.info()
                } else {
                    notice
                });
            }
        }
    }
    scrub::scrub_secrets(&mut findings, &files);

    // Keep the text of files with findings for snippets and line hashes, with secrets masked.
    let wanted: BTreeSet<&str> = findings
        .iter()
        .flat_map(|f| {
            std::iter::once(f.path.as_str()).chain(f.related.iter().map(|r| r.path.as_str()))
        })
        .collect();
    let with_findings = || {
        files
            .iter()
            .filter(|f| wanted.contains(f.file.path.as_str()))
    };
    Ok(ScanOutcome {
        sources: with_findings()
            .map(|f| (f.file.path.clone(), f.redacted_text()))
            .collect(),
        masked: with_findings()
            .filter(|f| !f.secrets.is_empty())
            .map(|f| (f.file.path.clone(), f.secrets.clone()))
            .collect(),
        encodings: with_findings()
            .filter(|f| f.file.encoding != Encoding::Utf8)
            .map(|f| (f.file.path.clone(), f.file.encoding))
            .collect(),
        findings,
        notices,
        files_scanned,
        ..ScanOutcome::default()
    })
}
