//! Redirections and standard input: heredocs, here-strings and the text a command reads on stdin, unescaped with offsets mapped back into the host file.

use super::*;

impl<'a> Walker<'a> {
    pub(super) fn redirected(&mut self, node: Node, depth: usize) {
        let mut stdin = None;
        let mut cursor = node.walk();
        let mut trailing = Vec::new();
        let mut leftover: Option<(usize, usize)> = None;
        let mut carve_from: Option<(usize, usize, String)> = None;
        let mut has_heredoc = false;
        for redirect in node.children_by_field_name("redirect", &mut cursor) {
            if redirect.kind() == "heredoc_redirect" {
                has_heredoc = true;
                let mut delimiter = String::new();
                let mut quoted = false;
                let mut end_ok = false;
                let mut body_node = None;
                let mut c2 = redirect.walk();
                for part in redirect.named_children(&mut c2) {
                    match part.kind() {
                        "heredoc_body" => body_node = Some(part),
                        "heredoc_start" => {
                            quoted = self.node_text(part).contains(['\'', '"', '\\']);
                            delimiter = self
                                .node_text(part)
                                .trim_matches(['\'', '"', '\\'])
                                .to_string();
                        }
                        "heredoc_end" => {
                            end_ok = !part.is_missing()
                                && self.node_text(part).trim() == delimiter.as_str();
                        }
                        "file_descriptor" => {}
                        // `cat <<EOF | psql`, `psql <<EOF && next`: the rest of the pipeline
                        // or list sits inside the heredoc redirect.
                        _ => trailing.push(part),
                    }
                }
                if let Some(carved) = self.st.pending_heredocs.pop_front() {
                    // Carved out of a misparsed heredoc before us (see below).
                    stdin = Some(carved);
                } else if let Some(body) = body_node.filter(|_| end_ok) {
                    let slice = self.stdin_slice(body.start_byte(), body.end_byte());
                    stdin = Some(if quoted {
                        slice
                    } else {
                        self.unescaped(slice, body.start_byte())
                    });
                } else if let Some(start) = self.line_after(redirect.start_byte()) {
                    // `psql <<A && psql <<B` can misparse: the bodies are shuffled with no ERROR
                    // node. Bash reads them in order from the next line: cut them there.
                    carve_from = Some((start, redirect.end_byte(), delimiter.clone()));
                }
            } else if redirect.kind() == "herestring_redirect" {
                stdin = self.herestring(redirect);
            }
        }
        // Carve this heredoc's body and those of the heredocs that follow, in order.
        if let Some((mut at, end, first)) = carve_from {
            let mut delimiters = vec![first];
            for part in &trailing {
                self.heredoc_delimiters(*part, &mut delimiters);
            }
            for (k, delimiter) in delimiters.iter().enumerate() {
                let (body_end, rest) = self.cut_heredoc(at, end, delimiter);
                let slice = self.stdin_slice(at, body_end);
                if k == 0 {
                    stdin = Some(slice);
                } else {
                    self.st.pending_heredocs.push_back(slice);
                }
                at = rest;
            }
            leftover = Some((at, end));
        }
        let mut files = Vec::new();
        let mut c3 = node.walk();
        for redirect in node.children_by_field_name("redirect", &mut c3) {
            if redirect.kind() == "file_redirect" {
                files.extend(self.redirect(redirect));
                // `psql < <(echo 'DROP …')`: the substitution runs, and what it prints is stdin.
                if let Some(text) = self.substituted_stdin(redirect, depth) {
                    stdin = stdin.or(Some(text));
                }
            }
        }
        let before = self.out.commands.len();
        if let Some(body) = node.child_by_field_name("body") {
            if body.kind() == "command" {
                self.command(body, stdin, depth);
            } else {
                self.statement(body, depth + 1);
            }
        }
        let body_end = self.out.commands.len();
        for command in &mut self.out.commands[before..body_end] {
            command.redirects.extend(files.iter().cloned());
        }
        let feeder = self.out.commands[before..body_end].last().map(|c| Feeder {
            argv: c.argv.iter().map(Word::display).collect(),
            heredoc: has_heredoc,
        });
        for part in trailing {
            let from = self.out.commands.len();
            if part.kind() == "pipeline" && has_heredoc {
                self.st.pipe_in = self.st.payload.take();
            }
            self.statement(part, depth + 1);
            self.st.pipe_in = None;
            // `cat <<EOF | psql`: the rest of the pipeline sits inside the heredoc redirect.
            if part.kind() == "pipeline" {
                for command in &mut self.out.commands[from..] {
                    if command.piped_from.is_none() {
                        command.piped_from = feeder.clone();
                    }
                }
            }
        }
        self.st.pending_heredocs.clear();
        // What followed the heredocs is still script: walk it.
        if let Some((at, end)) = leftover
            && let Some(rest) = self.text.get(at..end)
            && !rest.trim().is_empty()
        {
            let map = self.map.then(&OffsetMap::verbatim(at, end - at));
            let origin = ShellOrigin::Nested;
            let state = std::mem::take(&mut self.st);
            self.st = self.out.add_nested(rest, &map, origin, state, depth + 1);
        }
    }

    /// A file redirection (`> out`, `2>&1`, `< dump.sql`) as the model records it.
    pub(super) fn redirect(&self, node: Node) -> Option<Redirect> {
        let fd = node
            .child_by_field_name("descriptor")
            .map(|d| self.node_text(d).to_string());
        let mut cursor = node.walk();
        let op = node
            .children(&mut cursor)
            .find(|c| !c.is_named())
            .map(|c| c.kind().to_string())?;
        let target = node
            .child_by_field_name("destination")
            .map(|d| self.word(d).display())
            .unwrap_or_default();
        Some(Redirect { fd, op, target })
    }

    /// `< <(echo '…')`: walk the process substitution (its commands run) and return the known
    /// text it prints, which becomes the reading command's stdin.
    fn substituted_stdin(&mut self, redirect: Node, depth: usize) -> Option<StdinText> {
        let mut cursor = redirect.walk();
        let is_input = redirect.children(&mut cursor).any(|c| c.kind() == "<");
        let source = redirect
            .child_by_field_name("destination")
            .filter(|d| d.kind() == "process_substitution")?;
        if !is_input || !self.node_text(source).starts_with("<(") {
            return None;
        }
        let saved = self.st.payload.take();
        self.statement(source, depth + 1);
        let printed = self.st.payload.take();
        self.st.payload = saved;
        printed
    }

    /// The text of a here-string (`<<< 'SQL'`).
    pub(super) fn herestring(&self, redirect: Node) -> Option<StdinText> {
        let mut cursor = redirect.walk();
        let value = redirect.named_children(&mut cursor).next()?;
        let word = self.word(value);
        let (text, map) = self.word_text(Some(value), &word);
        Some(StdinText {
            text,
            span: word.span,
            map,
        })
    }

    /// The offset just after the end of the line holding `at`.
    pub(super) fn line_after(&self, at: usize) -> Option<usize> {
        let rest = self.text.get(at..)?;
        rest.find('\n').map(|k| at + k + 1)
    }

    pub(super) fn heredoc_delimiters(&self, node: Node, out: &mut Vec<String>) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n.kind() == "heredoc_start" {
                out.push(
                    self.node_text(n)
                        .trim_matches(['\'', '"', '\\'])
                        .to_string(),
                );
            }
            let mut cursor = n.walk();
            let mut children: Vec<Node> = n.named_children(&mut cursor).collect();
            children.reverse();
            stack.extend(children);
        }
    }

    /// In `[start, end)`, find the line equal to `delimiter`: (end of the body, start after that line).
    pub(super) fn cut_heredoc(&self, start: usize, end: usize, delimiter: &str) -> (usize, usize) {
        let Some(text) = self.text.get(start..end) else {
            return (end, end);
        };
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if line.trim_end_matches(['\n', '\r']).trim_start_matches('\t') == delimiter {
                return (start + offset, start + offset + line.len());
            }
            offset += line.len();
        }
        (end, end)
    }

    /// An unquoted heredoc's body with bash's backslash escapes removed (`\$x` reaches the
    /// command as `$x`), each kept byte mapped to where it is written. `start` is the body's
    /// offset in this script's text.
    pub(super) fn unescaped(&self, slice: StdinText, start: usize) -> StdinText {
        if !slice.text.contains('\\') {
            return slice;
        }
        let (text, segments) = unescape_heredoc_mapped(&slice.text);
        let mut map = OffsetMap::default();
        for (t, h, len) in segments {
            map.push(t, start + h, len);
        }
        StdinText {
            text,
            span: slice.span,
            map: self.map.then(&map),
        }
    }

    pub(super) fn stdin_slice(&self, start: usize, end: usize) -> StdinText {
        let end = end.max(start);
        StdinText {
            text: self.text.get(start..end).unwrap_or("").to_string(),
            span: self.map.span_to_host(Span::new(start, end)),
            map: self.map.then(&OffsetMap::verbatim(start, end - start)),
        }
    }
}

/// Backslash escapes in an unquoted word: `\x` is `x`.
pub(super) fn unescape_word(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next()
                && next != '\n'
            {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Backslash escapes inside double quotes: only `\$`, `` \` ``, `\"`, `\\` and newline.
/// [`unescape_double`] with the verbatim runs it keeps: `(output offset, input offset, len)`.
pub(super) fn unescape_double_mapped(text: &str) -> (String, Vec<(usize, usize, usize)>) {
    unescape_mapped(text, true)
}

/// The body of an unquoted heredoc as the command reads it: bash removes the backslash before
/// `$`, `` ` ``, `\` and a newline (not before `"`, unlike in double quotes).
pub(super) fn unescape_heredoc_mapped(text: &str) -> (String, Vec<(usize, usize, usize)>) {
    unescape_mapped(text, false)
}

pub(super) fn unescape_mapped(
    text: &str,
    double_quote: bool,
) -> (String, Vec<(usize, usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut segments: Vec<(usize, usize, usize)> = Vec::new();
    let mut keep = |out: &mut String, c: char, at: usize| {
        let t = out.len();
        out.push(c);
        match segments.last_mut() {
            Some((st, sh, len)) if *st + *len == t && *sh + *len == at => *len += c.len_utf8(),
            _ => segments.push((t, at, c.len_utf8())),
        }
    };
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\\' {
            match chars.peek().copied() {
                Some((next_at, next @ ('$' | '`' | '"' | '\\'))) if next != '"' || double_quote => {
                    chars.next();
                    keep(&mut out, next, next_at);
                }
                Some((_, '\n')) => {
                    chars.next();
                }
                _ => keep(&mut out, c, at),
            }
        } else {
            keep(&mut out, c, at);
        }
    }
    (out, segments)
}

pub(super) fn unescape_double(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('$' | '`' | '"' | '\\') => {
                    out.extend(chars.next());
                }
                Some('\n') => {
                    chars.next();
                }
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}
