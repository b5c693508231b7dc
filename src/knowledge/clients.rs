//! How database clients read their options: which options of `psql`, `pg_dump`, `createdb`,
//! `mysql`, `mysqladmin`, `redis-cli`, … take a value, and which option names the database. One
//! table, read by the SQL front-end (the database a `createdb`/`dropdb` names) and the backup
//! analysis (the database a dump or a restore acts on).

/// The options of `program` that take a value, or `None` for a program not in the table.
pub fn value_flags(program: &str) -> Option<&'static [&'static str]> {
    Some(match program {
        "psql" => &[
            "-c",
            "-d",
            "-f",
            "-h",
            "-p",
            "-U",
            "-v",
            "-o",
            "-L",
            "-P",
            "-T",
            "-F",
            "-R",
            "--command",
            "--file",
            "--host",
            "--port",
            "--username",
            "--set",
            "--variable",
            "--output",
            "--log-file",
            "--pset",
            "--field-separator",
            "--record-separator",
        ],
        "pg_dump" | "pg_restore" => &[
            "-d",
            "-f",
            "-F",
            "-h",
            "-p",
            "-U",
            "-n",
            "-N",
            "-t",
            "-T",
            "-j",
            "-Z",
            "-E",
            "-S",
            "-I",
            "-L",
            "-P",
            "--file",
            "--format",
            "--host",
            "--port",
            "--username",
            "--schema",
            "--exclude-schema",
            "--table",
            "--exclude-table",
            "--exclude-table-data",
            "--jobs",
            "--compress",
            "--encoding",
            "--superuser",
            "--role",
            "--lock-wait-timeout",
            "--index",
            "--function",
            "--use-list",
        ],
        "dropdb" | "createdb" => &[
            "-h",
            "-p",
            "-U",
            "-O",
            "-T",
            "-E",
            "-D",
            "--host",
            "--port",
            "--username",
            "--owner",
            "--template",
            "--encoding",
            "--tablespace",
            "--maintenance-db",
            "-l",
            "--locale",
        ],
        "mysql" | "mariadb" | "mysqldump" | "mariadb-dump" => &[
            "-u",
            "-h",
            "-P",
            "-e",
            "-D",
            "-S",
            "-r",
            "--user",
            "--host",
            "--port",
            "--execute",
            "--socket",
            "--result-file",
            "--defaults-file",
            "--where",
        ],
        "mysqladmin" | "mariadb-admin" => &[
            "-h",
            "--host",
            "-P",
            "--port",
            "-u",
            "--user",
            "-S",
            "--socket",
            "--defaults-file",
        ],
        "redis-cli" | "valkey-cli" | "keydb-cli" => REDIS,
        _ => return None,
    })
}

/// The options of `program` that name the database (`-d`/`--dbname`, `-D`/`--database`); empty
/// when the database is a positional word (`dropdb shop`).
pub fn database_flags(program: &str) -> Option<&'static [&'static str]> {
    Some(match program {
        "psql" => &["-d", "--dbname"],
        "pg_dump" | "pg_restore" => &["-d", "--dbname"],
        "dropdb" | "createdb" => &[],
        "mysql" | "mariadb" | "mysqldump" | "mariadb-dump" => &["-D", "--database"],
        "mysqladmin" | "mariadb-admin" | "redis-cli" | "valkey-cli" | "keydb-cli" => &[],
        _ => return None,
    })
}

const REDIS: &[&str] = &[
    "-h",
    "-p",
    "-s",
    "-a",
    "-u",
    "-r",
    "-i",
    "-n",
    "-d",
    "-D",
    "--user",
    "--pass",
    "--rdb",
    "--functions-rdb",
    "--pipe-timeout",
    "--cacert",
    "--cacertdir",
    "--cert",
    "--key",
    "--sni",
    "--tls-ciphers",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_program_with_value_options_says_where_its_database_is() {
        for program in [
            "psql",
            "pg_dump",
            "pg_restore",
            "createdb",
            "dropdb",
            "mysql",
            "mysqldump",
            "mysqladmin",
            "redis-cli",
        ] {
            assert!(value_flags(program).is_some(), "{program}");
            assert!(database_flags(program).is_some(), "{program}");
        }
        assert!(value_flags("psql").is_some_and(|f| f.contains(&"-U")));
        assert!(value_flags("ls").is_none());
    }
}
