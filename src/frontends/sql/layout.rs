//! Migration layouts: is a `.sql` file a migration, which tool's layout is it, and which parts of
//! it run on the way up? Decided from the repo-relative path and, for goose and dbmate, from the
//! section annotations inside the file. Pure functions over path and text.

use crate::model::migration::Direction;
use crate::model::migration::Layout;
use crate::model::migration::MigrationFile;

/// Where a migration belongs and where it sorts in its set: (set directory, version numbers,
/// name). The set is the parent directory (for Prisma, the `migrations` directory above the
/// migration's own folder); versions compare as numbers, so `V10__` runs after `V9__`.
pub fn order_key(path: &str) -> (String, Vec<u64>, String) {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let (set, name) = if name.eq_ignore_ascii_case("migration.sql") {
        let (parent, folder) = dir.rsplit_once('/').unwrap_or(("", dir));
        (parent.to_string(), folder.to_string())
    } else {
        (dir.to_string(), name.to_string())
    };
    let version: Vec<u64> = name
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .split(|c: char| !c.is_ascii_digit())
        .take_while(|part| !part.is_empty())
        .filter_map(|part| part.parse().ok())
        .collect();
    (set, version, name.to_ascii_lowercase())
}

fn starts_with_digits(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// The migration layout of a file, from its path and text.
pub fn detect(path: &str, text: &str) -> Option<MigrationFile> {
    let lower = path.to_ascii_lowercase();
    let segments: Vec<&str> = lower.split('/').collect();
    let (dirs, name) = segments.split_at(segments.len().saturating_sub(1));
    let name = name.first().copied().unwrap_or("");
    if !name.ends_with(".sql") {
        return None;
    }
    if let Some(sections) = annotated_sections(text) {
        return Some(sections);
    }
    let file = |layout, direction| MigrationFile {
        layout,
        direction,
        down_sections: Vec::new(),
        up_sections: Vec::new(),
        revision: None,
        includes: Vec::new(),
        sql_files: Vec::new(),
    };
    let head = &text[..crate::source::floor_char_boundary(text, 512)];
    if head
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("--liquibase formatted sql")
    {
        return Some(file(Layout::Liquibase, Direction::Up));
    }
    if name.ends_with(".up.sql") || name.ends_with("_up.sql") {
        return Some(file(Layout::GolangMigrate, Direction::Up));
    }
    if name.ends_with(".down.sql") || name.ends_with("_down.sql") {
        return Some(file(Layout::GolangMigrate, Direction::Down));
    }
    if let Some(flyway) = flyway(name) {
        return Some(file(Layout::Flyway, flyway));
    }
    let in_dir = |d: &str| dirs.contains(&d);
    if in_dir("deploy") {
        return Some(file(Layout::Sqitch, Direction::Up));
    }
    if in_dir("revert") {
        return Some(file(Layout::Sqitch, Direction::Down));
    }
    if in_dir("verify") {
        return Some(file(Layout::Sqitch, Direction::Verify));
    }
    if name == "migration.sql" && dirs.len() >= 2 && dirs[dirs.len() - 2] == "migrations" {
        return Some(file(Layout::Prisma, Direction::Up));
    }
    if dirs.contains(&"down") {
        return Some(file(Layout::Folder, Direction::Down));
    }
    // Drizzle Kit writes migrations to a folder the project names (`out` in drizzle.config),
    // so the folder alone does not tell; its statement separator comment does.
    if starts_with_digits(name)
        && (dirs.contains(&"drizzle") || text.contains("--> statement-breakpoint"))
    {
        return Some(file(Layout::Drizzle, Direction::Up));
    }
    let migration_dir = dirs.iter().any(|d| {
        matches!(
            *d,
            "migrations" | "migration" | "migrate" | "db-migrations" | "sql-migrations"
        )
    }) || lower.contains("alembic/versions/");
    let numbered_dir = dirs.iter().any(|d| matches!(*d, "schema" | "schemas"));
    if migration_dir || (numbered_dir && starts_with_digits(name)) {
        return Some(file(Layout::Folder, Direction::Up));
    }
    None
}

/// Flyway: `V1__x.sql` → up, `U1__x.sql` → down, `R__x.sql` → up (repeatable, runs on migrate).
fn flyway(name: &str) -> Option<Direction> {
    let (prefix, _) = name.split_once("__")?;
    let mut chars = prefix.chars();
    let kind = chars.next()?;
    let version = chars.as_str();
    let versioned = !version.is_empty()
        && version
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '_');
    match kind {
        'v' if versioned => Some(Direction::Up),
        'u' if versioned => Some(Direction::Down),
        'r' if version.is_empty() => Some(Direction::Up),
        _ => None,
    }
}

/// goose and dbmate: sections opened by annotation comments.
fn annotated_sections(text: &str) -> Option<MigrationFile> {
    let mut layout = None;
    let mut marks: Vec<(usize, usize, Direction)> = Vec::new(); // (line start, line end, dir)
    // Only lines that start with `--` can be annotations: visit the `--`s (a substring search),
    // not every line.
    let bytes = text.as_bytes();
    let mut next_line = 0;
    for k in memchr::memmem::find_iter(bytes, b"--") {
        if k < next_line {
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &bytes[..k]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[k..]).map_or(bytes.len(), |i| k + i + 1);
        next_line = line_end;
        if !text[line_start..k].trim().is_empty() {
            continue;
        }
        let lower = text[k..line_end].trim().to_ascii_lowercase();
        let found = if let Some(rest) = lower.strip_prefix("-- +goose ") {
            match rest.trim() {
                "up" => Some((Layout::Goose, Direction::Up)),
                "down" => Some((Layout::Goose, Direction::Down)),
                _ => None,
            }
        } else if let Some(rest) = lower.strip_prefix("-- migrate:") {
            match rest.split_whitespace().next() {
                Some("up") => Some((Layout::Dbmate, Direction::Up)),
                Some("down") => Some((Layout::Dbmate, Direction::Down)),
                _ => None,
            }
        } else {
            None
        };
        if let Some((l, d)) = found {
            layout = Some(l);
            marks.push((line_start, line_end, d));
        }
    }
    let layout = layout?;
    let mut file = MigrationFile {
        layout,
        direction: Direction::Up,
        down_sections: Vec::new(),
        up_sections: Vec::new(),
        revision: None,
        includes: Vec::new(),
        sql_files: Vec::new(),
    };
    for (i, &(_, body_start, dir)) in marks.iter().enumerate() {
        let end = marks.get(i + 1).map_or(text.len(), |m| m.0);
        match dir {
            Direction::Down => file.down_sections.push((body_start, end)),
            _ => file.up_sections.push((body_start, end)),
        }
    }
    Some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let up = |p: &str| detect(p, "").map(|m| (m.layout, m.direction));
        assert_eq!(
            up("db/migrations/000001_init.up.sql"),
            Some((Layout::GolangMigrate, Direction::Up))
        );
        assert_eq!(
            up("sql/V2__drop.sql"),
            Some((Layout::Flyway, Direction::Up))
        );
        assert_eq!(
            up("sql/U2__drop.sql"),
            Some((Layout::Flyway, Direction::Down))
        );
        assert_eq!(
            up("sql/R__views.sql"),
            Some((Layout::Flyway, Direction::Up))
        );
        assert_eq!(
            up("sqitch/deploy/users.sql"),
            Some((Layout::Sqitch, Direction::Up))
        );
        assert_eq!(
            up("prisma/migrations/20240101_x/migration.sql"),
            Some((Layout::Prisma, Direction::Up))
        );
        assert_eq!(
            up("db/schema/003_users.sql"),
            Some((Layout::Folder, Direction::Up))
        );
        assert_eq!(up("db/schema/users.sql"), None);
        assert_eq!(
            detect(
                "db/changelog/users.sql",
                "--liquibase formatted sql\n--changeset a:1\n"
            )
            .map(|m| m.layout),
            Some(Layout::Liquibase)
        );
        assert_eq!(
            up("drizzle/0001_chief_storm.sql"),
            Some((Layout::Drizzle, Direction::Up))
        );
        assert_eq!(
            detect(
                "db/out/0003_x.sql",
                "ALTER TABLE a ADD COLUMN b int;--> statement-breakpoint\n"
            )
            .map(|m| m.layout),
            Some(Layout::Drizzle)
        );
        assert_eq!(up("drizzle/seed.sql"), None);
        assert_eq!(up("scripts/cleanup.sql"), None);
        assert_eq!(up("sql/Version__notes.sql"), None);
    }

    #[test]
    fn migrations_sort_by_version_numbers() {
        let mut paths = vec![
            "db/V10__c.sql",
            "db/V9__b.sql",
            "db/V1_1__a.sql",
            "db/V1__a.sql",
        ];
        paths.sort_by_key(|p| order_key(p));
        assert_eq!(
            paths,
            vec![
                "db/V1__a.sql",
                "db/V1_1__a.sql",
                "db/V9__b.sql",
                "db/V10__c.sql"
            ]
        );
        assert_eq!(
            order_key("prisma/migrations/20240101_x/migration.sql").0,
            "prisma/migrations"
        );
    }

    #[test]
    fn goose_sections() {
        let text = "-- +goose Up\nALTER TABLE a DROP COLUMN b;\n-- +goose Down\nDROP TABLE a;\n";
        let m = detect("x/00002_a.sql", text).expect("goose");
        assert_eq!(m.layout, Layout::Goose);
        let drop_col = text.find("ALTER").expect("present");
        let drop_table = text.find("DROP TABLE").expect("present");
        assert!(m.is_up_at(drop_col));
        assert!(!m.is_up_at(drop_table));
    }
}
