//! String literals of the migration languages (Ruby, PHP, Python) as the program sees them:
//! contents verbatim, escapes unescaped, interpolations (`#{t}`, `{$t}`, `$t`, f-string `{t}`)
//! as `${t}` placeholders the SQL reader treats as names, with a map from every byte back to
//! where it was written. Also the names and call texts the front-ends show in messages.

use tree_sitter::Node;

use crate::model::schema::SqlName;
use crate::source::{OffsetMap, Span};

/// A literal's text and where each of its bytes came from in the host file.
#[derive(Debug, Default)]
pub struct Lit {
    pub text: String,
    pub map: OffsetMap,
    /// It holds an interpolation (its value is not known statically).
    pub dynamic: bool,
}

impl Lit {
    /// Append `s`, written verbatim at `host`.
    fn verbatim(&mut self, host: usize, s: &str) {
        if s.is_empty() {
            return;
        }
        self.map.push(self.text.len(), host, s.len());
        self.text.push_str(s);
    }

    /// Append `s`, which stands for the source text `host` (an escape, an interpolation): its
    /// first byte maps to the start of that text and its last byte to the end, so a name
    /// holding it spans the source text.
    fn synthetic(&mut self, host: Span, s: &str) {
        if s.is_empty() {
            return;
        }
        let last = s.len() - 1;
        if last > 0 {
            self.map.push(self.text.len(), host.start(), 0);
        }
        self.map.push(
            self.text.len() + last,
            host.end().saturating_sub(1).max(host.start()),
            1,
        );
        self.text.push_str(s);
    }
}

impl Lit {
    /// Append another literal read from the same host file (string concatenation).
    pub fn append(&mut self, other: Lit) {
        let base = self.text.len();
        for (t, h, len) in other.map.segments() {
            self.map.push(base + t, h, len);
        }
        self.text.push_str(&other.text);
        self.dynamic |= other.dynamic;
    }

    /// Append `s`, the value of an expression written at `host` (a variable holding a name).
    pub fn append_at(&mut self, s: &str, host: Span) {
        self.synthetic(host, s);
    }

    /// Append a placeholder for an expression whose value is not known (`$table`, `{t}`).
    pub fn placeholder(&mut self, node: Node, src: &str) {
        let inner: String = src
            .get(node.start_byte()..node.end_byte())
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(40)
            .collect();
        let name = if inner.is_empty() { "_" } else { &inner };
        self.synthetic(span(node), &format!("${{{name}}}"));
        self.dynamic = true;
    }
}

/// Node kinds whose text is literal content.
const CONTENT: &[&str] = &[
    "string_content",
    "heredoc_content",
    "nowdoc_string",
    "string_value",
];

/// Node kinds that hold a string's parts (recursed into).
const CONTAINERS: &[&str] = &[
    "string",
    "encapsed_string",
    "heredoc",
    "heredoc_body",
    "nowdoc",
    "nowdoc_body",
    "chained_string",
    "concatenated_string",
];

/// Node kinds that are delimiters, not content.
const DELIMITERS: &[&str] = &[
    "string_start",
    "string_end",
    "heredoc_start",
    "heredoc_end",
    "heredoc_beginning",
];

/// Whether `node` is a string literal of one of the migration languages.
pub fn is_string(node: Node) -> bool {
    CONTAINERS.contains(&node.kind())
}

/// The text of the string literal `node` in `src`, or `None` if it is not a string literal.
pub fn string_text(node: Node, src: &str) -> Option<Lit> {
    string_text_with(node, src, &|_| None)
}

/// A value an interpolated expression is known to hold (a variable assigned a name earlier).
pub type Resolve<'r> = &'r dyn Fn(Node) -> Option<String>;

/// [`string_text`], with interpolations `resolve` knows read as their values.
pub fn string_text_with(node: Node, src: &str, resolve: Resolve) -> Option<Lit> {
    if !is_string(node) {
        return None;
    }
    let mut lit = Lit::default();
    read(node, src, &mut lit, resolve, 0);
    Some(lit)
}

fn read(node: Node, src: &str, lit: &mut Lit, resolve: Resolve, depth: usize) {
    if depth > 16 {
        return;
    }
    let mut cursor = node.walk();
    let mut previous: Option<usize> = None;
    for child in node.children(&mut cursor) {
        let kind = child.kind();
        if !child.is_named() || DELIMITERS.contains(&kind) {
            continue;
        }
        // PHP heredocs leave the line breaks between their content lines out of every node.
        if let Some(end) = previous
            && let Some(gap) = src.get(end..child.start_byte())
            && !gap.is_empty()
            && gap.chars().all(char::is_whitespace)
        {
            lit.verbatim(end, gap);
        }
        previous = Some(child.end_byte());
        if CONTENT.contains(&kind) {
            content(child, src, lit);
        } else if kind == "escape_sequence" {
            escape(child, src, lit);
        } else if CONTAINERS.contains(&kind) {
            read(child, src, lit, resolve, depth + 1);
        } else if let Some(value) = resolve(child) {
            lit.append_at(&value, span(child));
        } else {
            // An interpolation (`#{t}`, `{$t}`, `$t`, `{t}`): a placeholder named after it.
            lit.placeholder(child, src);
        }
    }
}

/// Literal content; Python's holds its escapes as children.
fn content(node: Node, src: &str, lit: &mut Lit) {
    let mut at = node.start_byte();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.kind() != "escape_sequence" && child.kind() != "interpolation" {
            continue;
        }
        lit.verbatim(at, src.get(at..child.start_byte()).unwrap_or(""));
        if child.kind() == "escape_sequence" {
            escape(child, src, lit);
        }
        at = child.end_byte();
    }
    lit.verbatim(at, src.get(at..node.end_byte()).unwrap_or(""));
}

fn escape(node: Node, src: &str, lit: &mut Lit) {
    let written = src.get(node.start_byte()..node.end_byte()).unwrap_or("");
    let value = match written {
        "\\n" => "\n",
        "\\t" => "\t",
        "\\r" => "\r",
        "\\0" => "\0",
        "\\\n" | "\\\r\n" => "",
        _ => match written.strip_prefix('\\') {
            Some(rest @ ("\\" | "'" | "\"" | "$" | "`" | "{" | "}" | "#")) => rest,
            _ => written,
        },
    };
    if value == written {
        lit.verbatim(node.start_byte(), written);
    } else {
        lit.synthetic(span(node), value);
    }
}

/// A name written as a symbol or string (`:accounts`, `'accounts'`, `"accounts"`), its value
/// and span; `None` for anything else or a name built at run time.
pub fn name_value(node: Node, src: &str) -> Option<SqlName> {
    let span = Span::new(node.start_byte(), node.end_byte());
    let text = match node.kind() {
        "simple_symbol" | "hash_key_symbol" => src
            .get(node.start_byte()..node.end_byte())?
            .trim_start_matches(':')
            .trim_end_matches(':')
            .to_string(),
        "delimited_symbol" => {
            let lit = string_text_of_symbol(node, src)?;
            if lit.dynamic {
                return None;
            }
            lit.text
        }
        _ => {
            let lit = string_text(node, src)?;
            if lit.dynamic {
                return None;
            }
            lit.text
        }
    };
    if text.is_empty() || text.len() > 256 {
        return None;
    }
    Some(SqlName::new(text, span))
}

/// `:"name"`: read like a string.
fn string_text_of_symbol(node: Node, src: &str) -> Option<Lit> {
    let mut lit = Lit::default();
    read(node, src, &mut lit, &|_| None, 0);
    Some(lit)
}

/// A call as written, for messages: comments left out, whitespace runs folded to one space, a
/// trailing comma before a closing bracket dropped, long calls cut.
pub fn written(node: Node, src: &str) -> String {
    let (start, end) = (node.start_byte(), node.end_byte());
    let mut raw = String::new();
    let mut at = start;
    for comment in comments(node) {
        raw.push_str(src.get(at..comment.0).unwrap_or(""));
        raw.push(' ');
        at = comment.1;
    }
    raw.push_str(src.get(at..end).unwrap_or(""));
    let mut out = String::new();
    for word in raw.split_whitespace() {
        if word.starts_with([')', ']']) && out.ends_with(',') {
            out.pop();
        }
        if !out.is_empty() && !out.ends_with(['(', '[']) && !word.starts_with([')', ']']) {
            out.push(' ');
        }
        out.push_str(word);
    }
    const MAX: usize = 100;
    if out.chars().count() > MAX {
        let cut: String = out.chars().take(MAX - 1).collect();
        return format!("{}…", cut.trim_end());
    }
    out
}

/// The byte ranges of the comments inside `node`, in order.
fn comments(node: Node) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    let mut budget = 10_000;
    while let Some(n) = stack.pop() {
        budget -= 1;
        if budget == 0 {
            break;
        }
        if n.kind() == "comment" {
            out.push((n.start_byte(), n.end_byte()));
            continue;
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    out.sort_unstable();
    out
}

/// The span of `node`.
pub fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}
