//! A generic, spanned YAML model on top of tree-sitter-yaml, for every YAML consumer of the facts
//! layer (Compose files, GitHub Actions workflows, GitLab CI).
//!
//! [`parse`] turns YAML text into [`Yaml`]: one [`Document`] per `---` document, each a tree of
//! [`Node`]s (mappings, sequences, scalars) with byte spans in host-file coordinates. The things
//! the grammar leaves to its user are done here:
//!
//! - anchors and aliases are resolved (an alias becomes a copy of the anchored node, whose spans
//!   still point at the anchor's definition, where the text really is; [`Node::alias`] keeps the
//!   alias's own span);
//! - `<<:` merge keys are resolved, for one anchor and for lists of anchors, with YAML's precedence
//!   (keys written in the mapping win, then earlier merged mappings over later ones); merged pairs
//!   are marked [`Pair::merged`];
//! - scalars are decoded to their string value (plain multi-line folding, `''` in single quotes,
//!   escapes in double quotes, literal `|` and folded `>` block scalars with chomping and
//!   indentation indicators), each with an [`OffsetMap`] from decoded text offsets back to host
//!   offsets, so that a shell script in a block scalar can be parsed and its findings still point
//!   at the right host line;
//! - syntax errors (`ERROR`/missing nodes, a file the grammar gives up on) become
//!   [`YamlProblem`]s, which the facts layer turns into notices: never silent.
//!
//! This module must not know what the YAML means (that is `compose.rs`, the CI layers), and it
//! never includes scalar values in problem messages (they may be secrets).

mod depth;
mod documents;
pub use documents::{parse_skipping, parse_skipping_kinds, top_level_kind};

use std::collections::HashMap;

use tree_sitter::Node as TsNode;

use crate::source::{OffsetMap, Span};
use crate::syntax::{Grammar, parse_tree, reparse_tree};

/// Nesting deeper than this is not followed (a problem says so).
const MAX_DEPTH: usize = 200;
/// Upper bound on nodes built, counting copies made by aliases ("billion laughs" guard).
const MAX_NODES: usize = 500_000;
/// Lines blanked at most when recovering from a file the grammar gives up on.
const MAX_SKIPPED_LINES: usize = 16;

/// A parsed YAML stream: its documents and the problems met while reading it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Yaml {
    pub documents: Vec<Document>,
    pub problems: Vec<YamlProblem>,
}

/// One `---`-separated document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// The document's root node; `None` for an empty document or one the grammar could not read.
    pub root: Option<Node>,
    pub span: Span,
}

/// A problem met while reading the YAML; `offset` is a host byte offset. The message never
/// quotes the file's content.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct YamlProblem {
    pub offset: usize,
    pub message: String,
}

/// One YAML node with its span (the node's content, without anchor and tag).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    /// An explicit tag (`!!str`, `!reset`, `!override`), as written.
    pub tag: Option<String>,
    /// When this node is the target of an alias: the span of the alias (`*name`) that put it here.
    pub alias: Option<Span>,
}

/// What a node holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Mapping(Vec<Pair>),
    Sequence(Vec<Node>),
    Scalar(Scalar),
}

/// A key/value pair of a mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub key: Node,
    /// The value; a null scalar with an empty span right after the `:` when the value is absent.
    pub value: Node,
    /// The pair came from a `<<:` merge key, not from the mapping's own text.
    pub merged: bool,
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` block scalar.
    Literal,
    /// `>` block scalar.
    Folded,
}

/// The type a plain scalar resolves to (YAML core schema, as tree-sitter-yaml decides it).
/// Quoted and block scalars are always `Str`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarType {
    Str,
    Int,
    Float,
    Bool,
    Null,
    Timestamp,
}

/// A scalar, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    /// The decoded value (quotes removed, escapes applied, lines folded, block indentation removed).
    pub value: String,
    pub style: ScalarStyle,
    pub ty: ScalarType,
    /// Offsets into `value` → host offsets.
    pub map: OffsetMap,
    /// Where the value's characters are in the host: inside the quotes, after a block header.
    pub content_span: Span,
}

impl Scalar {
    /// The host span of a byte range of the decoded value.
    pub fn host_span(&self, start: usize, end: usize) -> Span {
        self.map.span_to_host(Span::new(start, end))
    }
}

impl Node {
    fn null(at: usize) -> Node {
        Node {
            value: Value::Scalar(Scalar {
                value: String::new(),
                style: ScalarStyle::Plain,
                ty: ScalarType::Null,
                map: OffsetMap::verbatim(at, 0),
                content_span: Span::new(at, at),
            }),
            span: Span::new(at, at),
            tag: None,
            alias: None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The decoded string of a scalar (also for numbers and booleans: `5432`, `true`); `None` for
    /// null and for collections.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) if s.ty != ScalarType::Null => Some(&s.value),
            _ => None,
        }
    }

    pub fn as_mapping(&self) -> Option<&[Pair]> {
        match &self.value {
            Value::Mapping(p) => Some(p),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Sequence(s) => Some(s),
            _ => None,
        }
    }

    /// A null scalar (`~`, `null`, or no value at all).
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.ty == ScalarType::Null)
    }

    /// A boolean scalar's value (`true`/`false`, any case YAML accepts).
    pub fn as_bool(&self) -> Option<bool> {
        let s = self.as_scalar()?;
        if s.style != ScalarStyle::Plain {
            return None;
        }
        match s.value.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        }
    }

    /// The pair whose key is the string `key`, in a mapping.
    pub fn pair(&self, key: &str) -> Option<&Pair> {
        self.as_mapping()?.iter().find(|p| p.key_str() == Some(key))
    }

    /// The value under `key`, in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.pair(key).map(|p| &p.value)
    }

    /// The scalar string under `key`.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }
}

impl Pair {
    /// The key as a string, when it is a scalar.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_str()
    }
}

/// Parse YAML text into documents of spanned nodes, with anchors, aliases and merge keys resolved.
pub fn parse(text: &str) -> Yaml {
    let mut out = Yaml::default();
    if let Some(at) = depth::too_deep(text) {
        // The grammar's scanner aborts the whole process on nesting this deep: never parse it.
        out.problems.push(YamlProblem {
            offset: at,
            message: "YAML nested too deeply for the YAML grammar (over 100 block levels); the file was not analysed".into(),
        });
        out.documents.push(Document {
            root: None,
            span: Span::new(0, text.len()),
        });
        return out;
    }
    let Some(mut tree) = parse_tree(Grammar::Yaml, text) else {
        out.problems.push(YamlProblem {
            offset: 0,
            message: "the YAML grammar could not be loaded; the file was not analysed".into(),
        });
        return out;
    };
    // One bad line (a stray indentation) can make the grammar give up on the whole file. Blank
    // the line it gave up at (offsets stay) and try again, so the rest of the file is still
    // read. Not for files over the grammar's 32,768-line limit: no blanking helps there.
    let mut work = std::borrow::Cow::Borrowed(text);
    let mut skipped = Vec::new();
    let small = text.bytes().filter(|&b| b == b'\n').count() < 32_768;
    while small && tree.root_node().kind() != "stream" && skipped.len() < MAX_SKIPPED_LINES {
        let at = tree.root_node().end_byte().min(work.len());
        let (start, end) = line_bounds(&work, at);
        if work[start..end].trim().is_empty() {
            break;
        }
        // Every byte of the line becomes a space: UTF-8 stays valid and offsets do not move.
        let blank = " ".repeat(end - start);
        work.to_mut().replace_range(start..end, &blank);
        skipped.push(start);
        // The rest of the text is as it was: parse again reusing the tree (a Helm template
        // can take several rounds, each a whole parse before).
        let row = memchr::memchr_iter(b'\n', &work.as_bytes()[..start]).count();
        let at = |byte: usize| tree_sitter::Point::new(row, byte - start);
        tree.edit(&tree_sitter::InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: end,
            start_position: at(start),
            old_end_position: at(end),
            new_end_position: at(end),
        });
        match reparse_tree(Grammar::Yaml, &work, Some(&tree)) {
            Some(t) => tree = t,
            None => break,
        }
    }
    let root = tree.root_node();
    let mut builder = Builder {
        text: &work,
        anchors: HashMap::new(),
        nodes: 0,
        problems: Vec::new(),
        budget_reported: false,
    };
    builder.report_errors(root);
    if !small && root.has_error() {
        builder.problem(
            0,
            "YAML file of more than 32,768 lines: the YAML grammar cannot read files this long (tree-sitter-grammars/tree-sitter-yaml#49), so parts of it were not analysed",
        );
    }
    if root.kind() == "stream" {
        for start in &skipped {
            builder.problem(
                *start,
                "YAML syntax error: this line could not be read and was skipped; the rest of the file was analysed",
            );
        }
    }
    if root.kind() == "stream" {
        let mut cursor = root.walk();
        for doc in root.named_children(&mut cursor) {
            if doc.kind() != "document" {
                continue;
            }
            builder.anchors.clear();
            let mut c2 = doc.walk();
            let content = doc
                .named_children(&mut c2)
                .find(|n| matches!(n.kind(), "block_node" | "flow_node"));
            let node = content.and_then(|n| builder.node(n, 0));
            out.documents.push(Document {
                root: node,
                span: span_of(doc),
            });
        }
    } else {
        // The grammar gave up on the whole file (bad indentation, or more than 32,768 lines:
        // tree-sitter-grammars/tree-sitter-yaml#49). Nothing in it is trustworthy.
        out.documents.push(Document {
            root: None,
            span: span_of(root),
        });
    }
    out.problems = builder.problems;
    out.problems.sort();
    out.problems.dedup();
    out
}

fn span_of(node: TsNode) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

struct Builder<'a> {
    text: &'a str,
    anchors: HashMap<String, Node>,
    nodes: usize,
    problems: Vec<YamlProblem>,
    budget_reported: bool,
}

impl<'a> Builder<'a> {
    fn node_text(&self, node: TsNode) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn problem(&mut self, offset: usize, message: impl Into<String>) {
        self.problems.push(YamlProblem {
            offset,
            message: message.into(),
        });
    }

    /// Every syntax error in the tree, as problems (iteratively: the tree may be deep).
    fn report_errors(&mut self, root: TsNode) {
        if !root.has_error() {
            return;
        }
        if root.kind() != "stream" {
            self.problem(
                root.end_byte(),
                "YAML syntax error near this line: the grammar could not read the file (bad indentation, or more than 32,768 lines), so it was not analysed",
            );
            return;
        }
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if node.is_error() {
                self.problem(
                    node.start_byte(),
                    "YAML syntax error: this part of the file was not analysed",
                );
                continue;
            }
            if node.is_missing() {
                self.problem(
                    node.start_byte(),
                    format!("YAML syntax error: a `{}` is missing here", node.kind()),
                );
                continue;
            }
            if node.has_error() {
                let mut cursor = node.walk();
                stack.extend(node.children(&mut cursor));
            }
        }
    }

    fn count(&mut self, n: usize, at: usize) -> bool {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            if !self.budget_reported {
                self.budget_reported = true;
                self.problem(
                    at,
                    format!("YAML too large after alias expansion (over {MAX_NODES} nodes); the rest was not analysed"),
                );
            }
            return false;
        }
        true
    }

    /// Convert a `block_node`/`flow_node` (or a bare content node) to a [`Node`].
    fn node(&mut self, ts: TsNode, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            self.problem(
                ts.start_byte(),
                format!("YAML nested deeper than {MAX_DEPTH} levels was not analysed"),
            );
            return None;
        }
        if !self.count(1, ts.start_byte()) {
            return None;
        }
        if !matches!(ts.kind(), "block_node" | "flow_node") {
            return self.content(ts, depth);
        }
        let mut anchor = None;
        let mut tag = None;
        let mut content = None;
        let mut cursor = ts.walk();
        for child in ts.named_children(&mut cursor) {
            match child.kind() {
                "anchor" => {
                    let mut c2 = child.walk();
                    anchor = child
                        .named_children(&mut c2)
                        .find(|c| c.kind() == "anchor_name")
                        .map(|c| self.node_text(c).to_string());
                }
                "tag" => tag = Some(self.node_text(child).to_string()),
                "comment" | "ERROR" => {}
                _ => content = Some(child),
            }
        }
        let mut node = match content {
            Some(c) => self.content(c, depth)?,
            // `key: &a` or `key: !!null`: an anchored/tagged empty node.
            None => Node::null(ts.end_byte()),
        };
        if tag.is_some() {
            node.tag = tag;
        }
        if let Some(name) = anchor {
            self.anchors.insert(name, node.clone());
        }
        Some(node)
    }

    fn content(&mut self, ts: TsNode, depth: usize) -> Option<Node> {
        let span = span_of(ts);
        let value = match ts.kind() {
            "block_mapping" | "flow_mapping" => Value::Mapping(self.mapping(ts, depth)),
            "block_sequence" | "flow_sequence" => {
                let mut items = Vec::new();
                let mut cursor = ts.walk();
                for child in ts.named_children(&mut cursor) {
                    match child.kind() {
                        "block_sequence_item" => {
                            let mut c2 = child.walk();
                            let inner = child
                                .named_children(&mut c2)
                                .find(|c| matches!(c.kind(), "block_node" | "flow_node"));
                            match inner {
                                Some(inner) => items.extend(self.node(inner, depth + 1)),
                                // `-` with nothing after it: a null item.
                                None => items.push(Node::null(child.end_byte())),
                            }
                        }
                        "flow_node" => items.extend(self.node(child, depth + 1)),
                        "flow_pair" => {
                            // `[a: b]`: a single-pair mapping.
                            let pairs = self.pairs_of(child, depth);
                            items.push(Node {
                                value: Value::Mapping(pairs),
                                span: span_of(child),
                                tag: None,
                                alias: None,
                            });
                        }
                        _ => {}
                    }
                }
                Value::Sequence(items)
            }
            "alias" => {
                let mut cursor = ts.walk();
                let name = ts
                    .named_children(&mut cursor)
                    .find(|c| c.kind() == "alias_name")
                    .map(|c| self.node_text(c).to_string())
                    .unwrap_or_default();
                let Some(target) = self.anchors.get(&name).cloned() else {
                    self.problem(
                        ts.start_byte(),
                        format!("YAML alias `*{name}` refers to no anchor defined before it"),
                    );
                    return Some(Node::null(ts.start_byte()));
                };
                if !self.count(size(&target), ts.start_byte()) {
                    return None;
                }
                let mut node = target;
                node.alias = Some(span);
                return Some(node);
            }
            "plain_scalar" | "single_quote_scalar" | "double_quote_scalar" | "block_scalar" => {
                Value::Scalar(self.scalar(ts))
            }
            "block_node" | "flow_node" => return self.node(ts, depth + 1),
            _ => return None,
        };
        Some(Node {
            value,
            span,
            tag: None,
            alias: None,
        })
    }

    fn pairs_of(&mut self, pair: TsNode, depth: usize) -> Vec<Pair> {
        let key = pair.child_by_field_name("key");
        let value = pair.child_by_field_name("value");
        let key_node = match key {
            Some(k) => self.node(k, depth + 1),
            None => Some(Node::null(pair.start_byte())),
        };
        let Some(key_node) = key_node else {
            return Vec::new();
        };
        let value_node = match value {
            Some(v) => self.node(v, depth + 1),
            None => {
                // The value is absent: an empty span right after the `:`.
                let mut cursor = pair.walk();
                let colon = pair
                    .children(&mut cursor)
                    .find(|c| c.kind() == ":")
                    .map_or(pair.end_byte(), |c| c.end_byte());
                Some(Node::null(colon))
            }
        };
        let Some(value_node) = value_node else {
            return Vec::new();
        };
        vec![Pair {
            key: key_node,
            value: value_node,
            merged: false,
        }]
    }

    fn mapping(&mut self, ts: TsNode, depth: usize) -> Vec<Pair> {
        let mut own: Vec<Pair> = Vec::new();
        let mut merges: Vec<Node> = Vec::new();
        let mut cursor = ts.walk();
        for child in ts.named_children(&mut cursor) {
            let pairs = match child.kind() {
                "block_mapping_pair" | "flow_pair" => self.pairs_of(child, depth),
                // `{a, b}`: keys without values.
                "flow_node" => self
                    .node(child, depth + 1)
                    .map(|key| Pair {
                        value: Node::null(key.span.end()),
                        key,
                        merged: false,
                    })
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            };
            for pair in pairs {
                let is_merge = pair.key_str() == Some("<<")
                    && matches!(&pair.key.value, Value::Scalar(s) if s.style == ScalarStyle::Plain);
                if is_merge {
                    merges.push(pair.value);
                } else {
                    own.push(pair);
                }
            }
        }
        // `<<: *a` or `<<: [*a, *b]`: keys already present win, then earlier merged mappings.
        for merge in merges {
            let sources: Vec<Node> = match merge.value {
                Value::Sequence(items) => items,
                _ => vec![merge],
            };
            for source in sources {
                let Value::Mapping(pairs) = source.value else {
                    if !source.is_null() {
                        self.problem(
                            source.span.start(),
                            "YAML merge key `<<` needs a mapping or a list of mappings",
                        );
                    }
                    continue;
                };
                for mut pair in pairs {
                    let Some(key) = pair.key_str() else {
                        continue;
                    };
                    if own.iter().any(|p| p.key_str() == Some(key)) {
                        continue;
                    }
                    pair.merged = true;
                    own.push(pair);
                }
            }
        }
        own
    }

    fn scalar(&mut self, ts: TsNode) -> Scalar {
        let raw = self.node_text(ts);
        let start = ts.start_byte();
        match ts.kind() {
            "plain_scalar" => {
                let mut cursor = ts.walk();
                let ty = ts
                    .named_children(&mut cursor)
                    .next()
                    .map_or(ScalarType::Str, |c| match c.kind() {
                        "integer_scalar" => ScalarType::Int,
                        "float_scalar" => ScalarType::Float,
                        "boolean_scalar" => ScalarType::Bool,
                        "null_scalar" => ScalarType::Null,
                        "timestamp_scalar" => ScalarType::Timestamp,
                        _ => ScalarType::Str,
                    });
                let (value, map) = fold_flow(raw, start, Quote::None);
                Scalar {
                    value,
                    style: ScalarStyle::Plain,
                    ty,
                    map,
                    content_span: span_of(ts),
                }
            }
            "single_quote_scalar" | "double_quote_scalar" => {
                let double = ts.kind() == "double_quote_scalar";
                let inner_start = start + 1;
                let inner = raw.get(1..raw.len().saturating_sub(1).max(1)).unwrap_or("");
                let quote = if double { Quote::Double } else { Quote::Single };
                let (value, map) = fold_flow(inner, inner_start, quote);
                Scalar {
                    value,
                    style: if double {
                        ScalarStyle::DoubleQuoted
                    } else {
                        ScalarStyle::SingleQuoted
                    },
                    ty: ScalarType::Str,
                    map,
                    content_span: Span::new(inner_start, inner_start + inner.len()),
                }
            }
            _ => {
                let parent_indent = line_indent(self.text, start);
                let (value, map, folded, content_span) = block_scalar(raw, start, parent_indent);
                Scalar {
                    value,
                    style: if folded {
                        ScalarStyle::Folded
                    } else {
                        ScalarStyle::Literal
                    },
                    ty: ScalarType::Str,
                    map,
                    content_span,
                }
            }
        }
    }
}

/// Byte range of the line holding `at` (the line before, when `at` is at a line's end), without
/// its line break.
fn line_bounds(text: &str, at: usize) -> (usize, usize) {
    let mut at = crate::source::floor_char_boundary(text, at);
    if at > 0 && (at == text.len() || text.as_bytes()[at] == b'\n') {
        // The byte before may end a multi-byte character: step back to where it starts.
        at = crate::source::floor_char_boundary(text, at - 1);
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let end = if text[start..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    (start, end.max(start))
}

/// Nodes in a subtree (for the alias expansion budget).
fn size(node: &Node) -> usize {
    let mut n = 0;
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        n += 1;
        match &node.value {
            Value::Mapping(pairs) => {
                for p in pairs {
                    stack.push(&p.key);
                    stack.push(&p.value);
                }
            }
            Value::Sequence(items) => stack.extend(items),
            Value::Scalar(_) => {}
        }
    }
    n
}

/// Leading spaces of the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> usize {
    let line_start = text
        .get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    text.get(line_start..)
        .map_or(0, |t| t.bytes().take_while(|&b| b == b' ').count())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// Decoded text being built with its offset map.
#[derive(Default)]
struct Out {
    text: String,
    map: OffsetMap,
}

impl Out {
    /// Append `s`, which came verbatim from host offset `host`.
    fn verbatim(&mut self, s: &str, host: usize) {
        if s.is_empty() {
            return;
        }
        self.map.push(self.text.len(), host, s.len());
        self.text.push_str(s);
    }

    /// Append text that stands for the host bytes at `host` (an escape, a folded line break).
    fn synthetic(&mut self, s: &str, host: usize, host_len: usize) {
        if s.is_empty() {
            return;
        }
        self.map
            .push(self.text.len(), host, s.len().min(host_len.max(1)));
        self.text.push_str(s);
    }
}

/// Split into lines at `\n` (a `\r` before it is dropped), with each line's offset.
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        let content = line.strip_suffix('\r').unwrap_or(line);
        out.push((at, content));
        at += line.len() + 1;
    }
    out
}

/// Decode a flow scalar (plain, or the inside of quotes) starting at host offset `host`: line
/// folding (a line break becomes a space, `n` empty lines become `n` newlines), `''` in single
/// quotes, escapes in double quotes.
fn fold_flow(raw: &str, host: usize, quote: Quote) -> (String, OffsetMap) {
    // Most scalars are one line with nothing to decode: the text itself, one segment.
    let plain_line = !raw.contains('\n')
        && !raw.ends_with('\r')
        && match quote {
            Quote::None => true,
            Quote::Single => !raw.contains("''"),
            Quote::Double => !raw.contains('\\'),
        };
    if plain_line {
        if raw.is_empty() {
            return (String::new(), OffsetMap::default());
        }
        return (raw.to_string(), OffsetMap::verbatim(host, raw.len()));
    }
    let mut out = Out::default();
    let lines = lines_with_offsets(raw);
    let last = lines.len().saturating_sub(1);
    let mut empty_run = 0usize;
    let mut wrote_line = false;
    let mut escaped_break = false;
    for (i, (offset, line)) in lines.iter().enumerate() {
        let mut content = *line;
        let mut at = host + offset;
        if i > 0 {
            let trimmed = content.trim_start_matches([' ', '\t']);
            at += content.len() - trimmed.len();
            content = trimmed;
        }
        if i < last {
            content = content.trim_end_matches([' ', '\t']);
        }
        if i > 0 && i < last && content.is_empty() {
            empty_run += 1;
            continue;
        }
        if wrote_line || i > 0 {
            if escaped_break {
                // `\` at the end of a line in double quotes: no space.
            } else if empty_run > 0 {
                out.synthetic(&"\n".repeat(empty_run), at, 1);
            } else {
                out.synthetic(" ", at, 1);
            }
        }
        empty_run = 0;
        escaped_break = false;
        match quote {
            Quote::None => out.verbatim(content, at),
            Quote::Single => {
                let mut rest = content;
                let mut pos = at;
                while let Some(idx) = rest.find("''") {
                    out.verbatim(&rest[..idx + 1], pos);
                    rest = &rest[idx + 2..];
                    pos += idx + 2;
                }
                out.verbatim(rest, pos);
            }
            Quote::Double => {
                escaped_break = decode_double_line(content, at, &mut out);
            }
        }
        wrote_line = true;
    }
    (out.text, out.map)
}

/// Decode one line of a double-quoted scalar; returns true when it ends with an escaped line break.
fn decode_double_line(line: &str, host: usize, out: &mut Out) -> bool {
    let mut run_start = 0;
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        out.verbatim(&line[run_start..i], host + run_start);
        let Some(&esc) = bytes.get(i + 1) else {
            // A backslash at the end of the line: the line break is escaped.
            return true;
        };
        let (decoded, len): (Option<char>, usize) = match esc {
            b'0' => (Some('\0'), 2),
            b'a' => (Some('\u{7}'), 2),
            b'b' => (Some('\u{8}'), 2),
            b't' | b'\t' => (Some('\t'), 2),
            b'n' => (Some('\n'), 2),
            b'v' => (Some('\u{b}'), 2),
            b'f' => (Some('\u{c}'), 2),
            b'r' => (Some('\r'), 2),
            b'e' => (Some('\u{1b}'), 2),
            b' ' => (Some(' '), 2),
            b'"' => (Some('"'), 2),
            b'/' => (Some('/'), 2),
            b'\\' => (Some('\\'), 2),
            b'N' => (Some('\u{85}'), 2),
            b'_' => (Some('\u{a0}'), 2),
            b'L' => (Some('\u{2028}'), 2),
            b'P' => (Some('\u{2029}'), 2),
            b'x' | b'u' | b'U' => {
                let digits = match esc {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = line.get(i + 2..i + 2 + digits).unwrap_or("");
                let c = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                (c, 2 + hex.len())
            }
            _ => (None, 1),
        };
        match decoded {
            Some(c) => {
                let mut buf = [0u8; 4];
                out.synthetic(c.encode_utf8(&mut buf), host + i, len);
            }
            // An invalid escape: keep the backslash as written.
            None => out.verbatim("\\", host + i),
        }
        i += len;
        // Never split a multi-byte character.
        while i < bytes.len() && !line.is_char_boundary(i) {
            i += 1;
        }
        run_start = i;
    }
    out.verbatim(&line[run_start..], host + run_start);
    false
}

/// Decode a block scalar (`|`, `>`, with chomping `-`/`+` and an indentation digit).
/// Returns the value, its map, whether it is folded, and the span of its content lines.
fn block_scalar(raw: &str, host: usize, parent_indent: usize) -> (String, OffsetMap, bool, Span) {
    let header_end = raw.find('\n').unwrap_or(raw.len());
    let header = raw[..header_end].split('#').next().unwrap_or("").trim();
    let folded = header.starts_with('>');
    let mut chomp = Chomp::Clip;
    let mut explicit = None;
    for c in header.chars().skip(1) {
        match c {
            '-' => chomp = Chomp::Strip,
            '+' => chomp = Chomp::Keep,
            '1'..='9' => explicit = c.to_digit(10).map(|d| d as usize),
            _ => {}
        }
    }
    let body_start = (header_end + 1).min(raw.len());
    let body = &raw[body_start..];
    let lines = lines_with_offsets(body);
    let indent = explicit.map(|d| parent_indent + d).unwrap_or_else(|| {
        lines
            .iter()
            .find(|(_, l)| !l.trim().is_empty())
            .map_or(0, |(_, l)| l.len() - l.trim_start_matches(' ').len())
    });
    // Content lines: (host offset, text after the indentation, or None for an empty line).
    let mut content: Vec<(usize, Option<&str>)> = Vec::new();
    for (offset, line) in &lines {
        let at = host + body_start + offset;
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if line.trim().is_empty() && spaces <= indent.max(line.len()) {
            content.push((at, None));
        } else {
            let cut = spaces.min(indent);
            content.push((at + cut, Some(&line[cut..])));
        }
    }
    // A trailing "" from the final newline is not a line.
    if body.ends_with('\n') || body.is_empty() {
        content.pop();
    }
    let last_text = content.iter().rposition(|(_, l)| l.is_some());
    let mut out = Out::default();
    let Some(last_text) = last_text else {
        let span = Span::new(host + body_start, host + raw.len());
        return (
            String::new(),
            OffsetMap::verbatim(span.start(), 0),
            folded,
            span,
        );
    };
    let mut prev_normal = false;
    let mut pending_empty = 0usize;
    let mut first = true;
    for (at, line) in &content[..=last_text] {
        let Some(line) = line else {
            pending_empty += 1;
            continue;
        };
        let normal = !line.starts_with([' ', '\t']);
        if !first {
            if folded && prev_normal && normal {
                if pending_empty == 0 {
                    out.synthetic(" ", *at, 1);
                } else {
                    out.synthetic(&"\n".repeat(pending_empty), *at, 1);
                }
            } else {
                out.synthetic(&"\n".repeat(pending_empty + 1), *at, 1);
            }
        } else if pending_empty > 0 {
            out.synthetic(&"\n".repeat(pending_empty), *at, 1);
        }
        out.verbatim(line, *at);
        first = false;
        prev_normal = normal;
        pending_empty = 0;
    }
    let trailing_empty = content.len() - 1 - last_text;
    let end_host = content[last_text].0 + content[last_text].1.map_or(0, str::len);
    match chomp {
        Chomp::Strip => {}
        Chomp::Clip => out.synthetic("\n", end_host, 1),
        Chomp::Keep => out.synthetic(&"\n".repeat(trailing_empty + 1), end_host, 1),
    }
    let span = Span::new(content[0].0.min(end_host), end_host);
    (out.text, out.map, folded, span)
}

#[derive(Clone, Copy)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_ends_in_a_multibyte_character_is_blanked_whole() {
        // Found by the whole_scan fuzz target: the grammar gives up at a line break right after
        // a 3-byte character, and stepping back one byte landed inside it (a panic).
        assert_eq!(line_bounds("a\u{FFFD}\nb", 4), (0, 4));
        assert_eq!(line_bounds("\u{FFFD}", 3), (0, 3));
        let text =
            "  db:: legacy\u{FFFD}\u{FFFD}\u{FFFD}\nservices:\n  db:\n    image: mariadb:11\n";
        let yaml = parse(text);
        assert!(!yaml.documents.is_empty());
    }

    fn root(text: &str) -> Node {
        let yaml = parse(text);
        assert!(yaml.problems.is_empty(), "{:?}", yaml.problems);
        yaml.documents[0].root.clone().expect("a root")
    }

    #[test]
    fn mappings_sequences_and_spans() {
        let text = "services:\n  db:\n    image: \"postgres:16\"\n    ports: [5432, '6543']\n";
        let r = root(text);
        let db = r.get("services").and_then(|s| s.get("db")).expect("db");
        let image = db.get("image").expect("image");
        assert_eq!(image.as_str(), Some("postgres:16"));
        let s = image.as_scalar().expect("scalar");
        assert_eq!(
            &text[s.content_span.start()..s.content_span.end()],
            "postgres:16"
        );
        let ports = db.get("ports").and_then(Node::as_sequence).expect("ports");
        assert_eq!(ports[0].as_scalar().map(|s| s.ty), Some(ScalarType::Int));
        assert_eq!(ports[1].as_str(), Some("6543"));
    }

    #[test]
    fn anchors_aliases_and_merges() {
        let text = "x-a: &a\n  A: 1\n  B: 2\nx-b: &b\n  B: 3\n  C: 4\ns:\n  <<: [*a, *b]\n  A: own\nt: *a\nu:\n  <<: *b\n";
        let r = root(text);
        let s = r.get("s").expect("s");
        assert_eq!(s.get_str("A"), Some("own"));
        assert_eq!(s.get_str("B"), Some("2"));
        assert_eq!(s.get_str("C"), Some("4"));
        assert!(s.pair("B").expect("B").merged);
        assert!(!s.pair("A").expect("A").merged);
        let t = r.get("t").expect("t");
        assert!(t.alias.is_some());
        // Spans of aliased content point at the anchor's definition.
        let b = t.get("B").expect("B");
        assert_eq!(&text[b.span.start()..b.span.end()], "2");
        assert_eq!(r.get("u").and_then(|u| u.get_str("C")), Some("4"));
    }

    #[test]
    fn unknown_alias_is_a_problem() {
        let yaml = parse("a: *nope\n");
        assert_eq!(yaml.problems.len(), 1);
        assert!(yaml.problems[0].message.contains("nope"));
    }

    #[test]
    fn quoted_scalars_decode() {
        let text = "a: 'it''s'\nb: \"x\\ty\\u00e9\"\nc: plain\n  folded\nd: \"one\n\n  two\"\n";
        let r = root(text);
        assert_eq!(r.get_str("a"), Some("it's"));
        assert_eq!(r.get_str("b"), Some("x\tyé"));
        assert_eq!(r.get_str("c"), Some("plain folded"));
        assert_eq!(r.get_str("d"), Some("one\ntwo"));
        let c = r.get("c").and_then(Node::as_scalar).expect("c");
        let at = c.value.find("folded").expect("folded");
        let host = c.map.to_host(at);
        assert_eq!(&text[host..host + 6], "folded");
    }

    #[test]
    fn block_scalars_decode_and_map_back() {
        let text = "run: |\n  echo one\n    indented\n  psql -c 'x'\n\nf: >-\n  a\n  b\n\n  c\nk: |+\n  x\n\n";
        let r = root(text);
        let run = r.get("run").and_then(Node::as_scalar).expect("run");
        assert_eq!(run.value, "echo one\n  indented\npsql -c 'x'\n");
        let at = run.value.find("psql").expect("psql");
        let host = run.map.to_host(at);
        assert_eq!(&text[host..host + 4], "psql");
        assert_eq!(run.style, ScalarStyle::Literal);
        assert_eq!(r.get_str("f"), Some("a b\nc"));
        assert_eq!(r.get_str("k"), Some("x\n\n"));
    }

    #[test]
    fn documents_and_nulls() {
        let yaml = parse("a: 1\n---\nvolumes:\n  pgdata:\n");
        assert_eq!(yaml.documents.len(), 2);
        let second = yaml.documents[1].root.as_ref().expect("root");
        let v = second
            .get("volumes")
            .and_then(|v| v.get("pgdata"))
            .expect("pgdata");
        assert!(v.is_null());
    }

    #[test]
    fn broken_yaml_is_a_problem_not_silence() {
        let yaml = parse("services:\n  db:\n    image: postgres\n     bad: [\n    ports:\n");
        assert!(!yaml.problems.is_empty());
        assert!(
            yaml.problems
                .iter()
                .all(|p| !p.message.contains("postgres"))
        );
    }

    #[test]
    fn one_bad_line_does_not_hide_the_rest() {
        let text =
            "services:\n  db:\n    image: postgres\n     bad: [\n  cache:\n    image: redis\n";
        let yaml = parse(text);
        assert!(!yaml.problems.is_empty());
        let root = yaml.documents[0].root.as_ref().expect("recovered");
        let services = root.get("services").expect("services");
        assert_eq!(
            services.get("cache").and_then(|c| c.get_str("image")),
            Some("redis")
        );
    }

    #[test]
    fn lines_skipped_in_rounds_give_the_tree_of_the_text_without_them() {
        // A Helm template after blanking: lines the grammar gives up at, one round each (each
        // round re-parses incrementally). The tree must be the one a fresh parse of the text
        // with those lines blank gives.
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n   labels: [\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n         env: {\n          image: nginx\n      volumes:\n       - x: ]\n        - name: data\n          emptyDir: {}\n";
        let yaml = parse(text);
        let skipped: Vec<usize> = yaml
            .problems
            .iter()
            .filter(|p| p.message.contains("was skipped"))
            .map(|p| p.offset)
            .collect();
        assert!(skipped.len() >= 2, "{:?}", yaml.problems);
        let mut blanked = text.to_string();
        for &at in &skipped {
            let (start, end) = line_bounds(&blanked, at);
            blanked.replace_range(start..end, &" ".repeat(end - start));
        }
        let fresh = parse(&blanked);
        assert!(
            fresh
                .problems
                .iter()
                .all(|p| !p.message.contains("was skipped"))
        );
        assert_eq!(yaml.documents, fresh.documents);
    }

    #[test]
    fn alias_bombs_stop() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            ));
        }
        let yaml = parse(&text);
        assert!(
            yaml.problems
                .iter()
                .any(|p| p.message.contains("too large"))
        );
    }
}
