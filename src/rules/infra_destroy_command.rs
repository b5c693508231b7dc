//! `infra-destroy-command`: see rules/infra-destroy-command.toml for what/why/fix.

use crate::analysis::infra::{ManagedDb, databases_in, dir_of, managed_databases};
use crate::analysis::paths::{cwd_candidates, join_path};
use crate::analysis::repo::RepoFacts;
use crate::analysis::runs::earlier_in_same_run;
use crate::classify::FileKind;
use crate::knowledge::infra_cli::{self, Action, StackCall};
use crate::knowledge::managed_db::ManagedDbTable;
use crate::levels::{Context, Level};
use crate::model::FileFacts;
use crate::model::command::Command;
use crate::model::infra::SettingValue;
use crate::rules::Ctx;

/// How many databases a message names; the rest are counted.
const MAX_NAMED: usize = 4;

pub(super) fn check(_repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    let dbs = managed_databases(files);
    for file in files.iter().filter(|f| f.kind.may_hold_shell()) {
        for (i, command) in file.shell.commands.iter().enumerate() {
            if let Some(call) = infra_cli::stack_call(command) {
                if call.action == Action::Destroy {
                    destroy(files, &dbs, file, i, command, &call, cx);
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
fn destroy(
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
        let Some((hit, resolved)) = terraform_databases(files, dbs, file, command, call) else {
            return;
        };
        let mut named: Vec<String> = hit
            .iter()
            .take(MAX_NAMED)
            .map(|(db, through)| describe(db, through.as_deref()))
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
        let gone = hit.iter().any(|(db, _)| skips_final_snapshot(db));
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

/// The databases a Terraform destroy deletes, and whether they were resolved from the
/// command's own directory or target (else: any the repository declares). `None` when it
/// deletes none.
fn terraform_databases<'a>(
    files: &'a [FileFacts],
    dbs: &[ManagedDb<'a>],
    file: &FileFacts,
    command: &Command,
    call: &StackCall,
) -> Option<(Vec<Hit<'a>>, bool)> {
    let below = call.program == "terragrunt"
        && command
            .argv
            .iter()
            .any(|w| w.is("run-all") || w.is("--all"));
    let mut scope: Option<(Vec<ManagedDb>, String)> = None;
    for dir in cwd_candidates(file, command) {
        let dir = match &call.chdir {
            Some(chdir) => join_path(&dir, chdir),
            None => dir,
        };
        if let Some(found) = databases_in(files, dbs, &dir, below) {
            scope = Some((found, dir));
            break;
        }
    }
    let resolved = scope.is_some();
    let (mut hit, root) = scope.unwrap_or_else(|| (dbs.to_vec(), String::new()));
    // `deletion_protection = true`: the provider refuses to delete it, the destroy fails there.
    hit.retain(|db| !protected(db));
    if call.targets.is_empty() {
        let hit: Vec<Hit> = hit.into_iter().map(|db| (db, None)).collect();
        return (!hit.is_empty()).then_some((hit, resolved));
    }
    // `-target=ADDR`: the named resources and what depends on them go.
    let table = ManagedDbTable::builtin();
    let mut targeted: Vec<Hit> = Vec::new();
    for db in hit {
        let address = db.address();
        let named = call.targets.iter().any(|t| {
            // `-target=module.rds` takes every resource inside the module.
            address.starts_with(&format!("{t}."))
                || t == &address
                || t.starts_with(&format!("{address}["))
                || t.starts_with(&format!("{address}."))
        });
        if named {
            targeted.push((db, None));
        } else if let Some(t) = call
            .targets
            .iter()
            .find(|t| depends_on(files, &db, &root, t))
        {
            targeted.push((db, Some(t.clone())));
        }
    }
    if targeted.is_empty() {
        // A target of a database type the repository does not declare (`aws_db_instance.x`).
        let named = call.targets.iter().any(|t| {
            let kind = t.split('.').next().unwrap_or("");
            table.database("resource", kind).is_some()
        });
        return named.then_some((Vec::new(), true));
    }
    Some((targeted, true))
}

/// A database the destroy deletes, with the `-target` it goes with when it is not named but
/// depends on it.
type Hit<'a> = (ManagedDb<'a>, Option<String>);

/// Whether the database refers to `target` (`db_subnet_group_name =
/// aws_db_subnet_group.main.name`, or the module call it sits in passes
/// `module.network.private_subnets`): Terraform destroys the dependents of a target with it.
fn depends_on(files: &[FileFacts], db: &ManagedDb, root: &str, target: &str) -> bool {
    let refers = |file: &FileFacts, resource: &crate::model::infra::Resource| {
        resource.settings.iter().any(|s| {
            let text = file.file.slice(s.span);
            text.match_indices(target).any(|(at, _)| {
                let next = text[at + target.len()..].chars().next();
                next.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            })
        })
    };
    let own = files
        .iter()
        .find(|f| f.file.path == db.path)
        .is_some_and(|f| refers(f, db.resource));
    if own || db.via.is_empty() {
        return own;
    }
    // The module call at the root that leads to it.
    let first = db.via.split('.').nth(1).unwrap_or("");
    files
        .iter()
        .filter(|f| f.kind == FileKind::Terraform && dir_of(&f.file.path) == root)
        .any(|f| {
            f.infra
                .resources
                .iter()
                .filter(|r| r.block == "module" && r.name == first)
                .any(|r| refers(f, r))
        })
}

/// `aws_db_instance.main` (RDS instance) and what its settings say about the way back.
fn describe(db: &ManagedDb, through: Option<&str>) -> String {
    let mut out = match through {
        Some(t) => format!("`{}` ({}, which depends on `{t}`)", db.address(), db.what),
        None => format!("`{}` ({})", db.address(), db.what),
    };
    if skips_final_snapshot(db) {
        out.push_str(", whose `skip_final_snapshot = true` leaves no final snapshot");
    }
    out
}

fn literal_bool(db: &ManagedDb, path: &str) -> Option<bool> {
    match &db.resource.setting(path)?.value {
        SettingValue::Bool(b) => Some(*b),
        SettingValue::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn skips_final_snapshot(db: &ManagedDb) -> bool {
    literal_bool(db, "skip_final_snapshot") == Some(true)
}

fn protected(db: &ManagedDb) -> bool {
    literal_bool(db, "deletion_protection") == Some(true)
}
