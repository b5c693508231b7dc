//! The architecture, checked from the source text (`use crate::…` paths and `super::` paths):
//! layers point one way, modules have no import cycles, rules never reach for syntax or
//! front-ends, the lowest layers import nothing above them, no file outgrows a reader, and every
//! file is formatted when rustfmt checks it on its own (a macro can hide a module from
//! `cargo fmt`). See `../shared/design/architecture.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layers, lowest first. A module may import from its own layer's modules (no cycles) and
/// from lower layers only.
const LAYERS: &[&[&str]] = &[
    &["source", "notice", "levels", "classify", "suppress", "walk"],
    &["syntax"],
    &["model"],
    &["config"],
    &["knowledge"],
    &["frontends"],
    &["analysis"],
    &["rules"],
    &["outcome"],
    &["report"],
    &["engine"],
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

/// Every library source file (not the binary's own `main.rs`, `cli.rs`, `run.rs`), with its module
/// path (`frontends::shell::words`).
fn library_files() -> Vec<(PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // A `tests.rs` file is a `#[cfg(test)] mod tests;` of its parent.
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
                continue;
            }
            let rel = path.strip_prefix(src()).expect("under src");
            let mut parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if matches!(
                parts.as_slice(),
                [one] if ["main", "cli", "run"].contains(&one.as_str())
            ) {
                continue;
            }
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            out.push((path, parts));
        }
    }
    out.sort();
    out
}

/// The file's text without its `#[cfg(test)]` items (a test module may reach across layers to
/// build its input) and without comments.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            // Skip the item that follows: up to its closing brace at the same indentation, or its
            // `;` when it is a `mod tests;` declaration.
            let indent = line.len() - trimmed.len();
            for next in lines.by_ref() {
                let t = next.trim_start();
                if t.ends_with(';') && !t.contains('{') && next.len() - t.len() == indent {
                    break;
                }
                if t.starts_with('}') && next.len() - t.len() == indent {
                    break;
                }
            }
            continue;
        }
        let code = match trimmed.find("//") {
            Some(0) => continue,
            Some(_) => line.split("//").next().unwrap_or(""),
            None => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The modules a file names (`crate::a::b::…`, `super::x`), as paths of at most `depth` parts.
fn imports(module: &[String], text: &str, depth: usize) -> BTreeSet<Vec<String>> {
    let code = code_of(text);
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < code.len() {
        let rest = &bytes[i..];
        let (base, skip): (Vec<String>, usize) = if rest.starts_with(b"crate::") {
            (Vec::new(), "crate::".len())
        } else if rest.starts_with(b"super::") && (i == 0 || !ident(bytes[i - 1])) {
            // `super` in `a/b.rs` (module a::b) is `a`.
            let parent = module[..module.len().saturating_sub(1)].to_vec();
            (parent, "super::".len())
        } else {
            i += 1;
            continue;
        };
        if i > 0 && ident(bytes[i - 1]) {
            i += 1;
            continue;
        }
        let mut path = base;
        let mut j = i + skip;
        loop {
            let start = j;
            while j < code.len() && ident(bytes[j]) {
                j += 1;
            }
            let part = &code[start..j];
            // Module names are lower-case; a type or function ends the module path.
            if part.is_empty() || part.starts_with(|c: char| c.is_ascii_uppercase()) {
                break;
            }
            path.push(part.to_string());
            if bytes[j..].starts_with(b"::") {
                j += 2;
            } else {
                // The last lower-case part may be a function: keep it only as a module when the
                // path is a `use` of a module (`use crate::frontends::shell;`); either way its
                // parent is a module.
                break;
            }
        }
        if !path.is_empty() {
            path.truncate(depth);
            out.insert(path);
        }
        i = j.max(i + 1);
    }
    out
}

/// Module-level edges at `depth` (1: `frontends`; 2: `frontends::shell`), self-edges and edges
/// within the same module dropped; a path that names a function of a module (`crate::walk::walk`)
/// is reduced to the longest known module.
fn graph(depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let files = library_files();
    let modules: BTreeSet<String> = files
        .iter()
        .flat_map(|(_, m)| (1..=m.len()).map(move |k| m[..k].join("::")))
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, module) in &files {
        if module.is_empty() {
            continue; // lib.rs: the module list and re-exports
        }
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let from = module[..module.len().min(depth)].join("::");
        for target in imports(module, &text, depth) {
            let mut to = target.clone();
            while !to.is_empty() && !modules.contains(&to.join("::")) {
                to.pop();
            }
            if to.is_empty() {
                continue;
            }
            let to = to.join("::");
            if to == from
                || to.starts_with(&format!("{from}::"))
                || from.starts_with(&format!("{to}::"))
            {
                continue;
            }
            edges.entry(from.clone()).or_default().insert(to);
        }
    }
    edges
}

/// Strongly connected components of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on.insert(v);
            if let Some(next) = self.edges.get(v) {
                for w in next {
                    let w = w.as_str();
                    if !self.index.contains_key(w) {
                        self.visit(w);
                        let lw = self.low[w];
                        let lv = self.low[v];
                        self.low.insert(v, lv.min(lw));
                    } else if self.on.contains(w) {
                        let iw = self.index[w];
                        let lv = self.low[v];
                        self.low.insert(v, lv.min(iw));
                    }
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on.remove(w);
                    component.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.out.push(component);
                }
            }
        }
    }
    let mut t = Tarjan {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.out
}

#[test]
fn layers_point_one_way() {
    let mut problems = Vec::new();
    for (from, targets) in graph(1) {
        let Some(lf) = layer_of(&from) else {
            problems.push(format!("src/{from}: not in any layer of tests/layers.rs"));
            continue;
        };
        for to in targets {
            let Some(lt) = layer_of(&to) else {
                problems.push(format!("src/{to}: not in any layer of tests/layers.rs"));
                continue;
            };
            if lt > lf {
                problems.push(format!(
                    "`{from}` imports `{to}`, a layer above it: move the shared code down"
                ));
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn modules_have_no_import_cycles() {
    let mut problems = Vec::new();
    for depth in [1, 2] {
        for cycle in cycles(&graph(depth)) {
            problems.push(format!("import cycle: {}", cycle.join(" ⇄ ")));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn rules_read_the_model_never_syntax_or_front_ends() {
    let edges = graph(1);
    let mut problems = Vec::new();
    for forbidden in ["syntax", "frontends"] {
        if edges.get("rules").is_some_and(|t| t.contains(forbidden)) {
            for (path, module) in library_files() {
                if module.first().is_some_and(|m| m == "rules") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    if imports(&module, &text, 1).contains(&vec![forbidden.to_string()]) {
                        problems.push(format!(
                            "{} imports `{forbidden}`: rules read `model` and `analysis`",
                            path.display()
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn syntax_and_model_import_nothing_above_them() {
    let edges = graph(1);
    let allowed: &[(&str, &[&str])] = &[
        ("syntax", &["source", "notice", "levels", "classify"]),
        (
            "model",
            &["syntax", "source", "notice", "levels", "classify"],
        ),
    ];
    let mut problems = Vec::new();
    for (module, ok) in allowed {
        for to in edges.get(*module).into_iter().flatten() {
            if !ok.contains(&to.as_str()) {
                problems.push(format!("`{module}` imports `{to}`"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn lib_rs_is_a_module_list() {
    let text = std::fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    for statement in code_of(&text)
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let ok = ["pub mod ", "mod ", "pub use "]
            .iter()
            .any(|p| statement.starts_with(p));
        assert!(
            ok,
            "src/lib.rs holds code (`{statement}`): it is the module list and re-exports"
        );
    }
}

#[test]
fn no_file_outgrows_a_reader() {
    const MAX_LINES: usize = 1_200;
    let mut problems = Vec::new();
    for (path, _) in library_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let lines = text.lines().count();
        if lines > MAX_LINES {
            problems.push(format!(
                "{}: {lines} lines; split it by concern (at most {MAX_LINES})",
                path.display()
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_file_is_formatted_on_its_own() {
    // `cargo fmt` skips modules declared inside macros; rustfmt on each file does not.
    let check = std::process::Command::new("rustfmt")
        .arg("--version")
        .output();
    assert!(
        check.is_ok_and(|o| o.status.success()),
        "rustfmt is needed for this check: `rustup component add rustfmt`"
    );
    let mut files: Vec<PathBuf> = library_files().into_iter().map(|(p, _)| p).collect();
    for bin in ["main.rs", "cli.rs", "run.rs"] {
        files.push(src().join(bin));
    }
    let mut problems = Vec::new();
    for chunk in files.chunks(64) {
        let out = std::process::Command::new("rustfmt")
            .args(["--edition", "2024", "--check"])
            .args(chunk)
            .output()
            .expect("rustfmt runs");
        if !out.status.success() {
            let text = String::from_utf8_lossy(&out.stdout);
            for line in text.lines().filter(|l| l.starts_with("Diff in ")) {
                problems.push(line.to_string());
            }
            if problems.is_empty() {
                problems.push(String::from_utf8_lossy(&out.stderr).into_owned());
            }
        }
    }
    assert!(
        problems.is_empty(),
        "files rustfmt would change (run `cargo fmt`, or rustfmt on the file):\n{}",
        problems.join("\n")
    );
}
