//! Command-line arguments (clap). Declared only from `main.rs`; the library never sees clap.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Human,
    Sarif,
    Json,
    Github,
    Gitlab,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Find the ways a repository can lose its database's data.
#[derive(Debug, Parser)]
#[command(name = "dataloss-scan", version, about, max_term_width = 100)]
pub struct Args {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value = "human")]
    pub format: FormatArg,

    /// Write the report to FILE instead of stdout (written whole, or not at all).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 1 when a finding at or above this level exists [default: warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    // One value per occurrence (a comma list, or the flag repeated), as in ripgrep and ruff: a
    // flag that took every following word would swallow the PATHs (`--exclude vendor/ src`
    // scanned `.` with `src` excluded).
    /// Run only these rules or packs (shell, sql, compose, backup); comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "ID|PACK")]
    pub select: Vec<String>,

    /// Skip these rules or packs; comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "ID|PACK")]
    pub ignore: Vec<String>,

    /// Skip paths matching this glob (gitignore syntax), on top of .gitignore; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Do not honour .gitignore/.ignore files.
    #[arg(long)]
    pub no_ignore: bool,

    /// Config file [default: dataloss-scan.toml or .dataloss-scan.toml at the root, then in .github/].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Leave out findings already in this earlier SARIF or JSON report.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Report only findings on lines changed since this git ref.
    #[arg(long, value_name = "REF")]
    pub diff: Option<String>,

    /// Also report suppressed findings (SARIF `suppressions`).
    #[arg(long)]
    pub include_suppressed: bool,

    /// Print the rule catalogue (with --format json, as JSON).
    #[arg(long)]
    pub list_rules: bool,

    /// Print a rule's full documentation.
    #[arg(long, value_name = "ID")]
    pub explain: Option<String>,

    /// Worker threads [default: all cores].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,

    /// Fewer notices on stderr.
    #[arg(short = 'q', long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// More notices on stderr.
    #[arg(short = 'v', long)]
    pub verbose: bool,

    /// Print the facts extracted from each file as JSON (for rule authors).
    #[arg(long, hide = true)]
    pub debug_facts: bool,
}
