//! Variables from sourced files: `. ./_lib.sh` or `source "$(dirname "$0")/env.sh"` runs another
//! script of the repository in the same shell, so the variables it sets are known to the commands
//! after it (`$CONTAINER_ENGINE volume rm pgdata` with `CONTAINER_ENGINE=${CONTAINER_ENGINE:-docker}`
//! in `_lib.sh`). Runs once per scan over the extracted facts: each sourced file's assignments are
//! read from its facts (never parsed again), chains of sources are followed to a depth limit, and
//! a cycle stops where it closes.

use std::collections::{BTreeMap, HashMap};

use crate::analysis::paths::{base_dir, cwd_candidates, join_path};
use crate::classify::FileKind;
use crate::frontends::shell::is_script_dir;
use crate::model::FileFacts;
use crate::model::command::{Command, Piece, Scope, ShellFacts, Word};

/// Sources nested deeper than this (a sources b sources c …) are not followed.
const MAX_SOURCE_DEPTH: usize = 8;

/// Values longer than this are not imported (like the walker's own limit on a variable).
const MAX_IMPORTED_LEN: usize = 4096;

/// Known variable values a file leaves behind, by name.
type Vars = BTreeMap<String, Vec<Piece>>;

/// A word to replace: (command index, word index, its new pieces).
type Change = (usize, usize, Vec<Piece>);

/// Put the values of variables set in sourced files into the commands that use them after the
/// `source` line, where the file itself leaves them unknown.
pub fn import_sourced_variables(files: &mut [FileFacts]) {
    let by_path: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == FileKind::Shell)
        .map(|(i, f)| (f.file.path.as_str(), i))
        .collect();
    // Per file: (offset of each `source` command, the file it reads), in order.
    let mut sources: Vec<Vec<(usize, usize)>> = vec![Vec::new(); files.len()];
    for (i, file) in files.iter().enumerate() {
        if file.kind != FileKind::Shell {
            continue;
        }
        for command in &file.shell.commands {
            if let Some(target) = sourced_file(file, command, &by_path).filter(|&t| t != i) {
                sources[i].push((command.span.end(), target));
            }
        }
    }
    if sources.iter().all(Vec::is_empty) {
        return;
    }
    let mut memo: HashMap<usize, Vars> = HashMap::new();
    let mut updates: Vec<(usize, Vec<Change>)> = Vec::new();
    for (i, list) in sources.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let mut stack = vec![i];
        let mut imported: Vec<(usize, Vars)> = Vec::new();
        for &(at, target) in list {
            let vars = exports(files, &sources, target, &mut memo, &mut stack, 1);
            imported.push((at, vars));
        }
        updates.push((i, substitutions(&files[i].shell, &imported)));
    }
    for (i, changes) in updates {
        apply(&mut files[i].shell, changes);
    }
}

/// The file a `source FILE` / `. FILE` command reads, when it is a script of the repository.
fn sourced_file(
    file: &FileFacts,
    command: &Command,
    by_path: &HashMap<&str, usize>,
) -> Option<usize> {
    let program = command.program()?;
    if program != "." && program != "source" {
        return None;
    }
    let word = command.argv.get(1)?;
    let mut candidates = Vec::new();
    if let Some(path) = word.literal() {
        if path.starts_with('/') || path.starts_with('~') {
            return None;
        }
        for dir in cwd_candidates(file, command) {
            candidates.push(join_path(&dir, &path));
        }
        candidates.push(join_path(&base_dir(file, command), &path));
    } else if let [Piece::Expansion(first), rest @ ..] = word.pieces.as_slice()
        && is_script_dir(first)
    {
        // `"$(dirname "$0")/lib.sh"`, `"${BASH_SOURCE%/*}/lib.sh"`, `"$SCRIPT_DIR/lib.sh"`.
        let mut tail = String::new();
        for piece in rest {
            match piece {
                Piece::Lit(s) => tail.push_str(s),
                Piece::Expansion(_) => return None,
            }
        }
        candidates.push(join_path(
            &base_dir(file, command),
            tail.trim_start_matches('/'),
        ));
    }
    candidates
        .iter()
        .find_map(|path| by_path.get(path.as_str()).copied())
}

/// The known variables a file leaves set: those of the files it sources, then its own
/// top-level assignments (outside functions and command prefixes), the last one winning.
fn exports(
    files: &[FileFacts],
    sources: &[Vec<(usize, usize)>],
    file: usize,
    memo: &mut HashMap<usize, Vars>,
    stack: &mut Vec<usize>,
    depth: usize,
) -> Vars {
    if let Some(known) = memo.get(&file) {
        return known.clone();
    }
    // A cycle (`a` sources `b` sources `a`) or a chain too deep: nothing more from here.
    if depth > MAX_SOURCE_DEPTH || stack.contains(&file) {
        return Vars::new();
    }
    stack.push(file);
    let mut vars = Vars::new();
    for &(_, target) in &sources[file] {
        let inner = exports(files, sources, target, memo, stack, depth + 1);
        vars.extend(inner);
    }
    stack.pop();
    let shell = &files[file].shell;
    let mut ambiguous: Vec<&str> = Vec::new();
    for a in &shell.assignments {
        let in_function = a.scopes.iter().any(|s| matches!(s, Scope::Function(_)));
        let prefix = shell.commands.iter().any(|c| c.span.contains(a.name_span));
        if in_function || prefix {
            continue;
        }
        let len: usize = a.value.pieces.iter().map(piece_len).sum();
        let known = a.value.literal().is_some() && len <= MAX_IMPORTED_LEN;
        // Set differently in a branch: the value after the file is not one known text.
        let differs = vars
            .get(&a.name)
            .is_some_and(|v| v != &a.value.pieces && !a.scopes.is_empty());
        if !known || differs {
            ambiguous.push(&a.name);
            vars.remove(&a.name);
            continue;
        }
        vars.insert(a.name.clone(), a.value.pieces.clone());
    }
    for name in ambiguous {
        vars.remove(name);
    }
    if depth <= 1 || !vars.is_empty() {
        memo.insert(file, vars.clone());
    }
    vars
}

fn piece_len(piece: &Piece) -> usize {
    match piece {
        Piece::Lit(s) | Piece::Expansion(s) => s.len(),
    }
}

/// The variable a piece expands when it is a plain `$NAME` or `${NAME}`.
fn plain_variable(expansion: &str) -> Option<&str> {
    let name = expansion.strip_prefix('$')?;
    let name = name
        .strip_prefix('{')
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or(name);
    let mut chars = name.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() || first == '_')
        .then_some(())
        .filter(|_| chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(|_| name)
}

/// (command, word, new pieces) for every word of `shell` that expands a variable the sourced
/// files set, when the file itself assigns it nowhere before the command.
fn substitutions(shell: &ShellFacts, imported: &[(usize, Vars)]) -> Vec<Change> {
    let mut out = Vec::new();
    for (c, command) in shell.commands.iter().enumerate() {
        let start = command.span.start();
        let known: Vars = imported
            .iter()
            .filter(|(at, _)| *at <= start)
            .flat_map(|(_, vars)| vars.clone())
            .collect();
        if known.is_empty() {
            continue;
        }
        for (w, word) in command.argv.iter().enumerate() {
            let mut changed = false;
            let mut pieces = Vec::new();
            for piece in &word.pieces {
                let value = match piece {
                    Piece::Expansion(e) => plain_variable(e).and_then(|name| {
                        let own = shell
                            .assignments
                            .iter()
                            .any(|a| a.name == name && a.name_span.start() < start);
                        if own { None } else { known.get(name) }
                    }),
                    Piece::Lit(_) => None,
                };
                match value {
                    Some(value) => {
                        changed = true;
                        pieces.extend(value.iter().cloned());
                    }
                    None => pieces.push(piece.clone()),
                }
            }
            if changed {
                out.push((c, w, pieces));
            }
        }
    }
    out
}

/// Put the new pieces in place. A command name that is now several words
/// (`COMPOSE="docker compose"`) is split the way the shell splits an unquoted expansion.
fn apply(shell: &mut ShellFacts, changes: Vec<Change>) {
    // Back to front, so that splitting a word does not move the ones still to change.
    for (c, w, pieces) in changes.into_iter().rev() {
        let Some(command) = shell.commands.get_mut(c) else {
            continue;
        };
        let Some(word) = command.argv.get_mut(w) else {
            continue;
        };
        let span = word.span;
        let new = Word { span, pieces };
        let split = match (w, new.literal()) {
            (0, Some(text)) if text.split_whitespace().count() > 1 => Some(
                text.split_whitespace()
                    .map(|part| Word::literal_word(span, part))
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        };
        match split {
            Some(words) => {
                command.argv.splice(w..=w, words);
            }
            None => *word = new,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levels::Context;
    use crate::source::SourceFile;

    fn shell_file(path: &str, text: &str) -> FileFacts {
        FileFacts::extract(
            SourceFile::new(path, text),
            FileKind::Shell,
            Context::Production,
        )
    }

    /// The argument words of every command of the file, in order.
    fn argvs(file: &FileFacts) -> Vec<Vec<String>> {
        file.shell
            .commands
            .iter()
            .map(|c| c.argv.iter().map(Word::display).collect())
            .collect()
    }

    fn last(file: &FileFacts) -> Vec<String> {
        argvs(file).pop().unwrap_or_default()
    }

    #[test]
    fn variables_of_sourced_files_reach_the_commands() {
        let mut files = vec![
            shell_file(
                "s/_lib.sh",
                "CONTAINER_ENGINE=${CONTAINER_ENGINE:-docker}\nC=\"docker compose\"\n",
            ),
            shell_file(
                "s/a.sh",
                "$CONTAINER_ENGINE ps\n. ./_lib.sh\n$CONTAINER_ENGINE volume rm pgdata\n$C down -v\n",
            ),
            shell_file(
                "s/b.sh",
                "source \"$(dirname \"$0\")/_lib.sh\"\n$CONTAINER_ENGINE volume rm x\n",
            ),
            shell_file(
                "s/c.sh",
                "source \"${BASH_SOURCE%/*}/_lib.sh\"\nCONTAINER_ENGINE=echo\n$CONTAINER_ENGINE volume rm x\n",
            ),
            shell_file(
                "s/d.sh",
                "SCRIPT_DIR=$(cd \"$(dirname \"$0\")\" && pwd)\nsource \"$SCRIPT_DIR/_lib.sh\"\n${CONTAINER_ENGINE} volume rm y\n",
            ),
        ];
        import_sourced_variables(&mut files);
        let a = argvs(&files[1]);
        assert_eq!(a[0], ["$CONTAINER_ENGINE", "ps"]);
        assert_eq!(a[2], ["docker", "volume", "rm", "pgdata"]);
        assert_eq!(a[3], ["docker", "compose", "down", "-v"]);
        assert_eq!(last(&files[2]), ["docker", "volume", "rm", "x"]);
        assert_eq!(last(&files[3]), ["echo", "volume", "rm", "x"]);
        assert_eq!(last(&files[4]), ["docker", "volume", "rm", "y"]);
    }

    #[test]
    fn cycles_and_unknown_values_stop() {
        let mut files = vec![
            shell_file("a.sh", ". ./b.sh\nA=docker\n$B volume rm x\n"),
            shell_file("b.sh", ". ./a.sh\nB=$(pick_engine)\n$A volume rm y\n"),
        ];
        import_sourced_variables(&mut files);
        assert_eq!(last(&files[0]), ["$B", "volume", "rm", "x"]);
        assert_eq!(last(&files[1]), ["docker", "volume", "rm", "y"]);
    }
}
