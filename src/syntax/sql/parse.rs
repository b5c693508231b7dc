//! sqlparser, one statement at a time: what the parser says a statement is (its kind, `IF EXISTS`,
//! `CASCADE`, whether a `DELETE`/`UPDATE` has a `WHERE`, the columns and types a `CREATE TABLE`
//! declares). The only module that knows sqlparser's types; it returns plain data.
//!
//! It never sees a whole file: `split.rs` cuts the file first, so one statement the parser cannot
//! read does not hide the next. Names come from the tokens (as written), not from here.

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, CascadeOption, ObjectType, SetExpr, Statement,
};
use sqlparser::dialect::{Dialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

use crate::syntax::sql::SqlDialect;

/// What the parser read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    Drop {
        data: bool,
        if_exists: bool,
        cascade: bool,
        temporary: bool,
    },
    Truncate {
        cascade: bool,
    },
    Delete {
        bounded: bool,
    },
    Update {
        bounded: bool,
    },
    AlterTable {
        /// Columns a `ADD COLUMN` declares: (name, type as written by the parser).
        added: Vec<(String, String)>,
        /// `ALTER COLUMN … TYPE`, `MODIFY`, `CHANGE`: (column, new type).
        retyped: Vec<(String, String)>,
    },
    RenameTable,
    CreateTable {
        temporary: bool,
        columns: Vec<(String, String)>,
    },
    CreateDatabase,
    CreateSchema,
    CreateView,
    /// Anything else (SELECT, SET, GRANT, CREATE FUNCTION, …).
    Other,
}

fn dialect(d: SqlDialect) -> Box<dyn Dialect> {
    match d {
        SqlDialect::Postgres => Box::new(PostgreSqlDialect {}),
        SqlDialect::MySql => Box::new(MySqlDialect {}),
        SqlDialect::Sqlite => Box::new(SQLiteDialect {}),
    }
}

/// Parse one statement; `Err` carries the parser's message.
pub fn parse(sql: &str, d: SqlDialect) -> Result<Parsed, String> {
    let dialect = dialect(d);
    let statements = Parser::parse_sql(dialect.as_ref(), sql).map_err(|e| {
        // The parser's position is relative to the statement; the notice gives the file line.
        let message = e.to_string();
        let message = message
            .strip_prefix("sql parser error: ")
            .unwrap_or(&message);
        match message.find(" at Line:") {
            Some(at) => message[..at].to_string(),
            None => message.to_string(),
        }
    })?;
    let Some(first) = statements.first() else {
        return Ok(Parsed::Other);
    };
    Ok(describe(first))
}

fn describe(statement: &Statement) -> Parsed {
    match statement {
        Statement::Drop {
            object_type,
            if_exists,
            cascade,
            temporary,
            ..
        } => Parsed::Drop {
            data: matches!(
                object_type,
                ObjectType::Table | ObjectType::Database | ObjectType::Schema
            ),
            if_exists: *if_exists,
            cascade: *cascade,
            temporary: *temporary,
        },
        Statement::Truncate(t) => Parsed::Truncate {
            cascade: matches!(t.cascade, Some(CascadeOption::Cascade)),
        },
        Statement::Delete(d) => Parsed::Delete {
            bounded: d.selection.is_some(),
        },
        Statement::Update(u) => Parsed::Update {
            bounded: u.selection.is_some(),
        },
        Statement::AlterTable(alter) => {
            let mut added = Vec::new();
            let mut retyped = Vec::new();
            for op in &alter.operations {
                match op {
                    AlterTableOperation::AddColumn { column_def, .. } => added.push((
                        column_def.name.value.clone(),
                        column_def.data_type.to_string(),
                    )),
                    AlterTableOperation::AlterColumn {
                        column_name,
                        op: AlterColumnOperation::SetDataType { data_type, .. },
                    } => retyped.push((column_name.value.clone(), data_type.to_string())),
                    AlterTableOperation::ModifyColumn {
                        col_name,
                        data_type,
                        ..
                    } => retyped.push((col_name.value.clone(), data_type.to_string())),
                    AlterTableOperation::ChangeColumn {
                        old_name,
                        data_type,
                        ..
                    } => retyped.push((old_name.value.clone(), data_type.to_string())),
                    _ => {}
                }
            }
            Parsed::AlterTable { added, retyped }
        }
        Statement::RenameTable(_) => Parsed::RenameTable,
        Statement::CreateTable(ct) => Parsed::CreateTable {
            temporary: ct.temporary,
            columns: ct
                .columns
                .iter()
                .map(|c| (c.name.value.clone(), c.data_type.to_string()))
                .collect(),
        },
        Statement::CreateDatabase { .. } => Parsed::CreateDatabase,
        Statement::CreateSchema { .. } => Parsed::CreateSchema,
        Statement::CreateView { .. } => Parsed::CreateView,
        // `SELECT … INTO [TEMP] t FROM …` creates a table.
        Statement::Query(query) => match query.body.as_ref() {
            SetExpr::Select(select) => match &select.into {
                Some(into) => Parsed::CreateTable {
                    temporary: into.temporary,
                    columns: Vec::new(),
                },
                None => Parsed::Other,
            },
            _ => Parsed::Other,
        },
        _ => Parsed::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_rules_need() {
        assert_eq!(
            parse("DELETE FROM t", SqlDialect::Postgres),
            Ok(Parsed::Delete { bounded: false })
        );
        assert_eq!(
            parse("UPDATE t SET a = 1 WHERE id = 2", SqlDialect::Postgres),
            Ok(Parsed::Update { bounded: true })
        );
        assert!(matches!(
            parse("DROP TABLE IF EXISTS a CASCADE", SqlDialect::Postgres),
            Ok(Parsed::Drop {
                data: true,
                if_exists: true,
                cascade: true,
                ..
            })
        ));
        assert!(matches!(
            parse("CREATE TABLE t (name varchar(40))", SqlDialect::Postgres),
            Ok(Parsed::CreateTable { columns, .. }) if columns[0].1.eq_ignore_ascii_case("varchar(40)")
        ));
        assert!(parse("\\connect x", SqlDialect::Postgres).is_err());
    }
}
