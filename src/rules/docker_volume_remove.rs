//! `docker-volume-remove`: see rules/docker-volume-remove.toml for what/why/fix.

use crate::analysis::repo::DataLocation;
use crate::analysis::repo::RepoFacts;
use crate::analysis::repo::StatefulService;
use crate::analysis::targets;
use crate::knowledge::docker::DockerCall;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::command::Piece;
use crate::model::command::Word;
use crate::model::store::MountKind;
use crate::rules::Ctx;

pub(super) fn check(repo: &RepoFacts, files: &[FileFacts], cx: &mut Ctx) {
    for file in files.iter().filter(|f| f.kind.may_hold_shell()) {
        // The project names the file runs compose under, worked out once per file.
        let used = std::cell::OnceCell::new();
        for command in &file.shell.commands {
            let Some(call) = crate::knowledge::docker::docker(command) else {
                continue;
            };
            if call.is(&["volume", "rm"]) || call.is(&["volume", "remove"]) {
                volume_rm(repo, file, &call, &used, cx);
                continue;
            }
            if call.compose.is_some() && call.is(&["rm"]) && call.args.is_on("volumes") {
                compose_rm(repo, files, file, &call, cx);
                continue;
            }
            let Some(message) = describe(&call) else {
                continue;
            };
            cx.report_in(&file.file.path, command.span, message);
        }
    }
}

/// `docker volume rm NAME…`: an error when a name is a stateful service's data volume.
fn volume_rm(
    repo: &RepoFacts,
    file: &FileFacts,
    call: &DockerCall,
    used: &std::cell::OnceCell<Vec<String>>,
    cx: &mut Ctx,
) {
    let program = call.command.argv[0].display();
    let words: Vec<&Word> = call
        .args
        .positionals
        .iter()
        .copied()
        .filter(|w| !w.literal().is_some_and(|l| placeholder(&l)))
        .collect();
    if words.is_empty() && !call.args.positionals.is_empty() {
        // `docker volume rm <volume_name>` in a runbook: a name to fill in, not a volume.
        return;
    }
    let names: Vec<String> = words
        .iter()
        .map(|w| format!("`{}`", written(file, w)))
        .collect();
    if names.is_empty() {
        // `docker volume ls -q | xargs docker volume rm`: the names come from the pipe.
        if call.command.via.iter().any(|v| v == "xargs") {
            cx.report_in(
                &file.file.path,
                call.command.span,
                format!(
                    "`xargs {program} volume rm` permanently deletes every volume piped into it"
                ),
            );
        }
        return;
    }
    let mut hits = Vec::new();
    let mut renamed: Vec<String> = Vec::new();
    for word in words {
        // A name made only of expansions (`"$1"`, `$(docker volume ls -q)`) could be anything.
        let has_literal = word
            .pieces
            .iter()
            .any(|p| matches!(p, Piece::Lit(s) if !s.is_empty()));
        if !has_literal {
            continue;
        }
        for (_, service, data) in repo.volumes_matching(word) {
            hits.push((written(file, word), service, data));
        }
        // `docker compose -p legacy down` earlier in the script: `legacy_pgdata` is the
        // repository's `pgdata` volume under the name the script runs the project with.
        if hits.iter().all(|(w, _, _)| *w != written(file, word)) {
            let used = used.get_or_init(|| targets::project_names_used(file));
            for (_, service, data) in repo.volumes_under_project_names(word, used) {
                hits.push((written(file, word), service, data));
                renamed.push(written(file, word));
            }
        }
        // A project whose name the repository does not fix (compose uses the directory name):
        // `${COMPOSE_PROJECT_NAME}_pgdata` can still be its `<project>_pgdata` volume.
        if word.literal().is_none() {
            for project in &repo.projects {
                for service in &project.services {
                    for data in &service.data {
                        let unnamed = data.kind == MountKind::Named
                            && data.docker_name.is_none()
                            && !data.external;
                        // Any project name: the placeholder only has to be non-empty.
                        if unnamed && word.could_be(&format!("project_{}", data.source)) {
                            hits.push((written(file, word), service, data));
                        }
                    }
                }
            }
        }
    }
    nearest_only(&file.file.path, &mut hits);
    if hits.is_empty() {
        let (noun, them) = if names.len() == 1 {
            ("volume", "it")
        } else {
            ("volumes", "them")
        };
        cx.report_in(
            &file.file.path,
            call.command.span,
            format!(
                "`{program} volume rm` permanently deletes {noun} {} and every file in {them}",
                names.join(", ")
            ),
        );
        return;
    }
    let mut what: Vec<String> = hits
        .iter()
        .map(|(word, s, d)| {
            let resolved = d
                .docker_name
                .clone()
                .unwrap_or_else(|| format!("<project>_{}", d.source));
            let name = if *word == resolved || renamed.contains(word) {
                format!("`{word}`")
            } else {
                format!("`{word}` (`{resolved}`)")
            };
            format!(
                "volume {name}, which holds the data of service `{}` ({})",
                s.service, s.image
            )
        })
        .collect();
    // The same volume of the same service, declared by several files of one project, once.
    let mut seen = std::collections::BTreeSet::new();
    what.retain(|w| seen.insert(w.clone()));
    let more = match what.len().saturating_sub(MAX_NAMED) {
        0 => String::new(),
        n => format!("; and {n} more volumes of the repository's services"),
    };
    let finding = cx.report_in(
        &file.file.path,
        call.command.span,
        format!(
            "`{program} volume rm` permanently deletes {}{more}",
            what[..what.len().min(MAX_NAMED)].join("; and ")
        ),
    );
    finding.level(Level::Error);
    for (_, service, data) in hits.iter().take(MAX_NAMED) {
        match &data.declaration {
            Some((path, span)) => {
                finding.related(
                    path,
                    *span,
                    format!("volume `{}` declared here", data.source),
                );
            }
            None => {
                finding.related(
                    &data.path,
                    data.span,
                    format!("mounted here by service `{}`", service.service),
                );
            }
        }
    }
}

/// A volume name written as a placeholder: one Docker would refuse (`<volume_name>`, `<卷名>`,
/// `{volume}`: a volume name is made of `[a-zA-Z0-9_.-]`, starting with a letter or digit), or
/// the all-capitals spelling runbooks use for a value to fill in (`VOLUME_NAME`).
fn placeholder(name: &str) -> bool {
    let valid = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    let capitals = name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    !valid || capitals
}

/// How many matched volumes a message names and links; the rest are counted.
const MAX_NAMED: usize = 5;

/// When a name matches volumes of several Compose files (a monorepo whose projects all keep a
/// `pgdata` volume), the script means the ones nearest to it: keep the matches whose Compose
/// file shares the most leading directories with the script.
fn nearest_only(script: &str, hits: &mut Vec<(String, &StatefulService, &DataLocation)>) {
    let dirs = |path: &str| -> Vec<String> {
        let mut parts: Vec<String> = path.split('/').map(str::to_string).collect();
        parts.pop();
        parts
    };
    let own = dirs(script);
    let shared = |path: &str| {
        own.iter()
            .zip(dirs(path))
            .take_while(|(a, b)| *a == b)
            .count()
    };
    let Some(best) = hits.iter().map(|h| shared(&h.2.path)).max() else {
        return;
    };
    hits.retain(|h| shared(&h.2.path) == best);
}

/// A volume name as the reader wrote it: its value when known, else its text in the file
/// (`${{ env.VOLUME }}_pgdata` rather than the stand-in the shell layer parsed).
fn written(file: &FileFacts, word: &Word) -> String {
    if word.literal().is_some() {
        return word.display();
    }
    let text = file.masked(word.span);
    let text = text.trim_matches(['"', '\'']);
    if text.len() < 2 {
        word.display()
    } else {
        text.to_string()
    }
}

/// `docker compose rm -v`: removes the anonymous volumes of the services it names (all of them
/// when it names none). An error when one of them is where a stateful service keeps its data
/// (a declared anonymous volume, or the image's own volume when the service mounts nothing
/// there); not reported when the project shows nothing those volumes could hold (stateless
/// services, a Redis cache, data kept in named volumes or bind mounts, which `rm -v` leaves).
fn compose_rm(
    repo: &RepoFacts,
    files: &[FileFacts],
    file: &FileFacts,
    call: &DockerCall,
    cx: &mut Ctx,
) {
    let program = call.command.argv[0].display();
    let program = if program.ends_with("compose") {
        program
    } else {
        format!("{program} compose")
    };
    let project = targets::compose_project(repo, files, file, call);
    let named: Vec<String> = call
        .args
        .positionals
        .iter()
        .map(|w| w.literal())
        .collect::<Option<_>>()
        .unwrap_or_else(|| vec!["$".to_string()]);
    let Some(project) = project.filter(|p| named.iter().all(|n| p.model.service(n).is_some()))
    else {
        cx.report_in(
            &file.file.path,
            call.command.span,
            format!("`{program} rm -v` deletes the anonymous volumes of the removed containers, with any data they hold"),
        );
        return;
    };
    let removed = |service: &str| named.is_empty() || named.iter().any(|n| n == service);
    let mut lost: Vec<(String, &StatefulService, Option<&DataLocation>)> = Vec::new();
    for s in project.services.iter().filter(|s| removed(&s.service)) {
        let declared: Vec<&DataLocation> = s
            .data
            .iter()
            .filter(|d| d.kind == MountKind::Anonymous)
            .collect();
        for d in &declared {
            lost.push((
                format!(
                    "the anonymous volume at `{}` of service `{}` ({})",
                    d.target, s.service, s.image
                ),
                s,
                Some(*d),
            ));
        }
        // Nothing mounted at the data directory: the data is in the volume the image declares.
        if s.data.is_empty() {
            let dir = project
                .model
                .service(&s.service)
                .and_then(|m| m.stateful.as_ref())
                .and_then(|st| st.data_dirs.first())
                .map_or(String::new(), |d| format!(" at `{d}`"));
            lost.push((
                format!(
                    "the anonymous volume{dir} that the image of service `{}` ({}) creates",
                    s.service, s.image
                ),
                s,
                None,
            ));
        }
    }
    if lost.is_empty() {
        // Stateless services (or data in named volumes and bind mounts) lose nothing to `-v`
        // unless they mount an anonymous volume of their own.
        let own_anonymous = project
            .model
            .services
            .iter()
            .filter(|s| removed(&s.name.value))
            .any(|s| s.mounts.iter().any(|m| m.kind == MountKind::Anonymous));
        if own_anonymous {
            cx.report_in(
                &file.file.path,
                call.command.span,
                format!("`{program} rm -v` deletes the anonymous volumes of the removed containers, with any data they hold"),
            );
        }
        return;
    }
    let what: Vec<String> = lost.iter().map(|(name, _, _)| name.clone()).collect();
    // `reset_redis.sh` removing the cache it is named after: resetting it is the point.
    let purpose = match lost.as_slice() {
        [(_, only, _)]
            if !crate::knowledge::stateful::is_database_family(&only.family)
                && resets_by_name(&file.file.path, &only.service) =>
        {
            format!(
                " (reported as a note: the script is named for resetting service `{}`, which is not a database)",
                only.service
            )
        }
        _ => String::new(),
    };
    let keeper = if lost
        .iter()
        .all(|(_, s, _)| crate::knowledge::stateful::is_database_family(&s.family))
    {
        "database"
    } else {
        "service"
    };
    let finding = cx.report_in(
        &file.file.path,
        call.command.span,
        format!(
            "`{program} rm -v` deletes {}, where the {keeper} keeps its data{purpose}",
            what.join(" and ")
        ),
    );
    finding.level(if purpose.is_empty() {
        Level::Error
    } else {
        Level::Note
    });
    for (_, s, d) in &lost {
        match d {
            Some(d) => finding.related(
                &d.path,
                d.span,
                format!("anonymous data volume of service `{}`", s.service),
            ),
            None => finding.related(
                &s.path,
                s.span,
                format!(
                    "service `{}` mounts no volume at its data directory",
                    s.service
                ),
            ),
        };
    }
}

/// Words of a script name that say it resets what it names (`reset_redis.sh`, `flush-cache`).
const RESET_WORDS: &[&str] = &[
    "reset", "clean", "clear", "flush", "wipe", "purge", "recreate",
];

/// The script's file name says it resets `service` (`reset_redis.sh`, `redis-flush.sh`).
fn resets_by_name(path: &str, service: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let words = crate::levels::name_words(name);
    let service = crate::levels::name_words(service);
    !service.is_empty()
        && words
            .windows(service.len())
            .any(|w| w == service.as_slice())
        && words.iter().any(|w| RESET_WORDS.contains(&w.as_str()))
}

/// What the call removes, or `None` when it removes no volume.
fn describe(call: &DockerCall) -> Option<String> {
    let program = call.command.argv[0].display();
    if call.compose.is_some() {
        return None;
    }
    if call.is(&["volume", "prune"]) {
        let scope = if call.args.is_on("all") {
            "every volume not used by a running container"
        } else {
            "every anonymous volume not used by a running container"
        };
        return Some(format!(
            "`{program} volume prune` deletes {scope}, including a stopped database's data"
        ));
    }
    if call.is(&["system", "prune"]) && call.args.is_on("volumes") {
        return Some(format!(
            "`{program} system prune --volumes` deletes every volume not used by a running container, including a stopped database's data"
        ));
    }
    if (call.is(&["rm"]) || call.is(&["container", "rm"]) || call.is(&["container", "remove"]))
        && call.args.is_on("volumes")
    {
        return Some(format!(
            "`{program} rm -v` deletes the anonymous volumes of the removed containers, with any data they hold"
        ));
    }
    None
}
