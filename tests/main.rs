//! One integration-test binary (linking the tree-sitter grammars once): fixtures, registry,
//! end-to-end CLI tests, report formats and the GitHub Action.

mod action;
mod backup;
mod baseline;
mod canary;
mod cli;
mod cmdline;
mod compose;
mod fixtures;
mod formats;
mod integrate;
mod layers;
mod migration_facts;
mod packaging;
mod registry;
mod robustness;
mod sarif;
mod secrets;
mod util;
