//! The stateful-images table: which images hold data and where (`rules/stateful-images.toml`,
//! shipped as data and read once), plus the user's `[[stateful-images]]` from the config file.
//!
//! This module only answers "is this image stateful, and where does it keep its data" (reading
//! the entry's fields against a container's command line and environment, for any front-end
//! that runs images: Compose today, Kubernetes next); whether a store's data is mounted where it
//! survives is the model's question ([`crate::model::store::DataStore`]).

use std::sync::OnceLock;

use serde::Deserialize;

use crate::config::StatefulImage;
use crate::model::store::{Mount, MountKind, Stateful, StoreKind};
use crate::syntax::interp::with_defaults;

const TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/stateful-images.toml"
));

/// One `[[image]]` entry of the table.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ImageEntry {
    pub family: String,
    /// A database server (default) or an application embedding its database.
    #[serde(default)]
    pub kind: StoreKind,
    /// An application's name for messages (`Grafana`).
    pub label: Option<String>,
    /// What an application keeps in its data directory (`its dashboards, users and alert rules`).
    pub keeps: Option<String>,
    /// The embedded database it keeps them in (`SQLite`).
    pub embedded_db: Option<String>,
    /// A variable that points the application at an external database server instead
    /// (`GF_DATABASE_TYPE`), and the beginnings of its values that still mean the embedded one
    /// (`sqlite`); any other value (or any value, when none is listed) means external.
    pub external_db_env: Option<String>,
    #[serde(default)]
    pub embedded_values: Vec<String>,
    /// What the data directory still keeps when the database is external (Gitea's
    /// repositories); without it, an application on an external database keeps nothing there.
    pub external_db_keeps: Option<String>,
    /// Variables whose presence means the data directory keeps nothing even then (n8n's
    /// `N8N_ENCRYPTION_KEY`: the key is no longer only in its `config` file).
    #[serde(default)]
    pub external_db_unless_env: Vec<String>,
    pub images: Vec<String>,
    #[serde(default)]
    pub data_dirs: Vec<String>,
    pub data_dir_env: Option<String>,
    pub data_dir_arg: Option<String>,
    /// The image's Dockerfile `VOLUME` paths (an anonymous volume is created at each one no
    /// mount targets exactly).
    #[serde(default)]
    pub volumes: Vec<String>,
    #[serde(default)]
    pub from_major: Vec<FromMajor>,
    #[serde(default)]
    pub ports: Vec<u16>,
    pub dump_tool: String,
    #[serde(default)]
    pub persistence: Persistence,
    #[serde(default)]
    pub persistence_flags: Vec<String>,
    #[serde(default)]
    pub persistence_env: Vec<String>,
    #[serde(default)]
    pub password_env: Vec<String>,
    #[serde(default)]
    pub role: Role,
}

/// What a stateful image is to an application: its database of record, or a cache or queue
/// whose reset is routine (the data comes back from the database, or was in flight).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    #[default]
    Database,
    Cache,
    Queue,
}

/// Whether a family is a database (every shipped entry of it says so, or none is known).
pub fn is_database_family(family: &str) -> bool {
    StatefulTable::builtin()
        .entries
        .iter()
        .filter(|e| e.family == family)
        .all(|e| e.role == Role::Database)
}

/// Data directories from an image major version on (`{major}` is replaced by the version).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FromMajor {
    pub major: u32,
    pub data_dirs: Vec<String>,
    /// The `VOLUME` paths from this major version on, when they changed.
    pub volumes: Option<Vec<String>>,
}

/// When an image keeps data.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Persistence {
    /// Always (databases).
    #[default]
    Always,
    /// Only when the command line turns persistence on (Redis: `--appendonly yes`, `--save 60 1`).
    Flags,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    image: Vec<ImageEntry>,
}

/// The table of stateful images.
#[derive(Clone, Debug, Default)]
pub struct StatefulTable {
    pub entries: Vec<ImageEntry>,
}

impl StatefulTable {
    /// The shipped table (parsed once; a broken table is a build-time bug caught by the tests).
    pub fn builtin() -> &'static StatefulTable {
        static BUILTIN: OnceLock<StatefulTable> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let file: TableFile = toml::from_str(TABLE).unwrap_or_default();
            StatefulTable {
                entries: file.image,
            }
        })
    }

    /// The shipped table with the user's extra images in front (they win over shipped entries).
    pub fn with_config(extra: &[StatefulImage]) -> StatefulTable {
        let mut entries: Vec<ImageEntry> = extra
            .iter()
            .map(|x| ImageEntry {
                family: x.image.rsplit('/').next().unwrap_or(&x.image).to_string(),
                images: vec![x.image.clone()],
                data_dirs: x.data_dirs.clone(),
                dump_tool: x.dump_tool.clone().unwrap_or_default(),
                ..ImageEntry::default()
            })
            .collect();
        entries.extend(Self::builtin().entries.iter().cloned());
        StatefulTable { entries }
    }

    /// The entry for an image path (`postgres`, `bitnami/postgresql`, `docker.io/library/mysql`,
    /// without the tag).
    pub fn lookup(&self, path: &str) -> Option<&ImageEntry> {
        let path = path.to_ascii_lowercase();
        self.lookup_exact(&path).or_else(|| {
            // A private registry or a mirror serves the same image under its own host
            // (`registry.local:5000/postgres`, `mirror.gcr.io/library/postgres`,
            // `public.ecr.aws/docker/library/postgres`): judge it by the image's own path.
            let (first, rest) = path.split_once('/')?;
            let registry = first.contains('.') || first.contains(':') || first == "localhost";
            if !registry {
                return None;
            }
            let rest = rest.strip_prefix("docker/library/").unwrap_or(rest);
            self.lookup_exact(rest)
        })
    }

    fn lookup_exact(&self, path: &str) -> Option<&ImageEntry> {
        let short = normalise_path(path);
        self.entries.iter().find(|e| {
            e.images.iter().any(|pattern| {
                let pattern = normalise_path(pattern);
                match pattern.strip_suffix("/*") {
                    Some(ns) => short.starts_with(&format!("{ns}/")),
                    None => short == pattern || path == pattern,
                }
            })
        })
    }
}

/// `docker.io/library/postgres` and `library/postgres` are `postgres`.
fn normalise_path(path: &str) -> String {
    let p = path
        .strip_prefix("docker.io/")
        .or_else(|| path.strip_prefix("index.docker.io/"))
        .or_else(|| path.strip_prefix("registry-1.docker.io/"))
        .unwrap_or(path);
    p.strip_prefix("library/").unwrap_or(p).to_string()
}

impl ImageEntry {
    /// The data directories for an image major version (`None`: unknown tag, all layouts count).
    pub fn data_dirs_for(&self, major: Option<u32>) -> Vec<String> {
        let versioned = self
            .from_major
            .iter()
            .filter(|f| major.is_some_and(|m| m >= f.major))
            .max_by_key(|f| f.major);
        if let (Some(v), Some(m)) = (versioned, major) {
            return v
                .data_dirs
                .iter()
                .map(|d| d.replace("{major}", &m.to_string()))
                .collect();
        }
        let mut dirs = self.data_dirs.clone();
        if major.is_none() {
            // `latest` or an unknown tag: the newest layout is as likely as the old one.
            for f in &self.from_major {
                for d in &f.data_dirs {
                    let latest = LATEST_MAJOR.max(f.major);
                    dirs.push(d.replace("{major}", &latest.to_string()));
                }
            }
        }
        dirs
    }

    /// The image's `VOLUME` paths for an image major version (`None`: unknown tag, every
    /// layout's volumes count).
    pub fn volumes_for(&self, major: Option<u32>) -> Vec<String> {
        let versioned = self
            .from_major
            .iter()
            .filter(|f| f.volumes.is_some() && major.is_some_and(|m| m >= f.major))
            .max_by_key(|f| f.major);
        if let (Some(v), Some(m)) = (versioned, major) {
            return v
                .volumes
                .iter()
                .flatten()
                .map(|d| d.replace("{major}", &m.to_string()))
                .collect();
        }
        let mut volumes = self.volumes.clone();
        if major.is_none() {
            for f in &self.from_major {
                for d in f.volumes.iter().flatten() {
                    let latest = LATEST_MAJOR.max(f.major);
                    let d = d.replace("{major}", &latest.to_string());
                    if !volumes.contains(&d) {
                        volumes.push(d);
                    }
                }
            }
        }
        volumes
    }

    /// What a container of this image keeps, and where, given its image's major version, its
    /// command line (`argv`: entrypoint then command words) and its environment (`env`: a
    /// variable's value as written; a `${VAR:-default}` counts with its default). `None` when
    /// the image keeps data only with flags the command line does not give (a Redis cache).
    pub fn stateful(
        &self,
        major: Option<u32>,
        argv: &[&str],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Option<Stateful> {
        if runs_a_client(argv) {
            // `command: mongosh --eval 'rs.initiate(…)'`: the image is used for its client.
            return None;
        }
        let mut keeps = self.keeps.clone();
        let mut embedded_db = self.embedded_db.clone();
        // `GF_DATABASE_TYPE=mysql`: the application's database is another service.
        if let Some(var) = &self.external_db_env
            && let Some(value) = env(var).and_then(|v| with_defaults(&v))
        {
            let value = value.trim().to_ascii_lowercase();
            let embedded = value.is_empty()
                || self
                    .embedded_values
                    .iter()
                    .any(|e| value.starts_with(&e.to_ascii_lowercase()));
            if !embedded {
                let unless = self
                    .external_db_unless_env
                    .iter()
                    .any(|v| env(v).is_some_and(|x| !x.trim().is_empty()));
                match &self.external_db_keeps {
                    Some(rest) if !unless => {
                        keeps = Some(rest.clone());
                        embedded_db = None;
                    }
                    _ => return None,
                }
            }
        }
        let persistence = match self.persistence {
            Persistence::Always => None,
            Persistence::Flags => Some(self.persistence_reason(argv, env)?),
        };
        let mut data_dirs = self.data_dirs_for(major);
        // `PGDATA=/srv/pg` moves the data: the image's default directory no longer holds it.
        if let Some(var) = &self.data_dir_env
            && let Some(dirs) = env(var)
                .and_then(|v| with_defaults(&v))
                .map(|v| {
                    v.split(',')
                        .map(|d| d.trim().to_string())
                        .filter(|d| d.starts_with('/'))
                        .collect::<Vec<_>>()
                })
                .filter(|dirs| !dirs.is_empty())
        {
            data_dirs = dirs;
        }
        // `minio server /data`, `etcd --data-dir /etcd-data` (or `--data-dir=/etcd-data`).
        if let Some(word) = &self.data_dir_arg {
            let mut from_args = Vec::new();
            for (at, w) in argv.iter().enumerate() {
                if let Some(dir) = w
                    .strip_prefix(word.as_str())
                    .and_then(|rest| rest.strip_prefix('='))
                {
                    from_args.push(dir.to_string());
                } else if w == word {
                    from_args.extend(
                        argv[at + 1..]
                            .iter()
                            .take_while(|w| !w.starts_with('-'))
                            .filter(|w| w.starts_with('/'))
                            .map(|w| (*w).to_string()),
                    );
                }
            }
            from_args.retain(|d| d.starts_with('/'));
            if !from_args.is_empty() {
                data_dirs = from_args;
            }
        }
        let image_volumes = self
            .volumes_for(major)
            .into_iter()
            .map(|target| Mount {
                kind: MountKind::Anonymous,
                target,
                implied: true,
                ..Mount::default()
            })
            .collect();
        Some(Stateful {
            family: self.family.clone(),
            data_dirs,
            dump_tool: self.dump_tool.clone(),
            ports: self.ports.clone(),
            password_env: self.password_env.clone(),
            persistence,
            kind: self.kind,
            label: self.label.clone(),
            keeps,
            embedded: embedded_db,
            image_volumes,
        })
    }

    /// Why a Redis-like container persists its data, or `None` when it does not.
    fn persistence_reason(
        &self,
        argv: &[&str],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Option<String> {
        let mut lines: Vec<String> = vec![argv.join(" ")];
        // `sh -c "redis-server --appendonly yes"`: the flags are inside the script.
        lines.extend(argv.iter().map(|w| (*w).to_string()));
        lines.extend(self.persistence_env.iter().filter_map(|var| env(var)));
        for line in &lines {
            let words: Vec<&str> = line.split_whitespace().collect();
            for flag in &self.persistence_flags {
                let flag_words: Vec<&str> = flag.split_whitespace().collect();
                for (i, window) in words.windows(flag_words.len()).enumerate() {
                    if window != flag_words.as_slice() {
                        continue;
                    }
                    if flag_words == ["--save"] {
                        // `--save ""` turns snapshots off; `--save 60 1` turns them on.
                        let arg = words.get(i + 1).copied().unwrap_or("");
                        let arg = arg.trim_matches(['"', '\'']);
                        if arg.is_empty() || arg.starts_with("--") {
                            continue;
                        }
                        return Some(format!("`--save {arg}`"));
                    }
                    return Some(format!("`{flag}`"));
                }
            }
        }
        None
    }
}

/// The newest major version assumed for `latest` tags of versioned layouts (postgres).
const LATEST_MAJOR: u32 = 18;

/// Database clients and tools a container of a database image may run instead of its server.
const CLIENTS: &[&str] = &[
    "psql",
    "pg_dump",
    "pg_dumpall",
    "pg_restore",
    "pg_isready",
    "createdb",
    "dropdb",
    "mysql",
    "mariadb",
    "mysqldump",
    "mariadb-dump",
    "mysqladmin",
    "mariadb-admin",
    "mongo",
    "mongosh",
    "mongodump",
    "mongorestore",
    "mongoimport",
    "mongoexport",
    "redis-cli",
    "valkey-cli",
    "keydb-cli",
    "cqlsh",
    "influx",
    "clickhouse-client",
    "sqlcmd",
    "etcdctl",
];

/// The programs that run a database server (or the image's own entrypoint, which starts one).
const SERVERS: &[&str] = &[
    "postgres",
    "mongod",
    "mysqld",
    "mariadbd",
    "redis-server",
    "valkey-server",
    "keydb-server",
    "docker-entrypoint.sh",
    "docker-entrypoint",
    "cassandra",
    "influxd",
    "clickhouse-server",
    "etcd",
    "minio",
    "rethinkdb",
    "couchdb",
    "neo4j",
    "elasticsearch",
    "opensearch",
];

/// Whether a container's command line (entrypoint then command words) runs only a database
/// client (`mongosh --eval 'rs.initiate(…)'`, `entrypoint: psql …`, `sh -c "sleep 5; psql …"`),
/// not the server: such a service is a one-shot job, not a database.
fn runs_a_client(argv: &[&str]) -> bool {
    let Some(first) = argv.first() else {
        return false;
    };
    let program = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    let first = program(first);
    if CLIENTS.contains(&first.as_str()) {
        return true;
    }
    // `sh -c "…"`: the programs the script names.
    if matches!(first.as_str(), "sh" | "bash" | "ash" | "dash")
        && let Some(at) = argv.iter().position(|w| *w == "-c")
    {
        let script = argv[at + 1..].join(" ");
        let words: Vec<String> = script
            .split(|c: char| {
                c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '"' | '\'')
            })
            .filter(|w| !w.is_empty())
            .map(program)
            .collect();
        let client = words.iter().any(|w| CLIENTS.contains(&w.as_str()));
        let server = words.iter().any(|w| SERVERS.contains(&w.as_str()));
        return client && !server;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_covers_the_catalogue() {
        let file: TableFile = toml::from_str(TABLE).expect("rules/stateful-images.toml parses");
        assert!(file.image.len() > 20);
        let t = StatefulTable::builtin();
        for (image, family) in [
            ("postgres", "postgres"),
            ("docker.io/library/postgres", "postgres"),
            ("postgis/postgis", "postgres"),
            ("timescale/timescaledb", "postgres"),
            ("supabase/postgres", "postgres"),
            ("bitnami/postgresql", "postgres"),
            ("mysql", "mysql"),
            ("mariadb", "mariadb"),
            ("percona", "mysql"),
            ("mongo", "mongo"),
            ("redis", "redis"),
            ("valkey/valkey", "redis"),
            ("eqalpha/keydb", "redis"),
            ("elasticsearch", "elasticsearch"),
            ("opensearchproject/opensearch", "opensearch"),
            ("clickhouse/clickhouse-server", "clickhouse"),
            ("influxdb", "influxdb"),
            ("neo4j", "neo4j"),
            ("cassandra", "cassandra"),
            ("couchdb", "couchdb"),
            ("rabbitmq", "rabbitmq"),
            ("minio/minio", "minio"),
            ("bitnami/etcd", "etcd"),
            ("zookeeper", "zookeeper"),
            ("bitnami/kafka", "kafka"),
        ] {
            assert_eq!(
                t.lookup(image).map(|e| e.family.as_str()),
                Some(family),
                "{image}"
            );
        }
        for (image, family) in [
            ("registry.local:5000/postgres", "postgres"),
            ("mirror.gcr.io/library/postgres", "postgres"),
            ("public.ecr.aws/docker/library/mysql", "mysql"),
            ("public.ecr.aws/bitnami/postgresql", "postgres"),
            ("quay.io/minio/minio", "minio"),
        ] {
            assert_eq!(
                t.lookup(image).map(|e| e.family.as_str()),
                Some(family),
                "{image}"
            );
        }
        assert!(t.lookup("ghcr.io/acme/postgres-exporter").is_none());
        assert!(t.lookup("team/postgres").is_none());
        assert!(t.lookup("nginx").is_none());
        assert!(t.lookup("bitnami/nginx").is_none());
    }

    #[test]
    fn postgres_18_moved_its_data() {
        let pg = StatefulTable::builtin().lookup("postgres").expect("pg");
        assert_eq!(pg.data_dirs_for(Some(16)), ["/var/lib/postgresql/data"]);
        assert_eq!(
            pg.data_dirs_for(Some(18)),
            ["/var/lib/postgresql/18/docker"]
        );
        assert_eq!(pg.data_dirs_for(None).len(), 2);
        assert_eq!(pg.volumes_for(Some(17)), ["/var/lib/postgresql/data"]);
        assert_eq!(pg.volumes_for(Some(18)), ["/var/lib/postgresql"]);
        assert_eq!(
            pg.volumes_for(None),
            ["/var/lib/postgresql/data", "/var/lib/postgresql"]
        );
        let st = pg.stateful(Some(16), &[], &|_| None).expect("pg");
        assert!(st.image_volumes.iter().all(|m| m.implied));
        // Images not known to be built FROM the official one declare no VOLUME here.
        let supabase = StatefulTable::builtin()
            .lookup("supabase/postgres")
            .expect("supabase");
        assert!(supabase.volumes_for(Some(15)).is_empty());
    }

    #[test]
    fn entries_read_a_containers_command_line_and_environment() {
        let t = StatefulTable::builtin();
        let no_env = |_: &str| None;
        let redis = t.lookup("redis").expect("redis");
        assert!(
            redis
                .stateful(Some(7), &["redis-server"], &no_env)
                .is_none()
        );
        let on = redis
            .stateful(Some(7), &["redis-server", "--appendonly", "yes"], &no_env)
            .expect("persistent");
        assert_eq!(on.persistence.as_deref(), Some("`--appendonly yes`"));
        let pg = t.lookup("postgres").expect("pg");
        let moved = |var: &str| (var == "PGDATA").then(|| "${PGDATA:-/srv/pg}".to_string());
        let st = pg.stateful(Some(16), &[], &moved).expect("pg");
        assert_eq!(st.data_dirs, ["/srv/pg"]);
        assert_eq!(st.family, "postgres");
    }

    #[test]
    fn config_entries_come_first() {
        let t = StatefulTable::with_config(&[StatefulImage {
            image: "acme/ledger".into(),
            data_dirs: vec!["/srv/ledger".into()],
            dump_tool: None,
        }]);
        assert_eq!(
            t.lookup("acme/ledger").map(|e| e.data_dirs.clone()),
            Some(vec!["/srv/ledger".to_string()])
        );
    }
}
