//! Which database a command acts on (`-d`/`--dbname`, a positional name, a URL) and which one it creates.

use super::*;
use crate::knowledge::clients;

/// The database a client command connects to or dumps, when written literally
/// (`pg_dump -U app shop` → `shop`, `psql -d postgres://h/shop` → `shop`, `dropdb shop`);
/// `None` when unknown, expanded at run time, or several (`--all-databases`, `pg_dumpall`).
pub fn database_name(command: &Command) -> Option<String> {
    let argv = inner_argv(command);
    let program = basename(argv.first()?).to_string();
    let (Some(value_flags), Some(db_flags)) = (
        clients::value_flags(&program),
        clients::database_flags(&program),
    ) else {
        return None;
    };
    let literal = |v: &str| -> Option<String> {
        let v = v.trim_matches(|c| c == '"' || c == '\'');
        let name = if v.contains("://") {
            let path = v.split('?').next().unwrap_or(v);
            path.rsplit_once('/').map(|(_, db)| db)?
        } else {
            v
        };
        (!name.is_empty() && !name.contains(['$', '`', '=', ' '])).then(|| name.to_string())
    };
    let mut positional = None;
    let mut i = 1;
    while i < argv.len() {
        let w = argv[i].as_str();
        if matches!(w, "--all-databases" | "-A" | "--databases" | "-B") && program.contains("dump")
        {
            return None;
        }
        if db_flags.contains(&w) {
            return argv.get(i + 1).and_then(|v| literal(v));
        }
        if let Some((flag, value)) = w.split_once('=')
            && db_flags.contains(&flag)
        {
            return literal(value);
        }
        if w.starts_with('-') {
            // `-U postgres` takes a value; `-Upostgres`, `--username=x`, `-w` do not.
            i += if value_flags.contains(&w) { 2 } else { 1 };
            continue;
        }
        if positional.is_none() {
            positional = Some(w);
        }
        if program == "pg_restore" {
            // pg_restore's positional is the dump file.
            positional = None;
        }
        i += 1;
    }
    positional.and_then(literal)
}

/// The database a command creates (`createdb shop_check`, `psql -c "CREATE DATABASE
/// shop_check"`), when named literally.
pub fn created_database(command: &Command) -> Option<String> {
    let argv = inner_argv(command);
    let program = basename(argv.first()?).to_string();
    if program == "createdb" {
        return database_name(command);
    }
    if !matches!(program.as_str(), "psql" | "mysql" | "mariadb") {
        return None;
    }
    let words: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let sql = sql_text(&words, command);
    let upper = sql.to_ascii_uppercase();
    let at = upper.find("CREATE DATABASE")? + "CREATE DATABASE".len();
    let rest = sql.get(at..)?.trim_start();
    // `IF NOT EXISTS` keeps a database that was there: not a fresh one.
    if rest.to_ascii_uppercase().starts_with("IF NOT EXISTS") {
        return None;
    }
    let name: String = rest
        .trim_start_matches(['"', '`'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    (!name.is_empty()).then_some(name)
}
