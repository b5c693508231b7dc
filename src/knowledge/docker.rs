//! Command-line knowledge: how `docker`, `docker compose`, `docker-compose`, `podman` and
//! `podman-compose` read their flags, so rules ask "is this `down` with volumes?" instead of
//! looking at raw words. Combined short flags, `--flag=value`, global options before the
//! subcommand and `--` are read the way the real CLIs read them.

use crate::model::command::{Command, Word};

/// Whether a flag takes a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arity {
    Bool,
    Value,
}

/// A CLI's flags: (short char, long name, arity). `' '` means no short form.
type FlagSpec = &'static [(char, &'static str, Arity)];

const DOCKER_GLOBAL: FlagSpec = &[
    (' ', "config", Arity::Value),
    ('c', "context", Arity::Value),
    ('D', "debug", Arity::Bool),
    ('H', "host", Arity::Value),
    ('l', "log-level", Arity::Value),
    (' ', "tls", Arity::Bool),
    (' ', "tlscacert", Arity::Value),
    (' ', "tlscert", Arity::Value),
    (' ', "tlskey", Arity::Value),
    (' ', "tlsverify", Arity::Bool),
    // podman
    (' ', "remote", Arity::Bool),
    (' ', "connection", Arity::Value),
    (' ', "root", Arity::Value),
    (' ', "url", Arity::Value),
];

const COMPOSE_GLOBAL: FlagSpec = &[
    ('f', "file", Arity::Value),
    ('p', "project-name", Arity::Value),
    (' ', "project-directory", Arity::Value),
    (' ', "env-file", Arity::Value),
    (' ', "profile", Arity::Value),
    (' ', "ansi", Arity::Value),
    (' ', "progress", Arity::Value),
    (' ', "parallel", Arity::Value),
    (' ', "compatibility", Arity::Bool),
    (' ', "dry-run", Arity::Bool),
    (' ', "all-resources", Arity::Bool),
    (' ', "verbose", Arity::Bool),
    (' ', "no-ansi", Arity::Bool),
    ('H', "host", Arity::Value),
    (' ', "podman-path", Arity::Value),
    (' ', "podman-args", Arity::Value),
    (' ', "in-pod", Arity::Value),
    (' ', "pod-args", Arity::Value),
];

/// The global options of `docker` (`compose`: of `docker compose`) that take a value, spelt as
/// words (`-c`, `--context`), for the wrapper table.
pub fn global_value_flags(compose: bool) -> Vec<String> {
    let spec = if compose {
        COMPOSE_GLOBAL
    } else {
        DOCKER_GLOBAL
    };
    let mut out = Vec::new();
    for &(short, long, arity) in spec {
        if arity != Arity::Value {
            continue;
        }
        if short != ' ' {
            out.push(format!("-{short}"));
        }
        out.push(format!("--{long}"));
    }
    out
}

/// Flags of subcommands we read, by subcommand path.
fn subcommand_flags(path: &[&str]) -> FlagSpec {
    match path {
        ["down"] => &[
            ('v', "volumes", Arity::Bool),
            (' ', "rmi", Arity::Value),
            ('t', "timeout", Arity::Value),
            (' ', "remove-orphans", Arity::Bool),
        ],
        ["rm"] => &[
            ('f', "force", Arity::Bool),
            ('s', "stop", Arity::Bool),
            ('v', "volumes", Arity::Bool),
            ('l', "link", Arity::Bool),
        ],
        ["volume", "rm" | "remove"] => &[('f', "force", Arity::Bool)],
        ["volume", "prune"] => &[
            ('a', "all", Arity::Bool),
            ('f', "force", Arity::Bool),
            (' ', "filter", Arity::Value),
        ],
        ["system", "prune"] => &[
            ('a', "all", Arity::Bool),
            ('f', "force", Arity::Bool),
            (' ', "volumes", Arity::Bool),
            (' ', "filter", Arity::Value),
        ],
        ["container", "rm" | "remove"] => &[
            ('f', "force", Arity::Bool),
            ('v', "volumes", Arity::Bool),
            ('l', "link", Arity::Bool),
        ],
        _ => &[],
    }
}

/// One flag as given on the command line.
#[derive(Clone, Debug)]
pub struct Flag<'c> {
    /// The long name (or the short char as a string when it has no long form).
    pub name: &'static str,
    pub value: Option<FlagValue<'c>>,
    pub word: &'c Word,
}

#[derive(Clone, Debug)]
pub enum FlagValue<'c> {
    /// `--flag=value` or `-fvalue`: the text after the flag inside the same word.
    Inline(String),
    /// The next word.
    Next(&'c Word),
}

impl Flag<'_> {
    pub fn value_text(&self) -> Option<String> {
        match &self.value {
            Some(FlagValue::Inline(s)) => Some(s.clone()),
            Some(FlagValue::Next(w)) => Some(w.display()),
            None => None,
        }
    }

    pub fn value_word(&self) -> Option<&Word> {
        match &self.value {
            Some(FlagValue::Next(w)) => Some(w),
            _ => None,
        }
    }

    /// A boolean flag's value: `--volumes`, `--volumes=true` are on; `--volumes=false` is off.
    pub fn is_on(&self) -> bool {
        match &self.value {
            None => true,
            Some(v) => {
                let text = match v {
                    FlagValue::Inline(s) => s.clone(),
                    FlagValue::Next(w) => w.display(),
                };
                !matches!(text.to_ascii_lowercase().as_str(), "false" | "0" | "no")
            }
        }
    }
}

/// Flags and positionals read from a run of words.
#[derive(Clone, Debug, Default)]
pub struct Parsed<'c> {
    pub flags: Vec<Flag<'c>>,
    pub positionals: Vec<&'c Word>,
}

impl<'c> Parsed<'c> {
    pub fn flag(&self, name: &str) -> Option<&Flag<'c>> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    pub fn all(&self, name: &str) -> impl Iterator<Item = &Flag<'c>> {
        self.flags.iter().filter(move |f| f.name == name)
    }

    pub fn is_on(&self, name: &str) -> bool {
        self.flag(name).is_some_and(Flag::is_on)
    }
}

/// Read flags per `spec`. With `stop_at_positional`, stop at the first positional (global options
/// before a subcommand) and return the index where it stands.
fn parse<'c>(words: &'c [Word], spec: FlagSpec, stop_at_positional: bool) -> (Parsed<'c>, usize) {
    let mut parsed = Parsed::default();
    let mut i = 0;
    let mut only_positionals = false;
    while i < words.len() {
        let word = &words[i];
        let text = word.display();
        if only_positionals || text == "-" || !text.starts_with('-') {
            if stop_at_positional {
                return (parsed, i);
            }
            parsed.positionals.push(word);
            i += 1;
            continue;
        }
        if text == "--" {
            only_positionals = true;
            i += 1;
            continue;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match spec.iter().find(|(_, l, _)| *l == name) {
                Some(&(_, l, Arity::Value)) if inline.is_none() => {
                    let value = words.get(i + 1).map(FlagValue::Next);
                    parsed.flags.push(Flag {
                        name: l,
                        value,
                        word,
                    });
                    i += 2;
                    continue;
                }
                Some(&(_, l, _)) => parsed.flags.push(Flag {
                    name: l,
                    value: inline.map(FlagValue::Inline),
                    word,
                }),
                // An unknown long flag: assume no value (the common case for booleans).
                None => {}
            }
            i += 1;
            continue;
        }
        // A cluster of short flags: `-vf`, `-t10`, `-f file`.
        let cluster: Vec<char> = text[1..].chars().collect();
        let mut consumed_next = false;
        for (k, c) in cluster.iter().enumerate() {
            let Some(&(_, long, arity)) = spec.iter().find(|(s, _, _)| s == c) else {
                continue;
            };
            let name = if long.is_empty() { "" } else { long };
            if arity == Arity::Value {
                let rest: String = cluster[k + 1..].iter().collect();
                let value = if rest.is_empty() {
                    consumed_next = true;
                    words.get(i + 1).map(FlagValue::Next)
                } else {
                    Some(FlagValue::Inline(rest.trim_start_matches('=').to_string()))
                };
                parsed.flags.push(Flag { name, value, word });
                break;
            }
            parsed.flags.push(Flag {
                name,
                value: None,
                word,
            });
        }
        i += if consumed_next { 2 } else { 1 };
    }
    (parsed, words.len())
}

/// Which engine a command drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Docker,
    Podman,
}

/// A `docker`/`podman` invocation, read.
#[derive(Clone, Debug)]
pub struct DockerCall<'c> {
    pub engine: Engine,
    /// Set when this is a compose invocation (`docker compose`, `docker-compose`, `podman-compose`).
    pub compose: Option<Parsed<'c>>,
    /// The subcommand path as literal words (`["volume", "rm"]`, `["down"]`).
    pub subcommand: Vec<String>,
    /// Flags and positionals of the subcommand.
    pub args: Parsed<'c>,
    pub command: &'c Command,
}

impl DockerCall<'_> {
    pub fn is(&self, path: &[&str]) -> bool {
        self.subcommand
            .iter()
            .map(String::as_str)
            .eq(path.iter().copied())
    }

    /// The compose global options (`-f`, `-p`, `--project-directory`), when this is compose.
    pub fn compose_files(&self) -> Vec<String> {
        self.compose
            .as_ref()
            .map(|c| c.all("file").filter_map(Flag::value_text).collect())
            .unwrap_or_default()
    }

    pub fn compose_project(&self) -> Option<String> {
        self.compose.as_ref()?.flag("project-name")?.value_text()
    }

    pub fn compose_project_dir(&self) -> Option<String> {
        self.compose
            .as_ref()?
            .flag("project-directory")?
            .value_text()
    }
}

/// Read a command as a docker/podman/compose invocation.
pub fn docker(command: &Command) -> Option<DockerCall<'_>> {
    let program = command.program()?;
    let words = &command.argv[1..];
    let (engine, compose_words) = match program.as_str() {
        "docker-compose" => (Engine::Docker, Some(words)),
        "podman-compose" => (Engine::Podman, Some(words)),
        "docker" | "podman" => {
            let engine = if program == "docker" {
                Engine::Docker
            } else {
                Engine::Podman
            };
            let (_, at) = parse(words, DOCKER_GLOBAL, true);
            let rest = &words[at..];
            if rest.first().is_some_and(|w| w.is("compose")) {
                (engine, Some(&rest[1..]))
            } else {
                return Some(subcommand(engine, None, rest, command)).filter(|c| !asks_help(c));
            }
        }
        _ => return None,
    };
    let words = compose_words?;
    let (globals, at) = parse(words, COMPOSE_GLOBAL, true);
    // `docker compose --dry-run down -v` prints what it would do and changes nothing.
    if globals.is_on("dry-run") {
        return None;
    }
    Some(subcommand(engine, Some(globals), &words[at..], command)).filter(|c| !asks_help(c))
}

/// `docker volume prune --help` prints the command's usage and runs nothing. `run`, `exec` and
/// `create` hand the words after the image or container to it, so a `--help` there is not
/// docker's; `--` ends docker's own options.
fn asks_help(call: &DockerCall) -> bool {
    let passes_words_on = |name: &str| matches!(name, "run" | "exec" | "create");
    if call.subcommand.iter().any(|s| passes_words_on(s)) {
        return false;
    }
    call.command.argv[1..]
        .iter()
        .take_while(|w| !w.is("--"))
        .any(|w| w.is("--help"))
}

fn subcommand<'c>(
    engine: Engine,
    compose: Option<Parsed<'c>>,
    words: &'c [Word],
    command: &'c Command,
) -> DockerCall<'c> {
    let mut path: Vec<String> = Vec::new();
    let mut at = 0;
    // Management commands take one more word (`volume rm`, `system prune`, `container rm`).
    if let Some(first) = words.first().and_then(Word::literal) {
        path.push(first.clone());
        at = 1;
        if compose.is_none()
            && matches!(
                first.as_str(),
                "volume" | "system" | "container" | "image" | "network" | "builder"
            )
            && let Some(second) = words.get(1).and_then(Word::literal)
        {
            path.push(second);
            at = 2;
        }
    }
    let refs: Vec<&str> = path.iter().map(String::as_str).collect();
    let (args, _) = parse(&words[at..], subcommand_flags(&refs), false);
    DockerCall {
        engine,
        compose,
        subcommand: path,
        args,
        command,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::command::ShellFacts;
    use crate::model::command::ShellOrigin;
    use crate::source::OffsetMap;

    fn first(text: &str) -> Command {
        let mut facts = ShellFacts::default();
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        facts.commands.into_iter().next().expect("one command")
    }

    #[test]
    fn compose_down_with_volumes_in_every_spelling() {
        for text in [
            "docker compose down -v",
            "docker compose down --volumes",
            "docker compose down --volumes=true",
            "docker compose down -v --remove-orphans",
            "docker compose down --remove-orphans -vt 5",
            "docker --context prod compose -f a.yml -p shop down -v",
            "docker-compose -f docker-compose.yml down -v",
            "podman-compose down -v",
        ] {
            let cmd = first(text);
            let call = docker(&cmd).expect(text);
            assert!(call.compose.is_some(), "{text}");
            assert!(call.is(&["down"]), "{text}");
            assert!(call.args.is_on("volumes"), "{text}");
        }
    }

    #[test]
    fn not_deletions() {
        let cmd = first("docker compose down --volumes=false");
        assert!(!docker(&cmd).expect("call").args.is_on("volumes"));
        let cmd = first("docker compose config --volumes");
        assert!(docker(&cmd).expect("call").is(&["config"]));
        let cmd = first("docker -v");
        assert!(docker(&cmd).expect("call").subcommand.is_empty());
        let cmd = first("docker run -v data:/var/lib/postgresql/data postgres");
        assert!(docker(&cmd).expect("call").is(&["run"]));
    }

    #[test]
    fn help_runs_nothing() {
        for text in [
            "docker volume prune --help",
            "docker volume rm --help",
            "podman system prune --volumes --help",
            "docker compose down -v --help",
            "docker-compose --help down -v",
        ] {
            assert!(docker(&first(text)).is_none(), "{text}");
        }
        // The container's `--help`, or a value after `--`, is not docker's. (The shell layer
        // reads `docker exec`/`docker compose run` as the command run inside.)
        for text in [
            "docker run --rm alpine --help",
            "docker volume rm -- --help",
        ] {
            assert!(docker(&first(text)).is_some(), "{text}");
        }
    }

    #[test]
    fn global_options_are_read() {
        let cmd = first(
            "docker compose -f a.yml --file b.yml -p shop --project-directory ./deploy down -v",
        );
        let call = docker(&cmd).expect("call");
        assert_eq!(call.compose_files(), ["a.yml", "b.yml"]);
        assert_eq!(call.compose_project().as_deref(), Some("shop"));
        assert_eq!(call.compose_project_dir().as_deref(), Some("./deploy"));
    }

    #[test]
    fn volume_rm() {
        let cmd = first("docker volume rm -f shop_pgdata other");
        let call = docker(&cmd).expect("call");
        assert!(call.is(&["volume", "rm"]));
        let names: Vec<String> = call.args.positionals.iter().map(|w| w.display()).collect();
        assert_eq!(names, ["shop_pgdata", "other"]);
    }
}
