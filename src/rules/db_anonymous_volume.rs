//! `db-anonymous-volume`: see rules/db-anonymous-volume.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::model::FileFacts;
use crate::model::store::{DataStore, MountKind};
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    let Some(model) = &file.compose else { return };
    for own in &model.services {
        let service = repo
            .merged_service(&file.file.path, &own.name.value)
            .unwrap_or(own);
        let Some(stateful) = &service.stateful else {
            continue;
        };
        if service.data_mount().is_some() {
            continue;
        }
        for dir in &stateful.data_dirs {
            let Some(mount) = service.mount_at(dir) else {
                continue;
            };
            if mount.kind != MountKind::Anonymous {
                continue;
            }
            // Report in the file that declares the mount.
            let Some(own_mount) = own.mounts.iter().find(|m| m.target == mount.target) else {
                continue;
            };
            cx.report(
                own_mount.span,
                format!(
                    "The data directory `{}` of service `{}` ({}) is an anonymous volume: `docker compose down -v` or `rm -v` deletes it, and a recreated container starts with an empty {} database.",
                    mount.target,
                    own.name.value,
                    service.image_display(),
                    stateful.family
                ),
            );
            break;
        }
    }
}
