//! The binary: arguments → `dataloss_scan::scan` → report bytes → exit code (0, 1, 2).
//! All output is written here (and in `run.rs`); the library never prints.

mod cli;
mod run;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match run::run(args) {
        Ok(run::Output {
            stdout,
            stderr,
            code,
        }) => {
            write_out(&stderr, &mut std::io::stderr());
            if !write_out(&stdout, &mut std::io::stdout()) {
                // A closed pipe (`| head`) is not an error.
                return ExitCode::SUCCESS;
            }
            ExitCode::from(code)
        }
        Err(message) => {
            let text = format!("dataloss-scan: error: {message}\n");
            write_out(text.as_bytes(), &mut std::io::stderr());
            ExitCode::from(2)
        }
    }
}

/// Write everything; `false` when the reader went away or the stream failed.
fn write_out(bytes: &[u8], to: &mut dyn Write) -> bool {
    if bytes.is_empty() {
        return true;
    }
    to.write_all(bytes).and_then(|()| to.flush()).is_ok()
}
