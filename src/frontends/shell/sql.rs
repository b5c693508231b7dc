//! SQL handed to a database client (`psql -c`, `mysql -e`, `-f file`, stdin): recorded as embedded SQL for the SQL front-end, with its offsets in the host file.

use super::*;

impl<'a> Walker<'a> {
    /// SQL handed to a client: `-c`/`--command`, `-e`/`--execute`, `--eval`, `sqlite3 DB "…"`, stdin.
    pub(super) fn embedded_sql(&mut self, command: &Command, raws: &[Option<Node>], client: &str) {
        let (short, long): (&[&str], &[&str]) = match client {
            "psql" => (&["-c"], &["--command"]),
            "mysql" | "mariadb" => (&["-e"], &["--execute"]),
            "mongosh" | "mongo" => (&[], &["--eval"]),
            "clickhouse-client" => (&["-q"], &["--query"]),
            "cockroach" => (&["-e"], &["--execute"]),
            _ => (&[], &[]),
        };
        // Short options that take a value, so a cluster (`psql -tAc "…"`, `mysql -uroot -e"…"`)
        // is read the way getopt reads it; `-p` of mysql takes only an attached value.
        let (with_value, attached_only): (&str, &str) = match client {
            "psql" => ("cdfhpUvoPFRTL", ""),
            "mysql" | "mariadb" => ("DehPSuO", "p#"),
            "clickhouse-client" => ("hudqf", ""),
            "cockroach" => ("edu", ""),
            _ => ("", ""),
        };
        let index = self.out.commands.len();
        let mut found = false;
        let argv = &command.argv;
        let mut i = 1;
        while i < argv.len() {
            let text = argv[i].display();
            let raw = raws.get(i).copied().flatten();
            let value = if short.contains(&text.as_str()) || long.contains(&text.as_str()) {
                i += 1;
                argv.get(i)
                    .map(|w| self.word_text(raws.get(i).copied().flatten(), w))
            } else if text.starts_with("--") {
                text.split_once('=').and_then(|(flag, _)| {
                    long.contains(&flag)
                        .then(|| self.word_tail(raw, &argv[i], flag.len() + 1))
                })
            } else if text.len() > 2 && text.starts_with('-') {
                // A cluster of short options.
                let mut value = None;
                for (at, c) in text.char_indices().skip(1) {
                    let rest = at + c.len_utf8();
                    if short
                        .iter()
                        .any(|f| f.strip_prefix('-') == Some(c.encode_utf8(&mut [0; 4])))
                    {
                        value = if rest < text.len() {
                            Some(self.word_tail(raw, &argv[i], rest))
                        } else {
                            i += 1;
                            argv.get(i)
                                .map(|w| self.word_text(raws.get(i).copied().flatten(), w))
                        };
                        break;
                    }
                    if with_value.contains(c) {
                        if rest == text.len() {
                            i += 1;
                        }
                        break;
                    }
                    if attached_only.contains(c) || !c.is_ascii_alphanumeric() {
                        break;
                    }
                }
                value
            } else {
                if text.len() == 2 && text.starts_with('-') {
                    let c = text.chars().nth(1).unwrap_or('-');
                    if with_value.contains(c) {
                        i += 1;
                    }
                }
                None
            };
            if let Some((text, map)) = value {
                found = true;
                self.out.embedded_sql.push(EmbeddedSql {
                    text,
                    map,
                    client: client.to_string(),
                    command: index,
                });
            }
            i += 1;
        }
        if client == "sqlite3" {
            // `sqlite3 [options] DB "SQL"`.
            let positionals: Vec<usize> = (1..argv.len())
                .filter(|&k| !argv[k].display().starts_with('-'))
                .collect();
            if let Some(&k) = positionals.get(1) {
                let (text, map) = self.word_text(raws.get(k).copied().flatten(), &argv[k]);
                found = true;
                self.out.embedded_sql.push(EmbeddedSql {
                    text,
                    map,
                    client: client.to_string(),
                    command: index,
                });
            }
        }
        if !found && let Some(stdin) = &command.stdin {
            self.out.embedded_sql.push(EmbeddedSql {
                text: stdin.text.clone(),
                map: stdin.map.clone(),
                client: client.to_string(),
                command: index,
            });
        }
    }
}
