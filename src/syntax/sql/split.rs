//! SQL text → tokens and statements, without sqlparser: a small lexer that knows quotes, `$tag$`
//! dollar-quoting, `--`/`#`/`/* */` comments, psql `\` meta-commands, `COPY … FROM stdin` data
//! blocks ending at `\.`, and MySQL `DELIMITER`. Byte ranges are offsets into the text given.
//!
//! It decides where statements start and end and what their words are; it does not decide what a
//! statement means (that is `parse.rs` and `tokens.rs`).

use crate::syntax::sql::SqlDialect;

/// A lexical token of a statement, as a byte range into the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word: keyword or unquoted identifier.
    Word,
    /// `"ident"` or `` `ident` `` or `[ident]`.
    QuotedIdent,
    /// `'…'`, `E'…'`, `$tag$…$tag$`.
    Str,
    /// A `$tag$…$tag$` body (the body is `start + tag_len .. end - tag_len`).
    Dollar {
        tag_len: usize,
    },
    Number,
    /// Any other single character (`(`, `,`, `.`, `;`, operators).
    Punct(u8),
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// Whether the token is the keyword `kw` (ASCII, case-insensitive).
    pub fn is_kw(&self, src: &str, kw: &str) -> bool {
        self.kind == TokenKind::Word && self.text(src).eq_ignore_ascii_case(kw)
    }
}

/// One piece of a script: a SQL statement, or something that is not SQL for a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub kind: PieceKind,
    /// From the first token to the terminator (included when present).
    pub start: usize,
    pub end: usize,
    pub tokens: Vec<Token>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PieceKind {
    Statement,
    /// A psql meta-command line (`\connect db`, `\set x 1`, `\i file`).
    Meta,
    /// The data lines of `COPY … FROM stdin` up to `\.`.
    CopyData,
}

/// Split a script into statements (and meta-command and COPY data pieces).
#[cfg(test)]
pub fn split(text: &str, dialect: SqlDialect) -> Vec<Piece> {
    pieces(text, dialect).collect()
}

/// The pieces of a script, one at a time: a file of 100,000 statements never holds the tokens
/// of all of them at once.
pub fn pieces(text: &str, dialect: SqlDialect) -> Pieces<'_> {
    Pieces {
        s: Splitter {
            src: text,
            bytes: text.as_bytes(),
            pos: 0,
            dialect,
            delimiter: ";".to_string(),
            in_versioned_comment: false,
            skip_rows: true,
            rows_end: 0,
        },
        ready: std::collections::VecDeque::new(),
        stepped: Vec::new(),
        current: Vec::new(),
        body: Body::default(),
        done: false,
    }
}

/// The pieces of a script with every row token made (the reference the row skip is tested
/// against).
#[cfg(test)]
pub fn pieces_without_row_skip(text: &str, dialect: SqlDialect) -> Pieces<'_> {
    let mut p = pieces(text, dialect);
    p.s.skip_rows = false;
    p
}

/// Iterator over the pieces of a script (see [`pieces`]).
pub struct Pieces<'a> {
    s: Splitter<'a>,
    ready: std::collections::VecDeque<Piece>,
    /// What the last step of the splitter added (reused between steps).
    stepped: Vec<Piece>,
    /// Tokens of the statement being read.
    current: Vec<Token>,
    body: Body,
    done: bool,
}

impl Iterator for Pieces<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        while self.ready.is_empty() && !self.done {
            self.done = !self
                .s
                .step(&mut self.stepped, &mut self.current, &mut self.body);
            // Most steps add a token to the current statement and no piece.
            if !self.stepped.is_empty() {
                self.ready.extend(self.stepped.drain(..));
            }
        }
        self.ready.pop_front()
    }
}

/// Tokenize a fragment (a statement or a dollar-quoted body) with no statement logic.
pub fn tokenize(text: &str, dialect: SqlDialect) -> Vec<Token> {
    let mut s = Splitter {
        src: text,
        bytes: text.as_bytes(),
        pos: 0,
        dialect,
        delimiter: "\u{0}".to_string(),
        in_versioned_comment: false,
        skip_rows: false,
        rows_end: 0,
    };
    let mut out = Vec::new();
    while let Some(tok) = s.next_token() {
        out.push(tok);
    }
    out
}

/// The tokens of the statement just read, in a vector of their own size; `current` keeps its
/// capacity for the next statement (no growth series per statement).
fn take_tokens(current: &mut Vec<Token>) -> Vec<Token> {
    let tokens = current.clone();
    current.clear();
    tokens
}

struct Splitter<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    dialect: SqlDialect,
    delimiter: String,
    /// Inside a MySQL `/*!50001 … */` comment, whose text the server executes.
    in_versioned_comment: bool,
    /// Move past the rows of `INSERT … VALUES` without making their tokens.
    skip_rows: bool,
    /// The end of the last row token skipped.
    rows_end: usize,
}

impl Splitter<'_> {
    /// Whether the delimiter starts at the current position (its first byte decides most cases).
    fn at_delimiter(&self) -> bool {
        let delimiter = self.delimiter.as_bytes();
        self.bytes.get(self.pos) == delimiter.first()
            && self.bytes[self.pos..].starts_with(delimiter)
    }

    /// One step of the statement loop: adds zero or more pieces to `out`; `false` at the end.
    fn step(&mut self, out: &mut Vec<Piece>, current: &mut Vec<Token>, body: &mut Body) -> bool {
        self.skip_trivia();
        if self.pos >= self.bytes.len() {
            return self.finish(out, current);
        }
        if current.is_empty() && self.at_line_start_meta() {
            let start = self.pos;
            let end = self.line_end(start);
            out.push(Piece {
                kind: PieceKind::Meta,
                start,
                end,
                tokens: Vec::new(),
            });
            self.pos = end;
            // `\copy t from stdin` reads the lines after it, up to `\.`, as data.
            if is_meta_copy_from_stdin(&self.src[start..end]) {
                self.copy_data(out);
            }
            return true;
        }
        if current.is_empty() && self.at_delimiter_command() {
            let start = self.pos;
            let end = self.line_end(start);
            let arg = self.src[start + "delimiter".len()..end].trim();
            if !arg.is_empty() {
                self.delimiter = arg.to_string();
            }
            out.push(Piece {
                kind: PieceKind::Meta,
                start,
                end,
                tokens: Vec::new(),
            });
            self.pos = end;
            return true;
        }
        let at_delimiter = self.at_delimiter();
        if at_delimiter && self.delimiter == ";" && body.holds_semicolon(self.src, current) {
            // A `;` inside a body the client keeps together (`BEGIN ATOMIC … END`, a
            // rule's `( … ; … )`, a SQLite trigger's `BEGIN … END`).
            current.push(Token {
                kind: TokenKind::Punct(b';'),
                start: self.pos,
                end: self.pos + 1,
            });
            self.pos += 1;
            return true;
        }
        if at_delimiter {
            *body = Body::default();
            let end = self.pos + self.delimiter.len();
            self.pos = end;
            if current.is_empty() {
                return true;
            }
            let tokens = take_tokens(current);
            let copy_from_stdin = is_copy_from_stdin(self.src, &tokens);
            out.push(Piece {
                kind: PieceKind::Statement,
                start: tokens[0].start,
                end,
                tokens,
            });
            if copy_from_stdin {
                self.copy_data(out);
            }
            return true;
        }
        // A meta-command name is letters (`\\gexec`); `\\$` is a shell escape that reached us.
        let meta_name = self
            .bytes
            .get(self.pos + 1)
            .is_some_and(u8::is_ascii_alphabetic);
        if !current.is_empty()
            && self.dialect != SqlDialect::MySql
            && self.at_line_start_meta()
            && meta_name
        {
            // psql: a backslash command inside a statement runs to the end of the line;
            // `\g`, `\gexec`, `\gset`, … send the statement before it, as `;` does.
            let start = self.pos;
            let end = self.line_end(start);
            let name: String = self.src[start + 1..end]
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            let sends = matches!(
                name.as_str(),
                "g" | "gx" | "gexec" | "gset" | "gdesc" | "watch" | "crosstabview"
            );
            if let (true, Some(first), Some(last)) = (sends, current.first(), current.last()) {
                let (first, last) = (first.start, last.end);
                *body = Body::default();
                out.push(Piece {
                    kind: PieceKind::Statement,
                    start: first,
                    end: last,
                    tokens: take_tokens(current),
                });
            }
            out.push(Piece {
                kind: PieceKind::Meta,
                start,
                end,
                tokens: Vec::new(),
            });
            self.pos = end;
            return true;
        }
        match self.next_token() {
            Some(tok) => {
                body.see(self.src, current, tok, self.dialect);
                current.push(tok);
                if self.skip_rows && tok.is_kw(self.src, "values") && self.inserting(current) {
                    self.skip_rows_bytes();
                }
            }
            None => return self.finish(out, current),
        }

        true
    }

    /// The statement read so far is `INSERT … VALUES` (or MySQL's `REPLACE … VALUES`) with no
    /// `SELECT` before the `VALUES`: its rows hold data, nothing a rule reads.
    fn inserting(&self, current: &[Token]) -> bool {
        current
            .first()
            .is_some_and(|t| t.is_kw(self.src, "insert") || t.is_kw(self.src, "replace"))
            && !current.iter().any(|t| t.is_kw(self.src, "select"))
    }

    /// Move past the rows of `INSERT … VALUES` without making their tokens (a dump's rows are
    /// most of its bytes). Bytes that only ever continue a word, a number or a list (`a-z0-9_`,
    /// spaces, `(),.`) are stepped over one by one; anything else goes through the lexer as
    /// ever (strings, quoted names, dollar quotes, comments, operators), so a `;` inside them
    /// does not end the statement. Stops where only the statement loop may decide: the
    /// delimiter, a backslash (a psql meta-command) or the end.
    fn skip_rows_bytes(&mut self) {
        let delimiter = self.delimiter.as_bytes().first().copied().unwrap_or(b';');
        // A word-like delimiter (`DELIMITER GO`) is found at token starts only: no skipping.
        if delimiter.is_ascii_alphanumeric() || delimiter == b'_' {
            return;
        }
        let plain = |b: u8| {
            b != delimiter
                && (b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b'_' | b' ' | b'\t' | b'\n' | b'\r' | b'(' | b')' | b',' | b'.'
                    ))
        };
        loop {
            let run = self.pos;
            while self.bytes.get(self.pos).is_some_and(|&b| plain(b)) {
                self.pos += 1;
            }
            // Where the last token skipped ends (a statement the end of the text cuts off ends
            // there, as it would at its last token).
            let mut end = self.pos;
            while end > run && self.bytes[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            if end > run {
                self.rows_end = end;
            }
            self.skip_trivia();
            if self.pos >= self.bytes.len() || self.at_delimiter() || self.bytes[self.pos] == b'\\'
            {
                return;
            }
            match self.next_token() {
                Some(tok) => self.rows_end = tok.end,
                None => return,
            }
        }
    }

    /// The end of the text: what is left is a statement without its terminator.
    fn finish(&mut self, out: &mut Vec<Piece>, current: &mut Vec<Token>) -> bool {
        if let (Some(first), Some(last)) = (current.first(), current.last()) {
            out.push(Piece {
                kind: PieceKind::Statement,
                start: first.start,
                // Rows skipped after the last token kept (an earlier statement's are before it).
                end: last.end.max(self.rows_end),
                tokens: take_tokens(current),
            });
        }
        false
    }

    /// Skip the data lines after `COPY … FROM stdin;` up to and including the `\.` line.
    fn copy_data(&mut self, out: &mut Vec<Piece>) {
        // The data starts on the line after the statement.
        let mut at = self.line_end(self.pos);
        at = self.next_line(at);
        let start = at;
        while at < self.bytes.len() {
            let end = self.line_end(at);
            if self.src[at..end].trim_end() == "\\." {
                out.push(Piece {
                    kind: PieceKind::CopyData,
                    start,
                    end,
                    tokens: Vec::new(),
                });
                self.pos = end;
                return;
            }
            at = self.next_line(end);
        }
        out.push(Piece {
            kind: PieceKind::CopyData,
            start,
            end: self.bytes.len(),
            tokens: Vec::new(),
        });
        self.pos = self.bytes.len();
    }

    fn line_end(&self, from: usize) -> usize {
        let mut i = from;
        while i < self.bytes.len() && !matches!(self.bytes[i], b'\n' | b'\r') {
            i += 1;
        }
        i
    }

    fn next_line(&self, line_end: usize) -> usize {
        let mut i = line_end;
        if self.bytes.get(i) == Some(&b'\r') {
            i += 1;
        }
        if self.bytes.get(i) == Some(&b'\n') {
            i += 1;
        }
        i
    }

    /// A `\` outside quotes is a psql meta-command, which ends at the line's end.
    fn at_line_start_meta(&self) -> bool {
        self.bytes.get(self.pos) == Some(&b'\\')
    }

    fn at_delimiter_command(&self) -> bool {
        self.dialect == SqlDialect::MySql
            && self.src[self.pos..]
                .get(..10)
                .is_some_and(|s| s.eq_ignore_ascii_case("delimiter "))
    }

    /// Skip whitespace and comments.
    fn skip_trivia(&mut self) {
        loop {
            let b = self.bytes;
            let Some(&c) = b.get(self.pos) else { return };
            if c.is_ascii_whitespace() {
                self.pos += 1;
            } else if self.in_versioned_comment && c == b'*' && b.get(self.pos + 1) == Some(&b'/') {
                self.in_versioned_comment = false;
                self.pos += 2;
            } else if self.dialect == SqlDialect::MySql
                && !self.in_versioned_comment
                && c == b'/'
                && b.get(self.pos + 1) == Some(&b'*')
                && b.get(self.pos + 2) == Some(&b'!')
            {
                // MySQL runs the text of `/*!NNNNN … */` (mysqldump's `/*!40000 DROP DATABASE …*/`).
                self.in_versioned_comment = true;
                self.pos += 3;
                while b.get(self.pos).is_some_and(|d| d.is_ascii_digit()) {
                    self.pos += 1;
                }
            } else if (c == b'-' && b.get(self.pos + 1) == Some(&b'-'))
                || (c == b'#' && self.dialect == SqlDialect::MySql)
            {
                self.pos = self.line_end(self.pos);
            } else if c == b'/' && b.get(self.pos + 1) == Some(&b'*') {
                self.block_comment();
            } else {
                return;
            }
        }
    }

    fn block_comment(&mut self) {
        let b = self.bytes;
        let mut depth = 0usize;
        let mut i = self.pos;
        while i < b.len() {
            if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                // PostgreSQL nests block comments; MySQL does not.
                if depth == 0 || self.dialect == SqlDialect::Postgres {
                    depth += 1;
                }
                i += 2;
            } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                depth = depth.saturating_sub(1);
                i += 2;
                if depth == 0 {
                    break;
                }
            } else {
                i += 1;
            }
        }
        self.pos = i.min(b.len());
    }

    /// The next token after trivia, or `None` at the end.
    fn next_token(&mut self) -> Option<Token> {
        self.skip_trivia();
        let b = self.bytes;
        let start = self.pos;
        let &c = b.get(start)?;
        let kind = match c {
            b'\'' => {
                // E'…' strings and MySQL strings take backslash escapes.
                let escapes = self.dialect == SqlDialect::MySql
                    || (start > 0 && matches!(b[start - 1], b'e' | b'E'));
                self.pos = self.quoted(start + 1, b'\'', escapes);
                TokenKind::Str
            }
            b'"' => {
                let escapes = self.dialect == SqlDialect::MySql;
                self.pos = self.quoted(start + 1, b'"', escapes);
                if self.dialect == SqlDialect::MySql {
                    TokenKind::Str
                } else {
                    TokenKind::QuotedIdent
                }
            }
            b'`' => {
                self.pos = self.quoted(start + 1, b'`', false);
                TokenKind::QuotedIdent
            }
            b'$' => {
                if let Some(tag_len) = self.dollar_tag(start) {
                    let tag = &self.src[start..start + tag_len];
                    let body = start + tag_len;
                    let close = self.src[body..].find(tag).map(|i| body + i + tag_len);
                    self.pos = close.unwrap_or(b.len());
                    TokenKind::Dollar { tag_len }
                } else {
                    // `$1`: a positional parameter.
                    let mut i = start + 1;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    self.pos = i;
                    TokenKind::Word
                }
            }
            c if c.is_ascii_digit() => {
                let mut i = start;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
                self.pos = i;
                TokenKind::Number
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                if matches!(c, b'e' | b'E') && b.get(start + 1) == Some(&b'\'') {
                    self.pos = self.quoted(start + 2, b'\'', true);
                    return Some(Token {
                        kind: TokenKind::Str,
                        start,
                        end: self.pos,
                    });
                }
                let mut i = start;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80)
                {
                    i += 1;
                }
                self.pos = i;
                TokenKind::Word
            }
            b':' if self.psql_variable(start) => {
                // psql variables (`:name`, `:'name'`, `:"name"`) stand for names and values.
                let mut i = start + 1;
                match b.get(i) {
                    Some(&q @ (b'\'' | b'"')) => i = self.quoted(i + 1, q, false),
                    _ => {
                        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                            i += 1;
                        }
                    }
                }
                self.pos = i;
                TokenKind::Word
            }
            other => {
                self.pos = start + 1;
                TokenKind::Punct(other)
            }
        };
        Some(Token {
            kind,
            start,
            end: self.pos,
        })
    }

    /// `:name` but not `::cast`, `:=` or a slice `a[1:2]`.
    fn psql_variable(&self, start: usize) -> bool {
        let b = self.bytes;
        let prev = start.checked_sub(1).and_then(|i| b.get(i));
        let next = b.get(start + 1);
        self.dialect != SqlDialect::MySql
            && prev != Some(&b':')
            && !prev.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b']')
            && next
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'\'' || *c == b'"')
    }

    /// The end (exclusive) of a quoted run starting after the opening quote.
    fn quoted(&self, mut i: usize, quote: u8, escapes: bool) -> usize {
        let b = self.bytes;
        while i < b.len() {
            if escapes && b[i] == b'\\' {
                i += 2;
                continue;
            }
            if b[i] == quote {
                if b.get(i + 1) == Some(&quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += 1;
        }
        b.len()
    }

    /// The length of a `$tag$` opener at `start`, if there is one.
    fn dollar_tag(&self, start: usize) -> Option<usize> {
        if self.dialect == SqlDialect::MySql {
            return None;
        }
        let b = self.bytes;
        let mut i = start + 1;
        if b.get(i).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        (b.get(i) == Some(&b'$')).then_some(i + 1 - start)
    }
}

/// What the current statement holds that keeps a `;` inside it, the way the clients read it.
/// Updated token by token, so a long statement costs no rescans.
#[derive(Default)]
struct Body {
    /// psql: in `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, every `BEGIN` and `CASE` word opens
    /// a block and `END` closes one; a `;` in a block does not end the statement (SQL-standard
    /// bodies, `BEGIN ATOMIC … END`, which pg_dump writes since PostgreSQL 14).
    begin_depth: usize,
    /// psql: parentheses in `CREATE [OR REPLACE] RULE … DO (a; b)`.
    paren_depth: usize,
    /// SQLite: `CREATE [TEMP] TRIGGER … BEGIN … END;` ends only at `END;`.
    trigger_body: bool,
    class: Class,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Class {
    #[default]
    Other,
    Routine,
    Rule,
    Trigger,
}

impl Body {
    fn see(&mut self, src: &str, current: &[Token], tok: Token, dialect: SqlDialect) {
        if current.is_empty() || dialect == SqlDialect::MySql {
            return;
        }
        // The statement's class is known from its first words; decide it once.
        if current.len() <= 4 {
            let kw = |i: usize, k: &str| current.get(i).is_some_and(|t| t.is_kw(src, k));
            let after_create = if kw(1, "or") && kw(2, "replace") {
                3
            } else {
                1
            };
            let routine = kw(after_create, "function") || kw(after_create, "procedure");
            let rule = kw(after_create, "rule");
            let trigger =
                kw(1, "trigger") || ((kw(1, "temp") || kw(1, "temporary")) && kw(2, "trigger"));
            self.class = if !kw(0, "create") {
                Class::Other
            } else if routine {
                Class::Routine
            } else if rule {
                Class::Rule
            } else if trigger {
                Class::Trigger
            } else {
                Class::Other
            };
        }
        let word = |kw: &str| tok.is_kw(src, kw);
        let routine = self.class == Class::Routine;
        let rule = self.class == Class::Rule;
        let trigger = self.class == Class::Trigger;
        if routine && dialect == SqlDialect::Postgres {
            if word("begin") || word("case") {
                self.begin_depth += 1;
            } else if word("end") {
                self.begin_depth = self.begin_depth.saturating_sub(1);
            }
        }
        if rule && dialect == SqlDialect::Postgres {
            match tok.kind {
                TokenKind::Punct(b'(') => self.paren_depth += 1,
                TokenKind::Punct(b')') => self.paren_depth = self.paren_depth.saturating_sub(1),
                _ => {}
            }
        }
        // PostgreSQL triggers run a function (`EXECUTE FUNCTION f()`); a `BEGIN` body is
        // SQLite's, whatever the file's guessed dialect.
        if trigger && word("begin") {
            self.trigger_body = true;
        }
    }

    fn holds_semicolon(&self, src: &str, current: &[Token]) -> bool {
        if self.begin_depth > 0 || self.paren_depth > 0 {
            return true;
        }
        self.trigger_body && !current.last().is_some_and(|t| t.is_kw(src, "end"))
    }
}

/// psql's `\copy … from stdin [options]`: the data follows in the script.
fn is_meta_copy_from_stdin(line: &str) -> bool {
    let words: Vec<String> = line
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    words.first().is_some_and(|w| w == "\\copy")
        && words.windows(2).any(|w| w[0] == "from" && w[1] == "stdin")
}

/// `COPY … FROM stdin` (pg_dump's data blocks).
fn is_copy_from_stdin(src: &str, tokens: &[Token]) -> bool {
    let Some(first) = tokens.first() else {
        return false;
    };
    first.is_kw(src, "copy")
        && tokens
            .windows(2)
            .any(|w| w[0].is_kw(src, "from") && w[1].is_kw(src, "stdin"))
}

#[cfg(test)]
mod tests {

    /// Every statement boundary is the same whether the rows of `INSERT … VALUES` are skipped
    /// or lexed into tokens, for every SQL fixture (and the files under `$DLS_SQL_CORPUS`, when
    /// set), in every dialect.
    #[test]
    fn row_skip_keeps_every_boundary() {
        let files = crate::syntax::sql::corpus();
        assert!(files.len() > 50);
        let shape = |p: Piece| (p.kind, p.start, p.end);
        for (path, _) in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            for dialect in [SqlDialect::Postgres, SqlDialect::MySql, SqlDialect::Sqlite] {
                let fast: Vec<_> = pieces(&text, dialect).map(shape).collect();
                let slow: Vec<_> = pieces_without_row_skip(&text, dialect).map(shape).collect();
                assert_eq!(fast, slow, "{} ({dialect:?})", path.display());
            }
        }
    }
    use super::*;

    fn statements(text: &str) -> Vec<&str> {
        split(text, SqlDialect::Postgres)
            .into_iter()
            .filter(|p| p.kind == PieceKind::Statement)
            .map(|p| &text[p.start..p.end])
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_comments_and_dollar_bodies() {
        let text = "SELECT ';'; -- DROP TABLE a;\n/* DROP TABLE b; /* nested; */ */\nCREATE FUNCTION f() RETURNS void AS $body$ BEGIN DELETE FROM t; END $body$ LANGUAGE plpgsql;\nDROP TABLE \"x;y\";";
        assert_eq!(
            statements(text),
            vec![
                "SELECT ';';",
                "CREATE FUNCTION f() RETURNS void AS $body$ BEGIN DELETE FROM t; END $body$ LANGUAGE plpgsql;",
                "DROP TABLE \"x;y\";",
            ]
        );
    }

    #[test]
    fn copy_data_and_meta_commands_are_not_statements() {
        let text =
            "\\connect shop\nCOPY t (a) FROM stdin;\nDROP TABLE x;\n1\t2\n\\.\nDROP TABLE y;\n";
        let pieces = split(text, SqlDialect::Postgres);
        let kinds: Vec<PieceKind> = pieces.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![
                PieceKind::Meta,
                PieceKind::Statement,
                PieceKind::CopyData,
                PieceKind::Statement
            ]
        );
        assert_eq!(
            &text[pieces[3].start..pieces[3].end],
            "DROP TABLE y;",
            "the statement after the data block is found"
        );
    }

    #[test]
    fn mysql_delimiter_and_hash_comments() {
        let text = "# DROP TABLE a;\nDELIMITER //\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN DELETE FROM y; END//\nDELIMITER ;\nDROP TABLE `z`;";
        let got: Vec<&str> = split(text, SqlDialect::MySql)
            .into_iter()
            .filter(|p| p.kind == PieceKind::Statement)
            .map(|p| &text[p.start..p.end])
            .collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], "DROP TABLE `z`;");
    }

    #[test]
    fn mysql_versioned_comments_are_code() {
        let text = "/*!40000 DROP DATABASE IF EXISTS `shop`*/;\n/* DROP TABLE x; */\nSELECT 1;";
        let got: Vec<&str> = split(text, SqlDialect::MySql)
            .into_iter()
            .filter(|p| p.kind == PieceKind::Statement)
            .map(|p| &text[p.start..p.end])
            .collect();
        assert_eq!(got, vec!["DROP DATABASE IF EXISTS `shop`*/;", "SELECT 1;"]);
    }

    #[test]
    fn bodies_the_clients_keep_together() {
        // psql: BEGIN ATOMIC … END (with CASE … END inside), rule action lists; a PostgreSQL
        // trigger still ends at its own `;`.
        let text = "CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM a; UPDATE b SET c = CASE WHEN d THEN 1 ELSE 2 END; END;
CREATE RULE r AS ON DELETE TO t DO ALSO (DELETE FROM x; UPDATE y SET z = 1);
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
CREATE FUNCTION g() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;
DROP TABLE after;";
        let got = statements(text);
        assert_eq!(got.len(), 5, "{got:#?}");
        assert_eq!(got[4], "DROP TABLE after;");
        // SQLite: a trigger's BEGIN … END body, in any dialect but MySQL (whose client splits it).
        let text =
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; UPDATE c SET d = 1; END;
CREATE TEMP TRIGGER u AFTER DELETE ON a BEGIN DELETE FROM b; END;
DELETE FROM after;";
        for dialect in [SqlDialect::Sqlite, SqlDialect::Postgres] {
            let got: Vec<&str> = split(text, dialect)
                .into_iter()
                .filter(|p| p.kind == PieceKind::Statement)
                .map(|p| &text[p.start..p.end])
                .collect();
            assert_eq!(got.len(), 3, "{dialect:?}: {got:#?}");
            assert_eq!(got[2], "DELETE FROM after;");
        }
    }

    #[test]
    fn psql_meta_commands_inside_a_statement() {
        // `\gexec` sends the statement before it; `\echo` does not end the statement.
        let text = "SELECT format('DROP TABLE %I', t) FROM pg_tables \\gexec\nDROP DATABASE x;\nSELECT 1 \\echo hi\n, 2;\nSELECT 3 \\g out.txt\nTRUNCATE y;";
        assert_eq!(
            statements(text),
            vec![
                "SELECT format('DROP TABLE %I', t) FROM pg_tables",
                "DROP DATABASE x;",
                "SELECT 1 \\echo hi\n, 2;",
                "SELECT 3",
                "TRUNCATE y;",
            ]
        );
    }

    #[test]
    fn a_backslash_before_a_non_letter_is_not_a_meta_command() {
        // Shell escapes that reach the SQL (`\\$`) do not open a meta-command.
        let text = "DO \\$\\$ BEGIN NULL; END \\$\\$;\nTRUNCATE y;";
        assert_eq!(statements(text).last(), Some(&"TRUNCATE y;"));
    }

    #[test]
    fn psql_copy_meta_command_data_is_not_sql() {
        let text = "\\copy users (id, note) from stdin\n1\tfine; really\n2\tDELETE FROM users\n\\.\nDROP DATABASE x;\n\\copy users to 'out.csv' csv\nTRUNCATE y;";
        assert_eq!(statements(text), vec!["DROP DATABASE x;", "TRUNCATE y;"]);
    }

    #[test]
    fn unterminated_input_never_panics() {
        for text in [
            "'abc",
            "$$ x",
            "/* x",
            "\"x",
            "COPY t FROM stdin;\n1",
            "E'\\",
        ] {
            let _ = split(text, SqlDialect::Postgres);
            let _ = split(text, SqlDialect::MySql);
        }
    }
}
