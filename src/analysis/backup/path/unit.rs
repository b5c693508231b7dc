//! The units commands run in (a script, a CI job, a make target or named task, a runbook, a
//! scheduled job or Compose command) and what people call them in messages.

use crate::classify::FileKind;

/// Which sequence a command runs in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum UnitKey {
    Script,
    Job(String),
    Target(String),
    Runbook,
    Source(usize),
}

impl UnitKey {
    /// What people call such a unit ("script", "CI job", "make target"), in a file of `kind`.
    pub fn noun(&self, kind: FileKind) -> &'static str {
        match self {
            UnitKey::Script => match kind {
                FileKind::Dockerfile => "Dockerfile",
                _ => "script",
            },
            UnitKey::Job(_) => "CI job",
            UnitKey::Target(_) => match kind {
                FileKind::Makefile => "make target",
                FileKind::Justfile => "just recipe",
                FileKind::Taskfile => "task",
                FileKind::PackageJson => "package.json script",
                _ => "command",
            },
            UnitKey::Runbook => "runbook",
            UnitKey::Source(_) => "scheduled job",
        }
    }
}
