//! The binary's glue: turn arguments into `ScanOptions`, run the scan (or list/explain rules),
//! apply baseline and diff filters, render the report and decide the exit code. Returns bytes;
//! `main.rs` writes them.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use dataloss_scan::config::Config;
use dataloss_scan::levels::Level;
use dataloss_scan::report::{self, Format, ReportOptions};
use dataloss_scan::{ScanOptions, rules, scan};

use crate::cli::{Args, ColorArg, FailOn, FormatArg};

pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: u8,
}

pub fn run(args: Args) -> Result<Output, String> {
    let meta = rules::metadata()?;
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
        FormatArg::Gitlab => Format::Gitlab,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };

    if args.list_rules {
        let bytes = report::catalogue::list(meta, format == Format::Json);
        return finish(bytes, Vec::new(), 0, args.output.as_deref());
    }
    if let Some(id) = &args.explain {
        let Some(text) = report::catalogue::explain(meta, id) else {
            return Err(format!("unknown rule `{id}` (see --list-rules)"));
        };
        return finish(text.into_bytes(), Vec::new(), 0, args.output.as_deref());
    }

    let first_root = args
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let config = match &args.config {
        Some(path) => dataloss_scan::load_config(path)?,
        None => match Config::discover(&root_dir(&first_root)) {
            Some(path) => dataloss_scan::load_config(&path)?,
            None => Config::default(),
        },
    };
    let fail_on = match args.fail_on {
        Some(f) => f,
        None => match config.fail_on.as_deref() {
            None => FailOn::Warning,
            Some("never") => FailOn::Never,
            Some(s) => match Level::parse(s) {
                Some(Level::Error) => FailOn::Error,
                Some(Level::Warning) => FailOn::Warning,
                Some(Level::Note) => FailOn::Note,
                None => {
                    return Err(format!(
                        "config: invalid fail-on `{s}` (error, warning, note or never)"
                    ));
                }
            },
        },
    };
    let threshold = match fail_on {
        FailOn::Error => Some(Level::Error),
        FailOn::Warning => Some(Level::Warning),
        FailOn::Note => Some(Level::Note),
        FailOn::Never => None,
    };
    let opts = ScanOptions {
        paths: args.paths.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        exclude: args.exclude.clone(),
        no_ignore: args.no_ignore,
        threads: args.threads.unwrap_or(0),
        config,
        file_paths_from_cwd: true,
    };
    if args.debug_facts {
        let facts = dataloss_scan::debug_facts(&opts).map_err(|e| e.to_string())?;
        let mut bytes = serde_json::to_vec_pretty(&facts).map_err(|e| e.to_string())?;
        bytes.push(b'\n');
        return finish(bytes, Vec::new(), 0, args.output.as_deref());
    }
    // Each PATH is its own scan root. With several, every path is shown under its root (as
    // given, relative to the working directory), so `a/x.sh` and `b/x.sh` stay apart.
    let started = std::time::Instant::now();
    let roots = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    let known = match &args.baseline {
        Some(baseline) => Some(dataloss_scan::baseline::load(baseline)?),
        None => None,
    };
    let mut outcome = dataloss_scan::ScanOutcome::default();
    for root in &roots {
        let one = ScanOptions {
            paths: vec![root.clone()],
            ..opts.clone()
        };
        let mut part = scan(&one).map_err(|e| e.to_string())?;
        if let Some(known) = &known {
            part.findings.retain(|f| !known.contains(&f.fingerprint));
        }
        if let Some(reference) = &args.diff {
            // A file argument's paths are relative to the working directory (see `scan_root`).
            let from = match dataloss_scan::walk::cwd_relative(&root_dir(root)) {
                Some(_) if root.exists() && !root.is_dir() => PathBuf::from("."),
                _ => root_dir(root),
            };
            let changed = dataloss_scan::diff::changed_lines(&from, reference)?;
            dataloss_scan::diff::retain_changed(&mut part, &changed);
        }
        part.prefix_paths(&display_prefix(root, roots.len() > 1));
        outcome.merge(part);
    }
    outcome.sort();
    outcome.elapsed = started.elapsed();

    let ropts = ReportOptions {
        color,
        width: terminal_width(),
        include_suppressed: args.include_suppressed,
        verbose: args.verbose,
        quiet: args.quiet,
        show_time: true,
    };
    let bytes = report::render(&outcome, meta, format, &ropts);
    let mut stderr = Vec::new();
    if format == Format::Human || args.verbose {
        let notice_opts = ReportOptions {
            color: args.color == ColorArg::Always
                || (args.color == ColorArg::Auto
                    && std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())),
            ..ropts.clone()
        };
        stderr = report::human::render_notices(&outcome, &notice_opts).into_bytes();
    }
    if format == Format::Sarif
        && let Some(warning) = report::sarif::limit_warning(&outcome, &ropts)
    {
        stderr.extend(warning.into_bytes());
    }
    let code = u8::from(outcome.fails(threshold));
    finish(bytes, stderr, code, args.output.as_deref())
}

fn finish(
    bytes: Vec<u8>,
    stderr: Vec<u8>,
    code: u8,
    output: Option<&Path>,
) -> Result<Output, String> {
    match output {
        Some(path) => {
            write_whole(path, &bytes)?;
            Ok(Output {
                stdout: Vec::new(),
                stderr,
                code,
            })
        }
        None => Ok(Output {
            stdout: bytes,
            stderr,
            code,
        }),
    }
}

/// Write to a temporary file next to `path`, then rename: never half a file.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    Ok(())
}

/// The directory a PATH argument scans from.
fn root_dir(path: &Path) -> PathBuf {
    if path.exists() && !path.is_dir() {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    } else {
        path.to_path_buf()
    }
}

/// How to prefix root-relative paths so they are relative to the working directory. A root
/// outside it gets no prefix when it is the only one (paths stay relative to the scan root); one
/// of several is shown as written, so that two roots never give the same path.
fn display_prefix(path: &Path, several: bool) -> String {
    let root = root_dir(path);
    match dataloss_scan::walk::cwd_relative(&root) {
        // A file argument's paths already carry its directory (see `scan_root`).
        Some(_) if path.exists() && !path.is_dir() => String::new(),
        Some(rel) => rel,
        None if several => {
            let text = root.to_string_lossy().replace('\\', "/");
            text.trim_end_matches('/').to_string()
        }
        None => String::new(),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
        .clamp(40, 200)
}
