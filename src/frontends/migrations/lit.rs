//! Pieces shared by the tree-sitter migration readers of JavaScript/TypeScript, C# and Elixir:
//! walking a tree in document order without recursion, node text, string literals decoded into
//! text with an [`OffsetMap`] back to the host file (escapes, template literals, concatenation),
//! and a call as written, compacted for messages.

use tree_sitter::Node;

use crate::source::{OffsetMap, Span};

/// Nodes visited at most per file (a generated migration of a million calls is cut short).
pub const MAX_NODES: usize = 2_000_000;

/// Every node under `root` (itself included) in document order, children before siblings;
/// `enter` returns false to skip a node's children.
pub fn walk<'t>(root: Node<'t>, mut enter: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = root.walk();
    let mut seen = 0usize;
    loop {
        seen += 1;
        if seen > MAX_NODES {
            return;
        }
        let node = cursor.node();
        if enter(node) && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == root {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The text of `node` in `src`.
pub fn text<'s>(node: Node, src: &'s str) -> &'s str {
    src.get(node.byte_range()).unwrap_or("")
}

/// The span of `node`.
pub fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// Named children of `node`, without comments.
pub fn children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| !c.kind().contains("comment"))
        .collect()
}

/// Text decoded from string literal pieces, with the map from its offsets to the host file and
/// the span of the whole literal (for names: the part between the quotes).
#[derive(Clone, Debug, Default)]
pub struct Lit {
    pub text: String,
    pub map: OffsetMap,
    pub span: Span,
}

impl Lit {
    /// A literal that is `len` bytes of host text at `start`, verbatim.
    pub fn verbatim(src: &str, start: usize, end: usize) -> Lit {
        let mut lit = Lit {
            span: Span::new(start, end),
            ..Lit::default()
        };
        lit.push_verbatim(src, start, end);
        lit
    }

    /// Append host text `start..end` as it is.
    pub fn push_verbatim(&mut self, src: &str, start: usize, end: usize) {
        let Some(piece) = src.get(start..end) else {
            return;
        };
        self.map.push(self.text.len(), start, piece.len());
        self.text.push_str(piece);
    }

    /// Append host text `start..end` with `\`-escapes decoded (JavaScript, C#, Elixir rules:
    /// the common escapes; any other escaped character stands for itself).
    pub fn push_escaped(&mut self, src: &str, start: usize, end: usize) {
        let Some(piece) = src.get(start..end) else {
            return;
        };
        let mut run = start;
        let mut chars = piece.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                continue;
            }
            let at = start + i;
            self.push_verbatim(src, run, at);
            let Some((j, e)) = chars.next() else {
                run = end;
                break;
            };
            let after = start + j + e.len_utf8();
            let decoded = match e {
                'n' => Some('\n'),
                't' => Some('\t'),
                'r' => Some('\r'),
                '0' => Some('\0'),
                '\n' => None,
                other => Some(other),
            };
            if let Some(d) = decoded {
                self.map
                    .push(self.text.len(), at, d.len_utf8().min(after - at));
                self.text.push(d);
            }
            run = after;
        }
        self.push_verbatim(src, run, end);
    }

    /// Append a literal character standing for host text at `at` (a doubled quote).
    pub fn push_char(&mut self, c: char, at: usize) {
        self.map.push(self.text.len(), at, 1);
        self.text.push(c);
    }

    /// Append another decoded literal (string concatenation).
    pub fn append(&mut self, other: &Lit, src: &str) {
        let _ = src;
        for (t, h, l) in other.map.segments() {
            self.map.push(self.text.len() + t, h, l);
        }
        self.text.push_str(&other.text);
        self.span = Span::new(
            self.span.start().min(other.span.start()),
            self.span.end().max(other.span.end()),
        );
    }
}

/// A call as written, for messages: whitespace runs compacted to one space (none just inside
/// brackets), cut after 120 characters.
pub fn written(text: &str) -> String {
    let text = strip_comments(text);
    let mut out = String::new();
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space
            && !out.is_empty()
            && !out.ends_with(['(', '[', '{'])
            && !matches!(c, ')' | ']' | '}')
        {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if out.chars().count() > 120 {
        let cut: String = out.chars().take(117).collect();
        return format!("{cut}…");
    }
    out
}

/// `text` without `//` and `/* */` comments outside string literals (C#, JavaScript,
/// TypeScript) and `#` comments at the end of a line (Elixir, YAML) when outside quotes.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => {
                quote = Some(c);
                out.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                let mut last = ' ';
                for n in chars.by_ref() {
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
                out.push(' ');
            }
            '#' if chars.peek().is_none_or(|&n| n != '{') => {
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Look `name` up in a type table (case-insensitively); `None` when the table does not know it.
pub fn lookup(table: &[(&str, &'static str)], name: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// An SQL type from a table entry: `varchar(%)` takes `size` (or `default`), `numeric(%p,%s)`
/// takes precision and scale when given.
pub fn sized(pattern: &str, size: Option<&str>, scale: Option<&str>) -> String {
    match pattern.split_once('%') {
        None => pattern.to_string(),
        Some((base, rest)) => {
            // `varchar(%255)`: a default size after the `%`.
            let default = rest.trim_end_matches(')');
            match (size.or((!default.is_empty()).then_some(default)), scale) {
                (Some(p), Some(s)) => format!("{base}{p},{s})"),
                (Some(p), None) => format!("{base}{p})"),
                (None, _) => base.trim_end_matches('(').to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_and_map_back() {
        let src = r#"x("DROP TABLE \"a\";\nX")"#;
        let mut lit = Lit::default();
        lit.push_escaped(src, 3, src.len() - 2);
        assert_eq!(lit.text, "DROP TABLE \"a\";\nX");
        let a = lit.text.find('a').unwrap_or_default();
        assert_eq!(&src[lit.map.to_host(a)..=lit.map.to_host(a)], "a");
        let x = lit.text.find('X').unwrap_or_default();
        assert_eq!(&src[lit.map.to_host(x)..=lit.map.to_host(x)], "X");
    }

    #[test]
    fn written_drops_comments() {
        assert_eq!(
            written("m.DropColumn( // expect: x\n name: \"a//b\") /* c */"),
            "m.DropColumn(name: \"a//b\")"
        );
        assert_eq!(written("remove :coupon # gone"), "remove :coupon");
    }

    #[test]
    fn written_is_compact() {
        assert_eq!(
            written("migrationBuilder.DropColumn(\n    name: \"Fax\",\n    table: \"Users\")"),
            "migrationBuilder.DropColumn(name: \"Fax\", table: \"Users\")"
        );
    }

    #[test]
    fn sized_types() {
        assert_eq!(sized("varchar(%255)", Some("50"), None), "varchar(50)");
        assert_eq!(sized("varchar(%255)", None, None), "varchar(255)");
        assert_eq!(sized("numeric(%)", None, None), "numeric");
        assert_eq!(sized("numeric(%)", Some("10"), Some("2")), "numeric(10,2)");
        assert_eq!(sized("text", Some("10"), None), "text");
    }
}
