//! One integration-test binary (linking the tree-sitter grammars once): reports and the GitHub
//! Action.

mod action;
mod formats;
mod sarif;
