//! `compose-down-volumes`: see rules/compose-down-volumes.toml for what/why/fix.

use super::Ctx;
use crate::facts::FileFacts;
use crate::facts::cli;
use crate::facts::compose::MountKind;
use crate::facts::repo::RepoFacts;
use crate::facts::targets;
use crate::levels::Level;

pub(super) fn check(repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    for file in files.iter().filter(|f| f.kind.may_hold_shell()) {
        for command in &file.shell.commands {
            let Some(call) = cli::docker(command) else {
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
            // What `down -v` removes: the project's non-external named volumes and anonymous volumes.
            let mut lost = Vec::new();
            for service in project.iter().flat_map(|p| &p.services) {
                for data in &service.data {
                    let name = match data.kind {
                        MountKind::Named if !data.external => format!(
                            "volume `{}`",
                            data.docker_name.clone().unwrap_or_else(|| data.source.clone())
                        ),
                        MountKind::Anonymous => {
                            format!("the anonymous volume at `{}`", data.target)
                        }
                        _ => continue,
                    };
                    lost.push((name, service, data));
                }
            }
            if lost.is_empty() {
                cx.report_in(
                    &file.file.path,
                    command.span,
                    format!(
                        "`{shown}` deletes the project's named and anonymous volumes, and with them any database data they hold"
                    ),
                );
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
                format!("`{shown}` deletes {}", what.join("; and ")),
            );
            finding.level(Level::Error);
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
