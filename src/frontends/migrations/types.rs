//! Framework column types in the SQL spelling the type judge reads: one table per framework
//! (type name → SQL base type, and which arguments or options give a length or a precision).
//! `:string, limit: 50`, `$table->string('x', 50)`, `models.CharField(max_length=50)` and
//! `sa.String(50)` all read as `varchar(50)`.

/// How a framework type's size is written.
#[derive(Clone, Copy)]
pub enum Size {
    /// No size.
    None,
    /// A length (`varchar(n)`); `default` when none is written.
    Length { default: Option<u64> },
    /// Precision and scale (`numeric(p,s)`), with their defaults.
    Decimal { default: Option<(u64, u64)> },
}

/// One framework type: its name as written, the SQL base type, how its size is written.
pub struct FrameworkType {
    pub name: &'static str,
    pub sql: &'static str,
    pub size: Size,
}

const fn t(name: &'static str, sql: &'static str, size: Size) -> FrameworkType {
    FrameworkType { name, sql, size }
}

const NONE: Size = Size::None;
const LEN: Size = Size::Length { default: None };
const DEC: Size = Size::Decimal { default: None };

/// Rails (`t.string`, `:string` in `add_column`/`change_column`); sizes from `limit:`,
/// `precision:`, `scale:`.
pub const RAILS: &[FrameworkType] = &[
    t("string", "varchar", LEN),
    t("text", "text", NONE),
    t("citext", "citext", NONE),
    t("integer", "integer", NONE),
    t("bigint", "bigint", NONE),
    t("float", "double precision", NONE),
    t("decimal", "numeric", DEC),
    t("numeric", "numeric", DEC),
    t("datetime", "timestamp", NONE),
    t("timestamp", "timestamp", NONE),
    t("timestamptz", "timestamptz", NONE),
    t("date", "date", NONE),
    t("time", "time", NONE),
    t("boolean", "boolean", NONE),
    t("json", "json", NONE),
    t("jsonb", "jsonb", NONE),
    t("uuid", "uuid", NONE),
    t("binary", "bytea", NONE),
    t("references", "bigint", NONE),
    t("belongs_to", "bigint", NONE),
];

/// Laravel's Blueprint column methods; sizes from the second and third arguments.
pub const LARAVEL: &[FrameworkType] = &[
    t("string", "varchar", Size::Length { default: Some(255) }),
    t("char", "char", Size::Length { default: Some(255) }),
    t("text", "text", NONE),
    t("mediumText", "mediumtext", NONE),
    t("longText", "longtext", NONE),
    t("tinyText", "tinytext", NONE),
    t("integer", "integer", NONE),
    t("tinyInteger", "tinyint", NONE),
    t("smallInteger", "smallint", NONE),
    t("mediumInteger", "mediumint", NONE),
    t("bigInteger", "bigint", NONE),
    t("unsignedInteger", "integer unsigned", NONE),
    t("unsignedTinyInteger", "tinyint unsigned", NONE),
    t("unsignedSmallInteger", "smallint unsigned", NONE),
    t("unsignedMediumInteger", "mediumint unsigned", NONE),
    t("unsignedBigInteger", "bigint unsigned", NONE),
    t("increments", "integer unsigned", NONE),
    t("bigIncrements", "bigint unsigned", NONE),
    t("id", "bigint unsigned", NONE),
    t("foreignId", "bigint unsigned", NONE),
    t(
        "decimal",
        "numeric",
        Size::Decimal {
            default: Some((8, 2)),
        },
    ),
    t(
        "unsignedDecimal",
        "numeric",
        Size::Decimal {
            default: Some((8, 2)),
        },
    ),
    t("float", "double precision", NONE),
    t("double", "double precision", NONE),
    t("boolean", "boolean", NONE),
    t("date", "date", NONE),
    t("dateTime", "timestamp", NONE),
    t("dateTimeTz", "timestamptz", NONE),
    t("timestamp", "timestamp", NONE),
    t("timestampTz", "timestamptz", NONE),
    t("time", "time", NONE),
    t("json", "json", NONE),
    t("jsonb", "jsonb", NONE),
    t("uuid", "uuid", NONE),
    t("binary", "blob", NONE),
    t("enum", "enum", NONE),
];

/// Django model fields; sizes from `max_length=`, `max_digits=`/`decimal_places=`.
pub const DJANGO: &[FrameworkType] = &[
    t("CharField", "varchar", LEN),
    t("SlugField", "varchar", Size::Length { default: Some(50) }),
    t("EmailField", "varchar", Size::Length { default: Some(254) }),
    t("URLField", "varchar", Size::Length { default: Some(200) }),
    t("FileField", "varchar", Size::Length { default: Some(100) }),
    t("ImageField", "varchar", Size::Length { default: Some(100) }),
    t(
        "FilePathField",
        "varchar",
        Size::Length { default: Some(100) },
    ),
    t("TextField", "text", NONE),
    t("CICharField", "citext", NONE),
    t("CITextField", "citext", NONE),
    t("IntegerField", "integer", NONE),
    t("PositiveIntegerField", "integer", NONE),
    t("SmallIntegerField", "smallint", NONE),
    t("PositiveSmallIntegerField", "smallint", NONE),
    t("BigIntegerField", "bigint", NONE),
    t("PositiveBigIntegerField", "bigint", NONE),
    t("AutoField", "integer", NONE),
    t("SmallAutoField", "smallint", NONE),
    t("BigAutoField", "bigint", NONE),
    t("DecimalField", "numeric", DEC),
    t("FloatField", "double precision", NONE),
    t("BooleanField", "boolean", NONE),
    t("NullBooleanField", "boolean", NONE),
    t("DateField", "date", NONE),
    t("DateTimeField", "timestamptz", NONE),
    t("TimeField", "time", NONE),
    t("DurationField", "interval", NONE),
    t("UUIDField", "uuid", NONE),
    t("JSONField", "jsonb", NONE),
    t("BinaryField", "bytea", NONE),
    t("GenericIPAddressField", "inet", NONE),
    // `ForeignKey`/`OneToOneField` take the type of the key they point at: not known here.
];

/// SQLAlchemy types as Alembic writes them (`sa.String(50)`, `mysql.VARCHAR(length=50)`);
/// sizes from the first arguments or `length=`, `precision=`/`scale=`. Upper-case names not
/// listed are SQL names already (`sa.TEXT`, `postgresql.INET`).
pub const SQLALCHEMY: &[FrameworkType] = &[
    t("String", "varchar", LEN),
    t("Unicode", "varchar", LEN),
    t("VARCHAR", "varchar", LEN),
    t("NVARCHAR", "nvarchar", LEN),
    t("CHAR", "char", LEN),
    t("Text", "text", NONE),
    t("UnicodeText", "text", NONE),
    t("Integer", "integer", NONE),
    t("INTEGER", "integer", NONE),
    t("INT", "integer", NONE),
    t("SmallInteger", "smallint", NONE),
    t("BigInteger", "bigint", NONE),
    t("Numeric", "numeric", DEC),
    t("NUMERIC", "numeric", DEC),
    t("DECIMAL", "numeric", DEC),
    t("Float", "double precision", NONE),
    t("Double", "double precision", NONE),
    t("REAL", "real", NONE),
    t("Boolean", "boolean", NONE),
    t("DateTime", "timestamp", NONE),
    t("Date", "date", NONE),
    t("Time", "time", NONE),
    t("Interval", "interval", NONE),
    t("JSON", "json", NONE),
    t("JSONB", "jsonb", NONE),
    t("Uuid", "uuid", NONE),
    t("UUID", "uuid", NONE),
    t("LargeBinary", "bytea", NONE),
    t("Enum", "enum", NONE),
];

/// The sizes written with a type: a length, or precision and scale.
#[derive(Clone, Copy, Debug, Default)]
pub struct Written {
    pub first: Option<u64>,
    pub second: Option<u64>,
}

/// The SQL spelling of `name` in `table` with the sizes written, or `None` for an unknown type.
pub fn sql_of(table: &[FrameworkType], name: &str, written: Written) -> Option<String> {
    let ty = table.iter().find(|t| t.name == name)?;
    Some(match ty.size {
        Size::None => ty.sql.to_string(),
        Size::Length { default } => match written.first.or(default) {
            Some(n) => format!("{}({n})", ty.sql),
            None => ty.sql.to_string(),
        },
        Size::Decimal { default } => {
            let given = written.first.map(|p| (p, written.second.unwrap_or(0)));
            match given.or(default) {
                Some((p, s)) => format!("{}({p},{s})", ty.sql),
                None => ty.sql.to_string(),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(first: Option<u64>, second: Option<u64>) -> Written {
        Written { first, second }
    }

    #[test]
    fn framework_types_read_as_sql() {
        let none = Written::default();
        assert_eq!(
            sql_of(RAILS, "string", sizes(Some(50), None)).as_deref(),
            Some("varchar(50)")
        );
        assert_eq!(sql_of(RAILS, "string", none).as_deref(), Some("varchar"));
        assert_eq!(
            sql_of(LARAVEL, "string", none).as_deref(),
            Some("varchar(255)")
        );
        assert_eq!(
            sql_of(LARAVEL, "decimal", none).as_deref(),
            Some("numeric(8,2)")
        );
        assert_eq!(
            sql_of(DJANGO, "DecimalField", sizes(Some(10), Some(2))).as_deref(),
            Some("numeric(10,2)")
        );
        assert_eq!(
            sql_of(DJANGO, "EmailField", none).as_deref(),
            Some("varchar(254)")
        );
        assert_eq!(
            sql_of(SQLALCHEMY, "Integer", none).as_deref(),
            Some("integer")
        );
        assert_eq!(sql_of(DJANGO, "NoSuchField", none), None);
    }
}
