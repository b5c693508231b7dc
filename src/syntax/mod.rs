//! Syntax: every grammar the scanner reads, behind one enum and one thread-local parser cache,
//! plus the hand-written readers that sit at the same level (the spanned YAML model, the SQL
//! splitter, tokeniser and sqlparser wrapper).
//!
//! This layer turns text into trees and tokens. It never decides what a tree means (that is the
//! front-ends' job) and imports nothing above `source`.

pub mod interp;
pub mod sql;
pub mod yaml;

use std::cell::RefCell;

use tree_sitter::{Language, Node, Parser, Tree};

/// A tree-sitter grammar the scanner loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grammar {
    Bash,
    Yaml,
    JavaScript,
    TypeScript,
    CSharp,
    Elixir,
    /// Ruby (Rails migrations).
    Ruby,
    /// PHP with its `<?php` tags (Laravel and Doctrine migrations).
    Php,
    /// Python (Django and Alembic migrations).
    Python,
    /// Dockerfiles and Containerfiles.
    Dockerfile,
    /// HCL (Terraform and OpenTofu configurations).
    Hcl,
    /// PowerShell scripts and modules (`.ps1`, `.psm1`).
    PowerShell,
}

impl Grammar {
    /// Every grammar, in a stable order (the index of each in the parser cache).
    pub const ALL: &'static [Grammar] = &[
        Grammar::Bash,
        Grammar::Yaml,
        Grammar::JavaScript,
        Grammar::TypeScript,
        Grammar::CSharp,
        Grammar::Elixir,
        Grammar::Ruby,
        Grammar::Php,
        Grammar::Python,
        Grammar::Dockerfile,
        Grammar::Hcl,
        Grammar::PowerShell,
    ];

    fn language(self) -> Language {
        match self {
            Grammar::Bash => tree_sitter_bash::LANGUAGE.into(),
            Grammar::Yaml => tree_sitter_yaml::LANGUAGE.into(),
            Grammar::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Grammar::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Grammar::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
            Grammar::Elixir => tree_sitter_elixir::LANGUAGE.into(),
            Grammar::Ruby => tree_sitter_ruby::LANGUAGE.into(),
            Grammar::Php => tree_sitter_php::LANGUAGE_PHP.into(),
            Grammar::Python => tree_sitter_python::LANGUAGE.into(),
            Grammar::Dockerfile => tree_sitter_containerfile::LANGUAGE.into(),
            Grammar::Hcl => tree_sitter_hcl::LANGUAGE.into(),
            Grammar::PowerShell => tree_sitter_powershell::LANGUAGE.into(),
        }
    }

    fn index(self) -> usize {
        Grammar::ALL
            .iter()
            .position(|&g| g == self)
            .unwrap_or_default()
    }
}

thread_local! {
    /// One parser per grammar per thread, made on first use and reset before each parse.
    static PARSERS: RefCell<Vec<Option<Parser>>> = const { RefCell::new(Vec::new()) };
}

/// The grammar of a JavaScript-family file by its name: TypeScript for `.ts`/`.mts`/`.cts`
/// (any case), JavaScript otherwise.
pub fn javascript_grammar(path: &str) -> Grammar {
    let path = path.to_ascii_lowercase();
    if [".ts", ".mts", ".cts"].iter().any(|e| path.ends_with(e)) {
        Grammar::TypeScript
    } else {
        Grammar::JavaScript
    }
}

/// The first named child of `node` of `kind`.
pub fn child_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).find(|c| c.kind() == kind)
}

/// The first error or missing node in `node`'s tree, in source order (iterative: no recursion
/// over input depth), for the notice naming where a file could not be parsed.
pub fn first_error(node: Node) -> Option<Node> {
    let mut cursor = node.walk();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.is_error() || n.is_missing() {
            return Some(n);
        }
        if n.has_error() {
            let children: Vec<Node> = n.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }
    None
}

/// Parse `text` with `grammar`. `None` only if the grammar could not be loaded (a build problem).
pub fn parse_tree(grammar: Grammar, text: &str) -> Option<Tree> {
    reparse_tree(grammar, text, None)
}

/// [`parse_tree`], reusing the subtrees of `old` that an edit (already applied to it with
/// `Tree::edit`) left unchanged: tree-sitter's incremental parsing.
pub fn reparse_tree(grammar: Grammar, text: &str, old: Option<&Tree>) -> Option<Tree> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        if parsers.len() < Grammar::ALL.len() {
            parsers.resize_with(Grammar::ALL.len(), || None);
        }
        let slot = parsers.get_mut(grammar.index())?;
        if slot.is_none() {
            let mut parser = Parser::new();
            parser.set_language(&grammar.language()).ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        parser.reset();
        parser.parse(text, old)
    })
}
