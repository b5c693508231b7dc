//! Classification: what kind of file is this, by its name first and, only for files without an
//! extension, by the first bytes (a shebang). Pure functions, table-tested; nothing here opens a file.

/// The kinds of file the scanner analyses. Everything else is never read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// A shell script (by extension or shebang).
    Shell,
    /// A `.sql` file (plain SQL, a dump or a migration).
    Sql,
    /// A Compose file, recognised by its name.
    Compose,
    /// A GitHub Actions workflow (`.github/workflows/*.yml`).
    GithubWorkflow,
    /// A GitLab CI file.
    GitlabCi,
    /// Any other YAML file: a Compose file when its content says so.
    Yaml,
    /// A Makefile.
    Makefile,
    /// Markdown: shell in fenced blocks is the docs context.
    Markdown,
    /// A dotenv file (`.env`, `.env.production`, `app.env`).
    DotEnv,
    /// A crontab file.
    Crontab,
    /// A systemd unit (`.service`, `.timer`).
    Systemd,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Shell => "shell",
            FileKind::Sql => "sql",
            FileKind::Compose => "compose",
            FileKind::GithubWorkflow => "github-workflow",
            FileKind::GitlabCi => "gitlab-ci",
            FileKind::Yaml => "yaml",
            FileKind::Makefile => "makefile",
            FileKind::Markdown => "markdown",
            FileKind::DotEnv => "dotenv",
            FileKind::Crontab => "crontab",
            FileKind::Systemd => "systemd",
        }
    }

    /// Whether a file of this kind may hold shell commands.
    pub fn may_hold_shell(self) -> bool {
        !matches!(self, FileKind::Sql | FileKind::DotEnv)
    }
}

/// What the name alone says about a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameClass {
    Kind(FileKind),
    /// No extension: a script only if its first bytes are a shell shebang.
    Sniff,
    Skip,
}

/// Classify by the repo-relative path (with `/` separators).
pub fn classify_name(path: &str) -> NameClass {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let parent = parent_dir(path);

    if let Some(kind) = by_exact_name(&lower, parent) {
        return NameClass::Kind(kind);
    }
    let Some((stem, ext)) = lower.rsplit_once('.').filter(|(stem, _)| !stem.is_empty()) else {
        // `.env`, `.envrc`-style dotfiles and plain extensionless names.
        if lower.starts_with(".env.") || lower == ".env" {
            return NameClass::Kind(FileKind::DotEnv);
        }
        if lower.starts_with('.') {
            return NameClass::Skip;
        }
        if parent.ends_with("cron.d") || parent.ends_with("crontabs") {
            return NameClass::Kind(FileKind::Crontab);
        }
        return NameClass::Sniff;
    };
    if lower.starts_with(".env.") {
        return NameClass::Kind(FileKind::DotEnv);
    }
    match ext {
        "sh" | "bash" | "zsh" | "ksh" | "dash" => NameClass::Kind(FileKind::Shell),
        "sql" => NameClass::Kind(FileKind::Sql),
        "md" | "markdown" => NameClass::Kind(FileKind::Markdown),
        "mk" | "mak" => NameClass::Kind(FileKind::Makefile),
        "env" => NameClass::Kind(FileKind::DotEnv),
        "cron" | "crontab" => NameClass::Kind(FileKind::Crontab),
        "timer" | "service" => NameClass::Kind(FileKind::Systemd),
        "yml" | "yaml" => NameClass::Kind(yaml_kind(path, stem, parent)),
        _ => NameClass::Skip,
    }
}

fn by_exact_name(lower: &str, _parent: &str) -> Option<FileKind> {
    match lower {
        "makefile" | "gnumakefile" => Some(FileKind::Makefile),
        "crontab" => Some(FileKind::Crontab),
        ".gitlab-ci.yml" | ".gitlab-ci.yaml" => Some(FileKind::GitlabCi),
        _ => None,
    }
}

fn yaml_kind(path: &str, stem: &str, parent: &str) -> FileKind {
    if parent == ".github/workflows" || parent.ends_with("/.github/workflows") {
        return FileKind::GithubWorkflow;
    }
    if stem.ends_with(".gitlab-ci") || stem == "gitlab-ci" {
        return FileKind::GitlabCi;
    }
    if stem == "compose"
        || stem.starts_with("docker-compose")
        || stem.starts_with("compose.")
        || stem.ends_with(".compose")
        || stem.starts_with("podman-compose")
    {
        return FileKind::Compose;
    }
    let _ = path;
    FileKind::Yaml
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

/// Classify an extensionless file by its first bytes: a shell shebang makes it a script.
pub fn classify_head(head: &[u8]) -> Option<FileKind> {
    let first_line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(first_line).ok()?.trim_end_matches('\r');
    let rest = line.strip_prefix("#!")?.trim();
    let mut words = rest.split_whitespace();
    let mut interpreter = words.next()?.rsplit('/').next()?;
    if interpreter == "env" {
        interpreter = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
    }
    matches!(
        interpreter,
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash" | "mksh"
    )
    .then_some(FileKind::Shell)
}

/// True when the bytes look binary: a NUL anywhere. git and ripgrep look only at the first
/// 8 KiB because they stream; a file here is read whole before it is analysed, so a NUL after
/// the first block is found for the price of one `memchr` (what `contains` does on bytes).
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        use FileKind::*;
        let table: &[(&str, NameClass)] = &[
            ("stop.sh", NameClass::Kind(Shell)),
            ("scripts/deploy.bash", NameClass::Kind(Shell)),
            ("db/schema.sql", NameClass::Kind(Sql)),
            ("docker-compose.yml", NameClass::Kind(Compose)),
            ("deploy/docker-compose.prod.yaml", NameClass::Kind(Compose)),
            ("compose.yaml", NameClass::Kind(Compose)),
            ("compose.override.yml", NameClass::Kind(Compose)),
            ("app.compose.yml", NameClass::Kind(Compose)),
            (".github/workflows/ci.yml", NameClass::Kind(GithubWorkflow)),
            (
                "sub/.github/workflows/ci.yaml",
                NameClass::Kind(GithubWorkflow),
            ),
            (".gitlab-ci.yml", NameClass::Kind(GitlabCi)),
            ("ci/deploy.gitlab-ci.yml", NameClass::Kind(GitlabCi)),
            ("k8s/values.yaml", NameClass::Kind(Yaml)),
            ("Makefile", NameClass::Kind(Makefile)),
            ("build/rules.mk", NameClass::Kind(Makefile)),
            ("docs/RESTORE.md", NameClass::Kind(Markdown)),
            (".env", NameClass::Kind(DotEnv)),
            (".env.production", NameClass::Kind(DotEnv)),
            (".env.example", NameClass::Kind(DotEnv)),
            ("config/db.env", NameClass::Kind(DotEnv)),
            ("crontab", NameClass::Kind(Crontab)),
            ("etc/cron.d/backup", NameClass::Kind(Crontab)),
            ("systemd/backup.timer", NameClass::Kind(Systemd)),
            ("bin/reset-db", NameClass::Sniff),
            (".gitignore", NameClass::Skip),
            ("src/main.rs", NameClass::Skip),
            ("Dockerfile", NameClass::Sniff),
            ("logo.png", NameClass::Skip),
        ];
        for (path, want) in table {
            assert_eq!(classify_name(path), *want, "{path}");
        }
    }

    #[test]
    fn shebangs() {
        let table: &[(&[u8], Option<FileKind>)] = &[
            (b"#!/bin/sh\necho", Some(FileKind::Shell)),
            (b"#!/usr/bin/env bash\n", Some(FileKind::Shell)),
            (b"#!/usr/bin/env -S bash -e\n", Some(FileKind::Shell)),
            (b"#! /bin/zsh\r\n", Some(FileKind::Shell)),
            (b"#!/usr/bin/env python3\n", None),
            (b"FROM postgres:16\n", None),
            (b"", None),
        ];
        for (head, want) in table {
            assert_eq!(
                classify_head(head),
                *want,
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn binary() {
        assert!(looks_binary(b"ab\0cd"));
        let mut late = vec![b'x'; 100_000];
        late[90_000] = 0;
        assert!(looks_binary(&late));
        assert!(!looks_binary(b"#!/bin/sh\n"));
    }
}
