//! Token-level reading of one statement: which destructive or structural verb it is, the objects it
//! names *as written* (placeholders included) and the byte range of the offending clause.
//!
//! This reads every statement, parsed or not: for a statement sqlparser can read, `parse.rs`
//! confirms and refines the result; for one it cannot read, this is all there is, so `DROP DATABASE`
//! is never missed because of exotic syntax around it. It knows nothing about files or rules.

use crate::frontends::sql::split::{Token, TokenKind};
use crate::frontends::sql::{AlterAction, ObjectKind, SchemaOp, SqlDialect, SqlName};
use crate::model::types::TypeSpec;
use crate::source::Span;

/// What the tokens of one statement say, with ranges in statement-text coordinates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub kind: SchemaOp,
    /// The offending clause (`DROP TABLE users`, `DROP COLUMN email`).
    pub clause: (usize, usize),
}

/// Read a statement. `sub` is the text as lexed (placeholders substituted), `orig` the text as
/// written (same length): names come from `orig`.
pub fn read(tokens: &[Token], sub: &str, orig: &str, dialect: SqlDialect) -> Vec<Reading> {
    let cur = Cursor {
        toks: tokens,
        sub,
        orig,
        dialect,
    };
    let Some(first) = tokens.first() else {
        return Vec::new();
    };
    let kw = first.text(sub).to_ascii_lowercase();
    match kw.as_str() {
        "drop" => cur.drop(0).into_iter().collect(),
        "truncate" => cur.truncate(0).into_iter().collect(),
        "delete" => cur.delete(0).into_iter().collect(),
        "update" => cur.update(0).into_iter().collect(),
        "alter" => cur.alter(0),
        "rename" => cur.rename_table(0),
        "create" => cur.create(0).into_iter().collect(),
        "select" => cur.select_into(0).into_iter().collect(),
        "with" => cur.with_statement(),
        _ => Vec::new(),
    }
}

/// `INSERT INTO a … SELECT … FROM b` or `CREATE [TEMPORARY] TABLE a AS SELECT … FROM b`: the
/// keys of `a` and `b`.
pub fn insert_select(tokens: &[Token], sub: &str, orig: &str) -> Option<(String, String)> {
    let cur = Cursor {
        toks: tokens,
        sub,
        orig,
        dialect: SqlDialect::Postgres,
    };
    // Most statements (a dump's or a seed file's `INSERT … VALUES`) hold no `SELECT` at all:
    // nothing to read, and no name to copy out.
    if !tokens.iter().any(|t| t.is_kw(sub, "select")) {
        return None;
    }
    let start = if cur.kw(0, "insert") && cur.kw(1, "into") {
        2
    } else if cur.kw(0, "create") {
        let mut i = 1;
        while cur.kw(i, "temporary") || cur.kw(i, "temp") {
            i += 1;
        }
        if !cur.kw(i, "table") {
            return None;
        }
        let (i, _) = cur.if_exists(i + 1);
        let (_, after) = cur.name(i)?;
        if !cur.kw(after, "as") {
            return None;
        }
        i
    } else {
        return None;
    };
    let (into, mut i) = cur.name(start)?;
    let mut depth = 0i32;
    let mut selecting = false;
    while i < tokens.len() {
        match tokens[i].kind {
            TokenKind::Punct(b'(') => depth += 1,
            TokenKind::Punct(b')') => depth -= 1,
            TokenKind::Word if depth == 0 && cur.kw(i, "select") => selecting = true,
            TokenKind::Word if depth == 0 && selecting && cur.kw(i, "from") => {
                let (from, _) = cur.name(i + 1)?;
                return Some((into.key, from.key));
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `UPDATE t SET a = b, c = expr …`: the table key and each assigned column's key, with the key
/// of the column it copies when the value is a bare column name. `None` for other statements
/// and for forms not read here (`SET (a, b) = …`).
#[allow(clippy::type_complexity)]
pub fn update_assignments(
    tokens: &[Token],
    sub: &str,
    orig: &str,
) -> Option<(String, Vec<(String, Option<String>)>)> {
    let cur = Cursor {
        toks: tokens,
        sub,
        orig,
        dialect: SqlDialect::Postgres,
    };
    if !cur.kw(0, "update") {
        return None;
    }
    let mut i = 1;
    while ["low_priority", "ignore", "only"]
        .iter()
        .any(|k| cur.kw(i, k))
    {
        i += 1;
    }
    let (table, mut i) = cur.name(i)?;
    if !cur.kw(i, "set") {
        // An alias.
        i += 1;
    }
    if !cur.kw(i, "set") {
        return None;
    }
    i += 1;
    let mut out = Vec::new();
    loop {
        let (column, next) = cur.name(i)?;
        if !cur.punct(next, b'=') {
            return None;
        }
        let value_start = next + 1;
        let mut j = value_start;
        let mut depth = 0i32;
        while let Some(t) = tokens.get(j) {
            match t.kind {
                TokenKind::Punct(b'(') => depth += 1,
                TokenKind::Punct(b')') => depth -= 1,
                TokenKind::Punct(b',' | b';') if depth == 0 => break,
                TokenKind::Word
                    if depth == 0
                        && ["where", "from", "returning", "order", "limit"]
                            .iter()
                            .any(|k| t.is_kw(sub, k)) =>
                {
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        // `new = old`, also cast on the way: `old::uuid`, `CAST(old AS uuid)`.
        let copied = match cur.name(value_start) {
            Some((from, end)) if end == j || (cur.punct(end, b':') && cur.punct(end + 1, b':')) => {
                Some(from.key)
            }
            _ if cur.kw(value_start, "cast") && cur.punct(value_start + 1, b'(') => cur
                .name(value_start + 2)
                .filter(|(_, end)| cur.kw(*end, "as"))
                .map(|(from, _)| from.key),
            _ => None,
        };
        out.push((column.key, copied));
        if !cur.punct(j, b',') {
            break;
        }
        i = j + 1;
    }
    Some((table.key, out))
}

/// Destructive statements inside a procedural body (`DO $$ … $$`): every verb that starts a
/// statement of the body, at any depth of `IF … THEN` nesting.
pub fn read_body(tokens: &[Token], sub: &str, orig: &str, dialect: SqlDialect) -> Vec<Reading> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        let boundary = t.kind == TokenKind::Punct(b';') || i + 1 == tokens.len();
        if !boundary {
            continue;
        }
        let end = if t.kind == TokenKind::Punct(b';') {
            i
        } else {
            i + 1
        };
        let part = &tokens[start..end];
        out.extend(dynamic(part, sub, orig, dialect));
        // `IF x THEN DROP TABLE y`: the statement starts after the control words.
        if let Some(at) = part.iter().position(|t| {
            ["drop", "truncate", "delete", "update", "alter"]
                .iter()
                .any(|kw| t.is_kw(sub, kw))
        }) {
            let prev_ok = at == 0
                || ["then", "else", "begin", "loop", "do"]
                    .iter()
                    .any(|kw| part[at - 1].is_kw(sub, kw));
            if prev_ok {
                out.extend(read(&part[at..], sub, orig, dialect));
            }
        }
        start = i + 1;
    }
    out
}

/// The tokens of the SQL inside a string literal token (`'DROP TABLE '`), at their offsets in
/// the statement.
fn string_tokens<'s>(
    text: &Token,
    sub: &'s str,
    dialect: SqlDialect,
) -> Option<(&'s str, Vec<Token>)> {
    let (inner_start, inner_end) = (text.start + 1, text.end.saturating_sub(1));
    let inner = sub.get(inner_start..inner_end.max(inner_start))?;
    let tokens = crate::frontends::sql::split::tokenize(inner, dialect)
        .into_iter()
        .map(|t| Token {
            start: t.start + inner_start,
            end: t.end + inner_start,
            ..t
        })
        .collect();
    Some((inner, tokens))
}

/// PL/pgSQL dynamic SQL, `EXECUTE 'TRUNCATE TABLE ' || quote_ident(r.tablename) || ' CASCADE'`
/// (the "wipe every table" loop): the verb is in the string, the object is the expression
/// concatenated after it, named as written.
fn dynamic(part: &[Token], sub: &str, orig: &str, dialect: SqlDialect) -> Vec<Reading> {
    let Some(at) = part.iter().position(|t| t.is_kw(sub, "execute")) else {
        return Vec::new();
    };
    let Some(text) = part.get(at + 1).filter(|t| t.kind == TokenKind::Str) else {
        return Vec::new();
    };
    let Some((body, inner)) = string_tokens(text, sub, dialect) else {
        return Vec::new();
    };
    // The expression after `||`, up to the next `||`.
    let rest = &part[at + 2..];
    let concat = |i: usize| {
        rest.get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct(b'|'))
            && rest
                .get(i + 1)
                .is_some_and(|t| t.kind == TokenKind::Punct(b'|'))
    };
    if !concat(0) {
        return Vec::new();
    }
    let expr_end = (2..rest.len()).find(|&i| concat(i)).unwrap_or(rest.len());
    let Some(expr) = rest.get(2..expr_end).filter(|e| !e.is_empty()) else {
        return Vec::new();
    };
    let (first, last) = (&expr[0], &expr[expr.len() - 1]);
    let name = SqlName::new(
        orig.get(first.start..last.end).unwrap_or("").to_string(),
        Span::new(first.start, last.end),
    );
    // `'DROP TABLE app.' || quote_ident(…)`: the string ends in a schema qualifier.
    let qualified = body.trim_end().ends_with('.');
    let mut out = Vec::new();
    for mut reading in read(&inner, sub, orig, dialect) {
        match &mut reading.kind {
            SchemaOp::Drop { names, .. } | SchemaOp::Truncate { names, .. } if names.is_empty() => {
                names.push(name.clone());
            }
            SchemaOp::Drop { names, .. } | SchemaOp::Truncate { names, .. }
                if qualified && names.len() == 1 =>
            {
                let schema = &names[0];
                names[0] = SqlName::new(
                    format!("{}.{}", schema.text, name.text),
                    Span::new(schema.span.start(), name.span.end()),
                );
            }
            _ => continue,
        }
        reading.clause = (reading.clause.0, last.end);
        out.push(reading);
    }
    out
}

/// psql `\gexec`: every value the query returns runs as a statement. The generating query
/// writes the verb in a string and the object as the expression after it,
/// `format('DROP TABLE %I CASCADE', tablename)` or `'TRUNCATE ' || quote_ident(tablename)` (the
/// "wipe every table" idiom): the object is named as written.
pub fn generated(tokens: &[Token], sub: &str, orig: &str, dialect: SqlDialect) -> Vec<Reading> {
    let mut out = Vec::new();
    let concat = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct(b'|'))
            && tokens
                .get(i + 1)
                .is_some_and(|t| t.kind == TokenKind::Punct(b'|'))
    };
    for (k, text) in tokens.iter().enumerate() {
        if text.kind != TokenKind::Str || !text.text(sub).starts_with('\'') {
            continue;
        }
        let Some((inner, inner_tokens)) = string_tokens(text, sub, dialect) else {
            continue;
        };
        let readings = read(&inner_tokens, sub, orig, dialect);
        if readings.is_empty() {
            continue;
        }
        // The expression that fills the string: a `format()` argument or what `||` appends.
        let (from, stop_at_comma) = if tokens
            .get(k + 1)
            .is_some_and(|t| t.kind == TokenKind::Punct(b','))
        {
            (k + 2, true)
        } else if concat(k + 1) {
            (k + 3, false)
        } else {
            (tokens.len(), false)
        };
        // `format('… %I.%I …', schemaname, tablename)`: every argument fills the name.
        let stop_at_comma = stop_at_comma && !inner.contains('%');
        let mut depth = 0i32;
        let mut to = from;
        while to < tokens.len() {
            match tokens[to].kind {
                TokenKind::Punct(b'(') => depth += 1,
                TokenKind::Punct(b')') if depth == 0 => break,
                TokenKind::Punct(b')') => depth -= 1,
                TokenKind::Punct(b',') if depth == 0 && stop_at_comma => break,
                _ if depth == 0 && concat(to) => break,
                _ => {}
            }
            to += 1;
        }
        let expr = tokens.get(from..to).filter(|e| !e.is_empty()).map(|e| {
            let (first, last) = (&e[0], &e[e.len() - 1]);
            SqlName::new(
                orig.get(first.start..last.end).unwrap_or("").to_string(),
                Span::new(first.start, last.end),
            )
        });
        let placeholder = inner.contains('%');
        let qualified = inner.trim_end().ends_with('.');
        // `… || ' CASCADE'`: a later string of the same value adds the option.
        let cascade_after = tokens.get(to..).is_some_and(|rest| {
            rest.iter()
                .take_while(|t| t.kind != TokenKind::Punct(b','))
                .any(|t| {
                    t.kind == TokenKind::Str
                        && t.text(sub)
                            .split(|c: char| !c.is_ascii_alphabetic())
                            .any(|w| w.eq_ignore_ascii_case("cascade"))
                })
        });
        for mut reading in readings {
            if let SchemaOp::Drop { cascade, .. } | SchemaOp::Truncate { cascade, .. } =
                &mut reading.kind
            {
                *cascade |= cascade_after;
            }
            let (SchemaOp::Drop { names, .. } | SchemaOp::Truncate { names, .. }) =
                &mut reading.kind
            else {
                continue;
            };
            if let Some(expr) = &expr {
                if names.is_empty() || placeholder {
                    *names = vec![expr.clone()];
                } else if qualified && names.len() == 1 {
                    let schema = &names[0];
                    names[0] = SqlName::new(
                        format!("{}.{}", schema.text, expr.text),
                        Span::new(schema.span.start(), expr.span.end()),
                    );
                }
                reading.clause = (reading.clause.0, reading.clause.1.max(expr.span.end()));
            }
            if names.is_empty() {
                continue;
            }
            out.push(reading);
        }
    }
    out
}

struct Cursor<'a> {
    toks: &'a [Token],
    sub: &'a str,
    orig: &'a str,
    dialect: SqlDialect,
}

const NAME_STOP: &[&str] = &[
    "cascade", "restrict", "with", "purge", "on", "restart", "continue",
];

impl Cursor<'_> {
    fn kw(&self, i: usize, kw: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_kw(self.sub, kw))
    }

    fn word(&self, i: usize) -> Option<String> {
        let t = self.toks.get(i)?;
        (t.kind == TokenKind::Word).then(|| t.text(self.sub).to_ascii_lowercase())
    }

    fn punct(&self, i: usize, c: u8) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct(c))
    }

    /// Skip `IF EXISTS` / `IF NOT EXISTS` at `i`.
    fn if_exists(&self, i: usize) -> (usize, bool) {
        if self.kw(i, "if") && self.kw(i + 1, "exists") {
            (i + 2, true)
        } else if self.kw(i, "if") && self.kw(i + 1, "not") && self.kw(i + 2, "exists") {
            (i + 3, true)
        } else {
            (i, false)
        }
    }

    fn is_name_token(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        match t.kind {
            TokenKind::QuotedIdent => true,
            TokenKind::Word => !NAME_STOP.iter().any(|k| t.is_kw(self.sub, k)),
            // A substituted shell expansion in single quotes (`'${SCHEMA}'`) still names something;
            // so does a double-quoted string where a name belongs (MySQL with `ANSI_QUOTES`, or a
            // file whose dialect was guessed wrong): the drop is real either way.
            TokenKind::Str => {
                let text = t.text(self.orig);
                text.contains('$') || text.starts_with('"')
            }
            _ => false,
        }
    }

    /// A qualified name at `i` (`a.b."c"`): the name and the index after it.
    fn name(&self, i: usize) -> Option<(SqlName, usize)> {
        if !self.is_name_token(i) {
            return None;
        }
        let start = self.toks[i].start;
        let mut j = i + 1;
        while self.punct(j, b'.') && self.is_name_token(j + 1) {
            j += 2;
        }
        let end = self.toks[j - 1].end;
        let text = self.orig.get(start..end).unwrap_or("").to_string();
        Some((SqlName::new(text, Span::new(start, end)), j))
    }

    /// Comma-separated names from `i`.
    fn names(&self, mut i: usize) -> (Vec<SqlName>, usize) {
        let mut out = Vec::new();
        loop {
            // TRUNCATE ONLY t, DROP TABLE t *
            if self.kw(i, "only") {
                i += 1;
            }
            let Some((name, next)) = self.name(i) else {
                break;
            };
            out.push(name);
            i = next;
            if self.punct(i, b'*') {
                i += 1;
            }
            if self.punct(i, b',') {
                i += 1;
            } else {
                break;
            }
        }
        (out, i)
    }

    fn end_of(&self, i: usize) -> usize {
        self.toks
            .get(i.saturating_sub(1))
            .or(self.toks.last())
            .map_or(0, |t| t.end)
    }

    fn drop(&self, at: usize) -> Option<Reading> {
        let mut i = at + 1;
        let mut temporary = false;
        if self.kw(i, "temporary") || self.kw(i, "temp") {
            temporary = true;
            i += 1;
        }
        let word = self.word(i)?;
        let (object, width) = match word.as_str() {
            "table" => (ObjectKind::Table, 1),
            "database" => (ObjectKind::Database, 1),
            // In MySQL, SCHEMA is a synonym for DATABASE.
            "schema" if self.dialect == SqlDialect::MySql => (ObjectKind::Database, 1),
            "schema" => (ObjectKind::Schema, 1),
            "owned" if self.kw(i + 1, "by") => {
                let (names, end) = self.names(i + 2);
                let cascade = self.kw(end, "cascade");
                let last = if cascade { end + 1 } else { end };
                return Some(Reading {
                    kind: SchemaOp::DropOwned { roles: names },
                    clause: (self.toks[at].start, self.end_of(last)),
                });
            }
            "view" => (ObjectKind::View, 1),
            "materialized" => (ObjectKind::View, 2),
            "index" => (ObjectKind::Index, 1),
            "sequence" => (ObjectKind::Sequence, 1),
            "function" | "procedure" | "trigger" | "type" | "extension" | "domain" | "role"
            | "user" | "policy" | "rule" | "aggregate" | "operator" | "publication"
            | "subscription" | "event" | "server" | "collation" | "cast" => (ObjectKind::Other, 1),
            _ => (ObjectKind::Other, 1),
        };
        i += width;
        if self.kw(i, "concurrently") {
            i += 1;
        }
        let (next, if_exists) = self.if_exists(i);
        let (names, mut end) = self.names(next);
        let cascade = self.kw(end, "cascade");
        if cascade {
            end += 1;
        }
        Some(Reading {
            kind: SchemaOp::Drop {
                object,
                names,
                if_exists,
                cascade,
                temporary,
            },
            clause: (self.toks[at].start, self.end_of(end)),
        })
    }

    /// `WITH x AS (…) DELETE FROM t …`: data-modifying CTE bodies (`AS (DELETE …)`) and the
    /// main statement after the CTE list.
    fn with_statement(&self) -> Vec<Reading> {
        let mut out = Vec::new();
        let mut depth = 0i32;
        for (i, t) in self.toks.iter().enumerate() {
            let cte_body = depth == 1
                && i >= 2
                && self.punct(i - 1, b'(')
                && (self.kw(i - 2, "as") || self.kw(i - 2, "materialized"));
            match t.kind {
                TokenKind::Punct(b'(') => depth += 1,
                TokenKind::Punct(b')') => depth -= 1,
                TokenKind::Word if (depth == 0 && i > 0) || cte_body => {
                    if t.is_kw(self.sub, "delete") {
                        out.extend(self.delete(i));
                    } else if t.is_kw(self.sub, "update") {
                        out.extend(self.update(i));
                    }
                    if depth == 0
                        && ["delete", "update", "select", "insert", "merge"]
                            .iter()
                            .any(|k| t.is_kw(self.sub, k))
                    {
                        break;
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn truncate(&self, at: usize) -> Option<Reading> {
        let mut i = at + 1;
        if self.kw(i, "table") {
            i += 1;
        }
        let (next, _) = self.if_exists(i);
        let (names, end) = self.names(next);
        let cascade = self.toks[end.min(self.toks.len())..]
            .iter()
            .any(|t| t.is_kw(self.sub, "cascade"));
        Some(Reading {
            kind: SchemaOp::Truncate { names, cascade },
            clause: (self.toks[at].start, self.end_of(end)),
        })
    }

    /// Whether the rows are restricted from `from` on: a `WHERE` at parenthesis depth 0, or a
    /// MySQL `JOIN … ON` (an inner join only touches matching rows).
    fn has_where(&self, from: usize) -> bool {
        let mut depth = 0i32;
        let mut joined = false;
        for t in self.toks.iter().skip(from) {
            match t.kind {
                TokenKind::Punct(b'(') => depth += 1,
                TokenKind::Punct(b')') => depth -= 1,
                TokenKind::Word if depth == 0 && t.is_kw(self.sub, "where") => return true,
                TokenKind::Word if depth == 0 && t.is_kw(self.sub, "join") => joined = true,
                TokenKind::Word if depth == 0 && joined && t.is_kw(self.sub, "on") => return true,
                _ => {}
            }
        }
        false
    }

    fn delete(&self, at: usize) -> Option<Reading> {
        let mut i = at + 1;
        // MySQL modifiers.
        while ["low_priority", "quick", "ignore"]
            .iter()
            .any(|k| self.kw(i, k))
        {
            i += 1;
        }
        if self.kw(i, "from") {
            i += 1;
        } else if let Some((_, next)) = self.name(i) {
            // MySQL multi-table `DELETE t1 FROM t1 JOIN …`.
            if self.kw(next, "from") {
                i = next + 1;
            }
        }
        if self.kw(i, "only") {
            i += 1;
        }
        let (table, end) = self.name(i)?;
        Some(Reading {
            kind: SchemaOp::Delete {
                table,
                bounded: self.has_where(end),
            },
            clause: (self.toks[at].start, self.end_of(end)),
        })
    }

    fn update(&self, at: usize) -> Option<Reading> {
        let mut i = at + 1;
        while ["low_priority", "ignore", "only"]
            .iter()
            .any(|k| self.kw(i, k))
        {
            i += 1;
        }
        let (table, end) = self.name(i)?;
        Some(Reading {
            kind: SchemaOp::Update {
                table,
                bounded: self.has_where(end),
            },
            clause: (self.toks[at].start, self.end_of(end)),
        })
    }

    fn create(&self, at: usize) -> Option<Reading> {
        let mut i = at + 1;
        if self.kw(i, "or") && self.kw(i + 1, "replace") {
            i += 2;
        }
        let mut temporary = false;
        loop {
            if self.kw(i, "temporary") || self.kw(i, "temp") {
                temporary = true;
                i += 1;
            } else if ["global", "local", "unlogged", "recursive"]
                .iter()
                .any(|k| self.kw(i, k))
            {
                i += 1;
            } else if self.kw(i, "algorithm") && self.punct(i + 1, b'=') {
                // MySQL view options: `ALGORITHM=UNDEFINED DEFINER=`root`@`%` SQL SECURITY DEFINER`.
                i += 3;
            } else if self.kw(i, "definer") && self.punct(i + 1, b'=') {
                i += 3;
                if self.punct(i, b'@') {
                    i += 2;
                }
            } else if self.kw(i, "sql") && self.kw(i + 1, "security") {
                i += 3;
            } else {
                break;
            }
        }
        let mut width = 1;
        let object = match self.word(i)?.as_str() {
            "table" => ObjectKind::Table,
            "database" => ObjectKind::Database,
            "schema" if self.dialect == SqlDialect::MySql => ObjectKind::Database,
            "schema" => ObjectKind::Schema,
            "view" => ObjectKind::View,
            "materialized" if self.kw(i + 1, "view") => {
                width = 2;
                ObjectKind::View
            }
            _ => return None,
        };
        let (next, _) = self.if_exists(i + width);
        let (name, end) = if object == ObjectKind::Schema && self.kw(next, "authorization") {
            self.name(next + 1)?
        } else {
            self.name(next)?
        };
        Some(Reading {
            kind: SchemaOp::Create {
                object,
                name,
                temporary,
            },
            clause: (self.toks[at].start, self.end_of(end)),
        })
    }

    /// PostgreSQL `SELECT … INTO [TEMP|UNLOGGED] [TABLE] t FROM …`: creates table `t`. (MySQL's
    /// `INTO @var` / `INTO OUTFILE` and SQLite have no such form.)
    fn select_into(&self, at: usize) -> Option<Reading> {
        if self.dialect != SqlDialect::Postgres {
            return None;
        }
        let mut depth = 0i32;
        let mut i = at + 1;
        while i < self.toks.len() {
            match self.toks[i].kind {
                TokenKind::Punct(b'(') => depth += 1,
                TokenKind::Punct(b')') => depth -= 1,
                TokenKind::Word if depth == 0 && self.kw(i, "from") => return None,
                TokenKind::Word if depth == 0 && self.kw(i, "into") => break,
                _ => {}
            }
            i += 1;
        }
        i += 1;
        let mut temporary = false;
        while let Some(word) = self.word(i) {
            match word.as_str() {
                "temporary" | "temp" => temporary = true,
                "unlogged" | "table" => {}
                _ => break,
            }
            i += 1;
        }
        let (name, end) = self.name(i)?;
        Some(Reading {
            kind: SchemaOp::Create {
                object: ObjectKind::Table,
                name,
                temporary,
            },
            clause: (self.toks[at].start, self.end_of(end)),
        })
    }

    /// MySQL `RENAME TABLE a TO b, c TO d`.
    fn rename_table(&self, at: usize) -> Vec<Reading> {
        let mut out = Vec::new();
        if !self.kw(at + 1, "table") && !self.kw(at + 1, "tables") {
            return out;
        }
        let mut i = at + 2;
        while let Some((from, next)) = self.name(i) {
            if !self.kw(next, "to") {
                break;
            }
            let Some((to, end)) = self.name(next + 1) else {
                break;
            };
            let clause = Span::new(self.toks[i].start, self.end_of(end));
            out.push(Reading {
                kind: SchemaOp::AlterTable {
                    table: from,
                    actions: vec![AlterAction::RenameTable { to, span: clause }],
                },
                clause: (self.toks[at].start, self.end_of(end)),
            });
            i = end;
            if self.punct(i, b',') {
                i += 1;
            } else {
                break;
            }
        }
        out
    }

    fn alter(&self, at: usize) -> Vec<Reading> {
        if !self.kw(at + 1, "table") {
            return Vec::new();
        }
        let (mut i, _) = self.if_exists(at + 2);
        if self.kw(i, "only") {
            i += 1;
        }
        let Some((table, mut i)) = self.name(i) else {
            return Vec::new();
        };
        let mut actions = Vec::new();
        // Actions are separated by commas at depth 0.
        while i < self.toks.len() {
            let start = i;
            let mut depth = 0i32;
            let mut end = i;
            while end < self.toks.len() {
                match self.toks[end].kind {
                    TokenKind::Punct(b'(') => depth += 1,
                    TokenKind::Punct(b')') => depth -= 1,
                    TokenKind::Punct(b',') | TokenKind::Punct(b';') if depth == 0 => break,
                    _ => {}
                }
                end += 1;
            }
            actions.extend(self.alter_action(start, end));
            i = end + 1;
        }
        let clause = (self.toks[at].start, table.span.end());
        vec![Reading {
            kind: SchemaOp::AlterTable { table, actions },
            clause,
        }]
    }

    /// The type written from `i` up to the end of the action or a clause keyword.
    fn type_text(&self, i: usize, end: usize) -> Option<(String, usize)> {
        let stop = [
            "using",
            "collate",
            "not",
            "null",
            "default",
            "first",
            "after",
            "comment",
            "primary",
            "unique",
            "references",
            "check",
            "constraint",
            "auto_increment",
            "generated",
        ];
        let mut j = i;
        let mut depth = 0i32;
        while j < end {
            let t = self.toks[j];
            match t.kind {
                TokenKind::Punct(b'(') => depth += 1,
                TokenKind::Punct(b')') => depth -= 1,
                TokenKind::Word if depth == 0 && stop.iter().any(|k| t.is_kw(self.sub, k)) => {
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        if j == i {
            return None;
        }
        let text = self.orig.get(self.toks[i].start..self.toks[j - 1].end)?;
        Some((text.to_string(), j))
    }

    fn alter_action(&self, i: usize, end: usize) -> Vec<AlterAction> {
        let verb = self.word(i).unwrap_or_default();
        if verb == "change" {
            // MySQL `CHANGE [COLUMN] old new type`: a rename when the names differ, and a type.
            let mut j = i + 1;
            if self.kw(j, "column") {
                j += 1;
            }
            let Some((from, k)) = self.name(j) else {
                return Vec::new();
            };
            let Some((to, k2)) = self.name(k) else {
                return Vec::new();
            };
            let Some((to_type, after)) = self.type_text(k2, end) else {
                return Vec::new();
            };
            let span = Span::new(self.toks[i].start, self.end_of(after.min(end)));
            let mut out = Vec::new();
            if from.key != to.key {
                out.push(AlterAction::RenameColumn {
                    from: from.clone(),
                    to,
                    span,
                });
            }
            out.push(AlterAction::AlterType {
                column: from,
                from: None,
                to: TypeSpec::sql(to_type),
                span,
            });
            return out;
        }
        self.alter_single(i, end).into_iter().collect()
    }

    fn alter_single(&self, i: usize, end: usize) -> Option<AlterAction> {
        let span = |to: usize| Span::new(self.toks[i].start, self.end_of(to.min(end)));
        let verb = self.word(i)?;
        match verb.as_str() {
            "drop" => {
                let mut j = i + 1;
                let not_column = [
                    "constraint",
                    "index",
                    "key",
                    "primary",
                    "foreign",
                    "partition",
                    "check",
                    "trigger",
                    "default",
                    "projection",
                    "row",
                ];
                if not_column.iter().any(|k| self.kw(j, k)) {
                    return None;
                }
                if self.kw(j, "column") {
                    j += 1;
                }
                let (j, _) = self.if_exists(j);
                let (column, next) = self.name(j)?;
                Some(AlterAction::DropColumn {
                    column,
                    span: span(next),
                })
            }
            "rename" => {
                let mut j = i + 1;
                if ["constraint", "index", "key"].iter().any(|k| self.kw(j, k)) {
                    return None;
                }
                if self.kw(j, "to") || self.kw(j, "as") {
                    let (to, next) = self.name(j + 1)?;
                    return Some(AlterAction::RenameTable {
                        to,
                        span: span(next),
                    });
                }
                if self.kw(j, "column") {
                    j += 1;
                }
                let (from, next) = self.name(j)?;
                if !self.kw(next, "to") {
                    // MySQL `RENAME new_name` (no TO) renames the table.
                    return Some(AlterAction::RenameTable {
                        to: from,
                        span: span(next),
                    });
                }
                let (to, after) = self.name(next + 1)?;
                Some(AlterAction::RenameColumn {
                    from,
                    to,
                    span: span(after),
                })
            }
            "alter" => {
                let mut j = i + 1;
                if self.kw(j, "column") {
                    j += 1;
                }
                let (column, mut k) = self.name(j)?;
                if self.kw(k, "set") && self.kw(k + 1, "data") {
                    k += 2;
                }
                if !self.kw(k, "type") {
                    return None;
                }
                let (to, after) = self.type_text(k + 1, end)?;
                Some(AlterAction::AlterType {
                    column,
                    from: None,
                    to: TypeSpec::sql(to),
                    span: span(after),
                })
            }
            "modify" => {
                let mut j = i + 1;
                if self.kw(j, "column") {
                    j += 1;
                }
                let (column, k) = self.name(j)?;
                let (to, after) = self.type_text(k, end)?;
                Some(AlterAction::AlterType {
                    column,
                    from: None,
                    to: TypeSpec::sql(to),
                    span: span(after),
                })
            }
            _ => None,
        }
    }
}
