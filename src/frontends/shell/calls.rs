//! Calls: which executed commands hand control to code the repository defines: a shell function
//! of the same file, a script by path (`./backup.sh`, `bash scripts/backup.sh`, `. lib.sh`), or a
//! make target (`make backup`). For rules that follow a script's path through its helpers (is
//! there a backup before this destructive step?). Pure over [`ShellFacts`]; resolves nothing
//! across files itself.

use crate::frontends::shell::{Command, ShellFacts};

/// What a command calls.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "kebab-case")]
pub enum CallTarget {
    /// A function defined in the same file.
    Function(String),
    /// A script, by the path as written (relative to the command's directory).
    Script(String),
    /// `make [target…]` (an empty name: the default target).
    MakeTarget(String),
}

/// One call: the index of the command in [`ShellFacts::commands`] and what it calls.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Call {
    pub command: usize,
    pub target: CallTarget,
}

impl ShellFacts {
    /// Every call to a function, script or make target, in command order.
    pub fn calls(&self) -> Vec<Call> {
        let mut out = Vec::new();
        for (index, command) in self.commands.iter().enumerate() {
            for target in targets(self, command) {
                out.push(Call {
                    command: index,
                    target,
                });
            }
        }
        out
    }

    /// The commands of a function's body (by name; the last definition wins, as in the shell).
    pub fn function_body(&self, name: &str) -> impl Iterator<Item = &Command> {
        let def = self.functions.iter().rev().find(|f| f.name == name);
        self.commands
            .iter()
            .filter(move |c| def.is_some_and(|d| c.source == d.source && d.span.contains(c.span)))
    }
}

fn targets(facts: &ShellFacts, command: &Command) -> Vec<CallTarget> {
    let Some(program) = command.argv.first().and_then(|w| w.literal()) else {
        return Vec::new();
    };
    if facts.functions.iter().any(|f| f.name == program) {
        return vec![CallTarget::Function(program)];
    }
    let base = program.rsplit('/').next().unwrap_or(&program).to_string();
    match base.as_str() {
        "make" | "gmake" => {
            let mut names = Vec::new();
            let mut skip_next = false;
            for word in command.args() {
                let text = word.display();
                if skip_next {
                    skip_next = false;
                    continue;
                }
                if matches!(
                    text.as_str(),
                    "-C" | "-f" | "--file" | "--directory" | "-j" | "-I"
                ) {
                    skip_next = true;
                    continue;
                }
                if text.starts_with('-') || text.contains('=') {
                    continue;
                }
                names.push(CallTarget::MakeTarget(text));
            }
            if names.is_empty() {
                names.push(CallTarget::MakeTarget(String::new()));
            }
            names
        }
        "bash" | "sh" | "zsh" | "dash" | "ksh" | "source" | "." => command
            .args()
            .find(|w| !w.display().starts_with('-'))
            .and_then(|w| w.literal())
            .map(CallTarget::Script)
            .into_iter()
            .collect(),
        _ if program.contains('/') || program.ends_with(".sh") => {
            vec![CallTarget::Script(program)]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::command::ShellOrigin;
    use crate::source::OffsetMap;

    #[test]
    fn calls_are_found() {
        let text = "backup() { pg_dump shop > shop.sql; }\nbackup\n./scripts/migrate.sh up\nbash deploy/reset.sh\n. ./lib.sh\nmake -C ops backup clean\n";
        let mut f = ShellFacts::default();
        f.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        let targets: Vec<CallTarget> = f.calls().into_iter().map(|c| c.target).collect();
        assert_eq!(
            targets,
            [
                CallTarget::Function("backup".into()),
                CallTarget::Script("./scripts/migrate.sh".into()),
                CallTarget::Script("deploy/reset.sh".into()),
                CallTarget::Script("./lib.sh".into()),
                CallTarget::MakeTarget("backup".into()),
                CallTarget::MakeTarget("clean".into()),
            ]
        );
        let body: Vec<String> = f
            .function_body("backup")
            .filter_map(Command::program)
            .collect();
        assert_eq!(body, ["pg_dump"]);
    }
}
