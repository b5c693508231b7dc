//! Compose facts: the model of a Compose file (services, images, volumes, bind mounts, ports,
//! environment, project name), with spans on every key and value. Anchors, aliases and merge keys
//! are resolved here. (The full model arrives with the compose pack; the shape below is the
//! contract other packs code against.)

use crate::source::Span;

use super::FileFacts;

/// A scalar from the YAML with its span (of the value; for a key/value pair, `key_span` too).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Spanned {
    pub value: String,
    pub span: Span,
}

/// The model of one Compose file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ComposeFile {
    /// Top-level `name:` (the project name), when set.
    pub name: Option<Spanned>,
    pub services: Vec<Service>,
    /// Top-level `volumes:` entries.
    pub volumes: Vec<VolumeDecl>,
}

/// A top-level named volume.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct VolumeDecl {
    /// The key under `volumes:`.
    pub key: Spanned,
    /// An explicit `name:` (used as the Docker volume name as is).
    pub name: Option<Spanned>,
    pub external: bool,
}

/// One service.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Service {
    /// The service key, with its span.
    pub name: Spanned,
    pub image: Option<Spanned>,
    pub mounts: Vec<Mount>,
    pub environment: Vec<EnvEntry>,
    pub ports: Vec<Port>,
    pub command: Option<Spanned>,
    /// Set when the image is stateful (from `rules/stateful-images.toml`).
    pub stateful: Option<Stateful>,
}

/// What makes a service stateful: its image family and where it keeps data.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stateful {
    /// e.g. `postgres`, `mysql`, `redis`.
    pub family: String,
    /// Container paths holding the data (e.g. `/var/lib/postgresql/data`).
    pub data_dirs: Vec<String>,
    /// The dump tool that backs it up (`pg_dump`, `mysqldump`, `mongodump`, …).
    pub dump_tool: String,
}

/// A volume, bind mount or tmpfs on a service.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Mount {
    pub kind: MountKind,
    /// Volume key (named), host path (bind), empty (anonymous, tmpfs).
    pub source: String,
    pub target: String,
    pub read_only: bool,
    pub span: Span,
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

/// One `environment:` entry (map or list form).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EnvEntry {
    pub key: Spanned,
    pub value: Option<Spanned>,
}

/// One published port.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Port {
    pub host_ip: Option<String>,
    pub published: Option<String>,
    pub target: String,
    pub span: Span,
}

/// Build the compose model of a YAML file, when it is a Compose file.
pub fn extract_file(_facts: &mut FileFacts) {}
