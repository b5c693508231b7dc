//! Repository facts: what is known across files, built once after every file's facts are
//! extracted. For Compose: the projects of the repository (a directory's `compose.yaml` /
//! `docker-compose.yml` with its `*.override.yml` merged on, and every other Compose file on its
//! own), their names (resolved the way Compose resolves them), their stateful services and where
//! those keep data (named volumes with their Docker names, anonymous volumes, bind mounts).
//!
//! Queries for other packs:
//! - [`RepoFacts::project_for`]: the project a `docker compose` command acts on, from its
//!   directory and its `-f`/`-p`/`--project-directory` options;
//! - [`RepoFacts::volumes_matching`]: the stateful data volumes a volume name (a shell
//!   [`Word`], possibly holding `${VAR}`) can be;
//! - [`RepoFacts::bind_mount_at`]: whether a host path is bind-mounted as a data directory;
//! - [`RepoFacts::stateful_services`]: every stateful service with persistent data (for backups).
//!
//! Files a command names together (`-f base.yml -f prod.yml`) may include YAML that is not Compose
//! by itself: its Compose reading comes from `FileFacts::compose_fragment`, kept when the file was
//! extracted (no file is parsed twice).
//!
//! Spans always come with the repo-relative path of the file they are in. Nothing here reports.

use std::collections::BTreeMap;

use crate::classify::FileKind;
use crate::levels::Context;
use crate::source::Span;

use crate::analysis::paths::{cwd_candidates, join_path};
use crate::frontends::compose::merge_into;
use crate::knowledge::backup;
use crate::knowledge::credentials::is_password_var;
use crate::model::FileFacts;
use crate::model::command::Word;
use crate::model::store::{ComposeFile, DataStore, MountKind};
use crate::syntax::interp::interpolate;

/// Facts about the whole repository.
#[derive(Debug, Default)]
pub struct RepoFacts {
    /// What counts as a backup mechanism (shipped table plus the config's additions; the scan
    /// replaces it with [`backup::Catalog::with_config`]).
    pub backup_catalog: backup::Catalog,
    /// The framework-commands table with the config's `[[framework-commands]]`, when it adds
    /// any (else the shipped table).
    pub framework: Option<crate::knowledge::framework::FrameworkTable>,
    pub projects: Vec<ComposeProject>,
    /// Variables of each directory's `.env` (directory → name → value), for interpolation.
    pub dotenv: BTreeMap<String, BTreeMap<String, String>>,
    /// The scan root's directory name: the project name of a Compose file at the root.
    pub root_name: Option<String>,
    /// `(directory, variable)`: Compose files in the directory interpolate the variable into a
    /// database password (`POSTGRES_PASSWORD: ${DB_PASS}`), so the directory's `.env` value of
    /// it is a database password.
    pub password_refs: std::collections::BTreeSet<(String, String)>,
    /// Files a script, Makefile or workflow names together (`docker compose -f base.yml -f
    /// prod.yml`), merged in that order: how Compose runs a base file that is never run alone.
    /// Used to judge a service as deployed ([`RepoFacts::merged_service`]), not listed in
    /// `projects` (their services are already there).
    pub named_together: Vec<ComposeProject>,
    /// Terraform variables' literal values per folder (a module): `(directory, name)` → the
    /// value and where it is set (a `terraform.tfvars`/`*.auto.tfvars` assignment over the
    /// `variable` block's default).
    pub terraform_vars: BTreeMap<(String, String), TerraformVar>,
    /// Per migration file, the names it drops as tables that an earlier migration of its set
    /// created as views ([`crate::analysis::migrations::MigrationOrder::views_dropped_as_tables`]).
    pub views_dropped_as_tables: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// SQL files that every script running them loads into a database it created just before
    /// (`crate::analysis::backup::sql_files_on_fresh_database`, filled in by the scan): their
    /// drops act on an empty database.
    pub fresh_database_sql: std::collections::BTreeSet<String>,
}

/// A Terraform variable's value in a module, and where it comes from.
#[derive(Clone, Debug, Default)]
pub struct TerraformVar {
    pub value: crate::model::infra::SettingValue,
    pub path: String,
    pub span: Span,
    /// Set by a variable file, not the variable's default.
    pub from_tfvars: bool,
}

/// A Compose project: one or more files merged, with its name and stateful services.
#[derive(Clone, Debug, Default)]
pub struct ComposeProject {
    /// The directory the project's files are in (repo-relative, `""` for the root).
    pub dir: String,
    /// The files, base first, overrides after (repo-relative paths).
    pub files: Vec<String>,
    /// The project name when known (top-level `name:`, `COMPOSE_PROJECT_NAME`, the directory).
    pub name: Option<String>,
    /// The merged model.
    pub model: ComposeFile,
    pub services: Vec<StatefulService>,
}

/// A stateful service of a project and where its data lives.
#[derive(Clone, Debug, Default)]
pub struct StatefulService {
    pub service: String,
    pub image: String,
    pub family: String,
    pub dump_tool: String,
    /// The file and span of the service's key (in the first file that declares it).
    pub path: String,
    pub span: Span,
    /// Where the data directories are mounted.
    pub data: Vec<DataLocation>,
    /// The data survives the container (a named volume or a bind mount at the data directory).
    pub persistent: bool,
}

/// One place a stateful service keeps data.
#[derive(Clone, Debug, Default)]
pub struct DataLocation {
    pub kind: MountKind,
    /// The volume key (named), the host path relative to the repo root or absolute (bind).
    pub source: String,
    /// The Docker volume name (named volumes): explicit `name:` or `<project>_<key>`; `None`
    /// when the project name is unknown.
    pub docker_name: Option<String>,
    pub external: bool,
    pub target: String,
    /// The file and span of the mount entry.
    pub path: String,
    pub span: Span,
    /// The top-level `volumes:` declaration, when there is one (file, span of its key).
    pub declaration: Option<(String, Span)>,
}

/// Compose's project name normalisation: lowercase, only `[a-z0-9_-]`, starting with a letter or digit.
pub fn normalise_project_name(name: &str) -> String {
    let lower: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    lower
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_default_name(name: &str) -> bool {
    matches!(
        name,
        "compose.yaml" | "compose.yml" | "docker-compose.yaml" | "docker-compose.yml"
    )
}

fn is_override_name(name: &str) -> bool {
    matches!(
        name,
        "compose.override.yaml"
            | "compose.override.yml"
            | "docker-compose.override.yaml"
            | "docker-compose.override.yml"
    )
}

impl RepoFacts {
    /// Record the variables Compose interpolates into the password variables named by `is_pw`
    /// (`POSTGRES_PASSWORD: ${PG_PROD_PWD}`): a `.env` entry of that name is a password.
    pub fn add_password_refs(&mut self, files: &[FileFacts], is_pw: &dyn Fn(&str) -> bool) {
        for f in files {
            let Some(model) = &f.compose else { continue };
            for service in &model.services {
                for entry in &service.environment {
                    if !is_pw(&entry.key.value) {
                        continue;
                    }
                    let Some(value) = &entry.value else { continue };
                    for piece in crate::syntax::interp::interpolation(&value.value) {
                        if let crate::syntax::interp::Interp::Var { name, .. } = piece {
                            self.password_refs
                                .insert((dir_of(&f.file.path).to_string(), name));
                        }
                    }
                }
            }
        }
    }

    /// Terraform variables' defaults, then the variable files Terraform loads by itself over
    /// them (`*.auto.tfvars` after `terraform.tfvars`, in name order, as Terraform does).
    fn add_terraform_vars(&mut self, files: &[FileFacts]) {
        let mut tfvars: Vec<&FileFacts> = files
            .iter()
            .filter(|f| !f.infra.tfvars.is_empty())
            .collect();
        let order = |f: &FileFacts| {
            (
                file_name(&f.file.path) != "terraform.tfvars",
                f.file.path.clone(),
            )
        };
        tfvars.sort_by_key(|f| order(f));
        let defaults = files.iter().map(|f| (f, &f.infra.variables, false));
        let assigned = tfvars.into_iter().map(|f| (f, &f.infra.tfvars, true));
        for (f, vars, from_tfvars) in defaults.chain(assigned) {
            for v in vars {
                self.terraform_vars.insert(
                    (dir_of(&f.file.path).to_string(), v.name.clone()),
                    TerraformVar {
                        value: v.value.clone(),
                        path: f.file.path.clone(),
                        span: v.span,
                        from_tfvars,
                    },
                );
            }
        }
    }

    /// The literal value variable `name` has in the module of the file at `path`, if known.
    pub fn terraform_var(&self, path: &str, name: &str) -> Option<&TerraformVar> {
        self.terraform_vars
            .get(&(dir_of(path).to_string(), name.to_string()))
    }

    pub fn build(files: &[FileFacts]) -> RepoFacts {
        Self::build_with_root(files, None)
    }

    /// Like [`RepoFacts::build`], knowing the scan root's directory name (Compose names a project
    /// at the root after it).
    pub fn build_with_root(files: &[FileFacts], root_name: Option<&str>) -> RepoFacts {
        let mut repo = RepoFacts {
            root_name: root_name.map(str::to_string),
            backup_catalog: backup::Catalog::builtin().clone(),
            ..RepoFacts::default()
        };
        for f in files.iter().filter(|f| f.kind == FileKind::DotEnv) {
            if file_name(&f.file.path) != ".env" {
                continue;
            }
            let vars = f
                .dotenv
                .iter()
                .map(|e| {
                    (
                        e.key.value.clone(),
                        e.value
                            .as_ref()
                            .map(|v| v.value.clone())
                            .unwrap_or_default(),
                    )
                })
                .collect();
            repo.dotenv.insert(dir_of(&f.file.path).to_string(), vars);
        }
        repo.add_terraform_vars(files);
        let compose: Vec<&FileFacts> = files.iter().filter(|f| f.compose.is_some()).collect();
        repo.add_password_refs(files, &is_password_var);
        let by_path: BTreeMap<&str, &FileFacts> =
            compose.iter().map(|f| (f.file.path.as_str(), *f)).collect();
        // Default projects: a directory's default file with its override.
        let mut grouped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for f in &compose {
            let path = f.file.path.as_str();
            let name = file_name(path);
            if is_default_name(name) {
                grouped.entry(dir_of(path)).or_default().insert(0, path);
            }
        }
        for f in &compose {
            let path = f.file.path.as_str();
            let name = file_name(path);
            if is_override_name(name)
                && let Some(group) = grouped.get_mut(dir_of(path))
            {
                group.push(path);
                continue;
            }
            if !is_default_name(name) {
                grouped.entry(path).or_default().push(path);
            }
        }
        // `docker-compose.prod.yml` holding only fragments of the default file's services is
        // used as `-f docker-compose.yml -f docker-compose.prod.yml`: merge it onto that base.
        let defaults: BTreeMap<&str, &str> = compose
            .iter()
            .map(|f| f.file.path.as_str())
            .filter(|p| is_default_name(file_name(p)))
            .map(|p| (dir_of(p), p))
            .collect();
        for (key, group) in grouped.iter_mut() {
            let [only] = group.as_slice() else { continue };
            if is_default_name(file_name(only)) || key != only {
                continue;
            }
            let Some(base) = defaults.get(dir_of(only)) else {
                continue;
            };
            let (Some(over), Some(base_facts)) = (by_path.get(only), by_path.get(base)) else {
                continue;
            };
            let (Some(over_model), Some(base_model)) = (&over.compose, &base_facts.compose) else {
                continue;
            };
            let fragment = over_model.services.iter().any(|s| {
                s.image.is_none() && !s.build && base_model.service(&s.name.value).is_some()
            });
            if fragment {
                group.insert(0, base);
            }
        }
        for (_, paths) in grouped {
            let dir = dir_of(paths[0]).to_string();
            let facts: Vec<&FileFacts> = paths
                .iter()
                .filter_map(|p| by_path.get(p))
                .copied()
                .collect();
            repo.projects.push(repo.project(&dir, &facts, None));
        }
        repo.named_together = repo.named_together_projects(files, &by_path);
        repo.views_dropped_as_tables =
            crate::analysis::migrations::MigrationOrder::build(files).views_dropped_as_tables();
        repo
    }

    /// Projects of the `-f a.yml -f b.yml` sets that commands of the repository name.
    fn named_together_projects(
        &self,
        files: &[FileFacts],
        by_path: &BTreeMap<&str, &FileFacts>,
    ) -> Vec<ComposeProject> {
        let mut seen: Vec<Vec<String>> = Vec::new();
        let mut out = Vec::new();
        let empty = ComposeFile::default();
        for f in files {
            for command in &f.shell.commands {
                let Some(call) = crate::knowledge::docker::docker(command) else {
                    continue;
                };
                let named = call.compose_files();
                if named.len() < 2 || named.iter().any(|n| n.contains('$')) {
                    continue;
                }
                // The first directory the command may run in where every named file exists
                // (a fragment such as `prod.yml` holding only `volumes:` is YAML, not Compose
                // by itself: named with `-f`, it is read as Compose).
                let exists = |p: &str| {
                    by_path.contains_key(p)
                        || files
                            .iter()
                            .any(|x| x.file.path == p && x.kind == FileKind::Yaml)
                };
                let Some(paths) = cwd_candidates(f, command)
                    .into_iter()
                    .map(|cwd| named.iter().map(|n| join_path(&cwd, n)).collect::<Vec<_>>())
                    .find(|paths| paths.iter().all(|p| exists(p)))
                else {
                    continue;
                };
                // A set that adds a test or local file to a production one (`-f base.yml -f
                // test.yml`) says how the tests run it, not how it is deployed.
                let context_of =
                    |p: &str| files.iter().find(|x| x.file.path == p).map(|x| x.context);
                let first = context_of(&paths[0]);
                if seen.contains(&paths) || paths.iter().any(|p| context_of(p) != first) {
                    continue;
                }
                // A fragment's Compose reading was kept when it was extracted (none: it holds
                // no Compose keys, and merges as an empty file).
                let fragment = |p: &str| {
                    files
                        .iter()
                        .find(|x| x.file.path == p)
                        .map(|x| x.compose_fragment.as_deref().unwrap_or(&empty))
                };
                let models: Vec<(&str, &ComposeFile)> = paths
                    .iter()
                    .filter_map(|p| {
                        let model = match by_path.get(p.as_str()) {
                            Some(x) => x.compose.as_deref(),
                            None => fragment(p),
                        }?;
                        Some((p.as_str(), model))
                    })
                    .collect();
                out.push(self.project_of(dir_of(&paths[0]), &models, None));
                seen.push(paths);
            }
        }
        out
    }

    /// Build a project from files (in merge order), with an explicit name when given.
    fn project(&self, dir: &str, files: &[&FileFacts], explicit: Option<&str>) -> ComposeProject {
        let models: Vec<(&str, &ComposeFile)> = files
            .iter()
            .filter_map(|f| Some((f.file.path.as_str(), f.compose.as_deref()?)))
            .collect();
        self.project_of(dir, &models, explicit)
    }

    /// Build a project from `(path, model)` pairs in merge order.
    fn project_of(
        &self,
        dir: &str,
        files: &[(&str, &ComposeFile)],
        explicit: Option<&str>,
    ) -> ComposeProject {
        let mut model = ComposeFile::default();
        for (_, m) in files {
            merge_into(&mut model, (*m).clone());
        }
        let env = self.dotenv.get(dir).cloned().unwrap_or_default();
        let name = explicit
            .map(str::to_string)
            .or_else(|| env.get("COMPOSE_PROJECT_NAME").cloned())
            .or_else(|| {
                model
                    .name
                    .as_ref()
                    .and_then(|n| interpolate(&n.value, &env))
            })
            .or_else(|| {
                let base = file_name(dir);
                if base.is_empty() {
                    self.root_name.clone()
                } else {
                    Some(base.to_string())
                }
            })
            .map(|n| normalise_project_name(&n))
            .filter(|n| !n.is_empty());
        let mut services = Vec::new();
        for service in &model.services {
            let Some(stateful) = &service.stateful else {
                continue;
            };
            // Which file each part came from: the last file that mentions it.
            let file_with =
                |pred: &dyn Fn(&ComposeFile) -> Option<Span>| -> Option<(String, Span)> {
                    files
                        .iter()
                        .rev()
                        .find_map(|(path, m)| pred(m).map(|s| (path.to_string(), s)))
                };
            let (path, span) = files
                .iter()
                .find_map(|(path, m)| {
                    let s = m.service(&service.name.value)?;
                    Some((path.to_string(), s.name.span))
                })
                .unwrap_or_default();
            let mut data = Vec::new();
            for dir_path in &stateful.data_dirs {
                let Some(mount) = service.mount_at(dir_path) else {
                    continue;
                };
                if data.iter().any(|d: &DataLocation| d.target == mount.target) {
                    continue;
                }
                // An unknown tag counts every layout's data directory; the image's implied
                // VOLUMEs are one anonymous volume per container, named once.
                if mount.implied && !data.is_empty() {
                    continue;
                }
                let (mpath, mspan) = file_with(&|m: &ComposeFile| {
                    m.service(&service.name.value)?
                        .mounts
                        .iter()
                        .find(|x| x.target == mount.target)
                        .map(|x| x.span)
                })
                .unwrap_or((path.clone(), mount.span));
                let decl = model.volume(&mount.source);
                let declaration = decl.and_then(|d| {
                    file_with(&|m: &ComposeFile| m.volume(&d.key.value).map(|v| v.key.span))
                });
                let docker_name = match mount.kind {
                    MountKind::Named => match decl.and_then(|d| d.name.as_ref()) {
                        Some(n) => interpolate(&n.value, &env).or_else(|| Some(n.value.clone())),
                        None if decl.is_some_and(|d| d.external) => Some(mount.source.clone()),
                        None => name.as_ref().map(|p| format!("{p}_{}", mount.source)),
                    },
                    _ => None,
                };
                let source = match mount.kind {
                    MountKind::Bind => join_path(dir, &mount.source),
                    _ => mount.source.clone(),
                };
                data.push(DataLocation {
                    kind: mount.kind,
                    source,
                    docker_name,
                    external: decl.is_some_and(|d| d.external),
                    target: mount.target.clone(),
                    path: mpath,
                    span: mspan,
                    declaration,
                });
            }
            services.push(StatefulService {
                service: service.name.value.clone(),
                image: service.image_display(),
                family: stateful.family.clone(),
                dump_tool: stateful.dump_tool.clone(),
                path,
                span,
                persistent: service.persistent(),
                data,
            });
        }
        ComposeProject {
            dir: dir.to_string(),
            files: files.iter().map(|(path, _)| path.to_string()).collect(),
            name,
            model,
            services,
        }
    }

    /// The project a `docker compose` command acts on. `cwd` is the directory it runs in
    /// (repo-relative); `files` its `-f` options (relative to `cwd`), `project` its `-p`, and
    /// `project_dir` its `--project-directory`. Without `-f`, the default files of the project
    /// directory (or of `cwd` and its parents, as Compose searches). Needs `files` to rebuild a
    /// project when `-f` names several files or `-p` renames it.
    pub fn project_for(
        &self,
        all: &[FileFacts],
        cwd: &str,
        files: &[String],
        project: Option<&str>,
        project_dir: Option<&str>,
    ) -> Option<ComposeProject> {
        let base_dir = project_dir.map_or_else(|| cwd.to_string(), |d| join_path(cwd, d));
        if !files.is_empty() {
            let paths: Vec<String> = files.iter().map(|f| join_path(cwd, f)).collect();
            let facts: Vec<&FileFacts> = paths
                .iter()
                .filter_map(|p| {
                    all.iter()
                        .find(|f| &f.file.path == p && f.compose.is_some())
                })
                .collect();
            if facts.is_empty() {
                return None;
            }
            let dir = project_dir.map_or_else(|| dir_of(&paths[0]).to_string(), |_| base_dir);
            return Some(self.project(&dir, &facts, project));
        }
        // Search the directory and its parents for a default project.
        let mut dir = base_dir;
        loop {
            if let Some(p) = self.projects.iter().find(|p| {
                p.dir == dir
                    && p.files
                        .first()
                        .is_some_and(|f| is_default_name(file_name(f)))
            }) {
                if project.is_none() {
                    return Some(p.clone());
                }
                let facts: Vec<&FileFacts> = p
                    .files
                    .iter()
                    .filter_map(|f| all.iter().find(|x| &x.file.path == f))
                    .collect();
                return Some(self.project(&p.dir, &facts, project));
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir_of(&dir).to_string();
        }
    }

    /// Stateful services' data volumes whose Docker name `name` could be (`${VAR}` parts match
    /// anything): `(project, service, volume)`.
    /// The data volumes a literal volume name is `<project>_<key>` of, for a project that the
    /// caller runs under one of `names` (`docker compose -p legacy …`, `COMPOSE_PROJECT_NAME`)
    /// instead of the name the repository gives it. Volumes with an explicit `name:` keep it.
    pub fn volumes_under_project_names(
        &self,
        name: &Word,
        names: &[String],
    ) -> Vec<(&ComposeProject, &StatefulService, &DataLocation)> {
        let Some(literal) = name.literal() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for p in &self.projects {
            for s in &p.services {
                for d in &s.data {
                    let derived = match (&d.docker_name, &p.name) {
                        (None, _) => true,
                        (Some(n), Some(project)) => *n == format!("{project}_{}", d.source),
                        (Some(_), None) => false,
                    };
                    if d.kind != MountKind::Named || d.external || !derived {
                        continue;
                    }
                    if names
                        .iter()
                        .any(|project| literal == format!("{project}_{}", d.source))
                    {
                        out.push((p, s, d));
                    }
                }
            }
        }
        out
    }

    pub fn volumes_matching(
        &self,
        name: &Word,
    ) -> Vec<(&ComposeProject, &StatefulService, &DataLocation)> {
        let mut out = Vec::new();
        for p in &self.projects {
            for s in &p.services {
                for d in &s.data {
                    if d.kind != MountKind::Named {
                        continue;
                    }
                    let hit = match &d.docker_name {
                        Some(n) => name.could_be(n),
                        // Project name unknown (the repository root): `<anything>_<key>`.
                        None => name
                            .literal()
                            .is_some_and(|l| l.ends_with(&format!("_{}", d.source))),
                    };
                    if hit {
                        out.push((p, s, d));
                    }
                }
            }
        }
        out
    }

    /// The bind mount that puts a stateful service's data at `host_path` (or inside it: deleting
    /// a parent deletes the data too). `host_path` is absolute, or relative to the repo root.
    pub fn bind_mount_at(
        &self,
        host_path: &str,
    ) -> Option<(&ComposeProject, &StatefulService, &DataLocation)> {
        let wanted = join_path("", host_path);
        for p in &self.projects {
            for s in &p.services {
                for d in &s.data {
                    if d.kind == MountKind::Bind
                        && crate::model::store::path_within(&d.source, &wanted)
                    {
                        return Some((p, s, d));
                    }
                }
            }
        }
        None
    }

    /// A service as Compose runs it: merged with the other files of the project `path` belongs
    /// to (its override, or its base). `None` when the file is in no project.
    pub fn merged_service(
        &self,
        path: &str,
        service: &str,
    ) -> Option<&crate::model::store::Service> {
        // A file Compose never picks up by itself (not `compose.yaml`, `docker-compose.yml` or
        // their override) runs the way the repository's commands name it: with the files named
        // together with it. The first such set that defines the service wins.
        let name = file_name(path);
        if !is_default_name(name) && !is_override_name(name) {
            let together = self
                .named_together
                .iter()
                .filter(|p| p.files.iter().any(|f| f == path))
                .find_map(|p| p.model.service(service));
            if together.is_some() {
                return together;
            }
        }
        self.projects
            .iter()
            .find(|p| p.files.iter().any(|f| f == path))?
            .model
            .service(service)
    }

    /// The variables of the `.env` next to a file (Compose interpolates the file with them).
    pub fn env_for(&self, path: &str) -> Option<&BTreeMap<String, String>> {
        self.dotenv.get(dir_of(path))
    }

    /// Every stateful service with persistent data, in every project (for backup rules).
    pub fn stateful_services(&self) -> impl Iterator<Item = (&ComposeProject, &StatefulService)> {
        self.projects.iter().flat_map(|p| {
            p.services
                .iter()
                .filter(|s| s.persistent)
                .map(move |s| (p, s))
        })
    }

    /// A project's context is its base file's (an override of a production file stays
    /// production for what the base declares).
    pub fn context_of(&self, project: &ComposeProject, files: &[FileFacts]) -> Context {
        project
            .files
            .first()
            .and_then(|p| files.iter().find(|f| &f.file.path == p))
            .map_or(Context::Production, |f| f.context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::path_context;
    use crate::source::SourceFile;

    fn facts(path: &str, kind: FileKind, text: &str) -> FileFacts {
        FileFacts::extract(SourceFile::new(path, text), kind, path_context(path))
    }

    fn repo() -> (Vec<FileFacts>, RepoFacts) {
        let files = vec![
            facts(
                "deploy/docker-compose.yml",
                FileKind::Compose,
                "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n  cache:\n    image: redis\nvolumes:\n  pgdata:\n",
            ),
            facts(
                "deploy/docker-compose.override.yml",
                FileKind::Compose,
                "services:\n  mongo:\n    image: mongo:7\n    volumes:\n      - ./data/mongo:/data/db\n",
            ),
            facts(
                "deploy/.env",
                FileKind::DotEnv,
                "COMPOSE_PROJECT_NAME=Shop.Prod\n",
            ),
            facts(
                "other/stack.yml",
                FileKind::Yaml,
                "name: billing\nservices:\n  db:\n    image: mysql:8\n    volumes:\n      - data:/var/lib/mysql\nvolumes:\n  data:\n    name: billing_mysql\n",
            ),
        ];
        let repo = RepoFacts::build(&files);
        (files, repo)
    }

    #[test]
    fn projects_and_names() {
        let (files, repo) = repo();
        assert_eq!(repo.projects.len(), 2);
        let p = repo
            .project_for(&files, "deploy/scripts", &[], None, None)
            .expect("found by searching parents");
        assert_eq!(p.name.as_deref(), Some("shopprod"));
        assert_eq!(p.files.len(), 2);
        let names: Vec<&str> = p.services.iter().map(|s| s.service.as_str()).collect();
        assert_eq!(names, ["db", "mongo"]);
        assert_eq!(
            p.services[0].data[0].docker_name.as_deref(),
            Some("shopprod_pgdata")
        );
        assert!(p.services[0].data[0].declaration.is_some());
        let renamed = repo
            .project_for(&files, "deploy", &[], Some("x"), None)
            .expect("renamed");
        assert_eq!(
            renamed.services[0].data[0].docker_name.as_deref(),
            Some("x_pgdata")
        );
    }

    #[test]
    fn queries() {
        let (files, repo) = repo();
        let word = Word {
            span: Span::default(),
            pieces: vec![
                crate::model::command::Piece::Expansion("${P}".into()),
                crate::model::command::Piece::Lit("_pgdata".into()),
            ],
        };
        let hits = repo.volumes_matching(&word);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].1.service, "db");
        let lit = Word::literal_word(Span::default(), "billing_mysql");
        assert_eq!(repo.volumes_matching(&lit).len(), 1);
        let (_, s, d) = repo.bind_mount_at("deploy/data/mongo").expect("bind");
        assert_eq!(s.service, "mongo");
        assert_eq!(d.path, "deploy/docker-compose.override.yml");
        assert!(repo.bind_mount_at("deploy/data").is_some());
        assert!(repo.bind_mount_at("deploy/other").is_none());
        assert_eq!(repo.stateful_services().count(), 3);
        let p = repo
            .project_for(&files, "", &["other/stack.yml".into()], None, None)
            .expect("-f");
        assert_eq!(p.name.as_deref(), Some("billing"));
    }

    #[test]
    fn root_project_is_named_after_the_root_directory() {
        let files = vec![facts(
            "compose.yaml",
            FileKind::Compose,
            "services:\n  db:\n    image: postgres\n    volumes: [\"pg:/var/lib/postgresql/data\"]\nvolumes:\n  pg: {}\n",
        )];
        let repo = RepoFacts::build_with_root(&files, Some("My.App"));
        let p = repo
            .project_for(&files, "", &[], None, None)
            .expect("project");
        assert_eq!(p.name.as_deref(), Some("myapp"));
        assert_eq!(
            p.services[0].data[0].docker_name.as_deref(),
            Some("myapp_pg")
        );
        assert_eq!(normalise_project_name("_Shop Prod-2"), "shopprod-2");
    }
}
