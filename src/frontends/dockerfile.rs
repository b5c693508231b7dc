//! Dockerfiles and Containerfiles, read with tree-sitter-containerfile: `RUN`, `CMD` and
//! `ENTRYPOINT` in shell form (line continuations joined as Docker joins them, comment lines
//! inside a continued instruction dropped, heredocs `RUN <<EOF … EOF` read as the script they
//! are) and exec form (a JSON array: `["sh", "-c", "…"]` is that script, any other array one
//! command), each as shell with an exact offset map. A `SHELL` instruction that names no POSIX
//! shell (PowerShell, cmd) stops the shell forms after it from being read as shell.
//!
//! When they run: `CMD`/`ENTRYPOINT` on every container start (a fact on their span, and on the
//! script they start, found through the `COPY` instructions that put it in the image); a file
//! copied into `/docker-entrypoint-initdb.d` only on an empty data directory.

use tree_sitter::Node;

use crate::syntax::{child_of_kind as child_of, first_error};

use crate::model::FileFacts;
use crate::model::command::{EntryFile, RunSpan, RunsWhen, ShellOrigin};
use crate::notice::{Notice, NoticeKind};
use crate::source::{OffsetMap, Span};
use crate::syntax::{Grammar, parse_tree};

/// Where a database image runs files once, on an empty data directory.
const INITDB_DIR: &str = "/docker-entrypoint-initdb.d";

/// Extract a Dockerfile's shell.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let Some(tree) = parse_tree(Grammar::Dockerfile, &text) else {
        facts.notices.push(Notice::file(
            &facts.file.path,
            NoticeKind::ParseError,
            "the Dockerfile grammar could not be loaded",
        ));
        return;
    };
    let root = tree.root_node();
    if root.has_error() {
        let line = first_error(root).map_or(1, |n| facts.file.position(n.start_byte()).line);
        facts.notices.push(
            Notice::file(
                &facts.file.path,
                NoticeKind::ParseError,
                "part of this Dockerfile could not be parsed; the instructions around it were still read",
            )
            .at_line(line)
            .info(),
        );
    }
    facts.base_image = base_image(&text, root);
    let mut posix_shell = true;
    // `COPY src… dest`: (image path it lands at, source as written, span of the instruction).
    let mut copies: Vec<(String, String, Span)> = Vec::new();
    let mut workdir = String::from("/");
    let mut cursor = root.walk();
    for instruction in root.named_children(&mut cursor) {
        let span = Span::new(instruction.start_byte(), instruction.end_byte());
        match instruction.kind() {
            "workdir_instruction" => {
                if let Some(path) = child_of(instruction, "path") {
                    let p = node_text(&text, path).trim().to_string();
                    workdir = if p.starts_with('/') {
                        p
                    } else {
                        format!("{}/{p}", workdir.trim_end_matches('/'))
                    };
                }
            }
            "shell_instruction" => {
                if let Some(array) = child_of(instruction, "json_string_array") {
                    let words = json_words(&text, array);
                    posix_shell = words.first().is_some_and(|(w, _)| is_posix_shell(w));
                }
            }
            "copy_instruction" | "add_instruction" => {
                let paths = copy_paths(&text, instruction);
                if let Some((dest, sources)) = paths.split_last() {
                    let dest = if dest.starts_with('/') {
                        dest.clone()
                    } else {
                        format!("{}/{dest}", workdir.trim_end_matches('/'))
                    };
                    for source in sources {
                        copies.push((dest.clone(), source.clone(), span));
                        if dest.starts_with(INITDB_DIR) {
                            facts.shell.entry_files.push(EntryFile {
                                path: source.trim_start_matches("./").to_string(),
                                by_name: false,
                                when: RunsWhen::FirstInit,
                                span,
                            });
                        }
                    }
                }
            }
            "run_instruction" | "cmd_instruction" | "entrypoint_instruction" => {
                let keyword = match instruction.kind() {
                    "run_instruction" => "RUN",
                    "cmd_instruction" => "CMD",
                    _ => "ENTRYPOINT",
                };
                let before = facts.shell.commands.len();
                read_instruction(facts, &text, instruction, posix_shell);
                if keyword == "RUN" {
                    continue;
                }
                let when = RunsWhen::EveryStart {
                    what: format!("Dockerfile `{keyword}`"),
                };
                facts.shell.runs.push(RunSpan {
                    span,
                    when: when.clone(),
                });
                // The script it starts (`/usr/local/bin/docker-entrypoint.sh`, `./start.sh`).
                let started: Vec<String> = facts.shell.commands[before..]
                    .iter()
                    .filter_map(|c| {
                        let words: Vec<String> =
                            c.argv.iter().filter_map(|w| w.literal()).collect();
                        started_script(&words)
                    })
                    .collect();
                for script in started {
                    facts.shell.entry_files.push(entry_for(
                        &script,
                        &copies,
                        &workdir,
                        when.clone(),
                        span,
                    ));
                }
            }
            _ => {}
        }
    }
}

/// The file a start command's script comes from, through the `COPY` that put it in the image.
fn entry_for(
    script: &str,
    copies: &[(String, String, Span)],
    workdir: &str,
    when: RunsWhen,
    span: Span,
) -> EntryFile {
    let in_image = if script.starts_with('/') {
        script.to_string()
    } else {
        format!(
            "{}/{}",
            workdir.trim_end_matches('/'),
            script.trim_start_matches("./")
        )
    };
    let name = in_image.rsplit('/').next().unwrap_or(&in_image).to_string();
    // A bare name is looked up on `PATH`: the file a `COPY` put there under that name.
    if !script.contains('/') {
        for (dest, source, _) in copies.iter().rev() {
            let source_name = source.rsplit('/').next().unwrap_or(source);
            let lands = (dest.ends_with('/') && source_name == script)
                || dest.rsplit('/').next() == Some(script);
            if lands && !source.ends_with('/') {
                return EntryFile {
                    path: source.trim_start_matches("./").to_string(),
                    by_name: false,
                    when,
                    span,
                };
            }
        }
    }
    for (dest, source, _) in copies.iter().rev() {
        let source_name = source
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(source);
        // `COPY start.sh /app/start.sh` or `COPY start.sh /usr/local/bin/`.
        let exact = *dest == in_image && !source.ends_with('/');
        let into_dir = dest.ends_with('/')
            && format!("{dest}{source_name}") == in_image
            && source_name == name;
        if exact || into_dir {
            return EntryFile {
                path: source.trim_start_matches("./").to_string(),
                by_name: false,
                when,
                span,
            };
        }
        // `COPY . .` / `COPY scripts/ /app/scripts/`: the script keeps its path below the copy.
        let dest_dir = format!("{}/", dest.trim_end_matches('/'));
        if let Some(rest) = in_image.strip_prefix(&dest_dir) {
            let base = source.trim_end_matches('/').trim_start_matches("./");
            let path = if base.is_empty() || base == "." {
                rest.to_string()
            } else {
                format!("{base}/{rest}")
            };
            return EntryFile {
                path,
                by_name: false,
                when,
                span,
            };
        }
    }
    EntryFile {
        path: name,
        by_name: true,
        when,
        span,
    }
}

/// The script file a start command runs: `./start.sh`, `/docker-entrypoint.sh`, `sh start.sh`.
fn started_script(words: &[String]) -> Option<String> {
    let first = words.first()?;
    let name = first.rsplit('/').next().unwrap_or(first);
    if is_posix_shell(name) {
        let script = words.iter().skip(1).find(|w| !w.starts_with('-'))?;
        // `sh -c "…"` is a script text, not a file.
        if words.iter().skip(1).any(|w| w == "-c") {
            return None;
        }
        return Some(script.clone());
    }
    (name.ends_with(".sh") || name.ends_with(".bash")).then(|| first.clone())
}

fn is_posix_shell(word: &str) -> bool {
    let name = word.rsplit('/').next().unwrap_or(word);
    matches!(name, "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh")
}

/// Read one `RUN`/`CMD`/`ENTRYPOINT` into shell sources.
fn read_instruction(facts: &mut FileFacts, text: &str, instruction: Node, posix_shell: bool) {
    let mut cursor = instruction.walk();
    let children: Vec<Node> = instruction.named_children(&mut cursor).collect();
    // A heredoc body is the script (`RUN <<EOF`), whatever the shell-form line says.
    let heredocs: Vec<Node> = children
        .iter()
        .copied()
        .filter(|c| c.kind() == "heredoc_block")
        .collect();
    for child in &children {
        match child.kind() {
            "shell_command" if posix_shell && heredocs.is_empty() => {
                let (script, map) = joined_shell(text, *child);
                if !script.trim().is_empty() {
                    facts.shell.add_source(&script, &map, ShellOrigin::Script);
                }
            }
            "json_string_array" => exec_form(facts, text, *child),
            _ => {}
        }
    }
    if posix_shell {
        for heredoc in heredocs {
            if let Some(content) = child_of(heredoc, "heredoc_content") {
                let body = node_text(text, content);
                let map = OffsetMap::verbatim(content.start_byte(), body.len());
                facts.shell.add_source(body, &map, ShellOrigin::Script);
            }
        }
    }
}

/// A shell-form command with Docker's continuation rules applied: `\` + newline removed (the
/// lines are joined with nothing between), comment lines inside the continuation dropped.
fn joined_shell(text: &str, node: Node) -> (String, OffsetMap) {
    let start = node.start_byte();
    let raw = node_text(text, node);
    let mut script = String::new();
    let mut map = OffsetMap::default();
    let mut offset = 0;
    let mut first = true;
    for line in raw.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        if !first && line.trim_start().starts_with('#') {
            continue;
        }
        first = false;
        let body = line.trim_end_matches(['\n', '\r']);
        let (body, _) = match body.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (body, false),
        };
        map.push(script.len(), start + at, body.len());
        script.push_str(body);
    }
    (script, map)
}

/// An exec-form array: `["sh", "-c", "script"]` is a script; anything else one command, written
/// as shell words (each single-quoted) mapped to the array's strings.
fn exec_form(facts: &mut FileFacts, text: &str, array: Node) {
    let words = json_words(text, array);
    if words.len() >= 3 && is_posix_shell(&words[0].0) && words[1].0 == "-c" {
        let (script, span) = &words[2];
        let map = string_map(text, *span, script);
        facts.shell.add_source(script, &map, ShellOrigin::Script);
        return;
    }
    let mut script = String::new();
    let mut map = OffsetMap::default();
    for (i, (word, span)) in words.iter().enumerate() {
        if i > 0 {
            script.push(' ');
        }
        script.push('\'');
        let inner = string_map(text, *span, word);
        for (k, c) in word.char_indices() {
            if c == '\'' {
                // Close, escape, reopen: `'\''`; the escape maps to the quote's place.
                let host = inner.to_host(k);
                map.push(script.len(), host, 0);
                script.push_str("'\\''");
            } else {
                map.push(script.len(), inner.to_host(k), c.len_utf8());
                script.push(c);
            }
        }
        script.push('\'');
    }
    if !script.is_empty() {
        facts.shell.add_source(&script, &map, ShellOrigin::Script);
    }
}

/// Offsets of a decoded JSON string's value into the host: character by character, an escape
/// (`\"`, `\\`, `\n`, `\u00e9`) mapped to its backslash. When the decoding cannot be retraced
/// (a surrogate pair), every character maps to the string's start.
fn string_map(text: &str, span: Span, value: &str) -> OffsetMap {
    let raw = text.get(span.start()..span.end()).unwrap_or("");
    if raw == value {
        return OffsetMap::verbatim(span.start(), value.len());
    }
    retrace_json(raw, span.start(), value).unwrap_or_else(|| {
        let mut map = OffsetMap::default();
        for (k, c) in value.char_indices() {
            map.push(k, span.start(), c.len_utf8());
        }
        map
    })
}

/// The map of a JSON string's decoded `value` onto its `raw` text at `host`, or `None` when the
/// escapes do not decode to `value`.
fn retrace_json(raw: &str, host: usize, value: &str) -> Option<OffsetMap> {
    let mut map = OffsetMap::default();
    // The current run of verbatim characters: (decoded start, raw start, length).
    let mut run: Option<(usize, usize, usize)> = None;
    let mut decoded = 0;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            let len = c.len_utf8();
            run = match run {
                Some((d, r, l)) if d + l == decoded && r + l == i => Some((d, r, l + len)),
                Some((d, r, l)) => {
                    map.push(d, host + r, l);
                    Some((decoded, i, len))
                }
                None => Some((decoded, i, len)),
            };
            decoded += len;
            continue;
        }
        if let Some((d, r, l)) = run.take() {
            map.push(d, host + r, l);
        }
        let (_, e) = chars.next()?;
        let len = if e == 'u' {
            let hex: String = (0..4)
                .filter_map(|_| chars.next().map(|(_, h)| h))
                .collect();
            char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?.len_utf8()
        } else {
            1
        };
        map.push(decoded, host + i, 0);
        decoded += len;
    }
    if let Some((d, r, l)) = run {
        map.push(d, host + r, l);
    }
    (decoded == value.len()).then_some(map)
}

/// The decoded strings of a JSON array with the spans of their contents (inside the quotes).
fn json_words(text: &str, array: Node) -> Vec<(String, Span)> {
    let mut cursor = array.walk();
    array
        .named_children(&mut cursor)
        .filter(|n| n.kind() == "json_string")
        .map(|n| {
            let raw = node_text(text, n);
            let value = serde_json::from_str::<String>(raw)
                .unwrap_or_else(|_| raw.trim_matches('"').to_string());
            let span = Span::new(
                n.start_byte() + 1,
                n.end_byte().saturating_sub(1).max(n.start_byte() + 1),
            );
            (value, span)
        })
        .collect()
}

/// The paths of a `COPY`/`ADD` (sources then destination), options (`--from=…`, `--chown`)
/// left out. `None` from a `--from` stage copy: its sources are not files of the repository.
fn copy_paths(text: &str, instruction: Node) -> Vec<String> {
    let mut cursor = instruction.walk();
    let mut from_stage = false;
    let mut out = Vec::new();
    for child in instruction.named_children(&mut cursor) {
        match child.kind() {
            "param" if node_text(text, child).starts_with("--from") => from_stage = true,
            "path" => out.push(node_text(text, child).trim().to_string()),
            "json_string_array" => out.extend(json_words(text, child).into_iter().map(|(w, _)| w)),
            _ => {}
        }
    }
    if from_stage && out.len() > 1 {
        // Keep the destination only: nothing of the repository is copied.
        let dest = out.pop().unwrap_or_default();
        return vec![dest];
    }
    out
}

fn node_text<'a>(text: &'a str, node: Node) -> &'a str {
    text.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// The image the final stage is built on: its `FROM` with the global `ARG` defaults substituted
/// (`FROM ${BASE}` after `ARG BASE=mysql:5.7`), and a stage built `FROM` an earlier stage's
/// alias followed to that stage's image. `None` for `scratch` or a value left unknown.
fn base_image(text: &str, root: Node) -> Option<String> {
    let mut args: Vec<(String, String)> = Vec::new();
    // (alias, image) of each stage so far.
    let mut stages: Vec<(Option<String>, Option<String>)> = Vec::new();
    let mut cursor = root.walk();
    for instruction in root.named_children(&mut cursor) {
        match instruction.kind() {
            // Only the `ARG`s before the first `FROM` are in scope for `FROM` lines.
            "arg_instruction" if stages.is_empty() => {
                let mut pairs = instruction.walk();
                for pair in instruction.named_children(&mut pairs) {
                    let name = pair.child_by_field_name("name").map(|n| node_text(text, n));
                    let value = pair
                        .child_by_field_name("default")
                        .map(|n| node_text(text, n).trim_matches(['"', '\'']));
                    if let (Some(name), Some(value)) = (name, value) {
                        args.push((name.to_string(), value.to_string()));
                    }
                }
            }
            "from_instruction" => {
                let image = child_of(instruction, "image_spec")
                    .and_then(|spec| substitute_args(node_text(text, spec), &args));
                let alias = instruction
                    .child_by_field_name("as")
                    .map(|a| node_text(text, a).to_ascii_lowercase());
                // `FROM build AS final`: the stage named `build`, not an image.
                let image = match image {
                    Some(i) => match stages
                        .iter()
                        .rfind(|(a, _)| a.as_deref() == Some(i.to_ascii_lowercase().as_str()))
                    {
                        Some((_, earlier)) => earlier.clone(),
                        None => Some(i),
                    },
                    None => None,
                };
                stages.push((alias, image));
            }
            _ => {}
        }
    }
    let (_, image) = stages.pop()?;
    image.filter(|i| i != "scratch")
}

/// `${NAME}`, `${NAME:-default}` and `$NAME` replaced by the `ARG` defaults; `None` when one is
/// not known.
fn substitute_args(spec: &str, args: &[(String, String)]) -> Option<String> {
    let value = |name: &str| {
        args.iter()
            .rfind(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut out = String::new();
    let mut rest = spec.trim();
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            let body = &inner[..end];
            let (name, default) = match body.split_once(":-").or_else(|| body.split_once('-')) {
                Some((n, d)) => (n, Some(d)),
                None => (body, None),
            };
            let v = value(name)
                .filter(|v| !v.is_empty())
                .or_else(|| default.map(str::to_string))?;
            out.push_str(&v);
            rest = &inner[end + 1..];
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            out.push_str(&value(&after[..len])?);
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    (!out.is_empty() && !out.contains('$')).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::source::SourceFile;

    fn facts(text: &str) -> FileFacts {
        FileFacts::extract(
            SourceFile::new("Dockerfile", text),
            FileKind::Dockerfile,
            Context::Production,
        )
    }

    fn lines(f: &FileFacts) -> Vec<String> {
        f.shell
            .commands
            .iter()
            .map(|c| {
                let words: Vec<String> = c.argv.iter().map(|w| w.display()).collect();
                format!(
                    "{} @{}",
                    words.join(" "),
                    f.file.position(c.span.start()).line
                )
            })
            .collect()
    }

    #[test]
    fn base_image_of_the_final_stage() {
        let base = |text: &str| facts(text).base_image;
        assert_eq!(base("FROM mysql:5.7\n").as_deref(), Some("mysql:5.7"));
        assert_eq!(
            base("FROM node:20 AS build\nRUN make\nFROM postgres:16-alpine\nCOPY --from=build /a /b\n")
                .as_deref(),
            Some("postgres:16-alpine")
        );
        assert_eq!(
            base("ARG BASE=mysql:8.0\nFROM ${BASE}\n").as_deref(),
            Some("mysql:8.0")
        );
        assert_eq!(
            base("ARG TAG\nFROM --platform=linux/amd64 postgres:${TAG:-15} AS db\nFROM db\n")
                .as_deref(),
            Some("postgres:15")
        );
        assert_eq!(base("FROM golang:1.22 AS b\nFROM scratch\n"), None);
        assert_eq!(base("ARG IMAGE\nFROM $IMAGE\n"), None);
    }

    #[test]
    fn shell_and_exec_forms() {
        let f = facts(concat!(
            "FROM node:20\n",
            "WORKDIR /app\n",
            "COPY docker-entrypoint.sh /usr/local/bin/\n",
            "COPY db/init.sql /docker-entrypoint-initdb.d/\n",
            "RUN npm ci \\\n",
            "    # a comment line inside\n",
            "    && npx prisma generate\n",
            "RUN <<EOT\n",
            "set -e\n",
            "npx prisma migrate reset --force\n",
            "EOT\n",
            "ENTRYPOINT [\"sh\", \"-c\", \"npx prisma db push --accept-data-loss && exec node server.js\"]\n",
            "CMD [\"docker-entrypoint.sh\", \"it's\"]\n",
        ));
        let got = lines(&f);
        assert!(got.contains(&"npm ci @5".to_string()), "{got:?}");
        assert!(
            got.contains(&"npx prisma generate @7".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"npx prisma migrate reset --force @10".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"npx prisma db push --accept-data-loss @12".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"docker-entrypoint.sh it's @13".to_string()),
            "{got:?}"
        );
        let push = f
            .shell
            .commands
            .iter()
            .find(|c| c.argv.iter().any(|w| w.is("push")))
            .map(|c| f.file.slice(c.span).to_string());
        assert_eq!(
            push.as_deref(),
            Some("npx prisma db push --accept-data-loss")
        );
        let entries: Vec<(String, bool, bool)> = f
            .shell
            .entry_files
            .iter()
            .map(|e| (e.path.clone(), e.by_name, e.when == RunsWhen::FirstInit))
            .collect();
        assert_eq!(
            entries,
            vec![
                ("db/init.sql".to_string(), false, true),
                ("docker-entrypoint.sh".to_string(), false, false),
            ]
        );
        let reset = f
            .shell
            .commands
            .iter()
            .find(|c| c.argv.iter().any(|w| w.is("reset")))
            .map(|c| f.shell.runs_when(c.span));
        assert_eq!(reset, Some(RunsWhen::Unknown));
    }

    #[test]
    fn exec_form_escapes_keep_spans() {
        // Escaped quotes later in the script must not move the commands before them.
        let f = facts(concat!(
            "FROM node:20\n",
            "CMD [\"sh\", \"-c\", \"export A=1 && prisma migrate deploy --schema=s.prisma && ",
            "exec run \\\"cd web && next start\\\" \\u00e9 \\\"tsx w.ts\\\"\"]\n",
        ));
        let slice = |word: &str| {
            f.shell
                .commands
                .iter()
                .find(|c| c.argv.iter().any(|w| w.is(word)))
                .map(|c| f.file.slice(c.span).to_string())
        };
        assert_eq!(
            slice("migrate").as_deref(),
            Some("prisma migrate deploy --schema=s.prisma")
        );
        let run = slice("run").unwrap_or_default();
        assert!(run.starts_with("run \\\"cd web"), "{run}");
        let map = string_map("\"a\\u00e9b\"", Span::new(1, 9), "a\u{e9}b");
        assert_eq!(map.to_host(0), 1);
        assert_eq!(map.to_host(1), 2);
        assert_eq!(map.to_host(3), 8);
    }

    #[test]
    fn powershell_shell_is_not_bash() {
        let f = facts(
            "FROM mcr.microsoft.com/windows\nSHELL [\"powershell\", \"-Command\"]\nRUN Remove-Item -Recurse C:\\data\n",
        );
        assert!(f.shell.commands.is_empty(), "{:?}", lines(&f));
    }

    #[test]
    fn broken_input_is_a_notice_not_a_crash() {
        let f = facts("FROM\nRUN \"unterminated\nCMD [\"a\", \n\u{0}\n");
        let _ = lines(&f);
    }
}
