//! Which programs take a database password on their command line, and by which flag: the MySQL
//! clients' attached `-pSECRET`, Redis's `-a SECRET` / `--requirepass SECRET` /
//! `CONFIG SET requirepass SECRET`, the MongoDB tools' `-p SECRET`. The program lists are data
//! (`[password-flags]` of `rules/credentials.toml`); how each family reads its words is here.
//!
//! Functions take words as plain strings (`None` for a word that is not a literal) and answer
//! with positions, so a shell script, a Compose `command:` list and a Kubernetes `args:` list are
//! read the same way. Nothing here decides whether a value is a secret or reports anything.

use crate::knowledge::credentials::CredentialTable;

/// The program's base name (`/usr/bin/mysql` → `mysql`).
pub fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn listed(list: &[String], program: &str) -> bool {
    list.iter().any(|p| p == program)
}

/// A MySQL or MariaDB client (`-pSECRET`, `--password=SECRET`).
pub fn is_mysql_client(program: &str) -> bool {
    listed(&CredentialTable::builtin().password_flags.mysql, program)
}

/// A Redis, Valkey or KeyDB client or server (`-a`, `--requirepass`, …).
pub fn is_redis_program(program: &str) -> bool {
    listed(&CredentialTable::builtin().password_flags.redis, program)
}

/// A MongoDB shell or tool (`-p SECRET`, `--password=SECRET`).
pub fn is_mongo_program(program: &str) -> bool {
    listed(&CredentialTable::builtin().password_flags.mongo, program)
}

/// A program whose arguments may be a connection URL with a password: any database client
/// above, or a migration tool.
pub fn takes_url(program: &str) -> bool {
    is_mysql_client(program)
        || listed(
            &CredentialTable::builtin().password_flags.url_clients,
            program,
        )
}

/// A MySQL client's password in one word: `(flag, byte offset of the value)` for
/// `--password=SECRET` and `-pSECRET` (`-p` alone prompts, `-P` is the port, `--…` is another
/// option). The value may be empty.
pub fn mysql_password_in(word: &str) -> Option<(&'static str, usize)> {
    if word.starts_with("--password=") {
        Some(("--password", "--password=".len()))
    } else if word.starts_with("-p") && !word.starts_with("--") {
        Some(("-p", 2))
    } else {
        None
    }
}

/// The argument that is a Redis password: the word after `-a`/`--pass` (clients),
/// `--requirepass`/`--masterauth` (servers), or `CONFIG SET requirepass|masterauth`:
/// `(index of the value, flag as named in messages)`.
pub fn redis_password_at(words: &[Option<String>]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(w) = w.as_deref() else { continue };
        let flag = match w {
            "-a" | "--pass" | "--requirepass" | "--masterauth" => Some(w.to_string()),
            _ if w.eq_ignore_ascii_case("set")
                && i > 0
                && words[i - 1]
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case("config")) =>
            {
                match words.get(i + 1).and_then(|n| n.as_deref()) {
                    Some(key)
                        if key.eq_ignore_ascii_case("requirepass")
                            || key.eq_ignore_ascii_case("masterauth") =>
                    {
                        out.push((i + 2, format!("CONFIG SET {}", key.to_ascii_lowercase())));
                    }
                    _ => {}
                }
                None
            }
            _ => None,
        };
        if let Some(flag) = flag {
            out.push((i + 1, flag));
        }
    }
    out
}

/// A MongoDB tool's password: `-p SECRET`, `--password SECRET`, `--password=SECRET`
/// (`(word index, byte offset of the value in it, flag)`). `-p` followed by an option or nothing
/// prompts.
pub fn mongo_password_at(words: &[Option<String>]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(w) = w.as_deref() else { continue };
        if w == "-p" || w == "--password" {
            let next = words.get(i + 1).and_then(|n| n.as_deref());
            if next.is_some_and(|n| !n.is_empty() && !n.starts_with('-')) {
                out.push((i + 1, 0, w.to_string()));
            }
        } else if w.starts_with("--password=") {
            out.push((i, "--password=".len(), "--password".to_string()));
        }
    }
    out
}

/// The words that are passwords given with a setup option (`--db-root-password=SECRET`,
/// `--admin-password SECRET`; the option names are `setup-options` of the table), of any
/// program: `(word index, byte offset of the value, option as written)`. Values may be empty.
pub fn setup_password_at(words: &[Option<String>]) -> Vec<(usize, usize, String)> {
    let options = &CredentialTable::builtin().password_flags.setup_options;
    let named = |name: &str| options.iter().any(|o| o.eq_ignore_ascii_case(name));
    let mut out = Vec::new();
    for (at, word) in words.iter().enumerate() {
        let Some(word) = word else { continue };
        let Some(option) = word.strip_prefix("--") else {
            continue;
        };
        match option.split_once('=') {
            Some((name, _)) if named(name) => {
                out.push((at, name.len() + 3, format!("--{name}")));
            }
            None if named(option) => {
                if let Some(Some(next)) = words.get(at + 1)
                    && !next.starts_with('-')
                {
                    out.push((at + 1, 0, format!("--{option}")));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Option<String>> {
        s.split(' ').map(|w| Some(w.to_string())).collect()
    }

    #[test]
    fn programs() {
        assert!(is_mysql_client("mariadb-dump"));
        assert!(is_redis_program("valkey-cli"));
        assert!(is_mongo_program("mongodump"));
        assert!(takes_url("psql") && takes_url("mysql") && !takes_url("ls"));
        assert_eq!(basename("/usr/bin/redis-cli"), "redis-cli");
    }

    #[test]
    fn mysql_words() {
        assert_eq!(mysql_password_in("-ps3cret"), Some(("-p", 2)));
        assert_eq!(mysql_password_in("-p"), Some(("-p", 2)));
        assert_eq!(mysql_password_in("--password=x"), Some(("--password", 11)));
        assert_eq!(mysql_password_in("--port=3306"), None);
        assert_eq!(mysql_password_in("-P3306"), None);
    }

    #[test]
    fn mongo_password_words() {
        assert_eq!(
            mongo_password_at(&words("-u root -p pw --eval x")),
            [(3, 0, "-p".to_string())]
        );
        assert_eq!(
            mongo_password_at(&words("--password=pw --db x")),
            [(0, 11, "--password".to_string())]
        );
        assert!(mongo_password_at(&words("-u root -p --authenticationDatabase admin")).is_empty());
        assert!(mongo_password_at(&words("-u root -p")).is_empty());
    }

    #[test]
    fn redis_password_words() {
        assert_eq!(
            redis_password_at(&words("-h h -a pw ping")),
            [(3, "-a".to_string())]
        );
        assert_eq!(
            redis_password_at(&words("--requirepass pw --masterauth pw2")),
            [
                (1, "--requirepass".to_string()),
                (3, "--masterauth".to_string())
            ]
        );
        assert_eq!(
            redis_password_at(&words("config set requirepass pw")),
            [(3, "CONFIG SET requirepass".to_string())]
        );
        assert!(redis_password_at(&words("--askpass ping")).is_empty());
        assert!(redis_password_at(&words("config set maxmemory 1gb")).is_empty());
    }
}
