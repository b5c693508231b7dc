//! Rules: the registry (one line per rule), rule metadata read from `rules/<id>.toml`, the `Ctx`
//! a rule reports through (it binds the rule id), and `Finding`.
//!
//! A rule is a pure function over facts: no I/O, no printing, no parser node kinds. Levels move
//! with context and guards in one place (`crate::levels`), not in rules.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::analysis::repo::RepoFacts;
use crate::classify::FileKind;
use crate::levels::{Context, Level};
use crate::model::FileFacts;
use crate::source::Span;

/// How a rule runs: once per file (with the repository's facts at hand) or once per repository.
#[derive(Clone, Copy)]
pub enum Check {
    File(fn(&FileFacts, &RepoFacts, &mut Ctx)),
    Repo(fn(&RepoFacts, &[FileFacts], &mut Ctx)),
    /// Runs after every other rule, with their findings (level-resolved, before suppressions):
    /// for rules about other findings (is there a backup before this destructive step?).
    Post(fn(&RepoFacts, &[FileFacts], &[Finding], &mut Ctx)),
    /// Reported by the engine itself (suppression bookkeeping).
    Engine,
}

/// A registered rule: its id, its metadata file and its check.
pub struct RuleDef {
    pub id: &'static str,
    pub toml: &'static str,
    pub check: Check,
}

// One module per rule, declared here (not inside the macro) so that rustfmt and readers see them.
mod alter_column_type;
mod compose_down_volumes;
mod data_dir_delete;
mod db_anonymous_volume;
mod db_backups_disabled;
mod db_deletion_protection_off;
mod db_port_public;
mod db_reset_command;
mod db_trust_auth;
mod db_without_volume;
mod destructive_without_backup;
mod docker_volume_remove;
mod drop_column;
mod drop_database;
mod drop_schema;
mod drop_table;
mod hardcoded_db_password;
mod infra_destroy_command;
mod kubectl_delete_data;
mod no_backup_strategy;
mod orm_auto_schema;
mod rename_column;
mod rename_table;
mod schema_push_data_loss;
mod truncate_table;
mod unbounded_delete;
mod unbounded_update;

macro_rules! rules {
    ($($id:literal => $kind:ident $(($module:ident))?),* $(,)?) => {
        /// Every rule, in the stable order used for SARIF `ruleIndex`.
        pub static RULES: &[RuleDef] = &[
            $(RuleDef {
                id: $id,
                toml: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $id, ".toml")),
                check: rules!(@check $kind $($module)?),
            }),*
        ];
    };
    (@check File $module:ident) => { Check::File($module::check) };
    (@check Repo $module:ident) => { Check::Repo($module::check) };
    (@check Post $module:ident) => { Check::Post($module::check) };
    (@check Engine) => { Check::Engine };
}

rules! {
    "compose-down-volumes" => Repo(compose_down_volumes),
    "docker-volume-remove" => Repo(docker_volume_remove),
    "data-dir-delete" => File(data_dir_delete),
    "drop-database" => File(drop_database),
    "drop-schema" => File(drop_schema),
    "drop-table" => File(drop_table),
    "truncate-table" => File(truncate_table),
    "unbounded-delete" => File(unbounded_delete),
    "unbounded-update" => File(unbounded_update),
    "drop-column" => File(drop_column),
    "rename-column" => File(rename_column),
    "rename-table" => File(rename_table),
    "alter-column-type" => Repo(alter_column_type),
    "hardcoded-db-password" => File(hardcoded_db_password),
    "db-without-volume" => File(db_without_volume),
    "db-anonymous-volume" => File(db_anonymous_volume),
    "db-port-public" => File(db_port_public),
    "db-trust-auth" => File(db_trust_auth),
    "db-reset-command" => Repo(db_reset_command),
    "schema-push-data-loss" => Repo(schema_push_data_loss),
    "orm-auto-schema" => File(orm_auto_schema),
    "db-deletion-protection-off" => File(db_deletion_protection_off),
    "db-backups-disabled" => File(db_backups_disabled),
    "destructive-without-backup" => Post(destructive_without_backup),
    "no-backup-strategy" => Repo(no_backup_strategy),
    "kubectl-delete-data" => Repo(kubectl_delete_data),
    "infra-destroy-command" => Repo(infra_destroy_command),
    "unused-suppression" => Engine,
}

/// The id under which unused and unknown suppressions are reported.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

/// A rule's metadata and documentation, from `rules/<id>.toml`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleMeta {
    pub id: String,
    pub pack: String,
    pub severity: Level,
    pub applies_to: Vec<String>,
    pub summary: String,
    pub help: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// SARIF `precision`: very-high, high, medium or low.
    pub precision: String,
    /// GitHub's `security-severity`, as a string ("8.0").
    pub security_severity: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Whether a guard (a confirmation, an opt-in check) lowers the rule's findings one level.
    /// `false` for rules about what a confirmation cannot undo (no backup before a drop).
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub guards_lower: bool,
    pub explanation: String,
}

fn yes() -> bool {
    true
}

fn is_yes(value: &bool) -> bool {
    *value
}

impl RuleMeta {
    pub fn applies_to_kind(&self, kind: FileKind) -> bool {
        self.applies_to.iter().any(|k| k == kind.as_str())
    }
}

/// The packs rules belong to (selectable by name).
pub const PACKS: &[&str] = &[
    "shell",
    "sql",
    "compose",
    "backup",
    "framework",
    "infra",
    "meta",
];

/// Every rule's metadata, parsed once. An error names the file that is wrong.
pub fn metadata() -> Result<&'static [RuleMeta], String> {
    static META: OnceLock<Result<Vec<RuleMeta>, String>> = OnceLock::new();
    META.get_or_init(|| {
        RULES
            .iter()
            .map(|def| {
                let meta: RuleMeta =
                    toml::from_str(def.toml).map_err(|e| format!("rules/{}.toml: {e}", def.id))?;
                if meta.id != def.id {
                    return Err(format!(
                        "rules/{}.toml: `id = \"{}\"` does not match its file name",
                        def.id, meta.id
                    ));
                }
                Ok(meta)
            })
            .collect()
    })
    .as_ref()
    .map(Vec::as_slice)
    .map_err(Clone::clone)
}

/// Find a rule by id or alias.
pub fn lookup(id: &str) -> Option<&'static RuleMeta> {
    let meta = metadata().ok()?;
    meta.iter()
        .find(|m| m.id == id || m.aliases.iter().any(|a| a == id))
}

/// A location in another place that explains a finding (the volume a `down -v` deletes).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Related {
    pub path: String,
    pub span: Span,
    pub message: String,
}

/// One finding: a rule, a level, a place and a message. Findings are data, not errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub level: Level,
    pub path: String,
    pub span: Span,
    pub message: String,
    /// A finding-specific help text; the rule's help otherwise.
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// The context the finding was resolved in.
    pub context: Context,
    /// A guard that lowered the level, named.
    pub guard: Option<String>,
    /// The justification when an inline suppression matched.
    pub suppressed: Option<String>,
    /// The scanner's own stable fingerprint (for baselines).
    pub fingerprint: String,
    /// The command acts on something outside the machine it runs on (a cloud database, a
    /// Kubernetes cluster): a CI job's hosted runner being thrown away changes nothing.
    #[serde(skip)]
    pub remote: bool,
}

impl Finding {
    /// Set the level before context and guards are applied (e.g. raise to error when facts prove data is at stake).
    pub fn level(&mut self, level: Level) -> &mut Self {
        self.level = level;
        self
    }

    pub fn related(&mut self, path: &str, span: Span, message: impl Into<String>) -> &mut Self {
        self.related.push(Related {
            path: path.to_string(),
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// A guard (confirmation prompt, opt-in variable) that lowers the level one step.
    pub fn guard(&mut self, guard: impl Into<String>) -> &mut Self {
        self.guard = Some(guard.into());
        self
    }

    /// The command acts on remote infrastructure: an ephemeral CI job does not make it a note.
    pub fn remote(&mut self) -> &mut Self {
        self.remote = true;
        self
    }

    /// Override the context (e.g. a repo rule reporting in a file of another context).
    pub fn context(&mut self, context: Context) -> &mut Self {
        self.context = context;
        self
    }
}

/// What a rule reports through. It binds the rule id and the file being checked.
pub struct Ctx<'a> {
    rule: &'static str,
    default_level: Level,
    path: &'a str,
    findings: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    pub fn new(rule: &'static str, default_level: Level, path: &'a str) -> Self {
        Ctx {
            rule,
            default_level,
            path,
            findings: Vec::new(),
        }
    }

    pub fn default_level(&self) -> Level {
        self.default_level
    }

    /// Report a finding at `span` of the file being checked, at the rule's default level.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        let path = self.path.to_string();
        self.report_in(&path, span, message)
    }

    /// Report in a given file (repository rules).
    pub fn report_in(
        &mut self,
        path: &str,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding {
            rule: self.rule,
            level: self.default_level,
            path: path.to_string(),
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
            context: Context::Production,
            guard: None,
            suppressed: None,
            fingerprint: String::new(),
            remote: false,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
