//! Infrastructure across files: the managed databases a Terraform configuration directory
//! declares (following local modules), the Kubernetes objects and workloads of the manifests a
//! path names, and which workload a claim or namespace holds a database for. For the rules about
//! commands that delete infrastructure.

use crate::analysis::paths::{cwd_candidates, join_path};
use crate::classify::FileKind;
use crate::knowledge::managed_db::ManagedDbTable;
use crate::model::FileFacts;
use crate::model::command::Command;
use crate::model::infra::Resource;
use crate::model::store::kubernetes::Workload;

/// A managed database declared in a Terraform file.
#[derive(Clone, Debug)]
pub struct ManagedDb<'a> {
    pub path: &'a str,
    pub resource: &'a Resource,
    /// How messages name it (`RDS instance`).
    pub what: &'a str,
    /// The module calls it is reached through from the configuration acted on
    /// (`module.rds.`), empty at the root.
    pub via: String,
}

impl ManagedDb<'_> {
    /// Its address as Terraform names it from the root (`module.rds.aws_db_instance.main`).
    pub fn address(&self) -> String {
        format!("{}{}", self.via, self.resource.address())
    }
}

/// The directory part of a repo-relative path (`""` at the root).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Whether `path` is `dir` or inside it (`""` holds everything).
pub fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// Every managed database the repository's Terraform declares.
pub fn managed_databases(files: &[FileFacts]) -> Vec<ManagedDb<'_>> {
    let table = ManagedDbTable::builtin();
    let mut out = Vec::new();
    for file in files.iter().filter(|f| f.kind == FileKind::Terraform) {
        for resource in &file.infra.resources {
            let has = |a: &str| resource.setting(a).is_some();
            if let Some(db) = table.database_of(&resource.block, &resource.kind, &has) {
                out.push(ManagedDb {
                    path: &file.file.path,
                    resource,
                    what: &db.what,
                    via: String::new(),
                });
            }
        }
    }
    out
}

/// How deep local module calls are followed.
const MAX_MODULE_DEPTH: usize = 4;

/// The Terraform configuration in `dir` (its `.tf` files only; with `below`, every directory
/// under it too, as `terragrunt run-all` does): `None` when the repository has no Terraform
/// there, else the databases it declares, local modules (`source = "./modules/db"`) followed.
pub fn databases_in<'a>(
    files: &'a [FileFacts],
    dbs: &[ManagedDb<'a>],
    dir: &str,
    below: bool,
) -> Option<Vec<ManagedDb<'a>>> {
    let in_scope = |path: &str, d: &str| {
        if below {
            is_under(path, d)
        } else {
            dir_of(path) == d
        }
    };
    let tf: Vec<&FileFacts> = files
        .iter()
        .filter(|f| f.kind == FileKind::Terraform && in_scope(&f.file.path, dir))
        .collect();
    if tf.is_empty() {
        return None;
    }
    // (directory, the module calls leading to it), breadth first from the configuration.
    let mut dirs: Vec<(String, String)> = Vec::new();
    let mut queue: std::collections::VecDeque<(String, String, usize)> = tf
        .iter()
        .map(|f| (dir_of(&f.file.path).to_string(), String::new(), 0))
        .collect();
    while let Some((d, via, depth)) = queue.pop_front() {
        if dirs.iter().any(|(seen, _)| *seen == d) {
            continue;
        }
        dirs.push((d.clone(), via.clone()));
        if depth >= MAX_MODULE_DEPTH {
            continue;
        }
        for file in files
            .iter()
            .filter(|f| f.kind == FileKind::Terraform && dir_of(&f.file.path) == d)
        {
            for module in file.infra.resources.iter().filter(|r| r.block == "module") {
                if module.kind.starts_with("./") || module.kind.starts_with("../") {
                    let next = format!("{via}module.{}.", module.name);
                    queue.push_back((join_path(&d, &module.kind), next, depth + 1));
                }
            }
        }
    }
    let mut out = Vec::new();
    for db in dbs {
        if let Some((_, via)) = dirs.iter().find(|(d, _)| dir_of(db.path) == d) {
            out.push(ManagedDb {
                via: via.clone(),
                ..db.clone()
            });
        }
    }
    Some(out)
}

/// The repository files a path written on a command line names (a file, or every file under a
/// directory), resolved against the directories the command may run in; empty when none is in
/// the repository (a URL, stdin, a path elsewhere).
pub fn files_named<'a>(
    files: &'a [FileFacts],
    file: &FileFacts,
    command: &Command,
    written: &str,
) -> Vec<&'a FileFacts> {
    if written.contains("://") || written == "-" || written.contains('$') {
        return Vec::new();
    }
    for dir in cwd_candidates(file, command) {
        let path = join_path(&dir, written);
        let hits: Vec<&FileFacts> = files
            .iter()
            .filter(|f| is_under(&f.file.path, &path) && !path.is_empty())
            .collect();
        if !hits.is_empty() {
            return hits;
        }
    }
    Vec::new()
}

/// A workload running a database, with the file declaring it.
pub type DbWorkload<'a> = (&'a str, &'a Workload);

/// Every Kubernetes workload of the repository that runs a stateful image.
pub fn database_workloads(files: &[FileFacts]) -> Vec<DbWorkload<'_>> {
    files
        .iter()
        .flat_map(|f| {
            f.infra
                .workloads
                .iter()
                .filter(|w| w.database().is_some())
                .map(move |w| (f.file.path.as_str(), w))
        })
        .collect()
}

/// Whether a namespace given on the command line (`None`: the default one, or whatever the
/// kubeconfig says) can be the one a workload declares (`None`: whatever it is applied to).
pub fn same_namespace(given: Option<&str>, declared: Option<&str>) -> bool {
    match (given, declared) {
        (Some(g), Some(d)) => g == d || g.contains('$'),
        _ => true,
    }
}
