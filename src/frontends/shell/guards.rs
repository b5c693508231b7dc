//! Confirmation guards: which conditions mean "a person agreed to this" (an interactive answer, an
//! explicit opt-in variable, a `--force`-style flag the script requires). A flag that merely
//! selects the destructive branch (`-v`, `--volumes`, `--full`) is not a guard: people pass flags
//! from habit. Pure functions over what the walker read from a condition; no tree-sitter here.

use std::collections::BTreeSet;

/// What a condition mentions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Condition {
    /// Variable names (`answer`, `CONFIRM_DESTROY_DB`, `1`, `@`).
    pub vars: Vec<String>,
    /// Literal words (`y`, `yes`, `--force`).
    pub words: Vec<String>,
    /// Commands run in the condition (`confirm "Really?"`).
    pub commands: Vec<String>,
}

/// Words in a variable name that mark an explicit opt-in.
const OPT_IN: &[&str] = &[
    "CONFIRM", "FORCE", "I_KNOW", "SURE", "ALLOW", "YES", "DESTROY", "DANGER", "REALLY", "APPROVE",
];

/// Flags that exist to make a destructive script refuse to run without them.
fn is_force_flag(word: &str) -> bool {
    let lower = flag_name(word).to_ascii_lowercase();
    lower == "-f"
        || lower == "-y"
        || lower.starts_with("--force")
        || lower.starts_with("--yes")
        || lower.starts_with("--confirm")
        || lower.starts_with("--i-know")
        || lower.starts_with("--i-am-sure")
        || lower.starts_with("--really")
}

/// A flag as a condition word holds it: `[[ " $* " == *" --force "* ]]` matches all the
/// arguments against a pattern around the flag.
fn flag_name(word: &str) -> &str {
    word.trim_matches(|c: char| matches!(c, '*' | '"' | '\'') || c.is_whitespace())
}

/// The guard a condition amounts to, named for the message, or `None`.
pub(super) fn classify(
    cond: &Condition,
    read_vars: &BTreeSet<String>,
    confirm_fns: &BTreeSet<String>,
) -> Option<String> {
    if let Some(f) = cond.commands.iter().find(|c| confirm_fns.contains(*c)) {
        return Some(format!("an interactive confirmation (`{f}`)"));
    }
    if let Some(v) = cond.vars.iter().find(|v| read_vars.contains(*v)) {
        return Some(format!("an interactive confirmation (`read {v}`)"));
    }
    let positional = |v: &String| v.chars().all(|c| c.is_ascii_digit()) || v == "@" || v == "*";
    if let Some(v) = cond.vars.iter().find(|v| {
        !positional(v) && {
            let upper = v.to_ascii_uppercase();
            OPT_IN.iter().any(|w| upper.contains(w))
        }
    }) {
        return Some(format!("the `${v}` opt-in check"));
    }
    if cond.vars.iter().any(positional)
        && let Some(flag) = cond.words.iter().find(|w| is_force_flag(w))
    {
        return Some(format!("the required `{}` flag", flag_name(flag)));
    }
    None
}

/// A `case` pattern that matches a "yes" answer (`y`, `Y`, `yes`, `[yY]`, `[Yy]*`).
pub(super) fn is_yes_pattern(pattern: &str) -> bool {
    let p = pattern
        .trim_matches(['"', '\''])
        .to_ascii_lowercase()
        .replace(['[', ']', '*'], "");
    matches!(p.as_str(), "y" | "yy" | "yes" | "yesyes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(vars: &[&str], words: &[&str]) -> Condition {
        Condition {
            vars: vars.iter().map(|s| s.to_string()).collect(),
            words: words.iter().map(|s| s.to_string()).collect(),
            commands: Vec::new(),
        }
    }

    #[test]
    fn guards_and_non_guards() {
        let none = BTreeSet::new();
        let read: BTreeSet<String> = ["answer".to_string()].into();
        assert!(classify(&cond(&["answer"], &["y"]), &read, &none).is_some());
        assert!(classify(&cond(&["CONFIRM_DESTROY_DB"], &["yes"]), &none, &none).is_some());
        assert!(classify(&cond(&["1"], &["--force"]), &none, &none).is_some());
        assert!(classify(&cond(&["*"], &["*\" --yes-i-mean-it \"*"]), &none, &none).is_some());
        // Flags that choose the destructive branch are not guards.
        assert!(classify(&cond(&["1"], &["-v"]), &none, &none).is_none());
        assert!(classify(&cond(&["1"], &["--volumes"]), &none, &none).is_none());
        assert!(classify(&cond(&["ENV"], &["prod"]), &none, &none).is_none());
    }

    #[test]
    fn yes_patterns() {
        for p in ["y", "Y", "yes", "[yY]", "[Yy]*", "\"y\""] {
            assert!(is_yes_pattern(p), "{p}");
        }
        for p in ["n", "*", "-v"] {
            assert!(!is_yes_pattern(p), "{p}");
        }
    }
}
