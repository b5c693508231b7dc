//! go-task `Taskfile.yml`: every task's `cmds` (strings, `{cmd: …}` items, or a task that is
//! only a string or a list) is shell, read through the spanned YAML model so findings land on
//! the exact line. `{{.VAR}}` templates become the value of a `vars:` entry that is a plain
//! string (the task's own, then the file's), anything else a shell expansion (`${VAR}`).
//! A task with `prompt:` runs only after a person confirmed it (a guard); a task named for a
//! local reset, seed, test or dev run is that context. A task run by a `task: other` command
//! of a prompted task runs behind that prompt too (not one of its `deps:`, which go-task may
//! start first).

use std::collections::{BTreeMap, HashMap};

use crate::frontends::manifests::package_json::script_name_context;
use crate::model::command::{Dir, ShellOrigin};
use crate::model::{FileFacts, Region};
use crate::notice::{Notice, NoticeKind};
use crate::source::OffsetMap;
use crate::syntax::yaml::{self, Node};

/// One task as read.
struct Task<'y> {
    node: &'y Node,
    /// The commands: (text, its map to the host).
    cmds: Vec<(String, OffsetMap)>,
    /// Tasks its `task:` commands run (after its prompt).
    calls: Vec<String>,
    /// Its `deps:` (they may run before the prompt is asked: not behind it).
    deps: Vec<String>,
    prompt: bool,
}

/// Extract every task of a Taskfile.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let parsed = yaml::parse(&text);
    if let Some(p) = parsed.problems.first() {
        let line = facts.file.position(p.offset).line;
        facts.notices.push(
            Notice::file(
                &facts.file.path,
                NoticeKind::ParseError,
                "this Taskfile could not be fully parsed; the tasks around the problem were still read",
            )
            .at_line(line),
        );
    }
    let Some(root) = parsed.documents.first().and_then(|d| d.root.as_ref()) else {
        return;
    };
    let file_vars = string_vars(root.get("vars"));
    let Some(tasks) = root.get("tasks").and_then(Node::as_mapping) else {
        return;
    };
    let mut read: BTreeMap<String, Task> = BTreeMap::new();
    for pair in tasks {
        let Some(name) = pair.key.as_str() else {
            continue;
        };
        let mut vars = file_vars.clone();
        vars.extend(string_vars(pair.value.get("vars")));
        read.insert(name.to_string(), read_task(&pair.value, &vars));
    }
    // A task run from a prompted task (directly or not) runs behind that prompt.
    let mut behind: BTreeMap<String, String> = BTreeMap::new();
    for (name, task) in &read {
        if task.prompt {
            let mut queue: Vec<&str> = task.calls.iter().map(String::as_str).collect();
            while let Some(callee) = queue.pop() {
                if behind.len() > 256 || behind.contains_key(callee) || callee == name {
                    continue;
                }
                behind.insert(callee.to_string(), name.clone());
                if let Some(t) = read.get(callee) {
                    queue.extend(t.calls.iter().map(String::as_str));
                }
            }
        }
    }
    for (name, task) in &read {
        if !task.deps.is_empty() {
            facts
                .shell
                .task_deps
                .push((name.clone(), task.deps.clone()));
        }
        let span = task.node.span;
        let prompted = if task.prompt {
            Some(name)
        } else {
            behind.get(name)
        };
        if let Some(by) = prompted {
            facts.regions.push(Region {
                span,
                context: None,
                guard: Some(format!("the `prompt:` of task `{by}`")),
            });
        }
        if let Some(context) = script_name_context(name) {
            facts.regions.push(Region {
                span,
                context: Some(context),
                guard: None,
            });
        }
        for (cmd, map) in &task.cmds {
            if cmd.trim().is_empty() {
                continue;
            }
            facts.shell.add_source_in(
                cmd,
                map,
                ShellOrigin::Task {
                    host: "Taskfile".into(),
                    name: name.clone(),
                },
                Dir::ScriptDir(task.node.get_str("dir").unwrap_or("").to_string()),
            );
        }
    }
}

fn read_task<'y>(node: &'y Node, vars: &HashMap<String, String>) -> Task<'y> {
    let mut task = Task {
        node,
        cmds: Vec::new(),
        calls: Vec::new(),
        deps: Vec::new(),
        prompt: node.get("prompt").is_some_and(|p| !p.is_null()),
    };
    // `task: echo hi` and `task: [a, b]` are shorthands for `cmds:`.
    let items: Vec<&Node> = match (node.as_scalar(), node.as_sequence()) {
        (Some(_), _) => vec![node],
        (_, Some(seq)) => seq.iter().collect(),
        _ => node
            .get("cmds")
            .and_then(Node::as_sequence)
            .map(|s| s.iter().collect())
            .unwrap_or_default(),
    };
    for item in items {
        if let Some(scalar) = item.as_scalar() {
            task.cmds.push(template(&scalar.value, &scalar.map, vars));
        } else if let Some(cmd) = item.get("cmd").and_then(Node::as_scalar) {
            task.cmds.push(template(&cmd.value, &cmd.map, vars));
        } else if let Some(callee) = item.get_str("task") {
            task.calls.push(callee.to_string());
        }
    }
    if let Some(deps) = node.get("deps").and_then(Node::as_sequence) {
        for dep in deps {
            match (dep.as_str(), dep.get_str("task")) {
                (Some(name), _) | (None, Some(name)) => task.deps.push(name.to_string()),
                _ => {}
            }
        }
    }
    task
}

/// `vars:` entries whose value is a plain string (not `sh:` or a map).
fn string_vars(node: Option<&Node>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for pair in node.and_then(Node::as_mapping).unwrap_or_default() {
        if let (Some(name), Some(value)) = (pair.key.as_str(), pair.value.as_scalar())
            && !value.value.contains("{{")
        {
            out.insert(name.to_string(), value.value.clone());
        }
    }
    out
}

/// A command's text with `{{…}}` templates replaced, and its map to the host (through the
/// scalar's own map).
fn template(value: &str, outer: &OffsetMap, vars: &HashMap<String, String>) -> (String, OffsetMap) {
    let mut script = String::new();
    // Offsets of the new text into `value`, then composed with `outer`.
    let mut inner: Vec<(usize, usize, usize)> = Vec::new();
    let mut rest = 0;
    while let Some(open) = value[rest..].find("{{") {
        let open = rest + open;
        let Some(close) = value[open + 2..].find("}}") else {
            break;
        };
        let close = open + 2 + close;
        inner.push((script.len(), rest, open - rest));
        script.push_str(&value[rest..open]);
        let name = template_variable(&value[open + 2..close]);
        let replacement = match vars.get(&name) {
            Some(v) if !v.contains('\n') && v.len() < 4096 => v.clone(),
            _ => format!("${{{name}}}"),
        };
        // The replacement stands for the whole template: first byte at `{{`, last at `}}`.
        inner.push((script.len(), open, 0));
        if replacement.len() > 1 {
            inner.push((script.len() + replacement.len() - 1, close + 1, 0));
        }
        script.push_str(&replacement);
        rest = close + 2;
    }
    inner.push((script.len(), rest, value.len() - rest));
    script.push_str(&value[rest..]);
    let mut map = OffsetMap::default();
    for (t, v, len) in inner {
        if len == 0 {
            map.push(t, outer.to_host(v), 0);
            continue;
        }
        let mut one = OffsetMap::default();
        one.push(t, v, len);
        for (t2, h2, l2) in outer.then(&one).segments() {
            map.push(t2, h2, l2);
        }
    }
    (script, map)
}

/// The variable a template reads: `.DB` in `{{.DB}}`, `{{ .DB | default "x" }}`; other
/// templates get a name made of their letters.
fn template_variable(inner: &str) -> String {
    let inner = inner.trim();
    let start = inner.find('.').map_or(0, |i| i + 1);
    let name: String = inner[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        "TASK_TEMPLATE".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::source::SourceFile;

    fn facts(text: &str) -> FileFacts {
        FileFacts::extract(
            SourceFile::new("Taskfile.yml", text),
            FileKind::Taskfile,
            Context::Production,
        )
    }

    #[test]
    fn tasks_cmds_templates_prompts() {
        let text = "version: '3'\n\
                    vars:\n  DB: shop\n\
                    tasks:\n\
                    \x20 deploy:\n\
                    \x20   cmds:\n\
                    \x20     - docker compose down -v\n\
                    \x20     - cmd: 'docker exec pg psql -c \"DROP DATABASE {{.DB}}\"'\n\
                    \x20     - task: wipe\n\
                    \x20 wipe:\n\
                    \x20   cmds:\n\
                    \x20     - |\n\
                    \x20       docker volume rm {{.PROJECT}}_pgdata\n\
                    \x20 nuke:\n\
                    \x20   prompt: This deletes everything. Continue?\n\
                    \x20   deps: [stop]\n\
                    \x20   cmds:\n\
                    \x20     - docker volume prune -af\n\
                    \x20 stop: docker compose stop\n";
        let f = facts(text);
        let lines: Vec<(u32, String, String)> = f
            .shell
            .commands
            .iter()
            .map(|c| {
                let words: Vec<String> = c.argv.iter().map(|w| w.display()).collect();
                (
                    f.file.position(c.span.start()).line,
                    words.join(" "),
                    f.file.slice(c.span).to_string(),
                )
            })
            .collect();
        assert!(
            lines
                .iter()
                .any(|(l, w, _)| *l == 7 && w == "docker compose down -v"),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(l, w, s)| *l == 8
                && w == "psql -c DROP DATABASE shop"
                && s.ends_with("{{.DB}}\"")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, w, _)| *l == 13 && w == "docker volume rm ${PROJECT}_pgdata"),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, w, _)| *l == 19 && w == "docker compose stop"),
            "{lines:?}"
        );
        let prune = f
            .shell
            .commands
            .iter()
            .find(|c| c.argv.iter().any(|w| w.is("prune")))
            .expect("prune");
        assert!(f.guard_at(prune.span).is_some_and(|g| g.contains("prompt")));
        let down = f.shell.commands.first().expect("down");
        assert_eq!(f.guard_at(down.span), None);
        // `wipe` is a local reset by its name.
        let rm = f
            .shell
            .commands
            .iter()
            .find(|c| c.argv.iter().any(|w| w.is("rm")))
            .expect("rm");
        assert_eq!(f.context_at(rm.span), Context::Local);
    }

    #[test]
    fn broken_yaml_is_a_notice() {
        let f = facts("tasks:\n  a:\n    cmds:\n      - docker volume rm x\n  b: [\n");
        assert!(!f.notices.is_empty());
        assert_eq!(template_variable(" .DB | default \"x\" "), "DB");
    }
}
