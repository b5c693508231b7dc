//! One integration-test binary (linking the tree-sitter grammars once): fixtures, registry and
//! end-to-end CLI tests.

mod canary;
mod cli;
mod fixtures;
mod registry;
