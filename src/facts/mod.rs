//! Facts: syntax trees → small typed facts with spans in host-file coordinates. This is the only
//! layer that knows tree-sitter and sqlparser node kinds; rules read facts, never trees.
//!
//! `FileFacts::extract` dispatches on the file's kind. Per-file facts are combined into
//! [`repo::RepoFacts`] for rules that need the whole repository.

pub mod backup;
pub mod ci;
pub mod cli;
pub mod compose;
pub mod cron;
pub mod dotenv;
pub mod makefile;
pub mod markdown;
pub mod repo;
pub mod secrets;
pub mod shell;
pub mod sql;
pub mod stateful;
pub mod systemd;
pub mod targets;
pub mod yaml;

use crate::classify::FileKind;
use crate::levels::Context;
use crate::notice::{Notice, NoticeKind};
use crate::source::{OffsetMap, SourceFile, Span};

/// A part of a file that is in a different context than the file (a Markdown fence, a CI job on a
/// hosted runner, a goose `Down` section) or that only runs behind a guard.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Region {
    pub span: Span,
    pub context: Option<Context>,
    /// Words naming the guard ("an interactive confirmation", "the CONFIRM_DESTROY_DB check").
    pub guard: Option<String>,
}

/// Everything known about one file.
#[derive(Debug)]
pub struct FileFacts {
    pub file: SourceFile,
    pub kind: FileKind,
    /// The file's context, by its path.
    pub context: Context,
    pub regions: Vec<Region>,
    pub shell: shell::ShellFacts,
    pub sql: sql::SqlFacts,
    pub compose: Option<compose::ComposeFile>,
    /// Spans of secret values (passwords) found in the file: masked in every output.
    pub secrets: Vec<Span>,
    /// Database credentials written in the file (values never kept; spans are in `secrets`).
    pub credentials: Vec<secrets::Credential>,
    /// Entries of a dotenv file (`FileKind::DotEnv`).
    pub dotenv: Vec<compose::EnvEntry>,
    /// A GitHub Actions workflow's `needs:` per job (the jobs that ran to success first).
    pub job_needs: std::collections::BTreeMap<String, Vec<String>>,
    pub notices: Vec<Notice>,
}

impl FileFacts {
    /// Extract the facts of one file. Never panics on input (the caller still catches panics).
    pub fn extract(file: SourceFile, kind: FileKind, context: Context) -> FileFacts {
        FileFacts::extract_with_dialect(file, kind, context, None)
    }

    /// [`FileFacts::extract`], with the SQL dialect fixed by a per-path setting.
    pub fn extract_with_dialect(
        file: SourceFile,
        kind: FileKind,
        context: Context,
        sql_dialect: Option<sql::SqlDialect>,
    ) -> FileFacts {
        let mut facts = FileFacts {
            file,
            kind,
            context,
            regions: Vec::new(),
            shell: shell::ShellFacts::default(),
            sql: sql::SqlFacts::default(),
            compose: None,
            secrets: Vec::new(),
            credentials: Vec::new(),
            dotenv: Vec::new(),
            job_needs: Default::default(),
            notices: Vec::new(),
        };
        // CI files' YAML, parsed once by the CI layer and read again by the secrets layer.
        let mut ci_yaml = None;
        match kind {
            FileKind::Shell => {
                let text = facts.file.text.clone();
                facts.shell.add_source(
                    &text,
                    &OffsetMap::verbatim(0, text.len()),
                    shell::ShellOrigin::Script,
                );
            }
            FileKind::Sql => {
                facts.sql.dialect_setting = sql_dialect;
                sql::extract_file(&mut facts);
            }
            FileKind::Compose | FileKind::Yaml => compose::extract_file(&mut facts),
            FileKind::DotEnv => {
                facts.dotenv = dotenv::entries(&facts.file.text);
                if !secrets::is_env_template(&facts.file.path) {
                    let entries = facts.dotenv.clone();
                    secrets::from_env_entries(&mut facts, &entries, &secrets::Origin::DotEnv);
                }
            }
            FileKind::GithubWorkflow => ci_yaml = Some(ci::extract_github(&mut facts)),
            FileKind::GitlabCi => ci_yaml = Some(ci::extract_gitlab(&mut facts)),
            FileKind::Makefile => makefile::extract(&mut facts),
            FileKind::Markdown => markdown::extract(&mut facts),
            FileKind::Crontab => cron::extract(&mut facts),
            FileKind::Systemd => systemd::extract(&mut facts),
        }
        // Cron lines fed to `crontab -` by any shell source become scheduled commands.
        backup::cron::extract_crontab_feeds(&mut facts);
        facts.regions.append(&mut facts.shell.regions);
        remote_in_ephemeral_ci(&mut facts);
        // SQL handed to database clients by any shell source goes to the sql layer.
        sql::extract_embedded(&mut facts);
        // Passwords in any shell of the file (scripts, CI steps, compose commands), and in CI
        // files' own YAML (`env:`, `variables:`).
        if let Some(parsed) = &ci_yaml {
            secrets::from_ci_yaml(&mut facts, parsed);
        }
        secrets::from_shell(&mut facts);
        facts.finish();
        facts
    }

    /// Turn layer problems into notices.
    fn finish(&mut self) {
        for (offset, message) in std::mem::take(&mut self.shell.problems) {
            let line = self.file.position(offset).line;
            self.notices
                .push(Notice::file(&self.file.path, NoticeKind::ParseError, message).at_line(line));
        }
        for (offset, message) in std::mem::take(&mut self.sql.problems) {
            let line = self.file.position(offset).line;
            self.notices.push(
                Notice::file(&self.file.path, NoticeKind::ParseError, message)
                    .at_line(line)
                    .info(),
            );
        }
    }

    /// The file's text with every secret value replaced by `*` (byte length kept, so spans hold).
    pub fn redacted_text(&self) -> String {
        if self.secrets.is_empty() {
            return self.file.text.clone();
        }
        let mut bytes = self.file.text.clone().into_bytes();
        for span in &self.secrets {
            let end = span.end().min(bytes.len());
            for b in &mut bytes[span.start().min(end)..end] {
                // Keep UTF-8 valid: continuation bytes become `*` too, as every byte does.
                *b = b'*';
            }
        }
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The context at a byte offset: the innermost region that sets one, else the file's.
    pub fn context_at(&self, span: Span) -> Context {
        self.regions
            .iter()
            .filter(|r| r.context.is_some() && r.span.contains(span))
            .min_by_key(|r| r.span.len())
            .and_then(|r| r.context)
            .unwrap_or(self.context)
    }

    /// The guard around a span, if any.
    pub fn guard_at(&self, span: Span) -> Option<&str> {
        self.regions
            .iter()
            .filter(|r| r.guard.is_some() && r.span.contains(span))
            .min_by_key(|r| r.span.len())
            .and_then(|r| r.guard.as_deref())
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
