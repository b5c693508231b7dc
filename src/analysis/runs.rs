//! Which commands of a file run before a given one in the same run: the same script or recipe,
//! the same CI job (its steps share the runner), the same runbook; not a sibling `case` or `if`
//! branch, nor a function that may never be called. For "created earlier in the same job"
//! judgements (a `kind create cluster` before `kubectl delete pvc`, a `terraform apply` before
//! `terraform destroy`).

use crate::model::FileFacts;
use crate::model::command::{Command, Scope, ShellOrigin};

/// The commands that run before `file.shell.commands[at]` in the same run, nearest first.
pub fn earlier_in_same_run(file: &FileFacts, at: usize) -> Vec<&Command> {
    let commands = &file.shell.commands;
    let Some(this) = commands.get(at) else {
        return Vec::new();
    };
    let origin = |c: &Command| file.shell.sources.get(c.source).map(|s| &s.origin);
    let run_of = |c: &Command| -> Option<(u8, String)> {
        match origin(c)? {
            ShellOrigin::WorkflowStep { job } | ShellOrigin::GitlabJob { job } => {
                Some((0, job.clone()))
            }
            ShellOrigin::MarkdownFence => Some((1, String::new())),
            _ => None,
        }
    };
    let same_run =
        |c: &Command| c.source == this.source || run_of(c).is_some_and(|r| Some(r) == run_of(this));
    let branches = |c: &Command| -> Vec<Scope> {
        c.scopes
            .iter()
            .filter(|s| {
                matches!(
                    s,
                    Scope::IfBranch { .. } | Scope::CaseBranch { .. } | Scope::Function(_)
                )
            })
            .cloned()
            .collect()
    };
    let own = branches(this);
    commands[..at]
        .iter()
        .rev()
        .filter(|c| c.span.end() <= this.span.start() || c.source != this.source)
        .filter(|c| same_run(c))
        .filter(|c| branches(c).iter().all(|s| own.contains(s)))
        .collect()
}
