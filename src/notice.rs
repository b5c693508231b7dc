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
