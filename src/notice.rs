//! Notices: what the scan could not do (a skipped, unreadable or unparsable file), reported in every
//! output format and never fatal. A notice is not a finding.

use serde::Serialize;

/// How loud a notice is: `Warning` is shown by default, `Info` only with `--verbose`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeLevel {
    Info,
    Warning,
}

/// Why a notice was raised; stable kebab-case codes in machine output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    Unreadable,
    NotUtf8,
    Binary,
    TooLarge,
    SpecialFile,
    SymlinkOutsideRoot,
    WalkError,
    ParseError,
    InternalError,
    Config,
    Limit,
    /// A file named on the command line that is none of the kinds the scanner reads.
    Unsupported,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Unreadable => "unreadable",
            NoticeKind::NotUtf8 => "not-utf8",
            NoticeKind::Binary => "binary",
            NoticeKind::TooLarge => "too-large",
            NoticeKind::SpecialFile => "special-file",
            NoticeKind::SymlinkOutsideRoot => "symlink-outside-root",
            NoticeKind::WalkError => "walk-error",
            NoticeKind::ParseError => "parse-error",
            NoticeKind::InternalError => "internal-error",
            NoticeKind::Config => "config",
            NoticeKind::Limit => "limit",
            NoticeKind::Unsupported => "unsupported",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Notice {
    /// Repo-relative path, when the notice is about one file.
    pub path: Option<String>,
    /// 1-based line, when known.
    pub line: Option<u32>,
    pub kind: NoticeKind,
    pub level: NoticeLevel,
    pub message: String,
}

impl Notice {
    pub fn file(path: &str, kind: NoticeKind, message: impl Into<String>) -> Self {
        Notice {
            path: Some(path.to_string()),
            line: None,
            kind,
            level: NoticeLevel::Warning,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    pub fn info(mut self) -> Self {
        self.level = NoticeLevel::Info;
        self
    }
}

/// The known name closest to a misspelt one (`drop-tabel` → `drop-table`), for a did-you-mean
/// hint: at most one edit per three characters (and at least one), ties broken by order.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    known
        .into_iter()
        .filter(|k| *k != word)
        .map(|k| (edit_distance(word, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// ` (did you mean `x`?)` or nothing.
pub fn did_you_mean_hint<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, known).map_or_else(String::new, |k| format!("; did you mean `{k}`?"))
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions), by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Names are short; a long word is nobody's typo of a rule id.
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggestions() {
        let known = [
            "drop-table",
            "drop-column",
            "shell",
            "sql",
            "compose-down-volumes",
        ];
        let k = || known.iter().copied();
        assert_eq!(did_you_mean("drop-tabel", k()), Some("drop-table"));
        assert_eq!(did_you_mean("shel", k()), Some("shell"));
        assert_eq!(
            did_you_mean("compose-down-volume", k()),
            Some("compose-down-volumes")
        );
        assert_eq!(did_you_mean("sqll", k()), Some("sql"));
        assert_eq!(did_you_mean("frobnicate", k()), None);
        assert_eq!(did_you_mean("x", k()), None);
    }
}
