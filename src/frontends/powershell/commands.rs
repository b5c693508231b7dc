//! One PowerShell command lowered to a shell command: its words, its redirections, and the
//! cmdlets the rules know under their POSIX names (`Remove-Item` → `rm`, `Set-Location` → `cd`,
//! `Get-Content` → `cat`), strings run as scripts (`Invoke-Expression`, `cmd /c`) and script
//! blocks run in place (`Invoke-Command`, `ForEach-Object`).

use tree_sitter::Node;

use super::words::{Part, PsWord, literal, string_body, unwrap};
use super::{Arg, Lower, Out, child_of, lower_text};
use crate::source::{OffsetMap, Span};

/// A command argument: its word, where it is, and its node when it is one element.
pub(super) struct Element<'t> {
    pub word: PsWord,
    pub span: Span,
    pub node: Option<Node<'t>>,
}

/// Parameters that take a value, for every cmdlet lowered here (their values are dropped).
const VALUE_PARAMS: &[&str] = &[
    "include",
    "exclude",
    "filter",
    "erroraction",
    "ea",
    "errorvariable",
    "ev",
    "warningaction",
    "wa",
    "informationaction",
    "outvariable",
    "ov",
    "credential",
    "stream",
    "encoding",
    "totalcount",
    "tail",
    "head",
    "first",
    "last",
    "readcount",
    "delimiter",
    "foregroundcolor",
    "backgroundcolor",
    "separator",
    "seconds",
    "milliseconds",
    "workingdirectory",
    "verb",
    "windowstyle",
    "redirectstandardoutput",
    "redirectstandarderror",
    "redirectstandardinput",
    "computername",
    "session",
    "argumentlist",
    "filepath",
    "path",
    "literalpath",
    "object",
    "inputobject",
    "command",
    "scriptblock",
];

impl<'a> Lower<'a> {
    /// The words of a command's elements (redirections and script blocks left out).
    pub(super) fn command_elements<'t>(
        &mut self,
        node: Node<'t>,
        depth: usize,
    ) -> Vec<Element<'t>> {
        let mut out: Vec<Element<'t>> = Vec::new();
        let Some(elements) = child_of(node, "command_elements") else {
            return out;
        };
        let mut cursor = elements.walk();
        let children: Vec<Node<'t>> = elements.named_children(&mut cursor).collect();
        let mut joined = false;
        for child in children {
            // Each argument sits in the expression grammar's wrappers (an array of one).
            let child = unwrap(child);
            match child.kind() {
                "command_argument_sep" => {
                    let sep = self.node_text(child);
                    joined = !sep.contains(|c: char| c.is_whitespace() || c == '`');
                    if joined && let Some(last) = out.last_mut() {
                        // `-Path:x`, `a,b`: one word.
                        last.word.push(Part::Lit {
                            text: sep.to_string(),
                            host: self.host(child.start_byte()),
                        });
                        last.node = None;
                    }
                    continue;
                }
                "redirection" | "script_block_expression" | "comment" => {
                    joined = false;
                    continue;
                }
                "stop_parsing" => {
                    // `--% raw args`: the rest as written, split on spaces.
                    let text = self.node_text(child);
                    let start = child.start_byte();
                    let mut at = 0;
                    for piece in text.split(' ') {
                        if !piece.is_empty() && piece != "--%" {
                            let host = self.host(start + at);
                            out.push(Element {
                                word: vec![Part::Lit {
                                    text: piece.to_string(),
                                    host,
                                }],
                                span: Span::new(host, host + piece.len()),
                                node: None,
                            });
                        }
                        at += piece.len() + 1;
                    }
                    joined = false;
                    continue;
                }
                "array_literal_expression" => {
                    for (word, span) in self.expr_words(child, depth + 1) {
                        out.push(Element {
                            word,
                            span,
                            node: None,
                        });
                    }
                    joined = false;
                    continue;
                }
                _ => {}
            }
            let word = self.expr_word(child, depth + 1);
            let span = self.span(child);
            match out.last_mut() {
                Some(last) if joined => {
                    last.word.extend(word);
                    last.span = last.span.cover(span);
                    last.node = None;
                }
                _ => out.push(Element {
                    word,
                    span,
                    node: Some(child),
                }),
            }
            joined = false;
        }
        out
    }

    /// A command's arguments as words with spans.
    pub(super) fn command_args(&mut self, node: Node, depth: usize) -> Vec<Arg> {
        self.command_elements(node, depth)
            .into_iter()
            .map(|e| (e.word, e.span))
            .collect()
    }

    /// Lower one command.
    pub(super) fn command(&mut self, node: Node, depth: usize) {
        let invoke = child_of(node, "command_invokation_operator")
            .map(|n| self.node_text(n).trim().to_string());
        let Some(name_node) =
            child_of(node, "command_name").or_else(|| child_of(node, "command_name_expr"))
        else {
            self.syn_at(":", node);
            return;
        };
        let name_inner = unwrap(name_node);
        let name_span = self.span(name_inner);
        let program: PsWord = if name_inner.kind() == "command_name" {
            let raw = self.node_text(name_inner);
            program_word(raw, name_span.start())
        } else {
            let mut w = self.expr_word(name_inner, depth);
            if let [Part::Lit { text, host }] = w.as_slice() {
                w = program_word(text, *host);
            }
            w
        };
        let lname = literal(&program).map(|s| s.to_ascii_lowercase());
        let elements = self.command_elements(node, depth);
        let blocks: Vec<Node> = child_of(node, "command_elements")
            .map(|e| {
                let mut c = e.walk();
                e.named_children(&mut c)
                    .map(unwrap)
                    .filter(|n| n.kind() == "script_block_expression")
                    .collect()
            })
            .unwrap_or_default();
        if invoke.as_deref() == Some(".") {
            self.syn_at(". ", node);
        }
        let Some(lname) = lname else {
            let args: Vec<Arg> = elements.into_iter().map(|e| (e.word, e.span)).collect();
            return self.emit(&program, name_span, &args, node, depth);
        };
        if let Some(spelling) = self.st.functions.get(&lname).cloned() {
            let program = vec![Part::Lit {
                text: spelling,
                host: name_span.start(),
            }];
            let args: Vec<Arg> = elements.into_iter().map(|e| (e.word, e.span)).collect();
            return self.emit(&program, name_span, &args, node, depth);
        }
        let args: Vec<Arg> = elements.iter().map(|e| (e.word.clone(), e.span)).collect();
        let lit = |s: &str| {
            vec![Part::Lit {
                text: s.to_string(),
                host: name_span.start(),
            }]
        };
        match lname.as_str() {
            "remove-item" | "rm" | "ri" | "del" | "erase" | "rd" | "rmdir" => {
                let mut recurse = false;
                let mut force = false;
                for (word, _) in &args {
                    let Some(p) = literal(word).map(|s| s.to_ascii_lowercase()) else {
                        continue;
                    };
                    let Some(flag) = p.strip_prefix('-') else {
                        continue;
                    };
                    if flag.starts_with("whatif") {
                        // A dry run deletes nothing.
                        self.syn_at(":", node);
                        return;
                    }
                    recurse |= flag == "r" || (flag.len() >= 3 && "recurse".starts_with(flag));
                    force |= flag.len() >= 2 && "force".starts_with(flag);
                }
                let mut out_args: Vec<Arg> = Vec::new();
                let flags = match (recurse, force) {
                    (true, true) => Some("-rf"),
                    (true, false) => Some("-r"),
                    (false, true) => Some("-f"),
                    _ => None,
                };
                if let Some(flags) = flags {
                    out_args.push((lit(flags), name_span));
                }
                out_args.extend(positional(&args, &["path", "literalpath"], VALUE_PARAMS));
                let out_args: Vec<Arg> = out_args.into_iter().map(slashes).collect();
                self.emit(&lit("rm"), name_span, &out_args, node, depth);
            }
            "set-location" | "sl" | "cd" | "chdir" | "push-location" | "pushd" => {
                let shell = if lname.starts_with("push") {
                    "pushd"
                } else {
                    "cd"
                };
                let rest: Vec<Arg> = positional(&args, &["path", "literalpath"], VALUE_PARAMS)
                    .into_iter()
                    .map(slashes)
                    .collect();
                self.emit(&lit(shell), name_span, &rest, node, depth);
            }
            "pop-location" | "popd" => self.emit(&lit("popd"), name_span, &[], node, depth),
            "get-content" | "gc" | "cat" | "type" => {
                let rest: Vec<Arg> = positional(&args, &["path", "literalpath"], VALUE_PARAMS)
                    .into_iter()
                    .map(slashes)
                    .collect();
                self.emit(&lit("cat"), name_span, &rest, node, depth);
            }
            "write-output" | "echo" | "write" | "write-host" => {
                let rest = positional(&args, &["object", "inputobject"], VALUE_PARAMS);
                self.emit(&lit("echo"), name_span, &rest, node, depth);
            }
            "read-host" => self.syn_at("read -r REPLY", node),
            "start-sleep" | "sleep" => self.emit(&lit("sleep"), name_span, &[], node, depth),
            "invoke-expression" | "iex" => {
                let string = elements
                    .iter()
                    .filter(|e| !literal(&e.word).is_some_and(|w| w.starts_with('-')))
                    .find_map(|e| e.node)
                    .map(unwrap)
                    .filter(|n| {
                        matches!(
                            n.kind(),
                            "expandable_string_literal" | "verbatim_string_characters"
                        )
                    });
                match string {
                    Some(s) => self.run_string(s, node, depth),
                    None => {
                        let rest = positional(&args, &["command"], VALUE_PARAMS);
                        self.emit(&lit("eval"), name_span, &rest, node, depth);
                    }
                }
            }
            "cmd" | "cmd.exe" => {
                let at = args.iter().position(|(w, _)| {
                    literal(w).is_some_and(|s| {
                        s.eq_ignore_ascii_case("/c") || s.eq_ignore_ascii_case("/k")
                    })
                });
                let Some(at) = at else {
                    return self.emit(&program, name_span, &args, node, depth);
                };
                let rest = &elements[at + 1..];
                match rest {
                    [one]
                        if one.node.map(unwrap).is_some_and(|n| {
                            matches!(
                                n.kind(),
                                "expandable_string_literal" | "verbatim_string_characters"
                            )
                        }) =>
                    {
                        if let Some(n) = one.node {
                            self.run_string(unwrap(n), node, depth);
                        }
                    }
                    [first, more @ ..] => {
                        let program = first.word.clone();
                        let more: Vec<Arg> =
                            more.iter().map(|e| (e.word.clone(), e.span)).collect();
                        self.emit(&program, first.span, &more, node, depth);
                    }
                    [] => self.syn_at(":", node),
                }
            }
            "start-process" | "saps" | "start" => {
                let mut file: Option<Arg> = None;
                let mut list: Vec<Arg> = Vec::new();
                let mut i = 0;
                while i < args.len() {
                    let flag = literal(&args[i].0).map(|s| s.to_ascii_lowercase());
                    match flag.as_deref() {
                        Some("-filepath") => {
                            file = args.get(i + 1).cloned();
                            i += 2;
                        }
                        Some("-argumentlist" | "-args") => {
                            // The list may be several elements (`'a','b'` splits into words).
                            let mut k = i + 1;
                            while k < args.len()
                                && !literal(&args[k].0).is_some_and(|s| s.starts_with('-'))
                            {
                                list.extend(split_spaces(&args[k]));
                                k += 1;
                            }
                            i = k;
                        }
                        Some(f) if f.starts_with('-') => {
                            let takes = VALUE_PARAMS.contains(&f.trim_start_matches('-'));
                            i += if takes { 2 } else { 1 };
                        }
                        _ => {
                            if file.is_none() {
                                file = Some(args[i].clone());
                            } else {
                                list.extend(split_spaces(&args[i]));
                            }
                            i += 1;
                        }
                    }
                }
                match file {
                    Some((word, span)) => {
                        // The command starts at `Start-Process`, so its span covers the call.
                        let word = match literal(&word) {
                            Some(text) => program_word(&text, name_span.start()),
                            None => word,
                        };
                        self.emit(&word, span, &list, node, depth);
                    }
                    None => self.syn_at(":", node),
                }
            }
            "invoke-command" | "icm" | "foreach-object" | "%" | "foreach" if !blocks.is_empty() => {
                let looped = lname != "invoke-command" && lname != "icm";
                if looped {
                    self.syn_at("for _ in 1; do\n", node);
                } else {
                    self.syn_at("{\n", node);
                }
                for block in blocks {
                    self.body(Some(block), block, depth + 1);
                }
                self.syn_end(if looped { "done" } else { "}" }, node);
            }
            _ => self.emit(&program, name_span, &args, node, depth),
        }
    }

    /// Run a string literal's text as a PowerShell script in place.
    fn run_string(&mut self, string: Node, at: Node, depth: usize) {
        let raw = self.node_text(string);
        let (start, len) = string_body(raw);
        let Some(body) = raw.get(start..start + len) else {
            return;
        };
        let inner = OffsetMap::verbatim(string.start_byte() + start, len);
        let map = self.map.then(&inner);
        self.syn_at("{\n", at);
        let before = self.out.text.len();
        lower_text(body, &map, self.out, self.st, self.problems, depth + 8);
        if self.out.text.len() == before {
            self.syn_at(":\n", at);
        }
        self.syn_end("}", at);
    }

    /// Write `program args… redirections` for `node`.
    fn emit(&mut self, program: &PsWord, span: Span, args: &[Arg], node: Node, depth: usize) {
        self.render_word(program, span, depth);
        for (word, span) in args {
            self.out.syn(" ", span.start());
            self.render_word(word, *span, depth);
        }
        self.redirections(node, depth);
    }

    /// `> file`, `2>&1`, `*> $null` written on a command.
    fn redirections(&mut self, node: Node, depth: usize) {
        let Some(elements) = child_of(node, "command_elements") else {
            return;
        };
        let mut cursor = elements.walk();
        let redirects: Vec<Node> = elements
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "redirection")
            .collect();
        for r in redirects {
            if let Some(op) = child_of(r, "merging_redirection_operator") {
                let text = self.node_text(op).trim();
                if matches!(text, "2>&1" | "1>&2") {
                    self.syn_at(&format!(" {text}"), op);
                }
                continue;
            }
            let (Some(op), Some(file)) = (
                child_of(r, "file_redirection_operator"),
                child_of(r, "redirected_file_name"),
            ) else {
                continue;
            };
            let op = match self.node_text(op).trim() {
                "*>" => "&>",
                "*>>" => "&>>",
                other => other,
            }
            .to_string();
            let Some(target) = file
                .named_children(&mut file.walk())
                .find(|c| c.kind() != "command_argument_sep")
            else {
                continue;
            };
            self.syn_at(&format!(" {op} "), r);
            let word = if self.node_text(target).eq_ignore_ascii_case("$null") {
                vec![Part::Lit {
                    text: "/dev/null".into(),
                    host: self.host(target.start_byte()),
                }]
            } else {
                slashes((self.expr_word(target, depth), self.span(target))).0
            };
            self.render_word(&word, self.span(target), depth);
        }
    }

    /// Several words separated by spaces.
    pub(super) fn render_args(&mut self, args: &[Arg], depth: usize) {
        for (k, (word, span)) in args.iter().enumerate() {
            if k > 0 {
                self.out.syn(" ", span.start());
            }
            self.render_word(word, *span, depth);
        }
    }

    /// One word in shell syntax: a safe literal bare, anything else one double-quoted string
    /// (`"DROP DATABASE ${db};"`) so that the shell reads it as one word with exact offsets.
    pub(super) fn render_word(&mut self, word: &PsWord, span: Span, depth: usize) {
        let _ = depth;
        let safe = |c: char| c.is_ascii_alphanumeric() || "_./:@%+,-".contains(c);
        match word.as_slice() {
            [] => return self.out.syn("''", span.start()),
            [Part::Lit { text, host }] if !text.is_empty() && text.chars().all(safe) => {
                return self.out.verbatim(text, *host);
            }
            _ => {}
        }
        // The quotes sit where the word's own quotes (or first and last characters) are.
        self.out.syn("\"", span.start());
        let mut last = span.start();
        for part in word {
            match part {
                Part::Lit { text, host } => {
                    let mut at = 0;
                    for (k, c) in text.char_indices() {
                        if matches!(c, '"' | '\\' | '$' | '`') {
                            self.out.verbatim(&text[at..k], host + at);
                            self.out.syn("\\", host + k);
                            at = k;
                        }
                    }
                    self.out.verbatim(&text[at..], host + at);
                    last = (host + text.len()).saturating_sub(1).max(*host);
                }
                Part::Var { name, host, end } => {
                    self.out.syn(&format!("${{{name}"), *host);
                    last = end.saturating_sub(1).max(*host);
                    self.out.syn("}", last);
                }
                Part::Unknown { name, host, end } => {
                    let text = match name.as_str() {
                        "?" => "$?".to_string(),
                        n if n.starts_with("$(") => n.to_string(),
                        n => format!("${{{n}}}"),
                    };
                    let (head, tail) = text.split_at(text.len() - 1);
                    last = end.saturating_sub(1).max(*host);
                    self.out.syn(head, *host);
                    self.out.syn(tail, last);
                }
                Part::Sub { text, map } => {
                    let host = map.segments().next().map_or(span.start(), |s| s.1);
                    self.out.syn("$(", host);
                    splice(self.out, text, map);
                    last = span.end().saturating_sub(1).max(host);
                    self.out.syn(")", last);
                }
            }
        }
        self.out.syn(
            "\"",
            last.max(span.end().saturating_sub(1)).max(span.start()),
        );
    }
}

/// Append already lowered text with its map.
fn splice(out: &mut Out, text: &str, map: &OffsetMap) {
    if out.full {
        return;
    }
    let base = out.text.len();
    for (t, h, l) in map.segments() {
        out.map.push(base + t, h, l);
    }
    out.text.push_str(text);
}

/// A program as written: `\` → `/`, a `.exe` suffix dropped.
fn program_word(raw: &str, host: usize) -> PsWord {
    let mut text = raw.replace('\\', "/");
    if text.to_ascii_lowercase().ends_with(".exe") {
        text.truncate(text.len() - 4);
    }
    vec![Part::Lit { text, host }]
}

/// A path argument with `\` as `/`.
fn slashes((word, span): Arg) -> Arg {
    let word = word
        .into_iter()
        .map(|p| match p {
            Part::Lit { text, host } => Part::Lit {
                text: text.replace('\\', "/"),
                host,
            },
            other => other,
        })
        .collect();
    (word, span)
}

/// A literal word with spaces as several words (`-ArgumentList "volume rm x"`).
fn split_spaces(arg: &Arg) -> Vec<Arg> {
    let (word, span) = arg;
    let [Part::Lit { text, host }] = word.as_slice() else {
        return vec![arg.clone()];
    };
    let mut out = Vec::new();
    let mut at = 0;
    for piece in text.split(' ') {
        if !piece.is_empty() {
            let h = host + at;
            out.push((
                vec![Part::Lit {
                    text: piece.to_string(),
                    host: h,
                }],
                Span::new(h, h + piece.len()).cover(Span::new(h, h)),
            ));
        }
        at += piece.len() + 1;
    }
    if out.is_empty() {
        out.push((word.clone(), *span));
    }
    out
}

/// The positional arguments of a cmdlet call: parameters in `keep` give their value as a
/// positional one; parameters in `drop` lose their value; other parameters are switches.
pub(super) fn positional(args: &[Arg], keep: &[&str], drop: &[&str]) -> Vec<Arg> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let name = literal(&args[i].0)
            .filter(|s| s.starts_with('-') && s.len() > 1 && !s.contains(':'))
            .map(|s| s.trim_start_matches('-').to_ascii_lowercase());
        match name {
            Some(n) if keep.contains(&n.as_str()) => {
                if let Some(value) = args.get(i + 1) {
                    out.push(value.clone());
                }
                i += 2;
            }
            Some(n) if drop.contains(&n.as_str()) => i += 2,
            Some(n) if n.chars().all(|c| c.is_ascii_alphabetic()) => i += 1,
            _ => {
                if !literal(&args[i].0).is_some_and(|s| s.starts_with('-') && s.contains(':')) {
                    out.push(args[i].clone());
                }
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(s: &str) -> Arg {
        (
            vec![Part::Lit {
                text: s.into(),
                host: 0,
            }],
            Span::new(0, 0),
        )
    }

    #[test]
    fn positional_arguments() {
        let args = vec![
            arg("-Recurse"),
            arg("-Path"),
            arg("data"),
            arg("-ErrorAction"),
            arg("SilentlyContinue"),
            arg("-Confirm:$false"),
            arg("more"),
        ];
        let got: Vec<String> = positional(&args, &["path"], VALUE_PARAMS)
            .iter()
            .filter_map(|(w, _)| literal(w))
            .collect();
        assert_eq!(got, ["data", "more"]);
    }

    #[test]
    fn programs() {
        assert_eq!(
            literal(&program_word(".\\scripts\\reset.ps1", 0)).as_deref(),
            Some("./scripts/reset.ps1")
        );
        assert_eq!(
            literal(&program_word("docker.exe", 0)).as_deref(),
            Some("docker")
        );
    }
}
