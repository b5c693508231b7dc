//! dataloss-scan: finds the ways a repository can lose its database's data.
//!
//! Layers, each importing only from those before it (checked by `tests/registry.rs`):
//! `source`, `notice`, `levels`, `classify`, `suppress`, `walk` → [`syntax`] (grammars and
//! lexers) → [`model`] (language-independent facts) → [`config`] → [`knowledge`] (CLI and image
//! tables) → [`frontends`] (one per input language) → [`analysis`] (cross-file facts) →
//! [`rules`] → [`outcome`] → [`report`] → [`engine`] (the scan itself). The library never prints.

pub mod analysis;
pub mod classify;
pub mod config;
pub mod engine;
pub mod frontends;
pub mod knowledge;
pub mod levels;
pub mod model;
pub mod notice;
pub mod outcome;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod syntax;
pub mod walk;

pub use engine::{
    DEFAULT_MAX_FILE_SIZE, Error, ScanOptions, baseline, debug_facts, diff, load_config, scan,
};
pub use outcome::ScanOutcome;
