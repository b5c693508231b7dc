//! Column type changes: is `from → to` a safe widening, or can it truncate, round or reject values?
//! Types are read from their written text (`character varying(50)`, `NUMERIC(10, 2)`, `int4`), so
//! the same logic serves parsed and token-read statements. No parser types here.

/// A column type as the code wrote it (for messages) and in the SQL spelling [`judge`] reads.
/// An SQL type is its own spelling; a framework front-end normalises its types to SQL
/// (`:string, limit: 50` and `models.CharField(max_length=50)` both read as `varchar(50)`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TypeSpec {
    pub written: String,
    pub sql: String,
    /// The framework restates the column's whole definition (Django `AlterField`, Laravel
    /// `->change()`), usually to change something else (nullability, a default, a help text):
    /// the type may well be the one the column already has, so the change is judged only
    /// against a type declared earlier, never from the new type alone.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub restated: bool,
}

impl TypeSpec {
    /// A type written in SQL.
    pub fn sql(text: impl Into<String>) -> Self {
        let text = text.into();
        TypeSpec {
            sql: text.clone(),
            written: text,
            restated: false,
        }
    }

    /// A framework type as written, with the SQL type it stands for.
    pub fn framework(written: impl Into<String>, sql: impl Into<String>) -> Self {
        TypeSpec {
            written: written.into(),
            sql: sql.into(),
            restated: false,
        }
    }

    /// A framework type in a restated column definition (see [`TypeSpec::restated`]).
    pub fn restated(written: impl Into<String>, sql: impl Into<String>) -> Self {
        TypeSpec {
            restated: true,
            ..TypeSpec::framework(written, sql)
        }
    }
}

/// The verdict on a column type change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum TypeChange {
    /// Every old value fits the new type unchanged.
    Widening,
    /// Some old values can be cut, rounded or rejected; `why` says how.
    Narrowing { why: String },
    /// The old type is not known from the file; decided from the new type alone.
    UnknownOld { risky: bool, why: String },
}

impl TypeChange {
    pub fn is_risky(&self) -> bool {
        match self {
            TypeChange::Widening => false,
            TypeChange::Narrowing { .. } => true,
            TypeChange::UnknownOld { risky, .. } => *risky,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    /// Character data; `None` = unbounded.
    Text(Option<u64>),
    /// Integer of this many bytes.
    Int(u8),
    /// Exact numeric; `None` = unconstrained.
    Numeric(Option<(u64, u64)>),
    /// Floating point of this many bytes.
    Float(u8),
    Timestamp {
        tz: bool,
    },
    Date,
    Json,
    Bool,
    Other,
}

fn args(text: &str) -> Vec<u64> {
    let Some(open) = text.find('(') else {
        return Vec::new();
    };
    let close = text[open..].find(')').map_or(text.len(), |i| open + i);
    text[open + 1..close]
        .split(',')
        .filter_map(|a| a.trim().parse().ok())
        .collect()
}

fn classify(text: &str) -> Ty {
    let lower = text.trim().to_ascii_lowercase();
    let lower = lower.replace(['`', '"'], "");
    // MySQL's `longtext CHARACTER SET utf8mb4 COLLATE …`: the character set is not the type.
    let head = [" character set", " charset", " collate"]
        .iter()
        .filter_map(|w| lower.find(w))
        .min()
        .map_or(lower.as_str(), |at| &lower[..at]);
    let base = head
        .split('(')
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(" unsigned")
        .to_string();
    let a = args(&lower);
    let first = a.first().copied();
    match base.as_str() {
        "text" | "citext" | "longtext" | "mediumtext" | "clob" | "string" => Ty::Text(None),
        "tinytext" => Ty::Text(Some(255)),
        "varchar" | "character varying" | "nvarchar" | "varchar2" => Ty::Text(first),
        "char" | "character" | "bpchar" | "nchar" => Ty::Text(Some(first.unwrap_or(1))),
        "smallint" | "int2" | "smallserial" => Ty::Int(2),
        "tinyint" => Ty::Int(1),
        "mediumint" => Ty::Int(3),
        "int" | "integer" | "int4" | "serial" | "serial4" => Ty::Int(4),
        "bigint" | "int8" | "bigserial" | "serial8" => Ty::Int(8),
        "numeric" | "decimal" | "dec" => match a.as_slice() {
            [] => Ty::Numeric(None),
            [p] => Ty::Numeric(Some((*p, 0))),
            [p, s, ..] => Ty::Numeric(Some((*p, *s))),
        },
        "real" | "float4" => Ty::Float(4),
        "double precision" | "float8" | "double" | "float" => Ty::Float(8),
        "timestamp" | "datetime" | "timestamp without time zone" => Ty::Timestamp { tz: false },
        "timestamptz" | "timestamp with time zone" => Ty::Timestamp { tz: true },
        "date" => Ty::Date,
        "json" | "jsonb" => Ty::Json,
        "bool" | "boolean" => Ty::Bool,
        _ if base.starts_with("timestamp") && base.contains("with time zone") => {
            Ty::Timestamp { tz: true }
        }
        _ if base.starts_with("timestamp") => Ty::Timestamp { tz: false },
        _ => Ty::Other,
    }
}

/// MySQL's `… UNSIGNED` integer types.
fn unsigned(text: &str) -> bool {
    text.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "unsigned")
}

/// Decimal digits an integer of `bytes` bytes can need.
fn int_digits(bytes: u8) -> u64 {
    match bytes {
        1 => 3,
        2 => 5,
        3 => 8,
        4 => 10,
        _ => 19,
    }
}

/// Judge a change of a column from `from` (when known) to `to`.
pub fn judge(from: Option<&str>, to: &str) -> TypeChange {
    let new = classify(to);
    let Some(from) = from else {
        return judge_new_only(new, to);
    };
    let old = classify(from);
    let narrowing = |why: String| TypeChange::Narrowing { why };
    // MySQL `UNSIGNED`: the same width holds other values.
    if let (Ty::Int(a), Ty::Int(b)) = (old, new) {
        match (unsigned(from), unsigned(to)) {
            (false, true) => {
                return narrowing("negative values make the change fail or are clipped".into());
            }
            (true, false) if b <= a => {
                return narrowing(format!(
                    "values above the signed `{to}` range make the change fail or are clipped"
                ));
            }
            _ => {}
        }
    }
    match (old, new) {
        (_, Ty::Text(None)) => TypeChange::Widening,
        (Ty::Text(None), Ty::Text(Some(n))) => narrowing(format!(
            "values longer than {n} characters are rejected or cut"
        )),
        (Ty::Text(Some(a)), Ty::Text(Some(b))) if b < a => narrowing(format!(
            "the length limit shrinks from {a} to {b}; longer values are rejected or cut"
        )),
        (Ty::Text(Some(_)), Ty::Text(Some(_))) => TypeChange::Widening,
        (Ty::Int(a), Ty::Int(b)) if b < a => narrowing(
            "the integer range shrinks; values outside it make the change fail or are clipped"
                .into(),
        ),
        (Ty::Int(_), Ty::Int(_)) => TypeChange::Widening,
        (Ty::Int(_), Ty::Numeric(None)) => TypeChange::Widening,
        (Ty::Int(a), Ty::Numeric(Some((p, s)))) if p.saturating_sub(s) >= int_digits(a) => {
            TypeChange::Widening
        }
        (Ty::Int(1..=4), Ty::Float(8)) => TypeChange::Widening,
        (Ty::Numeric(Some(_)), Ty::Numeric(None)) => TypeChange::Widening,
        (Ty::Numeric(Some((p1, s1))), Ty::Numeric(Some((p2, s2))))
            if s2 >= s1 && p2.saturating_sub(s2) >= p1.saturating_sub(s1) =>
        {
            TypeChange::Widening
        }
        (Ty::Numeric(Some((_, s1))), Ty::Numeric(Some((_, s2)))) if s2 < s1 => narrowing(format!(
            "the scale shrinks from {s1} to {s2}; values are rounded"
        )),
        (Ty::Numeric(_), Ty::Numeric(_)) => {
            narrowing("the precision shrinks; larger values make the change fail".into())
        }
        (Ty::Float(a), Ty::Float(b)) if b < a => {
            narrowing("double precision to real rounds values".into())
        }
        (Ty::Float(_), Ty::Float(_)) => TypeChange::Widening,
        (Ty::Date, Ty::Timestamp { .. }) => TypeChange::Widening,
        (Ty::Timestamp { .. }, Ty::Date) => narrowing("the time of day is cut off".into()),
        (Ty::Timestamp { tz: a }, Ty::Timestamp { tz: b }) if a == b => TypeChange::Widening,
        (Ty::Timestamp { .. }, Ty::Timestamp { .. }) => {
            narrowing("existing values are reinterpreted in the session time zone".into())
        }
        (Ty::Json, Ty::Json) => TypeChange::Widening,
        // `true`/`false` are 1/0 in every integer type (MySQL's `BOOLEAN` is `TINYINT(1)`).
        (Ty::Bool, Ty::Int(_)) => TypeChange::Widening,
        (o, n) if o == n && from.eq_ignore_ascii_case(to) => TypeChange::Widening,
        (Ty::Text(_), _) => narrowing(format!(
            "text values that are not valid `{to}` make the change fail"
        )),
        _ => narrowing(format!(
            "existing `{from}` values may not convert to `{to}`: the change can fail or alter them"
        )),
    }
}

fn judge_new_only(new: Ty, to: &str) -> TypeChange {
    let (risky, why) = match new {
        Ty::Text(None) => (false, "the new type holds text of any length".to_string()),
        Ty::Int(8) => (false, "`bigint` holds every smaller integer".into()),
        Ty::Numeric(None) => (false, "unconstrained `numeric` holds any number".into()),
        Ty::Float(8) => (false, "`double precision` is the widest float".into()),
        Ty::Json => (false, "a JSON type change keeps the documents".into()),
        Ty::Text(Some(n)) => (
            true,
            format!("`{to}` holds at most {n} characters; longer values are rejected or cut"),
        ),
        Ty::Int(_) => (
            true,
            format!("`{to}` has a limited range; larger values make the change fail"),
        ),
        Ty::Numeric(Some((p, s))) => (
            true,
            format!(
                "`{to}` keeps {p} digits with {s} after the point; other values are rounded or rejected"
            ),
        ),
        _ => (
            true,
            format!("existing values may not convert to `{to}`: the change can fail or alter them"),
        ),
    };
    TypeChange::UnknownOld { risky, why }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widenings_are_safe() {
        for (from, to) in [
            ("varchar(50)", "varchar(100)"),
            ("character varying(50)", "text"),
            ("VARCHAR(20)", "VARCHAR"),
            ("int", "bigint"),
            ("integer", "int8"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("numeric(10,2)", "numeric(12,4)"),
            ("int", "numeric(12,0)"),
            ("int unsigned", "bigint"),
            ("int(10) unsigned", "int unsigned"),
            ("int(11)", "bigint(20)"),
            ("date", "timestamp"),
            ("smallint", "integer"),
            ("longtext", "longtext CHARACTER SET utf8mb4"),
            ("boolean", "TINYINT(1)"),
            (
                "text",
                "LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
            ),
        ] {
            assert_eq!(
                judge(Some(from), to),
                TypeChange::Widening,
                "{from} -> {to}"
            );
        }
    }

    #[test]
    fn narrowings_are_risky() {
        for (from, to) in [
            ("varchar(255)", "varchar(50)"),
            ("text", "varchar(100)"),
            ("bigint", "int"),
            ("numeric(10,2)", "numeric(10,0)"),
            ("numeric(12,2)", "numeric(8,2)"),
            ("text", "integer"),
            ("timestamp", "date"),
            ("double precision", "real"),
            ("bigint", "double precision"),
            ("int unsigned", "int"),
            ("int(10) UNSIGNED", "int(11)"),
            ("int", "int unsigned"),
            ("bigint", "int unsigned"),
        ] {
            assert!(judge(Some(from), to).is_risky(), "{from} -> {to}");
        }
    }

    #[test]
    fn unknown_old_type_is_decided_from_the_new_one() {
        assert!(!judge(None, "text").is_risky());
        assert!(!judge(None, "bigint").is_risky());
        assert!(!judge(None, "longtext CHARACTER SET utf8mb4").is_risky());
        assert!(judge(None, "varchar(20)").is_risky());
        assert!(judge(None, "smallint").is_risky());
    }
}
