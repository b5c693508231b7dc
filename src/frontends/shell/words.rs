//! Words: a command's argument words as literal pieces and expansions (known variables substituted, arrays spread), and the host-file text and offsets of a word.

use super::*;

impl<'a> Walker<'a> {
    /// The text a word holds as the receiving program sees it, with a map to the host. Quoted
    /// strings without escapes map byte for byte; anything else maps to the word's start.
    pub(super) fn word_text(&self, raw: Option<Node>, word: &Word) -> (String, OffsetMap) {
        // `SQL='DROP TABLE t'; psql -c "$SQL"`: a word that is only a variable holding a literal
        // is that literal (reported at the word, where it runs).
        if let (Some(node), Some(value)) = (raw, word.literal())
            && only_variable(self.node_text(node).trim_matches('"'))
        {
            return (value.clone(), stretched(word.span, value.len()));
        }
        if let Some(node) = raw {
            let (s, e) = (node.start_byte(), node.end_byte());
            match node.kind() {
                "raw_string" if e >= s + 2 => {
                    let inner = self.text.get(s + 1..e - 1).unwrap_or("");
                    return (
                        inner.to_string(),
                        self.map.then(&OffsetMap::verbatim(s + 1, inner.len())),
                    );
                }
                "string" if e >= s + 2 => {
                    let inner = self.text.get(s + 1..e - 1).unwrap_or("");
                    if !inner.contains('\\') {
                        return (
                            inner.to_string(),
                            self.map.then(&OffsetMap::verbatim(s + 1, inner.len())),
                        );
                    }
                    // Escapes drop bytes: map each kept byte to where it was written.
                    let (text, segments) = unescape_double_mapped(inner);
                    let mut map = OffsetMap::default();
                    for (t, h, len) in segments {
                        map.push(t, s + 1 + h, len);
                    }
                    return (text, self.map.then(&map));
                }
                "word" => {
                    let text = self.node_text(node);
                    if !text.contains('\\') {
                        return (
                            text.to_string(),
                            self.map.then(&OffsetMap::verbatim(s, text.len())),
                        );
                    }
                }
                // `'DROP DATABASE IF EXISTS '"$DB"`: each part mapped as it would be alone, so a
                // statement starting in a quoted part is reported there, not at the word's start.
                "concatenation" => {
                    let display = word.display();
                    let mut text = String::new();
                    let mut map = OffsetMap::default();
                    let mut cursor = node.walk();
                    for part in node.children(&mut cursor) {
                        let (t, m) = self.word_text(Some(part), &self.word(part));
                        if t.is_empty() {
                            continue;
                        }
                        if matches!(part.kind(), "simple_expansion" | "expansion") {
                            // Its value stands for the whole expansion: first byte at `$`, the
                            // rest at its last byte, so a statement ending in it ends there too.
                            let at = self.host(part);
                            map.push(text.len(), at.start(), 0);
                            if t.len() > 1 && at.len() > 1 {
                                map.push(text.len() + 1, at.end() - 1, 0);
                            }
                        } else {
                            for (ts, hs, len) in m.segments() {
                                map.push(text.len() + ts, hs, len);
                            }
                        }
                        text.push_str(&t);
                    }
                    if text == display {
                        map.push(text.len(), self.host(node).end(), 0);
                        return (text, map);
                    }
                }
                _ => {}
            }
        }
        (word.display(), coarse(word.span))
    }

    /// The text of a word after its first `skip` bytes as the program sees them (the value of
    /// `--command=…` or `-e…`), with a map to the host: exact where the value is one quoted
    /// string or plain word, else every offset at the word's start.
    pub(super) fn word_tail(
        &self,
        raw: Option<Node>,
        word: &Word,
        skip: usize,
    ) -> (String, OffsetMap) {
        let display = word.display();
        let fallback = || {
            (
                display.get(skip..).unwrap_or("").to_string(),
                coarse(word.span),
            )
        };
        let Some(node) = raw else {
            return fallback();
        };
        let text = self.node_text(node);
        match node.kind() {
            // `--command=DROP`: unquoted, no escapes.
            "word" if !text.contains('\\') && text.len() >= skip => {
                let s = node.start_byte() + skip;
                (
                    text[skip..].to_string(),
                    self.map.then(&OffsetMap::verbatim(s, text.len() - skip)),
                )
            }
            // `--command="DROP …"`, `-e'DROP …'`: the flag, then one string.
            "concatenation" => {
                let mut cursor = node.walk();
                let parts: Vec<Node> = node.children(&mut cursor).collect();
                match parts.as_slice() {
                    [flag, value]
                        if flag.kind() == "word" && self.node_text(*flag).len() == skip =>
                    {
                        self.word_text(Some(*value), &self.word(*value))
                    }
                    _ => fallback(),
                }
            }
            _ => fallback(),
        }
    }

    /// Add the words an argument node expands to: an unquoted expansion of a known variable is
    /// split on whitespace the way the shell splits it.
    pub(super) fn push_words<'t>(
        &mut self,
        argv: &mut Vec<Word>,
        raws: &mut Vec<Option<Node<'t>>>,
        node: Node<'t>,
    ) {
        // `"${args[@]}"`, `${args[*]}`: the elements of an array assigned in the file.
        if let Some(elements) = self.array_elements(node) {
            let span = self.host(node);
            for pieces in elements {
                argv.push(Word { span, pieces });
                raws.push(None);
            }
            return;
        }
        let word = self.word(node);
        let unquoted_expansion = matches!(node.kind(), "simple_expansion" | "expansion");
        if unquoted_expansion && let Some(value) = word.literal() {
            for part in value.split_whitespace() {
                argv.push(Word::literal_word(word.span, part));
                raws.push(None);
            }
            return;
        }
        argv.push(word);
        raws.push(Some(node));
    }

    /// The elements a word made of one whole-array expansion (`"${a[@]}"`, `${a[*]}`) stands
    /// for, when the array is known.
    pub(super) fn array_elements(&self, node: Node) -> Option<Vec<Vec<Piece>>> {
        let expansion = match node.kind() {
            "expansion" => node,
            "string" if node.named_child_count() == 1 => {
                node.named_child(0).filter(|c| c.kind() == "expansion")?
            }
            _ => return None,
        };
        if expansion.named_child_count() != 1 {
            return None;
        }
        let subscript = expansion
            .named_child(0)
            .filter(|c| c.kind() == "subscript")?;
        let name = subscript.child_by_field_name("name")?;
        let index = subscript.child_by_field_name("index")?;
        if !matches!(self.node_text(index), "@" | "*") {
            return None;
        }
        self.st.arrays.get(self.node_text(name)).cloned()
    }

    /// The value of one word node: quotes removed, known variables expanded.
    pub(super) fn word(&self, node: Node) -> Word {
        let mut pieces = Vec::new();
        self.pieces(node, &mut pieces);
        Word {
            span: self.host(node),
            pieces: merge(pieces),
        }
    }

    pub(super) fn pieces(&self, node: Node, out: &mut Vec<Piece>) {
        self.pieces_at(node, out, 0);
    }

    /// [`Walker::pieces`] at a nesting depth: past [`MAX_EXPANSION_DEPTH`] the rest of the
    /// word is one unknown expansion (and a notice says so).
    fn pieces_at(&self, node: Node, out: &mut Vec<Piece>, depth: usize) {
        let text = self.node_text(node);
        if depth > MAX_EXPANSION_DEPTH {
            self.limits.hit(&self.limits.depth, self.host(node).start());
            out.push(Piece::Expansion(text.to_string()));
            return;
        }
        match node.kind() {
            "word" | "number" => out.push(Piece::Lit(unescape_word(text))),
            "raw_string" => out.push(Piece::Lit(
                text.strip_prefix('\'')
                    .and_then(|t| t.strip_suffix('\''))
                    .unwrap_or(text)
                    .to_string(),
            )),
            "ansi_c_string" => out.push(Piece::Lit(
                text.strip_prefix("$'")
                    .and_then(|t| t.strip_suffix('\''))
                    .unwrap_or(text)
                    .to_string(),
            )),
            "string_content" => out.push(Piece::Lit(unescape_double(text))),
            "string" | "concatenation" | "translated_string" => {
                let mut cursor = node.walk();
                let mut last_end = node.start_byte() + usize::from(node.kind() == "string");
                for child in node.named_children(&mut cursor) {
                    // Literal text between named children (e.g. `"a $x b"` keeps the spaces).
                    if node.kind() == "string"
                        && child.start_byte() > last_end
                        && let Some(gap) = self.text.get(last_end..child.start_byte())
                    {
                        out.push(Piece::Lit(unescape_double(gap)));
                    }
                    self.pieces_at(child, out, depth + 1);
                    last_end = child.end_byte();
                }
                if node.kind() == "string" {
                    let close = node.end_byte().saturating_sub(1);
                    if close > last_end
                        && let Some(gap) = self.text.get(last_end..close)
                    {
                        out.push(Piece::Lit(unescape_double(gap)));
                    }
                }
            }
            "simple_expansion" => {
                // In `" $V"` the grammar starts the expansion at the space before it.
                let trimmed = text.trim_start();
                if trimmed.len() < text.len() {
                    out.push(Piece::Lit(text[..text.len() - trimmed.len()].to_string()));
                }
                let text = trimmed;
                let name = text.trim_start_matches('$');
                match self.st.vars.get(name) {
                    Some(value) => self.splice(node, value, text, out),
                    None => out.push(Piece::Expansion(text.to_string())),
                }
            }
            "expansion" => self.expansion(node, text, out, depth),
            _ => out.push(Piece::Expansion(text.to_string())),
        }
    }

    /// Copy a known variable's value into a word, within the file's expansion budget: past it
    /// the reference stays unknown (`V2="$V1$V1"` chains double at every line).
    fn splice(&self, node: Node, value: &[Piece], text: &str, out: &mut Vec<Piece>) {
        let size: usize = value.iter().map(piece_len).sum::<usize>() + value.len();
        let used = self.st.expanded.get().saturating_add(size);
        if used > MAX_EXPANSION_BYTES {
            self.limits
                .hit(&self.limits.budget, self.host(node).start());
            out.push(Piece::Expansion(text.to_string()));
            return;
        }
        self.st.expanded.set(used);
        out.extend(value.iter().cloned());
    }

    fn expansion(&self, node: Node, text: &str, out: &mut Vec<Piece>, depth: usize) {
        // `${VAR}`, `${VAR:-default}`, `${VAR-default}`; anything fancier stays unknown.
        let mut cursor = node.walk();
        let children: Vec<Node> = node.children(&mut cursor).collect();
        let name = children
            .iter()
            .find(|c| c.kind() == "variable_name")
            .map(|c| self.node_text(*c));
        let operator = children
            .iter()
            .find(|c| !c.is_named() && !matches!(c.kind(), "${" | "}"))
            .map(|c| c.kind());
        let Some(name) = name else {
            out.push(Piece::Expansion(text.to_string()));
            return;
        };
        let known = self.st.vars.get(name);
        match (operator, known) {
            (None, Some(value)) => self.splice(node, value, text, out),
            (Some(":-" | "-" | ":?" | "?" | ":=" | "="), Some(value)) => {
                self.splice(node, value, text, out)
            }
            (Some(op @ (":-" | "-" | ":=" | "=")), None) => {
                let default: Vec<Node> = children
                    .iter()
                    .skip_while(|c| c.kind() != op)
                    .skip(1)
                    .filter(|c| c.is_named())
                    .copied()
                    .collect();
                if default.is_empty() {
                    out.push(Piece::Lit(String::new()));
                }
                for d in default {
                    self.pieces_at(d, out, depth + 1);
                }
            }
            _ => out.push(Piece::Expansion(text.to_string())),
        }
    }
}

/// Whether a word's text is one plain variable reference: `$SQL`, `${SQL}`.
pub(super) fn only_variable(text: &str) -> bool {
    let name = match text.strip_prefix("${") {
        Some(inner) => inner.strip_suffix('}'),
        None => text.strip_prefix('$'),
    };
    name.is_some_and(|n| {
        !n.is_empty()
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Bytes a piece holds.
pub(super) fn piece_len(piece: &Piece) -> usize {
    match piece {
        Piece::Lit(s) | Piece::Expansion(s) => s.len(),
    }
}

pub(super) fn merge(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match (out.last_mut(), piece) {
            (Some(Piece::Lit(prev)), Piece::Lit(next)) => prev.push_str(&next),
            (_, piece) => out.push(piece),
        }
    }
    if out.is_empty() {
        out.push(Piece::Lit(String::new()));
    }
    out
}
