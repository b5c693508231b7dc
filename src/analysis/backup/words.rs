//! The words a backup-relevant command really runs: wrappers (`sudo`, `docker exec`, `docker compose exec`, `kubectl exec`) unwrapped to the inner program and its arguments, and the container or service it runs in.

use super::*;
use crate::knowledge::wrappers::{Wrapper, value_flags};

/// The database family a client program works on (`psql` → postgres).
pub fn program_family(program: &str) -> Option<&'static str> {
    Some(match program {
        "psql" | "pg_dump" | "pg_dumpall" | "pg_restore" | "pg_basebackup" | "dropdb"
        | "createdb" | "pgbackrest" | "wal-g" | "barman" => "postgres",
        "mysql" | "mysqldump" | "mysqladmin" | "mysqlpump" | "mydumper" | "myloader"
        | "xtrabackup" => "mysql",
        "mariadb" | "mariadb-dump" | "mariadb-admin" | "mariadb-backup" | "mariabackup" => {
            "mariadb"
        }
        "mongo" | "mongosh" | "mongodump" | "mongorestore" => "mongo",
        "redis-cli" | "valkey-cli" => "redis",
        _ => return None,
    })
}

/// The program words after wrappers that do not change what runs (`sudo`, `env X=1`, `time`,
/// `docker exec db`, `docker compose exec -T db`, `kubectl exec pod --`, `sh -c '…'`).
///
/// The shell layer strips most wrappers itself (`Command::via`); this covers the rest so a
/// backup behind any of them is still seen.
pub fn inner_argv(command: &Command) -> Vec<String> {
    let words: Vec<String> = command.argv.iter().map(|w| w.display()).collect();
    unwrap_words(words, 0)
}

pub(super) fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

pub(super) fn unwrap_words(words: Vec<String>, depth: usize) -> Vec<String> {
    if depth > 8 || words.is_empty() {
        return words;
    }
    let program = basename(&words[0]).to_string();
    let rest = &words[1..];
    let skip_flags = |from: usize, value_flags: &[&str]| -> usize {
        let mut i = from;
        while i < words.len() {
            let w = &words[i];
            if w == "--" {
                return i + 1;
            }
            if !w.starts_with('-') || w == "-" {
                break;
            }
            let name = w.split('=').next().unwrap_or(w);
            i += if value_flags.contains(&name) && !w.contains('=') {
                2
            } else {
                1
            };
        }
        i
    };
    let next = match program.as_str() {
        "sudo" | "doas" => skip_flags(1, value_flags(Wrapper::Sudo)),
        "time" => skip_flags(1, value_flags(Wrapper::Time)),
        "exec" => skip_flags(1, value_flags(Wrapper::Exec)),
        "nohup" | "command" | "builtin" => skip_flags(1, &[]),
        "nice" => skip_flags(1, value_flags(Wrapper::Nice)),
        "ionice" => skip_flags(1, value_flags(Wrapper::Ionice)),
        "timeout" => skip_flags(1, value_flags(Wrapper::Timeout)) + 1,
        "env" => {
            let mut i = skip_flags(1, value_flags(Wrapper::Env));
            while i < words.len() && words[i].contains('=') && !words[i].starts_with('-') {
                i += 1;
            }
            i
        }
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "ssh" => {
            // `bash -c '…'`, `ssh host '…'`: split the string roughly into words.
            let string = if program == "ssh" {
                let at = skip_flags(1, value_flags(Wrapper::Ssh));
                words.get(at + 1..).map(|w| w.join(" "))
            } else {
                rest.iter()
                    .position(|w| w == "-c" || (w.starts_with('-') && w.ends_with('c')))
                    .and_then(|at| rest.get(at + 1).cloned())
            };
            let Some(string) = string else {
                return words;
            };
            let split: Vec<String> = string
                .split(|c: char| c.is_whitespace() || c == ';')
                .filter(|w| !w.is_empty())
                .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
                .collect();
            return unwrap_words(split, depth + 1);
        }
        "kubectl" | "oc" => match rest.iter().position(|w| w == "--") {
            Some(at) if rest.first().is_some_and(|w| w == "exec") => at + 2,
            _ => return words,
        },
        "docker" | "podman" | "docker-compose" | "podman-compose" => {
            return unwrap_docker(&words, depth);
        }
        _ => return words,
    };
    match words.get(next..) {
        Some(inner) if !inner.is_empty() => unwrap_words(inner.to_vec(), depth + 1),
        _ => words,
    }
}

/// `docker exec [opts] ctr cmd…`, `docker compose [globals] exec|run [opts] svc cmd…`,
/// `docker run [opts] image cmd…`.
pub(super) fn unwrap_docker(words: &[String], depth: usize) -> Vec<String> {
    let mut i = 1;
    let program = basename(&words[0]);
    let compose = program.ends_with("compose")
        || words.get(1).is_some_and(|w| w == "compose")
        || words
            .iter()
            .skip(1)
            .take_while(|w| w.starts_with('-'))
            .count()
            > 0
            && words.iter().any(|w| w == "compose");
    // Options of `docker run` and `docker compose exec|run`, and the global ones.
    let value: Vec<&str> = [
        Wrapper::ContainerRun,
        Wrapper::ComposeExec,
        Wrapper::DockerGlobal,
        Wrapper::ComposeGlobal,
    ]
    .into_iter()
    .flat_map(value_flags)
    .copied()
    .collect();
    let skip = |mut i: usize| {
        while i < words.len() {
            let w = &words[i];
            if !w.starts_with('-') || w == "-" {
                break;
            }
            let name = w.split('=').next().unwrap_or(w);
            i += if value.contains(&name) && !w.contains('=') {
                2
            } else {
                1
            };
        }
        i
    };
    i = skip(i);
    if compose && words.get(i).is_some_and(|w| w == "compose") {
        i = skip(i + 1);
    }
    let Some(sub) = words.get(i) else {
        return words.to_vec();
    };
    if !matches!(sub.as_str(), "exec" | "run") {
        return words.to_vec();
    }
    i = skip(i + 1);
    // The container, service or image.
    i += 1;
    match words.get(i..) {
        Some(inner) if !inner.is_empty() => unwrap_words(inner.to_vec(), depth + 1),
        _ => words.to_vec(),
    }
}

/// The service a command runs in (`docker compose exec -T db …` → `db`), when it says so.
pub fn compose_service(command: &Command) -> Option<String> {
    let words: Vec<String> = command.argv.iter().map(|w| w.display()).collect();
    let mut via_words: Vec<String> = command
        .via
        .iter()
        .flat_map(|v| v.split_whitespace().map(str::to_string))
        .collect();
    via_words.extend(words);
    let at = via_words.iter().position(|w| w == "exec" || w == "run")?;
    let before = &via_words[..at];
    if !before
        .iter()
        .any(|w| w == "compose" || w.ends_with("docker-compose") || w.ends_with("podman-compose"))
    {
        return None;
    }
    via_words[at + 1..]
        .iter()
        .find(|w| !w.starts_with('-') && !w.contains('='))
        .cloned()
}

/// The container a `docker exec`/`podman exec` runs in, from the wrappers the shell layer
/// removed or the words themselves.
pub(super) fn container_of(command: &Command) -> Option<String> {
    let mut words: Vec<String> = command
        .via
        .iter()
        .flat_map(|v| v.split_whitespace().map(str::to_string))
        .collect();
    words.extend(command.argv.iter().map(|w| w.display()));
    let at = words.iter().position(|w| w == "exec")?;
    let before = words.get(at.checked_sub(1)?)?;
    if !(before.ends_with("docker") || before.ends_with("podman")) {
        return None;
    }
    words[at + 1..]
        .iter()
        .find(|w| !w.starts_with('-'))
        .cloned()
}
