//! The binary: arguments → `dataloss_scan::scan` → report bytes → exit code (0, 1, 2).
//! All output is written here (and in `run.rs`); the library never prints.

mod cli;
mod progress;
mod run;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// Stack of the thread that runs the scan and renders the report (the rayon workers get the
/// same): every recursion over input has a depth limit, and this leaves them a wide margin.
const STACK_SIZE: usize = 64 * 1024 * 1024;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    let worker = std::thread::Builder::new()
        .name("scan".into())
        .stack_size(STACK_SIZE)
        .spawn(move || run::run(args));
    let result = match worker {
        Ok(handle) => match handle.join() {
            Ok(result) => result,
            Err(_) => return fail("internal error (please report it)"),
        },
        Err(e) => return fail(&format!("could not start the scan thread: {e}")),
    };
    match result {
        Ok(run::Output {
            stdout,
            stderr,
            code,
        }) => {
            let _ = write_out(&stderr, &mut std::io::stderr());
            match write_out(&stdout, &mut std::io::stdout()) {
                Ok(()) => ExitCode::from(code),
                // A closed pipe (`| head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                // Any other failure (a full disk, `> /dev/full`) means the report was not
                // written: the scan could not be done.
                Err(e) => fail(&format!("cannot write the report to stdout: {e}")),
            }
        }
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> ExitCode {
    let text = format!("dataloss-scan: error: {message}\n");
    let _ = write_out(text.as_bytes(), &mut std::io::stderr());
    ExitCode::from(2)
}

/// Write everything and flush.
fn write_out(bytes: &[u8], to: &mut dyn Write) -> std::io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    to.write_all(bytes).and_then(|()| to.flush())
}
