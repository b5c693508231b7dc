//! Helpers shared by the end-to-end tests: the binary, temporary repositories, running the binary
//! in a directory, git in a test repository.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The scanner binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_dataloss-scan");

/// What a run of the binary printed, and its exit code.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Standard output as bytes (reports are compared byte for byte).
    pub bytes: Vec<u8>,
}

impl Run {
    /// (exit code, standard output bytes, standard error).
    pub fn parts(self) -> (i32, Vec<u8>, String) {
        (self.code, self.bytes, self.stderr)
    }

    /// Standard output as JSON (`--format json` or `sarif`).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

/// Run the binary in `dir` with `args` (colour left to the flags, a fixed terminal width).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .output()
        .expect("run the binary");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        bytes: out.stdout,
    }
}

/// Write `bytes` at `rel` under `root`, making its directories.
pub fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let full = root.join(rel);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(full, bytes).expect("write");
}

/// A temporary repository built from `(path, content)` pairs.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, content) in files {
        write(dir.path(), path, content);
    }
    dir
}

/// Run git in a test repository with a fixed identity; panics when git fails.
pub fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}
