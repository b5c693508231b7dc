//! `--diff REF`: keep only findings on lines changed since the merge-base of REF and `HEAD`
//! (`REF...HEAD`, as a pull request shows them), plus uncommitted changes and untracked files.
//! Runs `git` with every setting that changes its output pinned (prefixes, quoted paths, colour,
//! renames, relative paths), and never anything from the repository: external diff drivers,
//! textconv, the fsmonitor hook and every configured clean/smudge/process filter are switched off,
//! so scanning a directory whose `.git/config` names commands never runs them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use crate::outcome::ScanOutcome;

/// Changed (added or modified) lines per path, relative to `root`.
pub type ChangedLines = BTreeMap<String, BTreeSet<u32>>;

/// What a path maps to when every line of it counts as changed (an untracked file).
const WHOLE_FILE: u32 = 0;

/// Settings from the user's or the repository's git config that would change what we parse.
const PINNED: &[&str] = &[
    "core.quotePath=false",
    "diff.noprefix=false",
    "diff.mnemonicPrefix=false",
    "diff.relative=false",
    "diff.external=",
    "color.ui=false",
    "color.diff=false",
    // Commands a repository's own config could make `git diff`/`ls-files` run.
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.pager=cat",
    "core.hooksPath=/dev/null",
    "diff.submodule=short",
    "submodule.recurse=false",
];

/// Environment that could point git at another repository, index or object store.
const UNSET: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
    "GIT_PAGER",
];

/// A git command in `root` with the pinned settings and no filter able to run a command.
fn git(root: &Path, filters: &[String]) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root);
    for setting in PINNED {
        cmd.args(["-c", setting]);
    }
    // An empty `process` makes git skip both the long-running and the clean/smudge command.
    for name in filters {
        for key in ["process", "clean", "smudge"] {
            cmd.arg("-c").arg(format!("filter.{name}.{key}="));
        }
        cmd.arg("-c").arg(format!("filter.{name}.required=false"));
    }
    for var in UNSET {
        cmd.env_remove(var);
    }
    // No system-wide config; never prompt for credentials, never fetch lazily from a promisor remote, never write the
    // index (a refresh would take a lock in the scanned repository).
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_OPTIONAL_LOCKS", "0");
    cmd
}

/// Names of the filter drivers configured for `root` (`filter.<name>.clean` and friends), read
/// without running anything, so that each can be switched off.
fn filter_drivers(root: &Path) -> Vec<String> {
    let Ok(out) = git(root, &[])
        .args([
            "config",
            "--null",
            "--name-only",
            "--get-regexp",
            r"^filter\..*\.(clean|smudge|process)$",
        ])
        .output()
    else {
        return Vec::new();
    };
    let mut names: Vec<String> = out
        .stdout
        .split(|&b| b == 0)
        .filter_map(|key| {
            let key = std::str::from_utf8(key).ok()?.strip_prefix("filter.")?;
            let (name, _) = key.rsplit_once('.')?;
            Some(name.to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn run(cmd: &mut Command) -> Result<Output, String> {
    cmd.output()
        .map_err(|e| format!("--diff needs git, which could not be run: {e}"))
}

fn stderr_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The lines changed under `root` since the merge-base of `reference` and `HEAD`, including
/// uncommitted changes and untracked (not ignored) files.
pub fn changed_lines(root: &Path, reference: &str) -> Result<ChangedLines, String> {
    if reference.is_empty() || reference.starts_with('-') || reference.contains("..") {
        return Err(format!(
            "invalid --diff ref `{reference}` (a branch, tag or commit)"
        ));
    }
    let filters = filter_drivers(root);
    let git = |root: &Path| git(root, &filters);
    let inside = run(git(root).args(["rev-parse", "--is-inside-work-tree"]))?;
    if !inside.status.success() || !String::from_utf8_lossy(&inside.stdout).starts_with("true") {
        return Err(format!(
            "--diff needs a git repository, and {} is not inside one",
            root.display()
        ));
    }
    let base = merge_base(root, reference, &filters)?;
    let diff = run(git(root)
        .args([
            "diff",
            "--no-ext-diff",
            "--no-textconv",
            "--no-color",
            "--no-renames",
            "--unified=0",
            "--relative",
            "--src-prefix=a/",
            "--dst-prefix=b/",
        ])
        .arg(&base)
        .arg("--"))?;
    if !diff.status.success() {
        return Err(format!(
            "git diff {reference} failed: {}",
            stderr_line(&diff)
        ));
    }
    let mut changed = parse(&diff.stdout);
    let untracked =
        run(git(root).args(["ls-files", "--others", "--exclude-standard", "-z", "--"]))?;
    if !untracked.status.success() {
        return Err(format!("git ls-files failed: {}", stderr_line(&untracked)));
    }
    for path in untracked
        .stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
    {
        changed
            .entry(crate::walk::escape_bytes(path))
            .or_default()
            .insert(WHOLE_FILE);
    }
    Ok(changed)
}

/// The commit to compare with: the merge-base of `reference` and `HEAD`. A clear error when the
/// reference is unknown, and a hint when the clone is shallow (CI checkouts are, by default).
fn merge_base(root: &Path, reference: &str, filters: &[String]) -> Result<String, String> {
    let git = |root: &Path| git(root, filters);
    let shallow = || {
        run(git(root).args(["rev-parse", "--is-shallow-repository"]))
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).starts_with("true"))
    };
    let hint =
        "fetch more history (actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`)";
    let verify = run(git(root)
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{reference}^{{commit}}")))?;
    if !verify.status.success() {
        if shallow() {
            return Err(format!(
                "--diff {reference}: no such commit in this shallow clone; {hint}"
            ));
        }
        return Err(format!(
            "--diff {reference}: no such branch, tag or commit in this repository"
        ));
    }
    let commit = String::from_utf8_lossy(&verify.stdout).trim().to_string();
    let base = run(git(root).args(["merge-base", &commit, "HEAD"]))?;
    if base.status.success() {
        return Ok(String::from_utf8_lossy(&base.stdout).trim().to_string());
    }
    let head = run(git(root).args(["rev-parse", "--verify", "--quiet", "HEAD"]))?;
    if !head.status.success() {
        // A repository without commits yet: everything in it is new.
        return Err(format!(
            "--diff {reference}: this repository has no commit yet (HEAD)"
        ));
    }
    if shallow() {
        return Err(format!(
            "--diff {reference}: its merge-base with HEAD is not in this shallow clone; {hint}"
        ));
    }
    Err(format!(
        "--diff {reference}: it has no common history with HEAD"
    ))
}

/// Parse `git diff --unified=0 --src-prefix=a/ --dst-prefix=b/` output (paths may be C-quoted).
/// A hunk's own lines are counted off its header, so that an added line reading `++ x` is never
/// taken for a file header.
pub fn parse(diff: &[u8]) -> ChangedLines {
    let mut out = ChangedLines::new();
    let mut current: Option<String> = None;
    // Lines of the current hunk still to come: (removed, added).
    let mut pending = (0u32, 0u32);
    for line in diff.split(|&b| b == b'\n') {
        if pending != (0, 0) {
            match line.first() {
                Some(b'-') => pending.0 = pending.0.saturating_sub(1),
                Some(b'+') => pending.1 = pending.1.saturating_sub(1),
                Some(b' ') => {
                    pending.0 = pending.0.saturating_sub(1);
                    pending.1 = pending.1.saturating_sub(1);
                }
                // `\ No newline at end of file`
                Some(b'\\') => {}
                // Not a hunk line: the counts were off; read it as a header.
                _ => pending = (0, 0),
            }
            if pending != (0, 0) || matches!(line.first(), Some(b'-' | b'+' | b' ' | b'\\')) {
                continue;
            }
        }
        if let Some(path) = line.strip_prefix(b"+++ ") {
            let path = path.strip_suffix(b"\t").unwrap_or(path);
            current = unquote(path)
                .and_then(|p| p.strip_prefix(b"b/").map(<[u8]>::to_vec))
                .map(|p| crate::walk::escape_bytes(&p));
            continue;
        }
        let Some(hunk) = line.strip_prefix(b"@@ ") else {
            continue;
        };
        let hunk = String::from_utf8_lossy(hunk);
        // @@ -a,b +c,d @@
        let range = |sign: char| {
            let word = hunk.split_whitespace().find(|w| w.starts_with(sign))?;
            let word = &word[1..];
            Some(match word.split_once(',') {
                Some((s, c)) => (s.parse::<u32>().ok()?, c.parse::<u32>().ok()?),
                None => (word.parse::<u32>().ok()?, 1),
            })
        };
        let (Some((_, removed)), Some((start, added))) = (range('-'), range('+')) else {
            continue;
        };
        pending = (removed, added);
        let Some(path) = &current else {
            continue;
        };
        if added == 0 {
            continue;
        }
        let lines = out.entry(path.clone()).or_default();
        for l in start.max(1)..start.saturating_add(added) {
            lines.insert(l);
        }
    }
    out
}

/// A path as git prints it: as is, or C-quoted (`"b/a\tb.sh"`, octal escapes for bytes) when it
/// holds a quote, a backslash or a control character. `None` for a malformed quoted path.
fn unquote(path: &[u8]) -> Option<Vec<u8>> {
    let Some(inner) = path.strip_prefix(b"\"").and_then(|p| p.strip_suffix(b"\"")) else {
        return Some(path.to_vec());
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut bytes = inner.iter().copied();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let escaped = bytes.next()?;
        out.push(match escaped {
            b'a' => 0x07,
            b'b' => 0x08,
            b't' => b'\t',
            b'n' => b'\n',
            b'v' => 0x0b,
            b'f' => 0x0c,
            b'r' => b'\r',
            b'0'..=b'3' => {
                let d2 = bytes.next()?;
                let d3 = bytes.next()?;
                if !(b'0'..=b'7').contains(&d2) || !(b'0'..=b'7').contains(&d3) {
                    return None;
                }
                (escaped - b'0') * 64 + (d2 - b'0') * 8 + (d3 - b'0')
            }
            other => other,
        });
    }
    Some(out)
}

/// Drop findings whose primary line did not change.
pub fn retain_changed(outcome: &mut ScanOutcome, changed: &ChangedLines) {
    let sources = &outcome.sources;
    outcome.findings.retain(|f| {
        let Some(lines) = changed.get(&f.path) else {
            return false;
        };
        if lines.contains(&WHOLE_FILE) {
            return true;
        }
        let Some(text) = sources.get(&f.path) else {
            return false;
        };
        let line = crate::source::LineIndex::new(text)
            .position(text, f.span.start())
            .line;
        lines.contains(&line)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks() {
        let diff = "diff --git a/stop.sh b/stop.sh\n--- a/stop.sh\n+++ b/stop.sh\n@@ -3,0 +4,2 @@\n+a\n+b\n@@ -9 +11 @@\n-x\n+y\n@@ -20,2 +21,0 @@\n-gone\n-gone2\n--- a/gone.sh\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n";
        let c = parse(diff.as_bytes());
        assert_eq!(c["stop.sh"].iter().copied().collect::<Vec<_>>(), [4, 5, 11]);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn quoted_paths() {
        let diff = b"+++ \"b/a\\tb \\\"q\\\".sh\"\n@@ -1 +1 @@\n-x\n+y\n+++ \"b/caf\\303\\251.sh\"\n@@ -0,0 +1 @@\n+z\n+++ b/plain \xc3\xa9.sh\t\n@@ -0,0 +2,2 @@\n+++ not a header\n+w\n";
        let c = parse(diff);
        let paths: Vec<&str> = c.keys().map(String::as_str).collect();
        assert_eq!(paths, ["a\tb \"q\".sh", "café.sh", "plain é.sh"]);
        assert_eq!(c["plain é.sh"].len(), 2);
        assert_eq!(unquote(b"\"b/x\\\""), None);
        // A name that is not UTF-8 is named as the walk names it.
        let raw =
            parse(b"+++ b/\xff.sh\n@@ -0,0 +1 @@\n+x\n+++ \"b/\\376.sh\"\n@@ -0,0 +1 @@\n+y\n");
        let paths: Vec<&str> = raw.keys().map(String::as_str).collect();
        assert_eq!(paths, ["\\xFE.sh", "\\xFF.sh"]);
        assert_eq!(unquote(b"\"b/\\39x\""), None);
    }
}
