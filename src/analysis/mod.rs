//! Analysis: the cross-file work, built once per scan after every file's facts are extracted:
//! Compose projects and their volumes, what a command acts on, the migration set, and the
//! backup paths of scripts. Reads the model (and front-end helpers); never syntax trees.

pub mod backup;
pub mod callers;
pub mod infra;
pub mod kube_delete;
pub mod migrations;
pub mod operations;
pub mod paths;
pub mod programs;
pub mod repo;
pub mod runs;
pub mod sourced;
pub mod stores;
pub mod targets;
pub mod tf_destroy;
