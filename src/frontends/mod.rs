//! Front-ends: one per input language. Each claims file kinds (decided from the path by
//! `classify`, before any content is read) and turns their syntax into model facts
//! ([`FileFacts`]) with spans in host-file coordinates. This is the only layer that knows
//! tree-sitter and sqlparser node kinds; analyses and rules read the model, never trees.
//!
//! [`FRONTENDS`] is the registry: one line per front-end. After the file's own front-end, the
//! passes every file gets run in [`extract`]: text of one language inside another (crontab lines
//! fed by a script, SQL handed to a client), credentials in any shell, commands sent to another
//! host.

pub mod appconfig;
pub mod ci;
pub mod compose;
pub mod cron;
pub mod crontab_feeds;
pub mod dockerfile;
pub mod dotenv;
pub mod infra;
pub mod justfile;
pub mod makefile;
pub mod manifests;
pub mod markdown;
pub mod migrations;
pub mod powershell;
pub mod programs;
pub mod secrets;
pub mod shell;
pub mod sql;
pub mod systemd;
pub mod taskfile;

use crate::classify::FileKind;
use crate::knowledge::stateful::StatefulTable;
use crate::levels::Context;
use crate::model::command::ShellOrigin;
use crate::model::secret::Origin;
use crate::model::{FileFacts, Region};
use crate::notice::{Notice, NoticeKind};
use crate::source::{OffsetMap, SourceFile, Span};
use crate::syntax::sql::SqlDialect;
use crate::syntax::yaml::Yaml;

/// Settings that change what a front-end extracts (from the config, resolved once per scan).
#[derive(Clone, Copy, Debug, Default)]
pub struct ExtractOptions<'a> {
    /// The SQL dialect a per-path setting fixes for this file (`[sql-dialects]`).
    pub sql_dialect: Option<SqlDialect>,
    /// Extra password variable names (`password-variables`).
    pub password_variables: &'a [String],
    /// The stateful-images table extended by the config (`[[stateful-images]]`), when it is.
    pub stateful: Option<&'a StatefulTable>,
}

/// A front-end: the kinds of file it claims, and what it makes of one.
pub trait Frontend: Sync {
    /// A short name (`shell`, `compose`, `github-actions`).
    fn name(&self) -> &'static str;
    /// The file kinds it reads.
    fn kinds(&self) -> &'static [FileKind];
    /// Extract the facts of one file into `facts`. Returns the parsed YAML of files whose own
    /// keys hold credentials (CI variables), for the credentials pass to read without a second
    /// parse.
    fn extract(&self, facts: &mut FileFacts, options: &ExtractOptions) -> Option<Yaml>;
}

/// Every front-end, one line each.
pub static FRONTENDS: &[&dyn Frontend] = &[
    &Shell,
    &Sql,
    &Compose,
    &DotEnv,
    &GithubActions,
    &GitlabCi,
    &Makefile,
    &Markdown,
    &Crontab,
    &Systemd,
    &migrations::Migrations,
    &Dockerfile,
    &manifests::Manifests,
    &appconfig::AppConfig,
    &Terraform,
    &HelmTemplate,
    &HelmValues,
    &PowerShell,
    &Justfile,
    &Taskfile,
    &Programs,
];

/// The front-end that reads `kind`.
pub fn frontend_for(kind: FileKind) -> Option<&'static dyn Frontend> {
    FRONTENDS
        .iter()
        .copied()
        .find(|f| f.kinds().contains(&kind))
}

struct Shell;
impl Frontend for Shell {
    fn name(&self) -> &'static str {
        "shell"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Shell]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        let text = facts.file.text.clone();
        facts.shell.add_source(
            &text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        None
    }
}

struct Programs;
impl Frontend for Programs {
    fn name(&self) -> &'static str {
        "programs"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Program]
    }
    fn extract(&self, facts: &mut FileFacts, options: &ExtractOptions) -> Option<Yaml> {
        facts.sql.dialect_setting = options.sql_dialect;
        programs::extract(facts);
        None
    }
}

struct Sql;
impl Frontend for Sql {
    fn name(&self) -> &'static str {
        "sql"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Sql]
    }
    fn extract(&self, facts: &mut FileFacts, options: &ExtractOptions) -> Option<Yaml> {
        facts.sql.dialect_setting = options.sql_dialect;
        sql::extract_file(facts);
        None
    }
}

struct Compose;
impl Frontend for Compose {
    fn name(&self) -> &'static str {
        "compose"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose, FileKind::Yaml]
    }
    fn extract(&self, facts: &mut FileFacts, options: &ExtractOptions) -> Option<Yaml> {
        let other = compose::extract_file(facts);
        // "# For local development only" at the top of a Compose file: a local setup.
        if facts.compose.is_some()
            && facts.context == Context::Production
            && let Some(context) = crate::levels::header_context(&facts.file.text)
        {
            facts.context = context;
        }
        if let Some(table) = options.stateful {
            compose::apply_table(facts, table);
        }
        // Other YAML may be Kubernetes objects (`apiVersion:` and `kind:`).
        if let Some(parsed) = other.filter(infra::kubernetes::is_manifest) {
            let table = options.stateful.unwrap_or_else(|| StatefulTable::builtin());
            infra::kubernetes::extract(facts, &parsed, table);
        }
        None
    }
}

struct DotEnv;
impl Frontend for DotEnv {
    fn name(&self) -> &'static str {
        "dotenv"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::DotEnv]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        facts.dotenv = dotenv::entries(&facts.file.text);
        if !dotenv::is_env_template(&facts.file.path) {
            let entries = facts.dotenv.clone();
            secrets::from_env_entries(facts, &entries, &Origin::DotEnv);
        }
        None
    }
}

struct GithubActions;
impl Frontend for GithubActions {
    fn name(&self) -> &'static str {
        "github-actions"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::GithubWorkflow]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        Some(ci::extract_github(facts))
    }
}

struct GitlabCi;
impl Frontend for GitlabCi {
    fn name(&self) -> &'static str {
        "gitlab-ci"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::GitlabCi]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        Some(ci::extract_gitlab(facts))
    }
}

struct Makefile;
impl Frontend for Makefile {
    fn name(&self) -> &'static str {
        "makefile"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Makefile]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        makefile::extract(facts);
        None
    }
}

struct Markdown;
impl Frontend for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Markdown]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        markdown::extract(facts);
        None
    }
}

struct Crontab;
impl Frontend for Crontab {
    fn name(&self) -> &'static str {
        "crontab"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Crontab]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        cron::extract(facts);
        None
    }
}

struct Systemd;
impl Frontend for Systemd {
    fn name(&self) -> &'static str {
        "systemd"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Systemd]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        systemd::extract(facts);
        None
    }
}

struct Dockerfile;
impl Frontend for Dockerfile {
    fn name(&self) -> &'static str {
        "dockerfile"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        dockerfile::extract(facts);
        None
    }
}

struct Terraform;
impl Frontend for Terraform {
    fn name(&self) -> &'static str {
        "terraform"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Terraform]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        infra::terraform::extract(facts);
        None
    }
}

struct HelmTemplate;
impl Frontend for HelmTemplate {
    fn name(&self) -> &'static str {
        "helm-template"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::HelmTemplate]
    }
    fn extract(&self, facts: &mut FileFacts, options: &ExtractOptions) -> Option<Yaml> {
        if !facts.file.text.contains("{{") {
            // A plain YAML file in a `templates/` folder: read as any other YAML.
            return Compose.extract(facts, options);
        }
        let table = options.stateful.unwrap_or_else(|| StatefulTable::builtin());
        infra::kubernetes::extract_template(facts, table);
        None
    }
}

struct HelmValues;
impl Frontend for HelmValues {
    fn name(&self) -> &'static str {
        "helm-values"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::HelmValues]
    }
    fn extract(&self, facts: &mut FileFacts, options: &ExtractOptions) -> Option<Yaml> {
        let table = options.stateful.unwrap_or_else(|| StatefulTable::builtin());
        infra::helm::extract(facts, table);
        None
    }
}

struct PowerShell;
impl Frontend for PowerShell {
    fn name(&self) -> &'static str {
        "powershell"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PowerShell]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        powershell::extract(facts);
        None
    }
}

struct Justfile;
impl Frontend for Justfile {
    fn name(&self) -> &'static str {
        "justfile"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Justfile]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        justfile::extract(facts);
        None
    }
}

struct Taskfile;
impl Frontend for Taskfile {
    fn name(&self) -> &'static str {
        "taskfile"
    }
    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Taskfile]
    }
    fn extract(&self, facts: &mut FileFacts, _: &ExtractOptions) -> Option<Yaml> {
        taskfile::extract(facts);
        None
    }
}

/// Extract the facts of one file: its front-end, then the passes every file gets. Never panics
/// on input (the caller still catches panics).
pub fn extract(
    file: SourceFile,
    kind: FileKind,
    context: Context,
    options: &ExtractOptions,
) -> FileFacts {
    let mut facts = FileFacts {
        file,
        kind,
        context,
        regions: Vec::new(),
        shell: Default::default(),
        sql: Default::default(),
        compose: None,
        compose_fragment: None,
        secrets: Vec::new(),
        credentials: Vec::new(),
        dotenv: Vec::new(),
        settings: Vec::new(),
        infra: Default::default(),
        job_needs: Default::default(),
        base_image: None,
        notices: Vec::new(),
        region_cache: Default::default(),
    };
    let yaml = frontend_for(kind).and_then(|f| f.extract(&mut facts, options));
    // Cron lines fed to `crontab -` by any shell source become scheduled commands.
    crontab_feeds::extract_crontab_feeds(&mut facts);
    if !facts.shell.regions.is_empty() {
        facts.regions.append(&mut facts.shell.regions);
    }
    remote_in_ephemeral_ci(&mut facts);
    // SQL handed to database clients by any shell source goes to the sql layer.
    sql::extract_embedded(&mut facts);
    // Passwords in any shell of the file (scripts, CI steps, compose commands), and in CI
    // files' own YAML (`env:`, `variables:`).
    if let Some(parsed) = &yaml {
        secrets::from_ci_yaml(&mut facts, parsed);
    }
    secrets::from_shell(&mut facts);
    secrets::mask_sql_passwords(&mut facts);
    if matches!(kind, FileKind::Program | FileKind::AppCode) {
        secrets::mask_code_passwords(&mut facts);
    }
    if !options.password_variables.is_empty() {
        secrets::apply_password_variables(&mut facts, options.password_variables, yaml.as_ref());
    }
    finish(&mut facts);
    facts
}

impl FileFacts {
    /// Extract the facts of one file with default settings (tests, tools).
    pub fn extract(file: SourceFile, kind: FileKind, context: Context) -> FileFacts {
        extract(file, kind, context, &ExtractOptions::default())
    }
}

/// Turn layer problems into notices.
fn finish(facts: &mut FileFacts) {
    for (offset, message) in std::mem::take(&mut facts.shell.problems) {
        let line = facts.file.position(offset).line;
        facts
            .notices
            .push(Notice::file(&facts.file.path, NoticeKind::ParseError, message).at_line(line));
    }
    for (offset, message) in std::mem::take(&mut facts.sql.problems) {
        let line = facts.file.position(offset).line;
        facts.notices.push(
            Notice::file(&facts.file.path, NoticeKind::ParseError, message)
                .at_line(line)
                .info(),
        );
    }
}

fn is_prefix(words: &[String], seq: &[&str]) -> bool {
    words.iter().zip(seq).all(|(w, s)| w == s)
}

/// A command sent to another host from an ephemeral CI job (`ssh prod '… down -v'`,
/// `kubectl exec deploy/postgres -- psql …`) acts on that host, which outlives the job: it gets
/// the production context, not the job's.
fn remote_in_ephemeral_ci(facts: &mut FileFacts) {
    // A cluster the job makes itself (kind, minikube, k3d) goes with the runner.
    let own_cluster = facts.shell.commands.iter().any(|c| {
        let words: Vec<String> = c.argv.iter().map(|w| w.display()).collect();
        [
            &["kind", "create", "cluster"][..],
            &["k3d", "cluster", "create"],
            &["minikube", "start"],
        ]
        .iter()
        .any(|seq| words.len() >= seq.len() && is_prefix(&words, seq))
    }) || (facts.kind == FileKind::GithubWorkflow
        && ["helm/kind-action", "setup-minikube", "k3d-action"]
            .iter()
            .any(|a| facts.file.text.contains(a)));
    let remote = |via: &str| {
        via.starts_with("ssh ")
            || !own_cluster
                && ["kubectl exec ", "oc exec "]
                    .iter()
                    .any(|p| via.starts_with(p))
    };
    let spans: Vec<Span> = facts
        .shell
        .commands
        .iter()
        .filter(|c| c.via.iter().any(|v| remote(v)))
        .map(|c| c.span)
        .filter(|&span| facts.context_at(span) == Context::EphemeralCi)
        .collect();
    for span in spans {
        facts.regions.push(Region {
            span,
            context: Some(Context::Production),
            guard: None,
        });
    }
}
