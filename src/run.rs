//! The binary's glue: turn arguments into `ScanOptions`, run the scan (or list/explain rules),
//! apply baseline and diff filters, render the report and decide the exit code. Returns bytes;
//! `main.rs` writes them.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use dataloss_scan::config::{self, Config};
use dataloss_scan::levels::Level;
use dataloss_scan::report::{self, Format, ReportOptions};
use dataloss_scan::{ScanOptions, rules, scan};

use crate::cli::{Args, ColorArg, FailOn, FormatArg};

pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: u8,
}

/// One scan: a directory (its own root), a file list in its repository, or a file alone.
struct Target {
    /// The directory scanned, as given (a directory argument) or found (a file list's root).
    root: PathBuf,
    /// File-list mode: the root-relative paths reported.
    only: Vec<String>,
    /// A file argument with no repository around it: scanned alone, from its directory.
    lone: Option<PathBuf>,
    stdin: Option<(String, Vec<u8>)>,
}

pub fn run(args: Args) -> Result<Output, String> {
    if let Some(what) = args.generate {
        return finish(
            crate::cli::generate(what)?,
            Vec::new(),
            0,
            args.output.as_deref(),
        );
    }
    let meta = rules::metadata()?;
    let format = match args.format.unwrap_or(FormatArg::Human) {
        FormatArg::Human => Format::Human,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
        FormatArg::Gitlab => Format::Gitlab,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = colour(args.color, to_terminal);

    if args.list_rules || args.explain.is_some() {
        let what = if args.list_rules {
            "--list-rules"
        } else {
            "--explain"
        };
        if !matches!(format, Format::Human | Format::Json) {
            return Err(format!(
                "{what} prints text (the default) or JSON (--format json), not --format {}",
                format_name(format)
            ));
        }
    }
    if args.list_rules {
        let bytes = report::catalogue::list(meta, format == Format::Json);
        return finish(bytes, Vec::new(), 0, args.output.as_deref());
    }
    if let Some(id) = &args.explain {
        let as_json = format == Format::Json;
        let Some(text) = report::catalogue::explain(meta, id, as_json) else {
            let names = meta
                .iter()
                .flat_map(|m| std::iter::once(&m.id).chain(&m.aliases))
                .map(String::as_str);
            let hint = dataloss_scan::notice::did_you_mean_hint(id, names);
            return Err(format!("unknown rule `{id}`{hint} (see --list-rules)"));
        };
        return finish(text.into_bytes(), Vec::new(), 0, args.output.as_deref());
    }

    let targets = targets(&args)?;
    let explicit = match &args.config {
        Some(path) => Some(dataloss_scan::load_config(path)?),
        None => None,
    };
    // Each target's config: `--config`, else the nearest one above it. `fail-on` comes from the
    // first target's.
    let mut configs = Vec::with_capacity(targets.len());
    for target in &targets {
        configs.push(match &explicit {
            Some(config) => (config.clone(), String::new()),
            None => discovered_config(target)?,
        });
    }
    let first_config = configs.first().map(|(c, _)| c.clone()).unwrap_or_default();
    let fail_on = match args.fail_on {
        Some(f) => f,
        None => match first_config.fail_on.as_deref() {
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
    let progress = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let opts = ScanOptions {
        paths: args.paths.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        exclude: args.exclude.clone(),
        no_ignore: args.no_ignore,
        threads: args.threads.unwrap_or(0).min(crate::cli::MAX_THREADS),
        config: first_config,
        file_paths_from_cwd: true,
        progress: Some(progress.clone()),
        ..ScanOptions::default()
    };
    if args.debug_facts {
        let facts = dataloss_scan::debug_facts(&opts).map_err(|e| e.to_string())?;
        let mut bytes = serde_json::to_vec_pretty(&facts).map_err(|e| e.to_string())?;
        bytes.push(b'\n');
        return finish(bytes, Vec::new(), 0, args.output.as_deref());
    }
    // Each target is its own scan root. With several, every path is shown under its root (as
    // given, relative to the working directory), so `a/x.sh` and `b/x.sh` stay apart.
    let started = std::time::Instant::now();
    let spinner = crate::progress::Spinner::start(progress);
    let known = match &args.baseline {
        Some(baseline) => Some(dataloss_scan::baseline::load(baseline)?),
        None => None,
    };
    let several = targets.len() > 1;
    let mut outcome = dataloss_scan::ScanOutcome::default();
    for (target, (config, root_in_config)) in targets.into_iter().zip(configs) {
        let one = ScanOptions {
            paths: vec![target.lone.clone().unwrap_or_else(|| target.root.clone())],
            config,
            root_in_config,
            only: target.only.clone(),
            stdin: target.stdin,
            ..opts.clone()
        };
        let mut part = scan(&one).map_err(|e| e.to_string())?;
        if let Some(known) = &known {
            part.findings.retain(|f| !known.contains(&f.fingerprint));
        }
        if let Some(reference) = &args.diff {
            // A lone file argument's paths are relative to the working directory (see
            // `scan_root`).
            let from = match &target.lone {
                Some(file) => match dataloss_scan::walk::cwd_relative(&root_dir(file)) {
                    Some(_) => PathBuf::from("."),
                    None => root_dir(file),
                },
                None => target.root.clone(),
            };
            let changed = dataloss_scan::diff::changed_lines(&from, reference)?;
            dataloss_scan::diff::retain_changed(&mut part, &changed);
        }
        let prefix = match &target.lone {
            Some(file) => display_prefix(file, several),
            None => display_prefix(&target.root, several),
        };
        part.prefix_paths(&prefix);
        outcome.merge(part);
    }
    spinner.stop();
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
            color: colour(args.color, std::io::stderr().is_terminal()),
            ..ropts.clone()
        };
        stderr = report::human::render_notices(&outcome, &notice_opts).into_bytes();
    }
    if let Some(n) = args.threads.filter(|&n| n > crate::cli::MAX_THREADS)
        && !args.quiet
    {
        let max = crate::cli::MAX_THREADS;
        stderr.extend(
            format!("dataloss-scan: warning: -j {n} is capped at {max} worker threads\n")
                .into_bytes(),
        );
    }
    if format == Format::Sarif
        && let Some(warning) = report::sarif::limit_warning(&outcome, &ropts)
    {
        stderr.extend(warning.into_bytes());
    }
    let code = u8::from(outcome.fails(threshold));
    finish(bytes, stderr, code, args.output.as_deref())
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Human => "human",
        Format::Sarif => "sarif",
        Format::Json => "json",
        Format::Github => "github",
        Format::Gitlab => "gitlab",
    }
}

/// Whether to colour a stream: `--color` first; then `NO_COLOR` disables, `FORCE_COLOR` or
/// `CLICOLOR_FORCE` force it, `TERM=dumb` disables; else a terminal gets colour.
fn colour(arg: ColorArg, terminal: bool) -> bool {
    let set = |name: &str| {
        std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
    };
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto if set("NO_COLOR") => false,
        ColorArg::Auto if set("FORCE_COLOR") || set("CLICOLOR_FORCE") => true,
        ColorArg::Auto => terminal && std::env::var_os("TERM").is_none_or(|t| t != "dumb"),
    }
}

/// Turn the PATH arguments into scans: each directory is its own root; files are grouped by
/// the repository they belong to (the nearest directory upward holding `.git` or a config file)
/// and scanned as part of it; a file with no repository around it is scanned alone; `-` is the
/// file named by `--stdin-filename`, read from standard input.
fn targets(args: &Args) -> Result<Vec<Target>, String> {
    let dash = Path::new("-");
    let reads_stdin = args.paths.iter().any(|p| p == dash);
    if reads_stdin && args.paths.len() > 1 {
        return Err("`-` (standard input) cannot be combined with other paths".into());
    }
    if args.stdin_filename.is_some() && !reads_stdin {
        return Err(
            "--stdin-filename names the file read from standard input: pass `-` as the PATH".into(),
        );
    }
    if reads_stdin {
        let Some(name) = &args.stdin_filename else {
            return Err("`-` reads a file from standard input: name it with --stdin-filename PATH (its name decides how it is read)".into());
        };
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        let abs = config::absolute(name);
        let dir = abs.parent().map_or_else(|| abs.clone(), Path::to_path_buf);
        let root = config::project_root(&dir).unwrap_or_else(|| config::absolute(Path::new(".")));
        let Ok(rel) = abs.strip_prefix(&root) else {
            return Err(format!(
                "--stdin-filename {} is outside the directory it is scanned from ({})",
                name.display(),
                root.display()
            ));
        };
        let rel = dataloss_scan::walk::relative(Path::new(""), rel);
        return Ok(vec![Target {
            root,
            only: vec![rel.clone()],
            lone: None,
            stdin: Some((rel, bytes)),
        }]);
    }
    let mut out: Vec<Target> = Vec::new();
    for path in &args.paths {
        if !path.exists() {
            // Also a broken symbolic link: named, but nothing to read.
            if path.symlink_metadata().is_err() {
                return Err(format!("path does not exist: {}", path.display()));
            }
        }
        if path.is_dir() {
            out.push(Target {
                root: path.clone(),
                only: Vec::new(),
                lone: None,
                stdin: None,
            });
            continue;
        }
        let abs = config::absolute(path);
        let root = abs.parent().and_then(config::project_root);
        let (Some(root), Some(name)) = (root, abs.file_name()) else {
            out.push(Target {
                root: root_dir(path),
                only: Vec::new(),
                lone: Some(path.clone()),
                stdin: None,
            });
            continue;
        };
        let parent = abs.parent().unwrap_or(&root);
        let rel = dataloss_scan::walk::relative(&root, &parent.join(name));
        match out
            .iter_mut()
            .find(|t| t.lone.is_none() && !t.only.is_empty() && t.root == root)
        {
            Some(target) => {
                if !target.only.contains(&rel) {
                    target.only.push(rel);
                }
            }
            None => out.push(Target {
                root,
                only: vec![rel],
                lone: None,
                stdin: None,
            }),
        }
    }
    Ok(out)
}

/// The config a target's scan uses when `--config` is not given: the nearest one from its
/// directory up to the repository root, and the target's root relative to the config's directory.
fn discovered_config(target: &Target) -> Result<(Config, String), String> {
    let start = match &target.lone {
        Some(file) => root_dir(file),
        None => target.root.clone(),
    };
    let Some(path) = Config::discover_upward(&start) else {
        return Ok((Config::default(), String::new()));
    };
    // Found, not named: it must be a regular file in the directory it was found for.
    Config::check_discovered(&path)?;
    let config = dataloss_scan::load_config(&path)?;
    let base = Config::base_dir(&path);
    let here = config::absolute(&start);
    let root_in_config = here
        .strip_prefix(&base)
        .map(|rel| dataloss_scan::walk::relative(Path::new(""), rel))
        .unwrap_or_default();
    // `relative` names a path by its file name when nothing is left: the same directory.
    let root_in_config = if here == base {
        String::new()
    } else {
        root_in_config
    };
    Ok((config, root_in_config))
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
