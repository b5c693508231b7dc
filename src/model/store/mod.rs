//! Data stores: where a repository keeps data and how it is deployed, whatever file declared it.
//! Compose services ([`compose`]) and the containers of Kubernetes workloads ([`kubernetes`]), each
//! as its own submodule implementing [`DataStore`].
//!
//! Shared by every kind: what makes a store stateful ([`Stateful`], decided from the
//! stateful-images table), where data is mounted ([`Mount`]), published ports ([`Port`]),
//! environment entries ([`EnvEntry`]) and image references ([`image::ImageRef`]). The generic
//! questions (which engine, where its data lives, whether it survives the container, which ports
//! are open) are [`DataStore`]'s, so analyses and rules can ask them of any kind.
//!
//! Plain data with the questions rules ask of it; no parser types, no knowledge tables.

pub mod compose;
pub mod image;
pub mod kubernetes;

use std::collections::BTreeMap;

use crate::source::{OffsetMap, Span};
use crate::syntax::interp::interpolate;

pub use compose::{ComposeFile, Service, VolumeDecl};
pub use image::ImageRef;

/// A string value with its span in the host file (a YAML scalar, a dotenv key or value).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Spanned {
    pub value: String,
    pub span: Span,
}

/// The questions every kind of data store answers: which engine it runs, where its data lives,
/// whether that survives the container, and which ports it opens. A front-end implements the
/// four accessors; the answers built on them are shared.
pub trait DataStore {
    /// The store's name where it is declared (a Compose service key), with its span.
    fn name(&self) -> &Spanned;

    /// Set when the store runs a stateful image (or is a database resource).
    fn stateful(&self) -> Option<&Stateful>;

    /// Volumes, bind mounts and tmpfs mounted into the store's container.
    fn mounts(&self) -> &[Mount];

    /// Ports published on the host.
    fn ports(&self) -> &[Port];

    /// The container shares the host's network: every port it listens on is open on the host.
    fn host_network(&self) -> bool {
        false
    }

    /// The database engine (`postgres`, `mysql`, `redis`, …), when the store is stateful.
    fn engine(&self) -> Option<&str> {
        self.stateful().map(|s| s.family.as_str())
    }

    /// The anonymous volumes the image's Dockerfile `VOLUME`s imply ([`Stateful::image_volumes`]):
    /// a container engine creates one at each such path that no mount targets exactly. Compose
    /// answers them; Kubernetes has no anonymous volumes (the default, none).
    fn image_volumes(&self) -> &[Mount] {
        &[]
    }

    /// The mount whose target holds (or is) `dir`, preferring the deepest, the image's implied
    /// anonymous volumes included: a volume mounted at a parent of a `VOLUME` path does not hold
    /// what is written below it (`mongo:/data` with the image's `VOLUME /data/db`).
    fn mount_at(&self, dir: &str) -> Option<&Mount> {
        let explicit = self.mounts();
        let implied = self
            .image_volumes()
            .iter()
            .filter(|v| !explicit.iter().any(|m| same_path(&m.target, &v.target)));
        explicit
            .iter()
            .chain(implied)
            .filter(|m| path_within(dir, &m.target))
            .max_by_key(|m| m.target.trim_end_matches('/').len())
    }

    /// The deepest mount written for the store (not implied by the image) whose target holds `dir`.
    fn explicit_mount_at(&self, dir: &str) -> Option<&Mount> {
        self.mounts()
            .iter()
            .filter(|m| path_within(dir, &m.target))
            .max_by_key(|m| m.target.trim_end_matches('/').len())
    }

    /// Whether the store's data is persisted: a named volume or a bind mount at one of its data
    /// directories (an anonymous volume or a tmpfs is not persistence).
    fn data_mount(&self) -> Option<&Mount> {
        let stateful = self.stateful()?;
        stateful
            .data_dirs
            .iter()
            .filter_map(|d| self.mount_at(d))
            .find(|m| matches!(m.kind, MountKind::Named | MountKind::Bind))
    }

    /// The data survives the container (see [`DataStore::data_mount`]). A kind whose data is not
    /// in a mount (a managed database resource) answers it its own way.
    fn persistent(&self) -> bool {
        self.data_mount().is_some()
    }
}

/// The same container path, trailing slashes aside.
fn same_path(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// `dir` is `root` or inside it.
pub fn path_within(dir: &str, root: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    let root = root.trim_end_matches('/');
    if root.is_empty() {
        return true;
    }
    dir == root || dir.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
}

/// What makes a store stateful: its image family and where it keeps data.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stateful {
    /// e.g. `postgres`, `mysql`, `redis`.
    pub family: String,
    /// Container paths holding the data (e.g. `/var/lib/postgresql/data`).
    pub data_dirs: Vec<String>,
    /// The dump tool that backs it up (`pg_dump`, `mysqldump`, `mongodump`, …).
    pub dump_tool: String,
    /// Container ports the database listens on.
    pub ports: Vec<u16>,
    /// Variables whose presence means authentication is configured.
    pub password_env: Vec<String>,
    /// Why the service counts as stateful when that depends on its command line (Redis `--appendonly yes`).
    pub persistence: Option<String>,
    /// A database server, or an application keeping user data in an embedded database or files.
    pub kind: StoreKind,
    /// An application's name, for messages (`Grafana`).
    pub label: Option<String>,
    /// What an application keeps in its data directory, for messages (`its dashboards, users
    /// and alert rules`).
    pub keeps: Option<String>,
    /// The embedded database it keeps them in (`SQLite`), unless it uses an external one.
    pub embedded: Option<String>,
    /// The image's Dockerfile `VOLUME` paths, as implied anonymous mounts
    /// ([`Mount::implied`]); a front-end whose runtime creates no anonymous volumes ignores them.
    pub image_volumes: Vec<Mount>,
}

impl Stateful {
    /// The data, for messages: `its postgres data`, `its dashboards and users (SQLite)`.
    pub fn data(&self) -> String {
        match (&self.kind, &self.keeps) {
            (StoreKind::Application, Some(keeps)) => match &self.embedded {
                Some(db) => format!("{keeps} ({db})"),
                None => keeps.clone(),
            },
            _ => format!("its {} data", self.family),
        }
    }

    /// A database server (not an application that embeds its database): only those listen on a
    /// database port or take database passwords.
    pub fn is_database(&self) -> bool {
        self.kind == StoreKind::Database
    }
}

/// What kind of stateful store an image is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoreKind {
    /// A database server (postgres, redis, …).
    #[default]
    Database,
    /// An application keeping user data in an embedded database (SQLite, H2) or files
    /// (Grafana, Gitea, Nextcloud, …).
    Application,
}

/// A volume, bind mount or tmpfs mounted into a store's container.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Mount {
    pub kind: MountKind,
    /// Volume key (named), host path (bind), empty (anonymous, tmpfs).
    pub source: String,
    pub target: String,
    pub read_only: bool,
    /// The whole entry.
    pub span: Span,
    /// The source as written (may hold `${VAR}`), for named volumes and binds.
    pub source_raw: String,
    /// Not written by the user: an anonymous volume the image's `VOLUME` creates (its span is
    /// the store's `image:`).
    pub implied: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MountKind {
    #[default]
    Named,
    Anonymous,
    Bind,
    Tmpfs,
}

/// One environment entry: a Compose `environment:` entry (map or list form) or a `.env` line.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EnvEntry {
    pub key: Spanned,
    /// The value as written (not interpolated); `None` for `- KEY` / `KEY:` (taken from the shell).
    pub value: Option<Spanned>,
    /// Offsets in `value` → host offsets.
    #[serde(skip)]
    pub map: OffsetMap,
}

/// One port published on the host (Compose short or long syntax).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Port {
    /// The host IP, interpolated with defaults; `None` means all interfaces.
    pub host_ip: Option<String>,
    /// The host IP could not be known (`${BIND_IP}` without a default).
    pub host_ip_unknown: bool,
    /// The host IP as written, when it could not be known (for `.env` interpolation).
    pub host_ip_raw: Option<String>,
    pub published: Option<String>,
    pub target: String,
    pub span: Span,
}

impl Port {
    /// Reachable from other machines: no host IP, `0.0.0.0` or `::` (an unknown IP is given the
    /// benefit of the doubt).
    pub fn is_public(&self) -> bool {
        self.is_public_with(&BTreeMap::new())
    }

    /// Like [`Port::is_public`], with a host IP written as `${VAR}` resolved from `vars` (the
    /// `.env` next to the Compose file).
    pub fn is_public_with(&self, vars: &BTreeMap<String, String>) -> bool {
        let resolved;
        let ip = if self.host_ip_unknown {
            let Some(ip) = self
                .host_ip_raw
                .as_deref()
                .and_then(|raw| interpolate(raw, vars))
            else {
                return false;
            };
            resolved = ip;
            Some(resolved.as_str()).filter(|ip| !ip.is_empty())
        } else {
            self.host_ip.as_deref()
        };
        match ip {
            None => true,
            Some(ip) => {
                let ip = ip.trim_start_matches('[').trim_end_matches(']');
                matches!(ip, "" | "0.0.0.0" | "::" | "*")
            }
        }
    }

    /// The target port number (the first of a range).
    pub fn target_number(&self) -> Option<u16> {
        self.target
            .split(['-', '/'])
            .next()
            .and_then(|p| p.trim().parse().ok())
    }
}
