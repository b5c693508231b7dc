//! `compose-down-volumes`: see rules/compose-down-volumes.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::analysis::targets;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::store::MountKind;
use crate::rules::Ctx;

pub(super) fn check(repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    for file in files.iter().filter(|f| f.kind.may_hold_shell()) {
        for command in &file.shell.commands {
            let Some(call) = crate::knowledge::docker::docker(command) else {
                continue;
            };
            if call.compose.is_none() || !call.is(&["down"]) {
                continue;
            }
            let Some(flag) = call.args.flag("volumes").filter(|f| f.is_on()) else {
                continue;
            };
            let program = command.argv[0].display();
            let shown = if program.ends_with("compose") {
                format!("{program} down {}", flag.word.display())
            } else {
                format!("{program} compose down {}", flag.word.display())
            };
            let project = targets::compose_project(repo, files, file, &call);
            let target_context =
                targets::compose_target_context(repo, files, &call, project.as_ref());
            // Named in the message when it is a test or local project, since that is what
            // lowers the level.
            let (whose, of_project) = match (target_context, call.compose_files().first()) {
                (Some(_), Some(name)) => (
                    format!("Compose project `{name}`'s"),
                    format!(", in Compose project `{name}`"),
                ),
                _ => ("project's".to_string(), String::new()),
            };
            // What `down -v` removes: the project's non-external named volumes and anonymous volumes.
            let mut lost = Vec::new();
            for service in project.iter().flat_map(|p| &p.services) {
                for data in &service.data {
                    let name = match data.kind {
                        MountKind::Named if !data.external => format!(
                            "volume `{}`",
                            data.docker_name
                                .clone()
                                .unwrap_or_else(|| data.source.clone())
                        ),
                        MountKind::Anonymous => {
                            format!("the anonymous volume at `{}`", data.target)
                        }
                        _ => continue,
                    };
                    lost.push((name, service, data));
                }
            }
            // No database and no volume at all (a web server and a cache): `-v` has nothing
            // persistent to remove.
            if lost.is_empty() && project.as_ref().is_some_and(nothing_to_delete) {
                continue;
            }
            if lost.is_empty()
                && let Some(kept) = project.as_ref().and_then(|p| data_kept(&p.services))
            {
                // Every database of the project keeps its data where `down -v` does not reach.
                cx.report_in(
                    &file.file.path,
                    command.span,
                    format!(
                        "`{shown}` deletes the {whose} named and anonymous volumes, but not its database data, which lies out of its reach: {kept}"
                    ),
                )
                .level(Level::Note);
                continue;
            }
            if lost.is_empty() {
                let finding = cx.report_in(
                    &file.file.path,
                    command.span,
                    format!(
                        "`{shown}` deletes the {whose} named and anonymous volumes, and with them any database data they hold"
                    ),
                );
                if let Some(context) = target_context {
                    finding.context(context);
                }
                continue;
            }
            let what: Vec<String> = lost
                .iter()
                .map(|(name, s, _)| {
                    format!(
                        "{name}, which holds the data of service `{}` ({})",
                        s.service, s.image
                    )
                })
                .collect();
            let finding = cx.report_in(
                &file.file.path,
                command.span,
                format!("`{shown}` deletes {}{of_project}", what.join("; and ")),
            );
            finding.level(Level::Error);
            if let Some(context) = target_context {
                finding.context(context);
            }
            for (name, service, data) in &lost {
                match &data.declaration {
                    Some((path, span)) => {
                        finding.related(path, *span, format!("{name} declared here"));
                    }
                    None => {
                        finding.related(
                            &data.path,
                            data.span,
                            format!("{name} mounted here by service `{}`", service.service),
                        );
                    }
                }
            }
        }
    }
}

/// The project has no stateful service and neither declares nor mounts a named or anonymous
/// volume: `down -v` removes nothing that `down` would not.
fn nothing_to_delete(project: &crate::analysis::repo::ComposeProject) -> bool {
    project.services.is_empty()
        && project.model.volumes.is_empty()
        && project.model.services.iter().all(|s| {
            s.mounts
                .iter()
                .all(|m| !matches!(m.kind, MountKind::Named | MountKind::Anonymous))
        })
}

/// Where each stateful service keeps its data, when all of it is out of `down -v`'s reach
/// (external volumes, bind mounts); `None` when any service has data `down -v` can remove, or
/// none declared (the image's anonymous volume).
fn data_kept(services: &[crate::analysis::repo::StatefulService]) -> Option<String> {
    let mut kept = Vec::new();
    for service in services {
        if service.data.is_empty() {
            return None;
        }
        for data in &service.data {
            let place = match data.kind {
                MountKind::Named if data.external => format!(
                    "external volume `{}`",
                    data.docker_name.as_deref().unwrap_or(&data.source)
                ),
                MountKind::Bind => format!("host directory `{}`", data.source),
                _ => return None,
            };
            kept.push(format!(
                "service `{}` ({}) keeps it in {place}",
                service.service, service.image
            ));
        }
    }
    (!kept.is_empty()).then(|| kept.join("; "))
}
