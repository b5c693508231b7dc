//! Knowledge: what the scanner knows about the world outside the repository, kept once and read
//! by every front-end and analysis: how `docker`, `docker compose` and `podman` read their flags,
//! which images keep data where (`rules/stateful-images.toml`), what a database password looks
//! like (`rules/credentials.toml`) and which programs take one by which flag, which Terraform resources are databases and which of
//! their settings lose data (`rules/managed-databases.toml`), and how infrastructure CLIs
//! (`kubectl`, `helm`, `terraform`, the cloud CLIs) delete data (`rules/infra-commands.toml`).

pub mod backup;
pub mod clients;
pub mod connection_strings;
pub mod credentials;
pub mod docker;
pub mod framework;
pub mod infra_cli;
pub mod managed_db;
pub mod orm_settings;
pub mod password_flags;
pub mod programs;
pub mod stateful;
pub mod wrappers;
