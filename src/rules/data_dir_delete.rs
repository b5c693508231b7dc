//! `data-dir-delete`: see rules/data-dir-delete.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::analysis::targets;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::command::Command;
use crate::model::command::Piece;
use crate::model::command::Word;
use crate::model::command::expansion_variable;
use crate::model::store::path_within;
use crate::rules::Ctx;

/// Well-known data directories and whose data they hold.
const DATA_DIRS: &[(&str, &str)] = &[
    ("/var/lib/postgresql", "PostgreSQL keeps its data files"),
    ("/var/lib/pgsql", "PostgreSQL keeps its data files"),
    ("/var/lib/mysql", "MySQL/MariaDB keeps its data files"),
    ("/var/lib/mariadb", "MariaDB keeps its data files"),
    ("/data/db", "MongoDB keeps its data files"),
    ("/var/lib/mongodb", "MongoDB keeps its data files"),
    (
        "/var/lib/docker/volumes",
        "Docker keeps the data of its volumes",
    ),
];

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    for command in &file.shell.commands {
        let Some((verb, targets)) = deletion(command) else {
            continue;
        };
        for word in targets {
            if holds_no_data(word) || created_here(file, command, word) {
                continue;
            }
            if let Some((path, service, data)) = targets::host_paths(file, command, word)
                .into_iter()
                .map(|p| strip_glob(&p))
                .find_map(|p| repo.bind_mount_at(&p).map(|(_, s, d)| (p, s, d)))
            {
                cx.report(
                    command.span,
                    format!(
                        "`{verb}` deletes `{path}`, the host directory bind-mounted as the data directory of service `{}` ({})",
                        service.service, service.image
                    ),
                )
                .level(Level::Error)
                .related(
                    &data.path,
                    data.span,
                    format!("`{}` mounted at `{}` here", data.source, data.target),
                );
                continue;
            }
            if let Some((path, what)) = well_known(word) {
                cx.report(
                    command.span,
                    if what.starts_with("it contains") {
                        format!("`{verb}` deletes `{path}`: {what}")
                    } else {
                        format!("`{verb}` deletes `{path}`, where {what}")
                    },
                );
            }
        }
    }
}

/// Programs that make a new, empty data directory, with the options naming it: a directory the
/// same script made this way holds only what the script put there (a failed `pg_upgrade` into
/// `$NEW` is cleaned up by removing `$NEW`).
const CREATES_DATA_DIR: &[(&str, &[&str])] = &[
    ("initdb", &["-D", "--pgdata"]),
    ("pg_upgrade", &["-D", "--new-datadir"]),
    ("mysqld", &["--datadir"]),
    ("mysql_install_db", &["--datadir"]),
    ("mariadb-install-db", &["--datadir"]),
];

/// `word` names a data directory that a command earlier in the same script created, where that
/// command runs whenever the deletion does (its control structures enclose the deletion's; the
/// condition of an `if` counts as its body: `if ! pg_upgrade … -D "$NEW"; then rm -rf "$NEW"`).
fn created_here(file: &FileFacts, command: &Command, word: &Word) -> bool {
    let target = word.display();
    let target = target.trim_end_matches('/');
    if target.is_empty() || target.contains('*') {
        return false;
    }
    let outer = |c: &Command| -> Vec<crate::model::command::Scope> {
        c.scopes
            .iter()
            .filter(|s| {
                !matches!(
                    s,
                    crate::model::command::Scope::Condition { .. }
                        | crate::model::command::Scope::Subshell
                )
            })
            .cloned()
            .collect()
    };
    let own = outer(command);
    file.shell.commands.iter().any(|c| {
        if c.span.start() >= command.span.start() || c.source != command.source {
            return false;
        }
        let Some(program) = c.program() else {
            return false;
        };
        let Some((_, options)) = CREATES_DATA_DIR.iter().find(|(p, _)| *p == program) else {
            return false;
        };
        // `mysqld` makes a data directory only with `--initialize`.
        if program == "mysqld" && !c.args().any(|w| w.display().starts_with("--initialize")) {
            return false;
        }
        let args: Vec<&Word> = c.args().collect();
        let named = args.iter().enumerate().any(|(i, w)| {
            let text = w.display();
            options.iter().any(|o| {
                let value = if text == *o {
                    args.get(i + 1).map(|n| n.display())
                } else {
                    text.strip_prefix(&format!("{o}="))
                        .map(str::to_string)
                        .or_else(|| {
                            (o.len() == 2)
                                .then(|| text.strip_prefix(o).filter(|v| !v.is_empty()))
                                .flatten()
                                .map(str::to_string)
                        })
                };
                value.is_some_and(|v| v.trim_end_matches('/') == target)
            })
        });
        let scopes = outer(c);
        named && own.len() >= scopes.len() && own[..scopes.len()] == scopes[..]
    })
}

/// A deleting command and the words naming what it deletes.
fn deletion(command: &Command) -> Option<(String, Vec<&Word>)> {
    let program = command.program()?;
    let args: Vec<&Word> = command.args().collect();
    match program.as_str() {
        "rm" => {
            let mut recursive = false;
            let mut targets = Vec::new();
            let mut only_targets = false;
            for w in &args {
                let text = w.display();
                if only_targets || !text.starts_with('-') || text == "-" {
                    targets.push(*w);
                } else if text == "--" {
                    only_targets = true;
                } else if text == "--recursive"
                    || (!text.starts_with("--") && text.contains(['r', 'R']))
                {
                    recursive = true;
                }
            }
            // Without -r only files go: a glob of a data directory's files still loses the data.
            let targets: Vec<&Word> = targets
                .into_iter()
                .filter(|w| recursive || w.display().contains('*'))
                .collect();
            let shown = format!(
                "rm {}",
                args.iter()
                    .filter(|w| w.display().starts_with('-'))
                    .map(|w| w.display())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            (!targets.is_empty()).then(|| (shown.trim_end().to_string(), targets))
        }
        "find" => {
            let deletes = args.iter().enumerate().any(|(i, w)| {
                w.is("-delete")
                    || ((w.is("-exec") || w.is("-execdir"))
                        && args.get(i + 1).is_some_and(|n| n.is("rm")))
            });
            if !deletes || only_housekeeping_names(&args) {
                return None;
            }
            let targets: Vec<&Word> = args
                .iter()
                .skip_while(|w| w.is("-H") || w.is("-L") || w.is("-P"))
                .take_while(|w| {
                    let t = w.display();
                    !(t.starts_with('-') || t == "(" || t == "!" || t == "\\(")
                })
                .copied()
                .collect();
            Some(("find … -delete".to_string(), targets))
        }
        "shred" => {
            let targets: Vec<&Word> = args
                .iter()
                .filter(|w| !w.display().starts_with('-'))
                .copied()
                .collect();
            Some(("shred".to_string(), targets))
        }
        _ => None,
    }
}

/// A target that is housekeeping, not data: the filesystem's `lost+found` (entrypoints remove it
/// from a fresh volume so `initdb`/`mysqld --initialize` accept the directory), and pid, socket
/// and lock files (`rm -f /var/lib/mysql/*.pid` after a crash), and MySQL's error log (`<host>.err`).
fn holds_no_data(word: &Word) -> bool {
    let text = word.display();
    let leaf = text.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    leaf == "lost+found"
        || [".pid", ".sock", ".sock.lock", ".lock", ".err"]
            .iter()
            .any(|ext| leaf.len() > ext.len() && leaf.ends_with(ext))
}

/// `find /var/lib/mysql -name '*.pid' -delete`: every name test picks housekeeping files, and
/// no `-o` or negation widens the match beyond them.
fn only_housekeeping_names(args: &[&Word]) -> bool {
    let widens = ["-o", "-or", "!", "-not", "\\!"];
    if args.iter().any(|w| widens.iter().any(|o| w.is(o))) {
        return false;
    }
    let mut names = args
        .windows(2)
        .filter(|p| p[0].is("-name") || p[0].is("-iname"))
        .map(|p| p[1])
        .peekable();
    names.peek().is_some() && names.all(holds_no_data)
}

/// The path up to its first component with a glob character (`data/*` → `data`).
fn strip_glob(path: &str) -> String {
    let mut parts = Vec::new();
    for part in path.split('/') {
        if part.contains(['*', '?', '[']) {
            break;
        }
        parts.push(part);
    }
    let joined = parts.join("/");
    if joined.is_empty() && path.starts_with('/') {
        "/".to_string()
    } else {
        joined
    }
}

/// A well-known database data directory the word names (or contains, or lies inside).
fn well_known(word: &Word) -> Option<(String, String)> {
    // `$PGDATA`, `${PGDATA}/*`.
    if let Some(Piece::Expansion(first)) = word.pieces.first() {
        if expansion_variable(first) == Some("PGDATA") {
            return Some((
                word.display(),
                "PostgreSQL keeps its data files".to_string(),
            ));
        }
        return None;
    }
    // The literal prefix: `/var/lib/postgresql/$VERSION/main` is still under PostgreSQL's directory.
    let Some(Piece::Lit(prefix)) = word.pieces.first() else {
        return None;
    };
    let complete = word.pieces.len() == 1;
    let path = strip_glob(prefix);
    let path = if complete {
        path
    } else {
        // Only whole components of a partial literal count.
        path.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string())
    };
    if !path.starts_with('/') {
        return None;
    }
    for (dir, what) in DATA_DIRS {
        let inside = path_within(&path, dir);
        // Deleting a parent (`/var/lib`) deletes the data too; `/` alone is left to other tools.
        let parent = complete && path != "/" && path_within(dir, &path);
        if inside {
            return Some((word.display(), (*what).to_string()));
        }
        if parent {
            return Some((word.display(), format!("it contains `{dir}`, where {what}")));
        }
    }
    None
}
