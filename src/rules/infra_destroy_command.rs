//! `infra-destroy-command`: see rules/infra-destroy-command.toml for what/why/fix.

use crate::analysis::infra::{ManagedDb, managed_databases};
use crate::analysis::repo::RepoFacts;
use crate::analysis::runs::earlier_in_same_run;
use crate::analysis::tf_destroy::{skips_final_snapshot, terraform_databases};
use crate::knowledge::infra_cli::{self, Action, StackCall};
use crate::knowledge::managed_db::ManagedDbTable;
use crate::levels::{Context, Level};
use crate::model::FileFacts;
use crate::model::command::Command;
use crate::rules::Ctx;

/// How many databases a message names; the rest are counted.
const MAX_NAMED: usize = 4;

pub(super) fn check(repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    let dbs = managed_databases(files);
    for file in files.iter().filter(|f| f.kind.may_hold_shell()) {
        for (i, command) in file.shell.commands.iter().enumerate() {
            if let Some(call) = infra_cli::stack_call(command) {
                if call.action == Action::Destroy {
                    destroy(repo, files, &dbs, file, i, command, &call, cx);
                }
            } else if let Some(call) = infra_cli::cloud_delete(command) {
                let name = call
                    .name
                    .as_deref()
                    .map_or(String::new(), |n| format!(" `{n}`"));
                let program = command.program().unwrap_or_default();
                let written = format!("{program} {}", call.entry.command.join(" "));
                cx.report_in(
                    &file.file.path,
                    command.span,
                    format!(
                        "`{written}` deletes {}{name} {}",
                        call.entry.what, call.entry.says
                    ),
                )
                .remote();
            }
        }
    }
}

/// A `terraform destroy`, `pulumi destroy`, … : reported when what it tears down holds a
/// database (or may: a stack tool's program is not read).
#[allow(clippy::too_many_arguments)]
fn destroy(
    repo: &RepoFacts,
    files: &[FileFacts],
    dbs: &[ManagedDb],
    file: &FileFacts,
    at: usize,
    command: &Command,
    call: &StackCall,
    cx: &mut Ctx,
) {
    let written = &call.written;
    let (message, level, hit) = if call.terraform {
        let Some((hit, resolved)) = terraform_databases(repo, files, dbs, file, command, call)
        else {
            return;
        };
        let mut named: Vec<String> = hit
            .iter()
            .take(MAX_NAMED)
            .map(|(db, through)| describe(repo, db, through.as_deref()))
            .collect();
        if hit.is_empty() {
            // A `-target=` of a database type the repository does not declare.
            named = call
                .targets
                .iter()
                .filter(|t| {
                    let kind = t.split('.').next().unwrap_or("");
                    ManagedDbTable::builtin()
                        .database("resource", kind)
                        .is_some()
                })
                .map(|t| format!("`{t}`"))
                .collect();
        }
        if hit.len() > MAX_NAMED {
            named.push(format!("{} more databases", hit.len() - MAX_NAMED));
        }
        let whose = if resolved {
            "deletes"
        } else {
            "may delete the repository's"
        };
        let message = format!("`{written}` {whose} {}", named.join(", and "));
        let gone = hit.iter().any(|(db, _)| skips_final_snapshot(repo, db));
        let level = if resolved && gone {
            Level::Error
        } else {
            cx.default_level()
        };
        (message, level, hit)
    } else {
        let stack = call
            .stack
            .as_deref()
            .map_or(String::new(), |s| format!(" `{s}`"));
        let message = format!(
            "`{written}` deletes every resource of the stack{stack}, with any database it declares (the scanner does not read the `{}` program, so it cannot tell which)",
            call.program
        );
        (message, Level::Note, Vec::new())
    };
    let finding = cx.report_in(&file.file.path, command.span, message);
    finding.level(level).remote();
    for (db, _) in hit.iter().take(MAX_NAMED) {
        finding.related(
            db.path,
            db.resource.span,
            format!("`{}` declared here", db.address()),
        );
    }
    if let Some(flag) = infra_cli::unconfirmed(command, call) {
        let guard = format!("`{}`'s own confirmation prompt (no `{flag}`)", call.program);
        finding.guard(guard);
    }
    // A stack deployed earlier in the same job or script is a throwaway one.
    let deployed = earlier_in_same_run(file, at).into_iter().find(|c| {
        infra_cli::stack_call(c).is_some_and(|earlier| {
            earlier.action == Action::Create
                && earlier.program == call.program
                && earlier.chdir == call.chdir
                && earlier.stack == call.stack
                && c.cwd == command.cwd
        })
    });
    if let Some(deployed) = deployed {
        let context = match file.context_at(command.span) {
            Context::EphemeralCi => Context::EphemeralCi,
            _ => Context::Test,
        };
        finding.context(context);
        finding.related(
            &file.file.path,
            deployed.span,
            "the stack is deployed here, earlier in the same run: a throwaway stack",
        );
    }
}

/// `aws_db_instance.main` (RDS instance) and what its settings say about the way back.
fn describe(repo: &RepoFacts, db: &ManagedDb, through: Option<&str>) -> String {
    let mut out = match through {
        Some(t) => format!("`{}` ({}, which depends on `{t}`)", db.address(), db.what),
        None => format!("`{}` ({})", db.address(), db.what),
    };
    if skips_final_snapshot(repo, db) {
        let written = db
            .resource
            .setting("skip_final_snapshot")
            .and_then(|s| s.var_ref.as_deref())
            .map_or("`skip_final_snapshot = true`".to_string(), |v| {
                format!("`skip_final_snapshot = var.{v}` (`true`)")
            });
        out.push_str(&format!(", whose {written} leaves no final snapshot"));
    }
    out
}
