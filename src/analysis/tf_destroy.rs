//! What a Terraform-style destroy deletes: the managed databases of the configuration it acts
//! on (found from `-chdir`, `cd`, the script's folder or the root, through local modules), or
//! the ones its `-target`s name or that depend on them, and what their settings (literals or
//! `var.x` resolved to a default or a `.tfvars` value) say about the way back. For
//! `infra-destroy-command`.

use crate::analysis::infra::{ManagedDb, databases_in, dir_of};
use crate::analysis::paths::{cwd_candidates, join_path};
use crate::analysis::repo::RepoFacts;
use crate::classify::FileKind;
use crate::knowledge::infra_cli::StackCall;
use crate::knowledge::managed_db::ManagedDbTable;
use crate::model::FileFacts;
use crate::model::command::Command;
use crate::model::infra::SettingValue;

/// The databases a Terraform destroy deletes, and whether they were resolved from the
/// command's own directory or target (else: any the repository declares). `None` when it
/// deletes none.
pub fn terraform_databases<'a>(
    repo: &RepoFacts,
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
    hit.retain(|db| !protected(repo, db));
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
pub type Hit<'a> = (ManagedDb<'a>, Option<String>);

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

/// A boolean setting of the database, written as a literal or as a variable whose value is known.
fn literal_bool(repo: &RepoFacts, db: &ManagedDb, path: &str) -> Option<bool> {
    let setting = db.resource.setting(path)?;
    let value = match (&setting.value, &setting.var_ref) {
        (SettingValue::Expr, Some(var)) => &repo.terraform_var(db.path, var)?.value,
        (value, _) => value,
    };
    match value {
        SettingValue::Bool(b) => Some(*b),
        SettingValue::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `skip_final_snapshot = true`: nothing is kept when it is deleted.
pub fn skips_final_snapshot(repo: &RepoFacts, db: &ManagedDb) -> bool {
    literal_bool(repo, db, "skip_final_snapshot") == Some(true)
}

/// `deletion_protection = true`: the provider refuses to delete it, the destroy fails there.
fn protected(repo: &RepoFacts, db: &ManagedDb) -> bool {
    literal_bool(repo, db, "deletion_protection") == Some(true)
}
