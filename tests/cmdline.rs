//! The command line as data (trycmd, as typos does): each `tests/cmd/<case>.toml` runs the binary
//! with its arguments in `tests/cmd/<case>.in/` and checks the exit code, standard output and
//! standard error. Regenerate the expected output with `TRYCMD=overwrite cargo test cmd` and
//! review the diff.

#[test]
fn cmd() {
    trycmd::TestCases::new()
        .register_bin(
            "dataloss-scan",
            std::path::Path::new(env!("CARGO_BIN_EXE_dataloss-scan")),
        )
        .case("tests/cmd/*.toml");
}
