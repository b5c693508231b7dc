//! Passwords in connection strings that are not `scheme://user:password@host` URLs: ADO.NET
//! and JDBC `key=value;` strings (`Server=db;Database=app;User Id=sa;Password=…`,
//! `jdbc:sqlserver://db:1433;user=sa;password=…`), a URL's `?password=` query parameter
//! (`jdbc:postgresql://db/app?user=app&password=…`) and Oracle's thin form
//! (`jdbc:oracle:thin:scott/…@db:1521/orcl`). Only ranges into the text searched are returned,
//! never the text. `crate::knowledge::credentials` asks this module (never the other way): which
//! URL schemes are databases' is its table, handed in.

/// A password found in a connection string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// [`KEYWORD_STRING`], [`ORACLE_THIN`], or a URL's scheme (`postgresql`).
    pub scheme: String,
    /// The user name next to it, when the string says.
    pub user: String,
    /// The password's byte range in the text searched.
    pub start: usize,
    pub end: usize,
}

/// Keywords of a `key=value;` connection string that say where to connect: a `Password=`
/// counts when one of these stands in the same string.
const CONNECTION_KEYWORDS: &[&str] = &[
    "server",
    "data source",
    "datasource",
    "host",
    "hostname",
    "address",
    "addr",
    "network address",
    "database",
    "databasename",
    "initial catalog",
    "dbname",
    "user id",
    "userid",
    "uid",
    "user",
    "username",
    "user name",
    "port",
];

/// Keys that hold the password (compared lower-cased, spaces kept).
const PASSWORD_KEYS: &[&str] = &["password", "pwd"];

/// How messages name a `key=value;` connection string.
pub const KEYWORD_STRING: &str = "connection-string";

/// How messages name an Oracle thin URL (`jdbc:oracle:thin:user/password@…`).
pub const ORACLE_THIN: &str = "oracle-thin";

/// The passwords of `key=value;` connection strings, `?password=` URL parameters and Oracle
/// thin URLs in `text`, in order. Each line of `text` is read on its own. `is_scheme` says
/// whether a URL scheme (driver suffix and `jdbc:` left out) is a database's.
pub fn keyword_passwords(text: &str, is_scheme: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let lower = text.to_ascii_lowercase();
    if !(lower.contains("password") || lower.contains("pwd") || lower.contains("jdbc:oracle")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        semicolon_pairs(body, line_start, &mut out);
        query_params(body, line_start, is_scheme, &mut out);
        oracle_thin(body, line_start, &mut out);
        line_start += line.len();
    }
    out.sort_by_key(|u| u.start);
    out.dedup_by_key(|u| u.start);
    out
}

/// One `key=value` part of a `;`-separated string: the key (lower-cased, trimmed) and the
/// value's byte range in the line (quotes left out).
fn parts(line: &str) -> Vec<(String, usize, usize)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let Some(eq_rel) = line[at..].find(['=', ';']) else {
            break;
        };
        let eq = at + eq_rel;
        if bytes[eq] == b';' {
            at = eq + 1;
            continue;
        }
        let key = line[at..eq].trim().to_ascii_lowercase();
        let mut start = eq + 1;
        while bytes.get(start).is_some_and(|b| *b == b' ' || *b == b'\t') {
            start += 1;
        }
        let (vstart, vend, next) = match bytes.get(start) {
            Some(&q) if q == b'\'' || q == b'"' => {
                let close = line[start + 1..]
                    .find(q as char)
                    .map_or(line.len(), |i| start + 1 + i);
                let next = line[close..]
                    .find(';')
                    .map_or(line.len(), |i| close + i + 1);
                (start + 1, close, next)
            }
            _ => {
                let end = line[start..].find(';').map_or(line.len(), |i| start + i);
                (start, line[start..end].trim_end().len() + start, end + 1)
            }
        };
        out.push((key, vstart, vend));
        at = next;
    }
    out
}

/// `Server=db;User Id=sa;Password=…;` (ADO.NET, JDBC SQL Server properties).
fn semicolon_pairs(line: &str, offset: usize, out: &mut Vec<Found>) {
    if !line.contains(';') {
        return;
    }
    let parts = parts(line);
    let has_place = parts
        .iter()
        .any(|(k, _, _)| CONNECTION_KEYWORDS.contains(&k.as_str()))
        || line.to_ascii_lowercase().contains("jdbc:");
    if parts.len() < 2 || !has_place {
        return;
    }
    let user = parts
        .iter()
        .find(|(k, _, _)| {
            matches!(
                k.as_str(),
                "user id" | "userid" | "uid" | "user" | "username"
            )
        })
        .map(|(_, s, e)| line[*s..*e].to_string())
        .unwrap_or_default();
    for (key, s, e) in &parts {
        if PASSWORD_KEYS.contains(&key.as_str()) && e > s {
            out.push(Found {
                scheme: KEYWORD_STRING.to_string(),
                user: user.clone(),
                start: offset + s,
                end: offset + e,
            });
        }
    }
}

/// `…://host/db?user=app&password=…` in a JDBC or database URL.
fn query_params(line: &str, offset: usize, is_scheme: &dyn Fn(&str) -> bool, out: &mut Vec<Found>) {
    let lower = line.to_ascii_lowercase();
    let mut from = 0;
    while let Some(rel) = lower[from..].find("://") {
        let sep = from + rel;
        from = sep + 3;
        let scheme_start = lower[..sep]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-' | ':')))
            .map_or(0, |i| i + 1);
        let scheme = &lower[scheme_start..sep];
        let base = scheme.rsplit(':').next().unwrap_or(scheme);
        let base = base.split('+').next().unwrap_or(base);
        if !(scheme.starts_with("jdbc:") || is_scheme(base)) {
            continue;
        }
        let end = lower[from..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ','))
            .map_or(lower.len(), |i| from + i);
        let Some(q) = lower[from..end].find('?') else {
            continue;
        };
        let query_start = from + q + 1;
        let mut user = String::new();
        let mut found = Vec::new();
        let mut at = query_start;
        for param in line[query_start..end].split(['&', ';']) {
            let (k, v) = param.split_once('=').unwrap_or((param, ""));
            let k = k.to_ascii_lowercase();
            let vstart = at + k.len() + 1;
            if k == "user" || k == "username" {
                user = v.to_string();
            }
            if PASSWORD_KEYS.contains(&k.as_str()) && !v.is_empty() {
                found.push((vstart, vstart + v.len()));
            }
            at += param.len() + 1;
        }
        for (s, e) in found {
            out.push(Found {
                scheme: base.to_string(),
                user: user.clone(),
                start: offset + s,
                end: offset + e,
            });
        }
        from = end.max(from);
    }
}

/// `jdbc:oracle:thin:user/password@host…`.
fn oracle_thin(line: &str, offset: usize, out: &mut Vec<Found>) {
    let lower = line.to_ascii_lowercase();
    let mut from = 0;
    while let Some(rel) = lower[from..].find("jdbc:oracle:thin:") {
        let start = from + rel + "jdbc:oracle:thin:".len();
        from = start;
        let end = lower[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ','))
            .map_or(lower.len(), |i| start + i);
        let Some(at) = line[start..end].rfind('@') else {
            continue;
        };
        let userinfo = &line[start..start + at];
        let Some(slash) = userinfo.find('/') else {
            continue;
        };
        if slash + 1 < userinfo.len() {
            out.push(Found {
                scheme: ORACLE_THIN.to_string(),
                user: userinfo[..slash].to_string(),
                start: offset + start + slash + 1,
                end: offset + start + at,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, String)> {
        let schemes = |s: &str| matches!(s, "postgres" | "postgresql" | "mysql");
        keyword_passwords(text, &schemes)
            .into_iter()
            .map(|u| (&text[u.start..u.end], u.user))
            .collect()
    }

    #[test]
    fn ado_net_strings() {
        assert_eq!(
            found("Server=db;Database=app;User Id=sa;Password=Str0ng!pw;"),
            [("Str0ng!pw", "sa".to_string())]
        );
        assert_eq!(
            found("Data Source=db,1433;Initial Catalog=x;uid=app;Pwd='a;b'"),
            [("a;b", "app".to_string())]
        );
        assert_eq!(
            found("jdbc:sqlserver://db:1433;databaseName=x;user=sa;password=pw2"),
            [("pw2", "sa".to_string())]
        );
        // Not connection strings.
        assert!(found("password=x").is_empty());
        assert!(found("a=1;password=x").is_empty());
        assert!(found("Server=db;Password=;").is_empty());
    }

    #[test]
    fn query_and_oracle() {
        assert_eq!(
            found("jdbc:postgresql://db:5432/app?user=app&password=pw3&ssl=true"),
            [("pw3", "app".to_string())]
        );
        assert_eq!(
            found("postgres://db/app?password=pw4"),
            [("pw4", String::new())]
        );
        assert!(found("https://example.com/?password=x").is_empty());
        assert_eq!(
            found("jdbc:oracle:thin:scott/tiger@//db:1521/orcl"),
            [("tiger", "scott".to_string())]
        );
        assert!(found("jdbc:oracle:thin:@//db:1521/orcl").is_empty());
    }
}
