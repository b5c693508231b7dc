//! `db-without-volume`: see rules/db-without-volume.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::model::FileFacts;
use crate::model::store::{DataStore, Mount, MountKind, Service, path_within};
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    kubernetes(file, cx);
    helm_values(file, cx);
    let Some(model) = &file.compose else { return };
    for own in &model.services {
        // Judge the service as Compose runs it: with its override (or base) merged.
        let service = repo
            .merged_service(&file.file.path, &own.name.value)
            .unwrap_or(own);
        let Some(stateful) = &service.stateful else {
            continue;
        };
        if stateful.data_dirs.is_empty() {
            // `minio/minio` without `server PATH`: where its data goes is not known.
            continue;
        }
        if own.stateful.is_none() && own.mounts.is_empty() {
            // Only an override's fragment of the service: reported where the image is.
            continue;
        }
        if service.data_mount().is_some() {
            continue;
        }
        let mounts: Vec<_> = stateful
            .data_dirs
            .iter()
            .filter_map(|d| service.mount_at(d))
            .collect();
        if mounts
            .iter()
            .any(|m| m.kind == MountKind::Anonymous && !m.implied)
        {
            continue; // db-anonymous-volume's case
        }
        let dir = stateful.data_dirs.first().cloned().unwrap_or_default();
        let image = service.image_display();
        let why = stateful
            .persistence
            .as_ref()
            .map(|p| format!(" (persistence is on: {p})"))
            .unwrap_or_default();
        let name = &own.name.value;
        if let Some(tmpfs) = mounts.iter().find(|m| m.kind == MountKind::Tmpfs) {
            let span = own
                .mounts
                .iter()
                .find(|m| m.target == tmpfs.target)
                .map_or(own.name.span, |m| m.span);
            cx.report(
                span,
                format!(
                    "Service `{name}` ({image}) keeps {} on a tmpfs at `{}`{why}: it lives in memory and is lost at every restart.",
                    stateful.data(),
                    tmpfs.target
                ),
            );
            continue;
        }
        // A volume written for the data that the image's own `VOLUME` shadows (`mongo:/data`
        // with VOLUME /data/db; postgres 18 at `/var/lib/postgresql/data` inside VOLUME
        // /var/lib/postgresql): the data lands in the anonymous volume Docker creates there.
        if let Some(message) = shadowed(service, &why) {
            cx.report(own.name.span, format!("Service `{name}` ({image}) {message}"))
                .help(format!(
                    "Mount the named volume at `{}` itself (`{name}-data:{}`), where the image's VOLUME is, so the data is in it",
                    mount_point(&dir),
                    mount_point(&dir)
                ));
            continue;
        }
        // A volume meant for the data but mounted next to it (`/var/lib/postgres/data`,
        // `/var/lib/mysql-files`): say where it is and where the data really goes.
        let misplaced = service
            .mounts
            .iter()
            .filter(|m| matches!(m.kind, MountKind::Named | MountKind::Bind))
            .find(|m| near_miss(&m.target, &dir) || named_for(&m.target, &stateful.family))
            .map(|m| {
                format!(
                    " (volume `{}` is mounted at `{}` instead, where {} writes nothing)",
                    m.source,
                    m.target,
                    stateful.label.as_deref().unwrap_or("the database")
                )
            })
            .unwrap_or_default();
        // With no mount at all, the image's own VOLUME (if it declares one) is where it lands.
        let lands = match service.mount_at(&dir).filter(|m| m.implied) {
            Some(v) => format!(
                "lands in the anonymous volume Docker creates for the image's VOLUME `{}`, deleted by `down -v`/`rm -v` and orphaned by `docker compose down`",
                v.target
            ),
            None => "lives in the container and is lost by `docker compose down`, an image update or a recreation".to_string(),
        };
        let message = match (&stateful.label, &stateful.keeps) {
            // An application in its own words: what it keeps there, and in what.
            (Some(label), Some(keeps)) if !stateful.is_database() => {
                let db = stateful
                    .embedded
                    .as_ref()
                    .map(|db| format!(" ({db})"))
                    .unwrap_or_default();
                format!(
                    "Service `{name}` ({image}) has no volume at its data directory{why}{misplaced}: {label} keeps {keeps} in `{dir}`{db}, which {lands}."
                )
            }
            _ => format!(
                "Service `{name}` ({image}) has no volume at its data directory `{dir}`{why}{misplaced}: its {} data {lands}.",
                stateful.family
            ),
        };
        cx.report(own.name.span, message)
        .help(format!(
            "Mount a named volume there (`{name}-data:{}` under the service's `volumes:`) and declare `{name}-data:` under the top-level `volumes:`",
            mount_point(&dir)
        ));
    }
}

/// The rest of the message when a data directory lands in an anonymous volume the image's
/// `VOLUME` implies while a volume or bind mount written for the data sits at a parent of it or
/// next to it: where the data really is, and where it is not.
fn shadowed(service: &Service, why: &str) -> Option<String> {
    let stateful = service.stateful.as_ref()?;
    let (dir, volume) = stateful.data_dirs.iter().find_map(|d| {
        let m = service.mount_at(d)?;
        m.implied.then_some((d, m))
    })?;
    let kept = |m: &&Mount| matches!(m.kind, MountKind::Named | MountKind::Bind);
    let written = service.explicit_mount_at(dir).filter(kept).or_else(|| {
        service.mounts.iter().filter(kept).find(|m| {
            path_within(&m.target, &volume.target)
                || near_miss(&m.target, dir)
                || named_for(&m.target, &stateful.family)
        })
    })?;
    let what = match written.kind {
        MountKind::Bind => format!("bind mount `{}`", written.source),
        _ => format!("volume `{}`", written.source),
    };
    let declared = if volume.target.trim_end_matches('/') == dir.trim_end_matches('/') {
        ", which the image declares as a VOLUME".to_string()
    } else {
        format!(", inside the image's VOLUME `{}`", volume.target)
    };
    Some(format!(
        "keeps {} in `{dir}`{declared}{why}: it lands in an anonymous volume at `{}`, deleted by `down -v`/`rm -v` and orphaned by `docker compose down`, not in {what} mounted at `{}`.",
        stateful.data(),
        volume.target,
        written.target
    ))
}

/// Containers of Kubernetes workloads running a stateful image with no persistent volume at its
/// data directory (nothing mounted, an `emptyDir`, a claim mounted elsewhere).
fn kubernetes(file: &FileFacts, cx: &mut Ctx) {
    for workload in &file.infra.workloads {
        for c in &workload.containers {
            let Some(stateful) = &c.stateful else {
                continue;
            };
            let Some(dir) = stateful.data_dirs.first() else {
                continue;
            };
            if c.data_mount().is_some() {
                continue;
            }
            let who = format!(
                "Container `{}` ({}) of {} `{}`",
                c.name.value, c.image.value, workload.kind, workload.name.value
            );
            let why = stateful
                .persistence
                .as_ref()
                .map(|p| format!(" (persistence is on: {p})"))
                .unwrap_or_default();
            let data = stateful.data();
            let at_dir = stateful.data_dirs.iter().find_map(|d| c.mount_at(d));
            let message = match at_dir {
                Some(m) if m.kind == MountKind::Tmpfs => format!(
                    "{who} keeps {data} on {} at `{}`{why}: it lives in memory and is lost at every restart.",
                    c.backing_of(m),
                    m.target
                ),
                Some(m) => format!(
                    "{who} keeps {data} on {} at `{}`{why}: an emptyDir is deleted with the pod, so the data is lost whenever the pod is rescheduled, evicted or updated.",
                    c.backing_of(m),
                    m.target
                ),
                None => format!(
                    "{who} has no persistent volume at its data directory `{dir}`{why}, where it keeps {data}: the directory lives in the container and is lost whenever the pod is deleted, rescheduled or updated."
                ),
            };
            cx.report(c.image.span, message).help(format!(
                "Mount a PersistentVolumeClaim at `{}`: in a StatefulSet, a `volumeClaimTemplates` entry and a `volumeMounts` entry with its name",
                mount_point(dir)
            ));
        }
    }
}

/// Helm values turning a database chart's persistence off.
fn helm_values(file: &FileFacts, cx: &mut Ctx) {
    for h in file.infra.helm.iter().filter(|h| h.what == "persistence") {
        cx.report(
            h.span,
            format!(
                "The values of the {} chart turn persistence off (`{}: false`): its {} data is kept on an emptyDir and lost whenever the pod is deleted, rescheduled or upgraded.",
                h.chart, h.path, h.family
            ),
        )
        .help("Keep `persistence.enabled: true` (with a `storageClass` and `size` that fit) so the chart creates a PersistentVolumeClaim");
    }
}

/// Where to mount a volume for a data directory: postgres 18's images keep data in
/// `/var/lib/postgresql/18/docker` and document the mount at `/var/lib/postgresql`.
fn mount_point(dir: &str) -> &str {
    match dir.strip_prefix("/var/lib/postgresql/") {
        Some(rest)
            if rest
                .strip_suffix("/docker")
                .is_some_and(|major| major.chars().all(|c| c.is_ascii_digit())) =>
        {
            "/var/lib/postgresql"
        }
        _ => dir,
    }
}

/// A mount target that looks meant for the data directory `dir` but is not it: the same last
/// component under another parent, or a path sharing at least two leading components with it
/// (`/var/lib/postgres/data` for `/var/lib/postgresql/data`, `/var/lib/mysql-files` for
/// `/var/lib/mysql`). Configuration and init mounts (`/etc/mysql/conf.d`) are not.
fn near_miss(target: &str, dir: &str) -> bool {
    let parts = |p: &str| -> Vec<String> {
        p.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (t, d) = (parts(target), parts(dir));
    if t.is_empty() || d.is_empty() || t == d {
        return false;
    }
    let shared = t.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let init = t
        .iter()
        .any(|p| p.contains("initdb") || p == "conf.d" || p.ends_with(".sql"));
    !init && (t.last() == d.last() || shared >= 2)
}

/// A mount target named for the database (`/var/lib/redis`, `/var/lib/mongodb`): meant for its
/// data, wherever the image really keeps it. Configuration paths (`/usr/local/etc/redis`,
/// `redis.conf`) are not.
fn named_for(target: &str, family: &str) -> bool {
    let target = target.trim_end_matches('/');
    let last = target.rsplit('/').next().unwrap_or(target);
    !family.is_empty()
        && last.starts_with(family)
        && !last.contains('.')
        && !target
            .split('/')
            .any(|p| p == "etc" || p == "conf" || p == "config")
}

#[cfg(test)]
mod tests {
    use super::{mount_point, named_for, near_miss};

    #[test]
    fn mounts_named_for_the_database() {
        assert!(named_for("/var/lib/redis", "redis"));
        assert!(named_for("/var/lib/mongodb/", "mongo"));
        assert!(!named_for("/usr/local/etc/redis", "redis"));
        assert!(!named_for("/usr/local/etc/redis/redis.conf", "redis"));
        assert!(!named_for("/backups", "redis"));
    }

    #[test]
    fn near_misses_of_a_data_directory() {
        assert!(near_miss(
            "/var/lib/postgres/data",
            "/var/lib/postgresql/data"
        ));
        assert!(near_miss("/var/lib/mysql-files", "/var/lib/mysql"));
        assert!(near_miss("/srv/data", "/data"));
        assert!(!near_miss("/etc/mysql/conf.d", "/var/lib/mysql"));
        assert!(!near_miss(
            "/docker-entrypoint-initdb.d",
            "/var/lib/postgresql/data"
        ));
        assert!(!near_miss(
            "/var/lib/postgresql/data",
            "/var/lib/postgresql/data"
        ));
        assert!(!near_miss("/backups", "/var/lib/postgresql/data"));
    }

    #[test]
    fn postgres_18_is_mounted_at_its_parent() {
        assert_eq!(
            mount_point("/var/lib/postgresql/18/docker"),
            "/var/lib/postgresql"
        );
        assert_eq!(
            mount_point("/var/lib/postgresql/data"),
            "/var/lib/postgresql/data"
        );
        assert_eq!(mount_point("/data/db"), "/data/db");
    }
}
