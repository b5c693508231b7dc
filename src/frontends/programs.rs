//! Standalone programs (`FileKind::Program`: a JavaScript/TypeScript, Python, Ruby or PHP file
//! with a shebang, in a root-level `scripts/`/`script/`/`bin/` folder, or run by a command of the
//! repository): the SQL string literals they hand to a database client (`client.query('DROP
//! TABLE x')`, `cursor.execute("TRUNCATE t")`, `conn.exec(<<~SQL)`, `$pdo->exec("…")`,
//! `` sql`…` ``) are read by the sql pack as one script, reported at the literal. Which calls take
//! SQL is data (`rules/program-clients.toml`); the literal readers are the migration front-ends'
//! (escapes, template literals, concatenation, heredocs, a name bound to a string earlier).

use tree_sitter::Node;

use super::migrations::{javascript, js_flow, lit, php, py, rails};
use crate::classify::{
    ProgramLanguage, program_language_of_interpreter, program_language_of_name, shebang_interpreter,
};
use crate::knowledge::programs::{LanguageEntry, ProgramTable};
use crate::model::FileFacts;
use crate::source::OffsetMap;
use crate::syntax::sql::SqlDialect;
use crate::syntax::{Grammar, parse_tree};

/// Arguments of a client call read for SQL (`mysqli_query($link, "…")` has it second); a string
/// that is no SQL (a host name, a parameter) yields no statement.
const SQL_ARGS: usize = 2;

/// Read one program file into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let table = ProgramTable::builtin();
    let name = facts.file.path.rsplit('/').next().unwrap_or("");
    let Some(language) = program_language_of_name(name).or_else(|| {
        shebang_interpreter(facts.file.text.as_bytes()).and_then(program_language_of_interpreter)
    }) else {
        return;
    };
    let Some(entry) = table.entry(language) else {
        return;
    };
    if language == ProgramLanguage::JavaScript {
        super::appconfig::program_schema_sync(facts);
    }
    let src = facts.file.text.clone();
    // Most programs hold no client call at all: no parse for those.
    let calls_client = entry
        .methods
        .iter()
        .chain(&entry.tags)
        .any(|m| src.contains(m.as_str()));
    let connects = table
        .password_argument
        .iter()
        .any(|p| src.contains(p.call.as_str()));
    if !calls_client && !connects {
        return;
    }
    let grammar = match language {
        ProgramLanguage::JavaScript => crate::syntax::javascript_grammar(&facts.file.path),
        ProgramLanguage::Python => Grammar::Python,
        ProgramLanguage::Ruby => Grammar::Ruby,
        ProgramLanguage::Php => Grammar::Php,
    };
    let Some(tree) = parse_tree(grammar, &src) else {
        return;
    };
    let root = tree.root_node();
    if connects {
        mask_password_arguments(facts, root, &src, table);
    }
    let mut literals: Vec<(String, OffsetMap)> = Vec::new();
    match language {
        ProgramLanguage::JavaScript => javascript_sql(root, &src, entry, &mut literals),
        ProgramLanguage::Python => python_sql(root, &src, entry, &mut literals),
        ProgramLanguage::Ruby => ruby_sql(root, &src, entry, &mut literals),
        ProgramLanguage::Php => php_sql(root, &src, entry, &mut literals),
    }
    if literals.is_empty() {
        return;
    }
    // One script in file order, whatever order the calls were visited in.
    literals.sort_by_key(|(_, map)| map.to_host(0));
    let dialect = match table.dialect_of(&src) {
        Some("mysql") => SqlDialect::MySql,
        Some("sqlite") => SqlDialect::Sqlite,
        _ => SqlDialect::Postgres,
    };
    super::sql::extract_program(facts, &literals, dialect);
}

/// Mask the string literal a connection call takes its password in (`new Sequelize(db, user,
/// 'secret')`, `new PDO($dsn, 'root', 'secret')`, `pymysql.connect('db', 'root', 'secret')`):
/// keyed and URL passwords are masked for every program already, positional ones only here.
fn mask_password_arguments(facts: &mut FileFacts, root: Node, src: &str, table: &ProgramTable) {
    let mut spans = Vec::new();
    lit::walk(root, |node| {
        let (callee, args) = match node.kind() {
            "call_expression" | "call" | "function_call_expression" => (
                node.child_by_field_name("function"),
                node.child_by_field_name("arguments"),
            ),
            "new_expression" => (
                node.child_by_field_name("constructor"),
                node.child_by_field_name("arguments"),
            ),
            "member_call_expression" | "scoped_call_expression" => (
                node.child_by_field_name("name"),
                node.child_by_field_name("arguments"),
            ),
            "object_creation_expression" => (
                lit::children(node)
                    .into_iter()
                    .find(|c| matches!(c.kind(), "name" | "qualified_name")),
                lit::children(node)
                    .into_iter()
                    .find(|c| c.kind() == "arguments"),
            ),
            _ => return true,
        };
        let (Some(callee), Some(args)) = (callee, args) else {
            return true;
        };
        // The last name of `mysql.connector.connect`, `\PDO`, `Sequelize`.
        let name = lit::text(callee, src)
            .rsplit(['.', '\\', ':'])
            .next()
            .unwrap_or("");
        let Some(at) = table.password_position(name) else {
            return true;
        };
        let positional: Vec<Node> = lit::children(args)
            .into_iter()
            .filter(|a| !matches!(a.kind(), "keyword_argument" | "pair"))
            .map(|a| match a.kind() {
                // PHP wraps each argument.
                "argument" => lit::children(a).into_iter().last().unwrap_or(a),
                _ => a,
            })
            .collect();
        if let Some(arg) = positional.get(at).filter(|a| a.kind().contains("string")) {
            spans.push(lit::span(*arg));
        }
        true
    });
    for span in spans {
        if !facts.secrets.contains(&span) {
            facts.secrets.push(span);
        }
    }
}

fn listed(list: &[String], name: &str) -> bool {
    list.iter().any(|m| m == name)
}

/// `client.query('…')`, `knex.raw(sql)`, `db.exec(`…`)`, `` sql`…` ``, `prisma.$executeRaw`…``.
fn javascript_sql(
    root: Node,
    src: &str,
    entry: &LanguageEntry,
    out: &mut Vec<(String, OffsetMap)>,
) {
    let bindings = js_flow::string_bindings(root, src, |v| javascript::string(v, src).is_some());
    lit::walk(root, |node| {
        if node.kind() != "call_expression" {
            return true;
        }
        let (Some(function), Some(args)) = (
            node.child_by_field_name("function"),
            node.child_by_field_name("arguments"),
        ) else {
            return true;
        };
        let name = match function.kind() {
            "member_expression" => function
                .child_by_field_name("property")
                .map_or("", |p| lit::text(p, src)),
            "identifier" => lit::text(function, src),
            _ => "",
        };
        if args.kind() == "template_string" {
            if listed(&entry.tags, name)
                && let Some(l) = javascript::string(args, src)
            {
                out.push((l.text, l.map));
            }
            return true;
        }
        if !listed(&entry.methods, name) {
            return true;
        }
        for a in lit::children(args).into_iter().take(SQL_ARGS) {
            // pg's and mysql's query configs: `client.query({ text: '…', values })`.
            let a = sql_key_of(a, src).unwrap_or(a);
            let found = javascript::string(a, src).or_else(|| {
                js_flow::resolve(&bindings, a, src).and_then(|v| javascript::string(v, src))
            });
            if let Some(l) = found {
                out.push((l.text, l.map));
            }
        }
        true
    });
}

/// The value of the `text:` or `sql:` key of an object literal (a query config).
fn sql_key_of<'t>(node: Node<'t>, src: &str) -> Option<Node<'t>> {
    if node.kind() != "object" {
        return None;
    }
    lit::children(node)
        .into_iter()
        .filter(|p| p.kind() == "pair")
        .find(|p| {
            p.child_by_field_name("key").is_some_and(|k| {
                matches!(lit::text(k, src).trim_matches(['"', '\'']), "text" | "sql")
            })
        })
        .and_then(|p| p.child_by_field_name("value"))
}

/// `cursor.execute("…")`, `conn.execute(text("…"))`, `cur.executescript(SQL)`.
fn python_sql(root: Node, src: &str, entry: &LanguageEntry, out: &mut Vec<(String, OffsetMap)>) {
    lit::walk(root, |node| {
        let Some(call) = py::PyCall::of(node, src) else {
            return true;
        };
        if !listed(&entry.methods, call.name) {
            return true;
        }
        for arg in call.positional.iter().take(SQL_ARGS) {
            let value = if arg.kind() == "identifier" {
                python_assigned_before(*arg, src)
            } else {
                Some(*arg)
            };
            let mut found = Vec::new();
            if let Some(value) = value {
                py::sql_texts(value, src, &mut found, 1);
            }
            out.extend(found.into_iter().map(|l| (python_params(&l.text), l.map)));
        }
        true
    });
}

/// DB-API parameters (`%s`, `%(name)s`) as identifier characters of the same length, so the
/// statement parses and its offsets stay put.
fn python_params(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'%', &b[i..]) {
        let at = i + k;
        let end = match b.get(at + 1) {
            Some(b's') => Some(at + 2),
            Some(b'(') => b[at..]
                .iter()
                .position(|&c| c == b')')
                .map(|p| at + p + 1)
                .filter(|&close| b.get(close) == Some(&b's'))
                .map(|close| close + 1),
            _ => None,
        };
        let end = end.unwrap_or(at + 1);
        if end > at + 1 {
            for byte in &mut out[at..end] {
                if !(byte.is_ascii_alphanumeric() || *byte == b'_') {
                    *byte = b'_';
                }
            }
        }
        i = end;
    }
    // Only ASCII bytes were replaced by ASCII: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The value last assigned to the name `var` before it is used, in the same function (or at
/// module level).
fn python_assigned_before<'t>(var: Node<'t>, src: &str) -> Option<Node<'t>> {
    let name = py::text(var, src);
    let mut scope = var.parent()?;
    while !matches!(scope.kind(), "function_definition" | "module") {
        scope = scope.parent()?;
    }
    let mut found: Option<Node> = None;
    lit::walk(scope, |node| {
        if node.start_byte() >= var.start_byte() {
            return false;
        }
        if node.kind() == "function_definition" && node != scope {
            return false;
        }
        if node.kind() == "assignment"
            && let (Some(left), Some(right)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            )
            && left.kind() == "identifier"
            && py::text(left, src) == name
        {
            found = Some(right);
        }
        true
    });
    found.or_else(|| py::assigned(root_of(var), src, name))
}

fn root_of(node: Node) -> Node {
    let mut n = node;
    while let Some(p) = n.parent() {
        n = p;
    }
    n
}

/// `conn.exec("…")`, `ActiveRecord::Base.connection.execute(<<~SQL)`, `DB.run(sql)`.
fn ruby_sql(root: Node, src: &str, entry: &LanguageEntry, out: &mut Vec<(String, OffsetMap)>) {
    let mut layout = rails::Layout::default();
    layout.scan(root, src, 0);
    lit::walk(root, |node| {
        if node.kind() != "call" {
            return true;
        }
        let method = node
            .child_by_field_name("method")
            .map_or("", |m| lit::text(m, src));
        if !listed(&entry.methods, method) {
            return true;
        }
        let Some(list) = node.child_by_field_name("arguments") else {
            return true;
        };
        for a in lit::children(list).into_iter().take(SQL_ARGS) {
            if let Some(l) = rails::sql_text_in(&layout, src, a, node, 0) {
                out.push((l.text, l.map));
            }
        }
        true
    });
}

/// `$pdo->exec("…")`, `DB::statement('…')`, `mysqli_query($link, "…")`.
fn php_sql(root: Node, src: &str, entry: &LanguageEntry, out: &mut Vec<(String, OffsetMap)>) {
    lit::walk(root, |node| {
        let args: Vec<Node> = if let Some(call) = php::PhpCall::of(node, src) {
            if !listed(&entry.methods, call.name) {
                return true;
            }
            call.args
        } else if node.kind() == "function_call_expression" {
            let name = node
                .child_by_field_name("function")
                .map_or("", |f| php::text(f, src));
            if !listed(&entry.methods, name.trim_start_matches('\\')) {
                return true;
            }
            php_arguments(node)
        } else {
            return true;
        };
        for a in args.into_iter().take(SQL_ARGS) {
            if let Some(l) = php::sql_text(a, src) {
                out.push((l.text, l.map));
            }
        }
        true
    });
}

/// The argument values of a PHP function call.
fn php_arguments(node: Node) -> Vec<Node> {
    let Some(list) = node.child_by_field_name("arguments") else {
        return Vec::new();
    };
    lit::children(list)
        .into_iter()
        .filter(|a| a.kind() == "argument")
        .filter_map(|a| lit::children(a).into_iter().last())
        .collect()
}

#[cfg(test)]
mod tests {
    //! Extraction snapshot: the fixtures' programs (one per language and client shape), each
    //! statement with its line, operation and the clause as written in the host file.

    use std::fmt::Write as _;

    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::FileFacts;
    use crate::source::{LineIndex, SourceFile};

    const CASES: &[&str] = &[
        "drop-table/bad-program-scripts-folder/scripts/nuke.js",
        "drop-table/bad-program-run-by-package-json/tools/purge-audit.ts",
        "drop-table/bad-program-python/scripts/reset_reporting.py",
        "drop-table/bad-program-ruby-shebang/bin/cleanup",
        "drop-table/bad-program-php/scripts/wipe-customers.php",
        "drop-table/good-program-application-code/scripts/report.js",
    ];

    #[test]
    fn programs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut out = String::new();
        for case in CASES {
            let text = std::fs::read_to_string(root.join(case)).expect("fixture");
            let path = case.splitn(3, '/').nth(2).unwrap_or(case);
            let facts = FileFacts::extract(
                SourceFile::new(path, text.clone()),
                FileKind::Program,
                Context::Production,
            );
            let lines = LineIndex::new(&text);
            let _ = writeln!(out, "{path} ({:?})", facts.sql.dialect);
            for s in &facts.sql.statements {
                let line = lines.position(&text, s.clause_span.start()).line;
                let clause = text
                    .get(s.clause_span.start()..s.clause_span.end())
                    .unwrap_or("");
                let op = format!("{:?}", s.kind);
                let op = op.split([' ', '{', '(']).next().unwrap_or("");
                let scratch = if s.scratch { " scratch" } else { "" };
                let _ = writeln!(out, "  {line}: {op}{scratch} `{clause}`");
            }
        }
        insta::assert_snapshot!(out);
    }
}
