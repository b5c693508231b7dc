//! The Compose kind of data store: a Compose file's model (services, top-level volumes and
//! secrets, the project name) as the Compose front-end builds it. Everything here is
//! Compose-specific (`build:`, `profiles:`, `x-` keys, `command:` split the Compose way); the
//! questions every kind of store answers are the [`DataStore`] trait's.
//!
//! Plain data: no parser types, no knowledge tables, no decisions about risk.

use crate::model::store::{DataStore, EnvEntry, ImageRef, Mount, Port, Spanned, Stateful};

/// The model of one Compose file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ComposeFile {
    /// Top-level `name:` (the project name), when set.
    pub name: Option<Spanned>,
    pub services: Vec<Service>,
    /// Top-level `volumes:` entries.
    pub volumes: Vec<VolumeDecl>,
    /// Top-level `secrets:` keys.
    pub secrets: Vec<Spanned>,
    /// Shell commands a scheduler container runs from services' labels (Ofelia's
    /// `ofelia.job-exec.<name>.command: "pg_dump …"`), at the label's value.
    pub scheduled: Vec<Spanned>,
}

impl ComposeFile {
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name.value == name)
    }

    pub fn volume(&self, key: &str) -> Option<&VolumeDecl> {
        self.volumes.iter().find(|v| v.key.value == key)
    }
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
    /// The image reference parsed (after interpolation with defaults).
    pub image_ref: Option<ImageRef>,
    /// The service has a `build:` section.
    pub build: bool,
    /// The Dockerfile `build:` names, relative to the Compose file's directory (`db/Dockerfile`
    /// for `build: ./db`; the `dockerfile:` of a long form inside its `context:`).
    pub build_file: Option<String>,
    /// The repository path of that Dockerfile and its final stage's base image, once read
    /// (the service then has `image_ref` from it).
    pub built_from: Option<(String, String)>,
    pub mounts: Vec<Mount>,
    pub environment: Vec<EnvEntry>,
    /// `env_file:` paths, relative to the compose file's directory.
    pub env_files: Vec<Spanned>,
    pub ports: Vec<Port>,
    /// `command:` as written (a string, or list items joined with spaces).
    pub command: Option<Spanned>,
    /// `command:` split into words the way Compose splits it.
    pub command_argv: Vec<Spanned>,
    pub entrypoint_argv: Vec<Spanned>,
    /// `secrets:` the service uses.
    pub secrets: Vec<Spanned>,
    pub profiles: Vec<String>,
    /// `network_mode: host`: every port the container listens on is open on the host.
    pub host_network: bool,
    /// `x-` extension keys of the service.
    pub extensions: Vec<Spanned>,
    /// Set when the image is stateful (from `rules/stateful-images.toml`).
    pub stateful: Option<Stateful>,
}

impl Service {
    /// The value of an environment variable set on the service (decoded, not interpolated).
    pub fn env(&self, key: &str) -> Option<&EnvEntry> {
        self.environment.iter().find(|e| e.key.value == key)
    }

    /// The image as written, or `build` when the service is built.
    pub fn image_display(&self) -> String {
        match &self.image {
            Some(i) => i.value.clone(),
            None if let Some((path, image)) = &self.built_from => {
                format!("{image}, built from {path}")
            }
            None if self.build => "built locally".into(),
            None => "no image".into(),
        }
    }

    /// The command and entrypoint words, entrypoint first, as plain strings.
    pub fn argv(&self) -> Vec<&str> {
        self.entrypoint_argv
            .iter()
            .chain(&self.command_argv)
            .map(|s| s.value.as_str())
            .collect()
    }
}

impl DataStore for Service {
    fn name(&self) -> &Spanned {
        &self.name
    }

    fn stateful(&self) -> Option<&Stateful> {
        self.stateful.as_ref()
    }

    fn mounts(&self) -> &[Mount] {
        &self.mounts
    }

    fn ports(&self) -> &[Port] {
        &self.ports
    }

    fn host_network(&self) -> bool {
        self.host_network
    }

    fn image_volumes(&self) -> &[Mount] {
        self.stateful.as_ref().map_or(&[], |s| &s.image_volumes)
    }
}
