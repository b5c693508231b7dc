//! The stateful services whose data a backup must cover, the database a step acts on, and the dump tool and example a message suggests for a family.

use super::*;

/// A stateful service whose data outlives its container (a named volume or a bind mount at its
/// data directory), from the repository's Compose projects.
#[derive(Clone, Debug)]
pub struct DataService {
    pub path: String,
    pub name: String,
    pub name_span: crate::source::Span,
    pub image: Option<String>,
    pub family: String,
    pub dump_tool: String,
    /// "volume `pgdata`", "bind mount `./data`".
    pub storage: String,
    /// Where that mount is written (file, span).
    pub storage_at: Option<(String, crate::source::Span)>,
    /// The context of the project's base file.
    pub context: crate::levels::Context,
}

/// Every stateful service with persistent data, in project order.
pub fn data_services(
    repo: &crate::analysis::repo::RepoFacts,
    files: &[crate::model::FileFacts],
) -> Vec<DataService> {
    use crate::model::store::MountKind;
    let mut out: Vec<DataService> = Vec::new();
    for (project, service) in repo.stateful_services() {
        let found = service.data.iter().find_map(|d| {
            let storage = match d.kind {
                MountKind::Named => {
                    format!("volume `{}`", d.docker_name.as_deref().unwrap_or(&d.source))
                }
                MountKind::Bind => format!("bind mount `{}`", d.source),
                _ => return None,
            };
            Some((storage, (d.path.clone(), d.span)))
        });
        let (storage, storage_at) = match found {
            Some((storage, at)) => (storage, Some(at)),
            None => ("a persistent volume".to_string(), None),
        };
        if out
            .iter()
            .any(|o| o.path == service.path && o.name_span == service.span)
        {
            continue;
        }
        out.push(DataService {
            path: service.path.clone(),
            name: service.service.clone(),
            name_span: service.span,
            image: (!service.image.is_empty()).then(|| service.image.clone()),
            family: service.family.clone(),
            dump_tool: service.dump_tool.clone(),
            storage,
            storage_at,
            context: repo.context_of(project, files),
        });
    }
    out
}

/// The database a command acts on: the Compose service it runs in (`docker compose exec db …`),
/// else the only data service of the family its client program works on (or the only one at
/// all); and that family, when the program says it.
pub fn database_of<'s>(
    command: &Command,
    services: &'s [DataService],
) -> (Option<&'s DataService>, Option<&'static str>) {
    let argv = inner_argv(command);
    let family = argv.first().map(|p| basename(p)).and_then(program_family);
    if let Some(named) =
        compose_service(command).and_then(|s| services.iter().find(|d| d.name == s))
    {
        return (Some(named), family);
    }
    // `docker compose rm -sfv redis`: it acts on the services it names, and no other.
    if let Some(call) = crate::knowledge::docker::docker(command)
        && call.compose.is_some()
        && (call.is(&["rm"]) || call.is(&["stop"]) || call.is(&["kill"]))
        && !call.args.positionals.is_empty()
    {
        let named = services.iter().find(|d| {
            call.args
                .positionals
                .iter()
                .any(|w| w.literal().as_deref() == Some(d.name.as_str()))
        });
        return (named, family);
    }
    // `docker exec shop-db-1 …`: Compose names containers `<project>-<service>-<n>`.
    if let Some(container) = container_of(command) {
        let named = services.iter().find(|d| {
            container == d.name
                || container.contains(&format!("-{}-", d.name))
                || container.contains(&format!("_{}_", d.name))
                || container.ends_with(&format!("-{}", d.name))
        });
        if named.is_some() {
            return (named, family);
        }
    }
    let candidates: Vec<&DataService> = services
        .iter()
        .filter(|s| family.is_none_or(|f| family_covers(Some(f), &s.family)))
        .collect();
    match candidates.as_slice() {
        [only] => (Some(*only), family),
        _ => (None, family),
    }
}

/// The first non-additive statement of the repository's pending up-migrations that `command`
/// applies, as (file index, statement span): a tool with its own layout (`prisma migrate
/// deploy`, `flyway migrate`, `goose up`) applies only the files in that layout; migrations of
/// test fixtures do not count.
pub fn pending_non_additive(
    files: &[crate::model::FileFacts],
    command: &Command,
) -> Option<(usize, crate::source::Span)> {
    use crate::model::migration::Layout;
    let words = inner_argv(command);
    let at = crate::knowledge::framework::FrameworkTable::builtin().peel(&words);
    let layout = match words.get(at).map(|w| basename(w)) {
        Some("prisma") => Some(Layout::Prisma),
        Some("flyway") => Some(Layout::Flyway),
        Some("goose") => Some(Layout::Goose),
        Some("dbmate") => Some(Layout::Dbmate),
        Some("sqitch") => Some(Layout::Sqitch),
        Some("migrate") => Some(Layout::GolangMigrate),
        Some("drizzle-kit") => Some(Layout::Drizzle),
        Some("liquibase") => Some(Layout::Liquibase),
        _ => None,
    };
    files.iter().enumerate().find_map(|(i, f)| {
        if f.kind != crate::classify::FileKind::Sql
            || f.context == crate::levels::Context::Test
            || !f.sql.is_pending_up_migration()
            || layout.is_some_and(|l| f.sql.migration.as_ref().is_none_or(|m| m.layout != l))
        {
            return None;
        }
        Some((i, f.sql.non_additive().next()?.span))
    })
}

/// Whether a backup of `family` (`None`: any) covers a database of `wanted`.
pub fn family_covers(family: Option<&str>, wanted: &str) -> bool {
    let norm = |f: &str| match f {
        "mariadb" | "percona" => "mysql".to_string(),
        "valkey" | "keydb" => "redis".to_string(),
        "postgresql" | "postgis" | "timescaledb" => "postgres".to_string(),
        "mongodb" => "mongo".to_string(),
        other => other.to_string(),
    };
    family.is_none_or(|f| norm(f) == norm(wanted))
}

/// The dump tool of a family, for advice when no service names one.
pub fn dump_tool_of(family: &str) -> &'static str {
    match family {
        "postgres" => "pg_dump",
        "mysql" => "mysqldump",
        "mariadb" => "mariadb-dump",
        "mongo" => "mongodump",
        "redis" => "redis-cli --rdb",
        "sqlite" => "sqlite3 .backup",
        _ => "a dump",
    }
}

/// A backup command line for a dump tool, as advice (`pg_dump -Fc -f backup.dump <db>`).
pub fn dump_example(tool: &str) -> String {
    match tool {
        "pg_dump" => "pg_dump -Fc <database> > backup.dump".into(),
        "pg_dumpall" => "pg_dumpall -f backup.sql".into(),
        "mysqldump" => "mysqldump --single-transaction <database> > backup.sql".into(),
        "mariadb-dump" => "mariadb-dump --single-transaction <database> > backup.sql".into(),
        "mongodump" => "mongodump --archive=backup.gz --gzip".into(),
        "redis-cli" | "redis-cli --rdb" => "redis-cli --rdb backup.rdb".into(),
        "" => "a dump of the database or a snapshot of its volume".into(),
        other => other.to_string(),
    }
}
