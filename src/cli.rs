//! Command-line arguments (clap). Declared only from `main.rs`; the library never sees clap.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, ValueEnum};

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GenerateArg {
    /// A man page (roff).
    Man,
    #[value(name = "complete-bash")]
    CompleteBash,
    #[value(name = "complete-zsh")]
    CompleteZsh,
    #[value(name = "complete-fish")]
    CompleteFish,
    #[value(name = "complete-powershell")]
    CompletePowershell,
}

/// The most worker threads a scan starts: more never helps a scan that reads and parses files,
/// and a typo (`-j 10000`) spent minutes starting threads.
pub const MAX_THREADS: usize = 256;

/// Find the ways a repository can lose its database's data.
#[derive(Debug, Parser)]
#[command(name = "dataloss-scan", version, about, max_term_width = 100)]
pub struct Args {
    /// Files or directories to scan; `-` reads one file from standard input (name it with
    /// --stdin-filename).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// The path (from the working directory) of the file read from standard input: it decides
    /// the file's kind and context, and its repository gives the cross-file facts.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Output format [default: human].
    #[arg(short = 'f', long, value_enum)]
    pub format: Option<FormatArg>,

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

    /// Config file [default: the nearest dataloss-scan.toml or .dataloss-scan.toml (or in .github/)
    /// from the scanned path up to the repository's root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Leave out findings already in this earlier SARIF or JSON report.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Report only findings on lines changed since the merge-base of this git ref and HEAD
    /// (as a pull request shows them), uncommitted and untracked files included.
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

    /// Worker threads, capped at 256 [default: all cores; 0 means the same].
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

    /// Print a man page or a shell completion script, and exit.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub generate: Option<GenerateArg>,

    /// Print the facts extracted from each file as JSON (for rule authors).
    #[arg(long, hide = true)]
    pub debug_facts: bool,
}

/// `--generate`: a man page or a completion script for the command line above.
pub fn generate(what: GenerateArg) -> Result<Vec<u8>, String> {
    let mut cmd = Args::command();
    let name = cmd.get_name().to_string();
    let mut out = Vec::new();
    let shell = match what {
        GenerateArg::Man => {
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(|e| format!("cannot render the man page: {e}"))?;
            return Ok(out);
        }
        GenerateArg::CompleteBash => clap_complete::Shell::Bash,
        GenerateArg::CompleteZsh => clap_complete::Shell::Zsh,
        GenerateArg::CompleteFish => clap_complete::Shell::Fish,
        GenerateArg::CompletePowershell => clap_complete::Shell::PowerShell,
    };
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    Ok(out)
}
