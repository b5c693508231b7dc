//! Credentials in the file's shell (scripts, CI steps, Compose `sh -c`, Makefile recipes: every
//! command the shell front-end extracted): database clients' password flags (`mysql -pSECRET`,
//! `redis-cli -a SECRET`, `mongosh -p SECRET`, `docker run … redis-server --requirepass SECRET`)
//! and connection URLs given to them, plus what [`super::named`] finds by variable name.
//!
//! A word that expands an unknown variable is no literal; a variable assigned a literal earlier
//! (`PW=secret; mysql -p$PW`) points at that assignment.

use crate::frontends::secrets::found::{Found, push, shell_secret, shell_urls};
use crate::frontends::secrets::named::shell_named;
use crate::knowledge::credentials::{is_password_var, is_well_known};
use crate::knowledge::password_flags::{
    basename, is_mongo_program, is_mysql_client, is_redis_program, mongo_password_at,
    mysql_password_in, redis_password_at, setup_password_at, takes_url,
};
use crate::model::FileFacts;
use crate::model::command::{Command, Word};
use crate::model::secret::Origin;

/// Credentials in the file's shell (scripts and shell embedded anywhere).
pub fn from_shell(facts: &mut FileFacts) {
    let mut found = shell_named(facts, &is_password_var);
    for command in &facts.shell.commands {
        let Some(program) = command.program() else {
            continue;
        };
        if is_mysql_client(&program) {
            found.extend(mysql_password(facts, command, &program));
        }
        let args: Vec<&Word> = command.args().collect();
        if is_redis_program(&program) {
            found.extend(redis_password(facts, &args, &program));
        }
        if is_mongo_program(&program) {
            found.extend(mongo_password(facts, &args, &program));
        }
        found.extend(setup_password(facts, &args, &program));
        // `docker run -d redis:7 redis-server --requirepass …`: the container's command.
        if matches!(program.as_str(), "docker" | "podman" | "nerdctl")
            && args.first().is_some_and(|w| w.is("run") || w.is("create"))
            && let Some(at) = args
                .iter()
                .position(|w| w.literal().is_some_and(|l| is_redis_program(basename(&l))))
            && let Some(inner) = args[at].literal()
        {
            let inner = basename(&inner).to_string();
            found.extend(redis_password(facts, &args[at + 1..], &inner));
        }
        if takes_url(&program) {
            for word in command.args() {
                found.extend(shell_urls(
                    facts,
                    word,
                    &format!("given to `{program}`"),
                    Origin::ShellUrl {
                        program: program.clone(),
                    },
                ));
            }
        }
    }
    for f in found {
        push(facts, f);
    }
}

/// A password given to `program` with `flag` as the literal `secret` of `word`.
fn flag_secret(
    facts: &FileFacts,
    word: &Word,
    secret: &str,
    program: &str,
    flag: &str,
) -> Option<Found> {
    let (class, span) = shell_secret(facts, word, secret)?;
    Some(Found {
        by_name: true,
        span,
        name: format!("given with `{program} {flag}`"),
        origin: Origin::ShellFlag {
            program: program.to_string(),
        },
        class,
        value_chars: secret.chars().count(),
        well_known: is_well_known(secret, None),
    })
}

/// `mongosh -u root -p SECRET`, `mongodump --password=SECRET`.
fn mongo_password(facts: &FileFacts, args: &[&Word], program: &str) -> Vec<Found> {
    offset_passwords(facts, args, program, mongo_password_at)
}

/// `--db-root-password=SECRET` of any program (a setup or install command).
fn setup_password(facts: &FileFacts, args: &[&Word], program: &str) -> Vec<Found> {
    offset_passwords(facts, args, program, setup_password_at)
}

/// A reader of password positions in words: (word index, value offset, option) for each.
type PasswordsAt = fn(&[Option<String>]) -> Vec<(usize, usize, String)>;

/// Passwords found by `at` as (word index, value offset, option).
fn offset_passwords(
    facts: &FileFacts,
    args: &[&Word],
    program: &str,
    at: PasswordsAt,
) -> Vec<Found> {
    let literals: Vec<Option<String>> = args.iter().map(|w| w.literal()).collect();
    let mut out = Vec::new();
    for (at, offset, flag) in at(&literals) {
        let (Some(word), Some(Some(text))) = (args.get(at), literals.get(at)) else {
            continue;
        };
        let Some(secret) = text.get(offset..).filter(|s| !s.is_empty()) else {
            continue;
        };
        out.extend(flag_secret(facts, word, secret, program, &flag));
    }
    out
}

/// `redis-cli -a SECRET`, `redis-cli --pass SECRET`, `redis-server --requirepass SECRET`,
/// `redis-cli CONFIG SET requirepass SECRET` (`--askpass` prompts; `$REDIS_PASSWORD` is no literal).
fn redis_password(facts: &FileFacts, args: &[&Word], program: &str) -> Vec<Found> {
    let literals: Vec<Option<String>> = args.iter().map(|w| w.literal()).collect();
    let mut out = Vec::new();
    for (at, flag) in redis_password_at(&literals) {
        let (Some(word), Some(Some(secret))) = (args.get(at), literals.get(at)) else {
            continue;
        };
        if secret.is_empty() {
            continue;
        }
        out.extend(flag_secret(facts, word, secret, program, &flag));
    }
    out
}

/// `-pSECRET` or `--password=SECRET` (`-p` alone prompts; `-P` is the port).
fn mysql_password(facts: &FileFacts, command: &Command, program: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for word in command.args() {
        // `-p$DB_PASS` with DB_PASS unknown is not a literal.
        let Some(text) = word.literal() else { continue };
        let Some((flag, offset)) = mysql_password_in(&text) else {
            continue;
        };
        let secret = &text[offset..];
        if secret.is_empty() {
            continue;
        }
        out.extend(flag_secret(facts, word, secret, program, flag));
    }
    out
}
