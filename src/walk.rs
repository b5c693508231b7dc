//! Discovery: the one place that builds the `ignore` walker. `.gitignore`/`.ignore` honoured
//! (unless `--no-ignore`), hidden files included, `.git/` never entered, symbolic links never
//! followed, user excludes applied. Each entry is classified by name here, so files the scanner
//! does not analyse are never opened. Walk problems become notices; the result is sorted.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

use crate::classify::{NameClass, classify_name};
use crate::notice::{Notice, NoticeKind};

/// A file to analyse.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Repo-relative path with `/` separators (the sort key).
    pub rel: String,
    pub abs: PathBuf,
    pub class: NameClass,
}

/// How to walk.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    pub exclude: Vec<String>,
    pub no_ignore: bool,
    pub threads: usize,
    /// Only descend this many levels (`Some(1)`: the root's own entries). A file argument is
    /// scanned from its directory, which must not mean walking everything under it.
    pub max_depth: Option<usize>,
}

/// Walk `root` and return the candidates (sorted by path) and the notices.
pub fn walk(root: &Path, opts: &WalkOptions) -> Result<(Vec<Candidate>, Vec<Notice>), String> {
    let mut overrides = OverrideBuilder::new(root);
    for glob in &opts.exclude {
        let glob = glob.trim();
        if glob.is_empty() {
            continue;
        }
        // An override glob whitelists; `!glob` excludes (gitignore syntax otherwise).
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| format!("invalid --exclude pattern `{glob}`: {e}"))?;
    }
    let overrides = overrides
        .build()
        .map_err(|e| format!("invalid --exclude patterns: {e}"))?;

    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(!opts.no_ignore)
        .ignore(!opts.no_ignore)
        .git_ignore(!opts.no_ignore)
        .git_global(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .require_git(false)
        .follow_links(false)
        .overrides(overrides)
        .threads(opts.threads)
        .max_depth(opts.max_depth)
        .filter_entry(|entry| entry.file_name() != ".git");

    let root_canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let found: Mutex<(Vec<Candidate>, Vec<Notice>)> = Mutex::new((Vec::new(), Vec::new()));
    builder.build_parallel().run(|| {
        let found = &found;
        let root_canonical = &root_canonical;
        Box::new(move |entry| {
            let outcome = visit(entry, root, root_canonical);
            if let Some(outcome) = outcome {
                let mut guard = found.lock().unwrap_or_else(|p| p.into_inner());
                match outcome {
                    Ok(c) => guard.0.push(c),
                    Err(n) => guard.1.push(n),
                }
            }
            WalkState::Continue
        })
    });
    let (mut candidates, mut notices) = found.into_inner().unwrap_or_else(|p| p.into_inner());
    candidates.sort();
    candidates.dedup_by(|a, b| a.rel == b.rel);
    notices.sort();
    Ok((candidates, notices))
}

fn visit(
    entry: Result<ignore::DirEntry, ignore::Error>,
    root: &Path,
    root_canonical: &Path,
) -> Option<Result<Candidate, Notice>> {
    let entry = match entry {
        Ok(e) => e,
        Err(err) => {
            let path = walk_error_path(&err).map(|p| relative(root, &p));
            return Some(Err(Notice {
                path,
                line: None,
                kind: NoticeKind::WalkError,
                level: crate::notice::NoticeLevel::Warning,
                message: format!("could not walk: {}", strip_path(&err.to_string())),
            }));
        }
    };
    let file_type = entry.file_type()?;
    if file_type.is_dir() {
        return None;
    }
    let rel = relative(root, entry.path());
    if file_type.is_symlink() {
        // Never follow links; say so when one points outside the scan root.
        return match entry.path().canonicalize() {
            Ok(target) if !target.starts_with(root_canonical) => Some(Err(Notice::file(
                &rel,
                NoticeKind::SymlinkOutsideRoot,
                "skipped: symbolic link pointing outside the scan root",
            ))),
            Ok(_) => None,
            Err(_) => Some(Err(Notice::file(
                &rel,
                NoticeKind::SymlinkOutsideRoot,
                "skipped: broken or looping symbolic link",
            )
            .info())),
        };
    }
    if !file_type.is_file() {
        return Some(Err(Notice::file(
            &rel,
            NoticeKind::SpecialFile,
            "skipped: not a regular file (device, FIFO or socket)",
        )));
    }
    match classify_name(&rel) {
        NameClass::Skip => None,
        class => Some(Ok(Candidate {
            rel,
            abs: entry.into_path(),
            class,
        })),
    }
}

/// Why a file named on the command line must not be opened, if it must not: a symbolic link
/// that leaves `root` (or is broken), or anything but a regular file (a FIFO would block the
/// scan forever, a device never ends). Checked without opening or following anything out of
/// the root, whatever the ignore files and excludes say of the name.
pub fn named_file_notice(path: &Path, root: &Path, rel: &str) -> Option<Notice> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let meta = if meta.file_type().is_symlink() {
        let root_canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        match path.canonicalize() {
            Ok(target) if target.starts_with(&root_canonical) => std::fs::metadata(&target).ok()?,
            Ok(_) => {
                return Some(Notice::file(
                    rel,
                    NoticeKind::SymlinkOutsideRoot,
                    "skipped: symbolic link pointing outside the scan root",
                ));
            }
            Err(_) => {
                return Some(Notice::file(
                    rel,
                    NoticeKind::SymlinkOutsideRoot,
                    "skipped: broken or looping symbolic link",
                ));
            }
        }
    } else {
        meta
    };
    (!meta.is_file()).then(|| {
        Notice::file(
            rel,
            NoticeKind::SpecialFile,
            "skipped: not a regular file (device, FIFO or socket)",
        )
    })
}

/// Open a file for reading without blocking: a FIFO put where a regular file was seen opens at
/// once (callers then refuse it by its type) instead of waiting for a writer forever.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

/// The message of an `ignore` error without its absolute path prefix.
fn strip_path(message: &str) -> String {
    message
        .rsplit_once(": ")
        .map_or(message, |(_, m)| m)
        .to_string()
}

/// A file name as a report shows it: as is when it is UTF-8; otherwise each byte that is not
/// part of a UTF-8 character is written `\xHH`, so that two names differing only in such bytes
/// stay two files (a lossy conversion would make `\xff.sql` and `\xfe.sql` one `\u{fffd}.sql`).
pub fn name_of(name: &std::ffi::OsStr) -> String {
    if let Some(text) = name.to_str() {
        return text.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        escape_bytes(name.as_bytes())
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// Bytes as text: UTF-8 runs as they are, any other byte as `\xHH`.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// Repo-relative path with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(name_of(s)),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        path.file_name().map(name_of).unwrap_or_default()
    } else {
        parts.join("/")
    }
}

/// A directory's path relative to the working directory, `/`-separated (`""` for the working
/// directory itself); `None` when it lies outside it (or can only be reached through `..`).
pub fn cwd_relative(dir: &Path) -> Option<String> {
    let rel = if dir.is_absolute() {
        let cwd = std::env::current_dir().ok()?;
        dir.strip_prefix(cwd).ok()?.to_path_buf()
    } else {
        dir.to_path_buf()
    };
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            std::path::Component::Normal(s) => parts.push(name_of(s)),
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}
