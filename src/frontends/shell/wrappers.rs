//! Wrapper commands: `sudo`, `env X=1`, `time`, `nohup`, `exec`, `command`, `xargs`, `timeout N`,
//! `nice`, `su -c '…'`, `runuser`, `flock`, `bash -c '…'`, `ssh host '…'`, `docker exec C …`,
//! `docker compose exec svc …`, `kubectl exec … -- …`. Given a command's words, find where the
//! command that really runs starts (or which word is a shell string to parse again, or whether
//! a shell reads its script on stdin). Pure functions over words; no tree-sitter here.

use crate::frontends::shell::{Piece, Word};
use crate::knowledge::wrappers::{Wrapper, value_flags};

/// What a command line runs once its wrappers are peeled off.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Unwrapped {
    /// The real command starts at word `start`.
    Command {
        start: usize,
        via: Vec<String>,
        env: Vec<(String, Word)>,
    },
    /// Word `at` is a shell string that runs (`bash -c '…'`, `ssh host '…'`).
    Script {
        at: usize,
        via: Vec<String>,
        env: Vec<(String, Word)>,
        /// The string runs on another machine or in a container: the local directory does not apply.
        remote: bool,
    },
    /// A shell that reads its script on stdin (`ssh host <<EOF`, `bash -s <<EOF`,
    /// `docker exec -i C sh <<EOF`).
    StdinScript {
        via: Vec<String>,
        env: Vec<(String, Word)>,
        remote: bool,
    },
    /// Nothing runs (`command -v x`, a bare `sudo -l`, `exec 3>&1`).
    Nothing,
}

/// Wrappers nested deeper than this are left as they are.
const MAX_LAYERS: usize = 16;

const SHELLS: &[&str] = &["bash", "sh", "dash", "zsh", "ksh", "ash", "mksh"];

pub(super) fn unwrap(argv: &[Word]) -> Unwrapped {
    let mut i = 0;
    let mut via: Vec<String> = Vec::new();
    let mut env: Vec<(String, Word)> = Vec::new();
    let mut remote = false;
    for _ in 0..MAX_LAYERS {
        let Some(program) = argv.get(i).and_then(Word::literal) else {
            return Unwrapped::Command { start: i, via, env };
        };
        let base = program.rsplit('/').next().unwrap_or(&program).to_string();
        let next = match base.as_str() {
            "sudo" | "doas" => {
                let j = skip_flags(argv, i + 1, value_flags(Wrapper::Sudo));
                take_env(argv, j, &mut env)
            }
            "env" => {
                let j = skip_flags(argv, i + 1, value_flags(Wrapper::Env));
                take_env(argv, j, &mut env)
            }
            "time" => skip_flags(argv, i + 1, value_flags(Wrapper::Time)),
            "nohup" | "builtin" | "chronic" | "unbuffer" => i + 1,
            // `eval "…"` runs its (joined) arguments as shell; one literal word is parsed again.
            "eval" => {
                if argv.len() == i + 2 {
                    via.push("eval".into());
                    return Unwrapped::Script {
                        at: i + 1,
                        via,
                        env,
                        remote,
                    };
                }
                i + 1
            }
            "exec" => skip_flags(argv, i + 1, value_flags(Wrapper::Exec)),
            "command" => {
                if argv
                    .get(i + 1)
                    .is_some_and(|w| w.is("-v") || w.is("-V") || w.is("-pv"))
                {
                    return Unwrapped::Nothing;
                }
                skip_flags(argv, i + 1, &[])
            }
            // `trap 'docker compose down -v' EXIT`: the string runs when the signal comes.
            "trap" => {
                let action = argv.get(i + 1).map(Word::display).unwrap_or_default();
                if argv.len() < i + 3 || action.starts_with('-') || action.is_empty() {
                    return Unwrapped::Nothing;
                }
                via.push("trap".into());
                return Unwrapped::Script {
                    at: i + 1,
                    via,
                    env,
                    remote,
                };
            }
            // `su postgres -c 'dropdb app'`, `runuser -l postgres -c '…'`: the string runs as shell.
            "su" | "runuser"
                if let Some(c) = argv[i + 1..]
                    .iter()
                    .position(|w| w.is("-c") || w.is("--command"))
                    .filter(|&c| i + 2 + c < argv.len()) =>
            {
                via.push(format!("{base} -c"));
                return Unwrapped::Script {
                    at: i + 2 + c,
                    via,
                    env,
                    remote,
                };
            }
            // `runuser -u postgres -- dropdb app`.
            "runuser" => {
                let j = skip_flags(argv, i + 1, value_flags(Wrapper::Runuser));
                if argv.get(j).is_some_and(|w| w.is("--")) {
                    j + 1
                } else {
                    j
                }
            }
            // `flock /tmp/lock cmd …`, `flock -w 10 /tmp/lock -c '…'`.
            "flock" => {
                let j = skip_flags(argv, i + 1, value_flags(Wrapper::Flock));
                if argv
                    .get(j + 1)
                    .is_some_and(|w| w.is("-c") || w.is("--command"))
                    && j + 2 < argv.len()
                {
                    via.push("flock -c".into());
                    return Unwrapped::Script {
                        at: j + 2,
                        via,
                        env,
                        remote,
                    };
                }
                j + 1
            }
            "nice" => skip_flags(argv, i + 1, value_flags(Wrapper::Nice)),
            "ionice" => skip_flags(argv, i + 1, value_flags(Wrapper::Ionice)),
            "stdbuf" => skip_flags(argv, i + 1, value_flags(Wrapper::Stdbuf)),
            "timeout" => {
                let j = skip_flags(argv, i + 1, value_flags(Wrapper::Timeout));
                // The duration.
                j + 1
            }
            "xargs" => skip_flags(argv, i + 1, value_flags(Wrapper::Xargs)),
            s if SHELLS.contains(&s) => {
                let (j, has_c, has_s) = shell_flags(argv, i + 1);
                if !has_c && (has_s || j >= argv.len()) {
                    // `bash -s`, `ssh host bash <<EOF`: the script comes on stdin.
                    via.push(base.clone());
                    return Unwrapped::StdinScript { via, env, remote };
                }
                if !has_c {
                    // `bash script.sh`: the shell itself is the command (a script call).
                    return Unwrapped::Command { start: i, via, env };
                }
                if j >= argv.len() {
                    return Unwrapped::Nothing;
                }
                via.push(format!("{base} -c"));
                return Unwrapped::Script {
                    at: j,
                    via,
                    env,
                    remote,
                };
            }
            "ssh" => {
                let j = skip_flags(argv, i + 1, value_flags(Wrapper::Ssh));
                let Some(host) = argv.get(j) else {
                    return Unwrapped::Nothing;
                };
                via.push(format!("ssh {}", host.display()));
                remote = true;
                // `ssh host -- cmd`.
                let j = if argv.get(j + 1).is_some_and(|w| w.is("--")) {
                    j + 1
                } else {
                    j
                };
                match argv.len().saturating_sub(j + 1) {
                    // No command: the remote login shell reads its script on stdin.
                    0 => return Unwrapped::StdinScript { via, env, remote },
                    // One word: the remote shell parses it.
                    1 => {
                        return Unwrapped::Script {
                            at: j + 1,
                            via,
                            env,
                            remote,
                        };
                    }
                    _ => j + 1,
                }
            }
            "docker" | "podman" => {
                let j = skip_flags(argv, i + 1, value_flags(Wrapper::DockerGlobal));
                match argv.get(j).and_then(Word::literal).as_deref() {
                    Some("exec") => {
                        remote = true;
                        let Some(k) = container_exec(argv, j + 1, &base, &mut via) else {
                            return Unwrapped::Nothing;
                        };
                        k
                    }
                    Some("container") if argv.get(j + 1).is_some_and(|w| w.is("exec")) => {
                        remote = true;
                        let Some(k) = container_exec(argv, j + 2, &base, &mut via) else {
                            return Unwrapped::Nothing;
                        };
                        k
                    }
                    Some("compose") => {
                        match compose_exec(argv, j + 1, &format!("{base} compose"), &mut via) {
                            Some(k) => {
                                remote = true;
                                k
                            }
                            None => {
                                return Unwrapped::Command { start: i, via, env };
                            }
                        }
                    }
                    _ => {
                        return Unwrapped::Command { start: i, via, env };
                    }
                }
            }
            "docker-compose" | "podman-compose" => match compose_exec(argv, i + 1, &base, &mut via)
            {
                Some(k) => {
                    remote = true;
                    k
                }
                None => {
                    return Unwrapped::Command { start: i, via, env };
                }
            },
            "kubectl" | "oc" => {
                let j = skip_flags(argv, i + 1, value_flags(Wrapper::Kubectl));
                if !argv.get(j).is_some_and(|w| w.is("exec")) {
                    return Unwrapped::Command { start: i, via, env };
                }
                remote = true;
                let k = skip_flags(argv, j + 1, value_flags(Wrapper::KubectlExec));
                let pod = argv.get(k).map(Word::display).unwrap_or_default();
                via.push(format!("{base} exec {pod}"));
                match argv.iter().position(|w| w.is("--")) {
                    Some(dash) => dash + 1,
                    None => k + 1,
                }
            }
            _ => {
                return Unwrapped::Command { start: i, via, env };
            }
        };
        if !matches!(
            base.as_str(),
            "ssh" | "docker" | "podman" | "docker-compose" | "podman-compose" | "kubectl" | "oc"
        ) {
            via.push(base.clone());
        }
        if next >= argv.len() {
            // `sudo -v`, `exec >log`, `xargs` alone (runs `echo`): no command to follow.
            return Unwrapped::Nothing;
        }
        i = next;
    }
    Unwrapped::Command { start: i, via, env }
}

/// `exec [flags] CONTAINER cmd…` → index of `cmd`.
fn container_exec(
    argv: &[Word],
    from: usize,
    engine: &str,
    via: &mut Vec<String>,
) -> Option<usize> {
    let k = skip_flags(argv, from, value_flags(Wrapper::ContainerExec));
    let container = argv.get(k)?;
    via.push(format!("{engine} exec {}", container.display()));
    Some(k + 1)
}

/// `compose [globals] exec|run [flags] SERVICE cmd…` → index of `cmd`; `None` for other subcommands.
fn compose_exec(argv: &[Word], from: usize, program: &str, via: &mut Vec<String>) -> Option<usize> {
    let j = skip_flags(argv, from, value_flags(Wrapper::ComposeGlobal));
    let sub = argv.get(j).and_then(Word::literal)?;
    if sub != "exec" && sub != "run" {
        return None;
    }
    let k = skip_flags(argv, j + 1, value_flags(Wrapper::ComposeExec));
    let service = argv.get(k)?;
    via.push(format!("{program} {sub} {}", service.display()));
    Some(k + 1)
}

/// Skip flags starting at `i`; `values` lists the flags that take a value (short and long).
/// Returns the index of the first word that is not a flag (after `--`, if present).
pub(super) fn skip_flags(argv: &[Word], mut i: usize, values: &[&str]) -> usize {
    while let Some(word) = argv.get(i) {
        let Some(text) = word.literal() else {
            return i;
        };
        if text == "--" {
            return i + 1;
        }
        if text == "-" || !text.starts_with('-') {
            return i;
        }
        if text.starts_with("--") {
            let takes = !text.contains('=') && values.contains(&text.as_str());
            i += if takes { 2 } else { 1 };
            continue;
        }
        // A short cluster: the first value-taking flag consumes the rest or the next word.
        let mut consumed_next = false;
        for (k, c) in text.char_indices().skip(1) {
            let flag = format!("-{c}");
            if values.contains(&flag.as_str()) {
                consumed_next = k + c.len_utf8() == text.len();
                break;
            }
        }
        i += if consumed_next { 2 } else { 1 };
    }
    i
}

/// Flags of `bash`/`sh`: returns the index after them and whether `-c` and `-s` were among them.
fn shell_flags(argv: &[Word], mut i: usize) -> (usize, bool, bool) {
    let mut has_c = false;
    let mut has_s = false;
    while let Some(text) = argv.get(i).and_then(Word::literal) {
        if text == "--" {
            return (i + 1, has_c, has_s);
        }
        if text.starts_with("--") {
            // `--norc`, `--login`, `--rcfile FILE`.
            i += if text == "--rcfile" || text == "--init-file" {
                2
            } else {
                1
            };
            continue;
        }
        if !(text.starts_with('-') || text.starts_with('+')) || text.len() < 2 {
            break;
        }
        if text.contains('c') {
            has_c = true;
        }
        if text.starts_with('-') && text.contains('s') {
            has_s = true;
        }
        // `-o pipefail`, `-O extglob` take a value.
        i += if text.ends_with('o') || text.ends_with('O') {
            2
        } else {
            1
        };
    }
    (i, has_c, has_s)
}

/// Take `NAME=value` words starting at `i` into `env`; return the index after them.
fn take_env(argv: &[Word], mut i: usize, env: &mut Vec<(String, Word)>) -> usize {
    while let Some(word) = argv.get(i) {
        let Some(Piece::Lit(first)) = word.pieces.first() else {
            break;
        };
        let Some((name, rest)) = first.split_once('=') else {
            break;
        };
        let valid = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        if !valid {
            break;
        }
        let mut pieces = word.pieces.clone();
        pieces[0] = Piece::Lit(rest.to_string());
        env.push((
            name.to_string(),
            Word {
                span: word.span,
                pieces,
            },
        ));
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn words(line: &str) -> Vec<Word> {
        line.split_whitespace()
            .map(|w| Word::literal_word(Span::new(0, 0), w))
            .collect()
    }

    fn start(line: &str) -> (String, Vec<String>) {
        let argv = words(line);
        match unwrap(&argv) {
            Unwrapped::Command { start, via, .. } => (
                argv[start..]
                    .iter()
                    .map(Word::display)
                    .collect::<Vec<_>>()
                    .join(" "),
                via,
            ),
            Unwrapped::Script { at, via, .. } => (format!("script:{}", argv[at].display()), via),
            Unwrapped::StdinScript { via, .. } => ("stdin".into(), via),
            Unwrapped::Nothing => ("nothing".into(), Vec::new()),
        }
    }

    #[test]
    fn peels_wrappers() {
        let table = [
            ("sudo -u postgres dropdb shop", "dropdb shop"),
            (
                "sudo -E env X=1 docker compose down -v",
                "docker compose down -v",
            ),
            ("time nohup nice -n 10 rm -rf /data", "rm -rf /data"),
            ("timeout 30 docker volume rm x", "docker volume rm x"),
            (
                "timeout -s KILL 5m docker volume prune",
                "docker volume prune",
            ),
            ("xargs -r -n1 docker volume rm", "docker volume rm"),
            ("exec docker compose down -v", "docker compose down -v"),
            ("command docker compose down", "docker compose down"),
            ("docker exec -i db psql -U app", "psql -U app"),
            ("docker exec -it -u postgres db dropdb x", "dropdb x"),
            ("docker compose -f a.yml exec -T db psql", "psql"),
            ("docker-compose exec db mysql -e x", "mysql -e x"),
            ("kubectl -n prod exec -i pg-0 -- psql -U x", "psql -U x"),
            (
                "ssh -p 22 prod docker compose down -v",
                "docker compose down -v",
            ),
            ("docker compose down -v", "docker compose down -v"),
            ("bash deploy.sh", "bash deploy.sh"),
            ("command -v docker", "nothing"),
            ("su postgres -c x", "script:x"),
            ("su -c x - postgres", "script:x"),
            ("su - postgres", "su - postgres"),
            ("runuser -u postgres -- dropdb x", "dropdb x"),
            ("runuser -l postgres -c x", "script:x"),
            ("flock -w 5 /tmp/l dropdb x", "dropdb x"),
            ("flock /tmp/l -c x", "script:x"),
            ("ssh prod -- dropdb x", "dropdb x"),
            ("ssh prod", "stdin"),
            ("ssh prod bash -s", "stdin"),
            ("sh", "stdin"),
            ("docker exec -i db sh", "stdin"),
            ("bash -x deploy.sh", "bash -x deploy.sh"),
            ("trap x EXIT", "script:x"),
            ("trap - EXIT", "nothing"),
            ("trap -p", "nothing"),
        ];
        for (line, want) in table {
            assert_eq!(start(line).0, want, "{line}");
        }
        assert_eq!(
            start("sudo -u postgres dropdb shop").1,
            vec!["sudo".to_string()]
        );
        assert_eq!(
            start("kubectl exec -i pg-0 -- psql").1,
            vec!["kubectl exec pg-0".to_string()]
        );
    }

    #[test]
    fn shell_strings() {
        assert_eq!(start("bash -c x").0, "script:x");
        assert_eq!(start("eval x").0, "script:x");
        assert_eq!(start("eval docker volume prune").0, "docker volume prune");
        assert_eq!(start("sh -ec x").0, "script:x");
        assert_eq!(start("ssh prod x").0, "script:x");
        assert_eq!(start("docker exec db sh -c x").0, "script:x");
        assert_eq!(
            start("docker exec db sh -c x").1,
            vec!["docker exec db".to_string(), "sh -c".to_string()]
        );
    }

    #[test]
    fn env_assignments() {
        let argv = words("env COMPOSE_PROJECT_NAME=shop docker compose down -v");
        let Unwrapped::Command { env, start, .. } = unwrap(&argv) else {
            panic!("command expected");
        };
        assert_eq!(start, 2);
        assert_eq!(env[0].0, "COMPOSE_PROJECT_NAME");
        assert_eq!(env[0].1.display(), "shop");
    }
}
