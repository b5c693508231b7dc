//! `kubectl-delete-data`: see rules/kubectl-delete-data.toml for what/why/fix.

use crate::analysis::infra::database_workloads;
use crate::analysis::kube_delete::{self, Loss, workload};
use crate::analysis::repo::RepoFacts;
use crate::analysis::runs::earlier_in_same_run;
use crate::knowledge::infra_cli::{self, HelmCall};
use crate::levels::{Context, Level};
use crate::model::FileFacts;
use crate::model::command::Command;
use crate::rules::Ctx;

/// How many deleted objects a message names; the rest are counted.
const MAX_NAMED: usize = 4;

pub(super) fn check(_repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    let dbs = database_workloads(files);
    for file in files.iter().filter(|f| f.kind.may_hold_shell()) {
        for (i, command) in file.shell.commands.iter().enumerate() {
            let (written, losses) = if let Some(call) = infra_cli::kubectl_delete(command) {
                (
                    call.written.clone(),
                    kube_delete::kubectl(files, &dbs, file, command, &call),
                )
            } else if let Some(HelmCall::Uninstall { releases, .. }) = infra_cli::helm(command) {
                (
                    format!("helm uninstall {}", releases.join(" ")),
                    kube_delete::helm(files, file, &dbs, &releases),
                )
            } else {
                continue;
            };
            if losses.is_empty() {
                continue;
            }
            report(file, i, command, &written, &losses, cx);
        }
    }
}

fn report(
    file: &FileFacts,
    at: usize,
    command: &Command,
    written: &str,
    losses: &[Loss],
    cx: &mut Ctx,
) {
    let mut named: Vec<String> = losses
        .iter()
        .take(MAX_NAMED)
        .map(|l| match &l.db {
            Some((_, w)) if !l.names_db => {
                format!("{}, where {} keeps its data", l.what, workload(w))
            }
            _ => l.what.clone(),
        })
        .collect();
    if losses.len() > MAX_NAMED {
        named.push(format!("{} more", losses.len() - MAX_NAMED));
    }
    let finding = cx.report_in(
        &file.file.path,
        command.span,
        format!("`{written}` deletes {}", named.join("; and ")),
    );
    finding.remote();
    let mut linked: Vec<(&str, crate::source::Span)> = Vec::new();
    for (path, w) in losses.iter().filter_map(|l| l.db) {
        finding.level(Level::Error);
        if linked.len() == MAX_NAMED || linked.contains(&(path, w.name.span)) {
            continue;
        }
        linked.push((path, w.name.span));
        finding.related(
            path,
            w.name.span,
            format!("{} `{}` runs the database here", w.kind, w.name.value),
        );
    }
    // A cluster created earlier in the same job or script is a throwaway one.
    let cluster = earlier_in_same_run(file, at)
        .into_iter()
        .find(|c| infra_cli::creates_throwaway_cluster(c));
    if let Some(cluster) = cluster {
        let context = match file.context_at(command.span) {
            Context::EphemeralCi => Context::EphemeralCi,
            _ => Context::Local,
        };
        finding.context(context);
        finding.related(
            &file.file.path,
            cluster.span,
            "a throwaway cluster is created here, earlier in the same run",
        );
    }
}
