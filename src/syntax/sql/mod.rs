//! SQL below meaning: the dialects, shell placeholders blanked at the same length, the dialect a
//! file is written in, the splitter and tokeniser (`split`), and the sqlparser wrapper (`parse`).
//! What a statement does to data is read by the SQL front-end, never here.

pub mod parse;
pub mod split;

/// The SQL dialect a text is read in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SqlDialect {
    #[default]
    Postgres,
    MySql,
    Sqlite,
}

/// Guess the dialect of a `.sql` file from its path and content.
pub fn detect_dialect(path: &str, text: &str) -> SqlDialect {
    let head = prefix(text, 4096).to_ascii_lowercase();
    for line in head.lines().take(20) {
        if let Some(rest) = line.trim().strip_prefix("-- dialect:") {
            match rest.trim() {
                "mysql" | "mariadb" => return SqlDialect::MySql,
                "sqlite" => return SqlDialect::Sqlite,
                "postgres" | "postgresql" => return SqlDialect::Postgres,
                _ => {}
            }
        }
    }
    let lower_path = path.to_ascii_lowercase();
    if lower_path.contains("mysql") || lower_path.contains("mariadb") {
        return SqlDialect::MySql;
    }
    if lower_path.contains("sqlite") {
        return SqlDialect::Sqlite;
    }
    let mysql_hints = [
        "-- mysql dump",
        "-- mariadb dump",
        "/*!40101",
        "engine=",
        "auto_increment",
        "lock tables",
    ];
    let sample = prefix(text, 65536).to_ascii_lowercase();
    // Backticks quote identifiers only in MySQL code; in comments and strings they are prose
    // (Prisma's SQLite migrations open with a `/* Warnings: … the column `tag` … */` block).
    if mysql_hints.iter().any(|h| sample.contains(h))
        || (sample.contains('`') && code_outside_comments(&sample).contains('`'))
    {
        return SqlDialect::MySql;
    }
    if sample.contains("pragma ") || sample.contains("autoincrement") {
        return SqlDialect::Sqlite;
    }
    SqlDialect::Postgres
}

/// The `.sql` files the differential tests read: every fixture, and the files under
/// `$DLS_SQL_CORPUS` when it is set, each with its path below the folder it was found in.
#[cfg(test)]
pub(crate) fn corpus() -> Vec<(std::path::PathBuf, String)> {
    fn sql_files(
        root: &std::path::Path,
        dir: &std::path::Path,
        out: &mut Vec<(std::path::PathBuf, String)>,
    ) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                sql_files(root, &p, out);
            } else if p.extension().is_some_and(|x| x == "sql") {
                let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
                out.push((p, rel));
            }
        }
    }
    let mut files = Vec::new();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    sql_files(&fixtures, &fixtures, &mut files);
    if let Some(extra) = std::env::var_os("DLS_SQL_CORPUS") {
        let extra = std::path::PathBuf::from(extra);
        sql_files(&extra, &extra, &mut files);
    }
    files
}

/// The first `max` bytes of `text`, cut back to a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `text` without `--` line comments, `/* … */` block comments (MySQL's `/*! … */` versioned
/// comments are code and stay) and single-quoted strings: what a dialect guess may look at.
fn code_outside_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("--") {
            rest = rest.find('\n').map_or("", |i| &rest[i..]);
        } else if rest.starts_with("/*") && !rest.starts_with("/*!") {
            rest = rest[2..].find("*/").map_or("", |i| &rest[i + 4..]);
        } else if c == '\'' {
            rest = rest[1..].find('\'').map_or("", |i| &rest[i + 2..]);
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Replace shell expansions (`$DB`, `${DB}`, `$(cmd)`, `$1`) with identifier characters of the
/// same byte length, so the SQL lexes and parses and every offset stays put. `$$` and `$tag$`
/// dollar quotes are kept.
pub fn substitute_placeholders(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for byte in &mut out[from..to.min(b.len())] {
            if !(byte.is_ascii_alphanumeric() || *byte == b'_') {
                *byte = b'_';
            }
        }
    };
    while i < b.len() {
        // Jump to the next `$` (most texts hold none, or a few).
        match memchr::memchr(b'$', &b[i..]) {
            Some(k) => i += k,
            None => break,
        }
        let next = b.get(i + 1).copied();
        match next {
            Some(b'{') | Some(b'(') => {
                let (open, close) = if next == Some(b'{') {
                    (b'{', b'}')
                } else {
                    (b'(', b')')
                };
                let mut depth = 0;
                let mut j = i + 1;
                while j < b.len() {
                    if b[j] == open {
                        depth += 1;
                    } else if b[j] == close {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                let end = (j + 1).min(b.len());
                blank(&mut out, i, end);
                i = end;
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if b.get(j) == Some(&b'$') {
                    // `$tag$`: a dollar quote, not an expansion.
                    i = j + 1;
                    continue;
                }
                blank(&mut out, i, j);
                i = j;
            }
            Some(c) if c.is_ascii_digit() => {
                blank(&mut out, i, i + 2);
                i += 2;
            }
            Some(b'$') => i += 2,
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced by ASCII, so the text stays valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}
