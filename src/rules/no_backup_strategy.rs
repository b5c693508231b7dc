//! `no-backup-strategy`: see rules/no-backup-strategy.toml for what/why/fix.

use crate::analysis::backup;
use crate::analysis::backup::dump_example;
use crate::analysis::backup::dump_tool_of;
use crate::analysis::backup::family_covers;
use crate::analysis::backup::path::Analysis;
use crate::analysis::repo::RepoFacts;
use crate::levels::Context;
use crate::model::FileFacts;
use crate::rules::Ctx;

pub(super) fn check(repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    let services = backup::data_services(repo, files);
    if services.is_empty() {
        return;
    }
    let analysis = Analysis::new(files, &repo.backup_catalog);
    let mechanisms = analysis.mechanisms();
    // Backup sidecars: a service of a Compose file that is not a test, local or docs file.
    let mut sidecars: Vec<Vec<String>> = Vec::new();
    for file in files {
        if matches!(file.context, Context::Test | Context::Docs | Context::Local) {
            continue;
        }
        let Some(compose) = &file.compose else {
            continue;
        };
        for service in &compose.services {
            // The application's own image started as its backup job (`command: ["zammad-backup"]`,
            // `command: /usr/local/bin/backup.sh`): a sidecar, whatever the image.
            let program = service
                .argv()
                .first()
                .map(|p| p.rsplit('/').next().unwrap_or(p));
            if service.stateful.is_none() && program.is_some_and(backup::name_says_backup) {
                sidecars.push(Vec::new());
                continue;
            }
            let Some(image) = &service.image else {
                continue;
            };
            if let Some(families) = repo.backup_catalog.sidecar(&image.value) {
                sidecars.push(families.to_vec());
            }
        }
    }
    for service in &services {
        let in_production = files
            .iter()
            .find(|f| f.file.path == service.path)
            .is_some_and(|f| f.context_at(service.name_span) == Context::Production);
        if service.context != Context::Production || !in_production {
            continue;
        }
        let by_step = mechanisms
            .iter()
            .any(|m| family_covers(m.family.as_deref(), &service.family));
        let by_sidecar = sidecars.iter().any(|families| {
            families.is_empty()
                || families
                    .iter()
                    .any(|f| family_covers(Some(f), &service.family))
        });
        if by_step || by_sidecar {
            continue;
        }
        let tool = if service.dump_tool.is_empty() {
            dump_tool_of(&service.family)
        } else {
            service.dump_tool.as_str()
        };
        let image = service
            .image
            .as_deref()
            .map_or(String::new(), |i| format!(" ({i})"));
        let finding = cx.report_in(
            &service.path,
            service.name_span,
            format!(
                "Service `{}`{image} keeps its data in {}, and nothing in the repository backs it up: no `{tool}` or other backup step in any script, Makefile, CI workflow, cron entry or systemd unit, and no backup sidecar service",
                service.name, service.storage
            ),
        )
        .help(format!(
            "Schedule a backup of `{}` (cron, a systemd timer or a CI schedule running `{}`) or add a backup sidecar service, copy the backups off the host, and test restoring them",
            service.name,
            dump_example(tool)
        ));
        if let Some((path, span)) = &service.storage_at {
            finding.related(
                path,
                *span,
                format!("the data of `{}` lives here", service.name),
            );
        }
    }
}
