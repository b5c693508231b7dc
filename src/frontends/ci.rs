//! CI shell: GitHub Actions `run:` steps and GitLab CI `script:`/`before_script:`/`after_script:`
//! lines, handed to the shell layer with offset maps into the workflow file. A job on a
//! GitHub-hosted runner, and every GitLab CI job, is an ephemeral-CI region; a `self-hosted`
//! runner keeps its volumes between runs, so its jobs stay in the file's context.
//!
//! Reads the generic YAML model (`facts::yaml`); never tree-sitter nodes.

use crate::levels::Context;
use crate::model::FileFacts;
use crate::model::Region;
use crate::model::command::Dir;
use crate::model::command::ShellOrigin;
use crate::notice::NoticeKind;
use crate::syntax::yaml::{self, Node, Scalar};

/// Step shells that are not POSIX shells (their `run:` text is not shell).
const NOT_SHELL: &[&str] = &["python", "pwsh", "powershell", "cmd", "node"];

/// Extract the `run:` steps of a GitHub Actions workflow. Returns the parsed YAML, so the
/// secrets layer reads the same tree instead of parsing the file again.
pub fn extract_github(facts: &mut FileFacts) -> yaml::Yaml {
    let parsed = yaml::parse(&facts.file.text);
    report_problems(facts, &parsed);
    for doc in &parsed.documents {
        let Some(jobs) = doc.root.as_ref().and_then(|r| r.get("jobs")) else {
            continue;
        };
        let default_dir = doc
            .root
            .as_ref()
            .and_then(|r| r.get("defaults"))
            .and_then(|d| d.get("run"))
            .and_then(|r| r.get_str("working-directory"))
            .map(str::to_string);
        let job_pairs = jobs.as_mapping().unwrap_or_default();
        // The workflow's own `env:` reaches every job: when each of them runs on a GitHub-hosted
        // runner, it lives and dies with them (ephemeral CI, like the jobs).
        if !job_pairs.is_empty()
            && job_pairs
                .iter()
                .all(|p| !self_hosted(p.value.get("runs-on")))
        {
            let env = doc
                .root
                .as_ref()
                .and_then(Node::as_mapping)
                .unwrap_or_default()
                .iter()
                .find(|p| p.key_str() == Some("env"));
            if let Some(env) = env {
                facts.regions.push(Region {
                    span: env.key.span.cover(env.value.span),
                    context: Some(Context::EphemeralCi),
                    guard: None,
                });
            }
        }
        for pair in job_pairs {
            let job_name = pair.key_str().unwrap_or_default().to_string();
            let job = &pair.value;
            // `needs: build` or `needs: [build, backup]`.
            if let Some(needs) = job.get("needs") {
                let list: Vec<String> = match needs.as_sequence() {
                    Some(seq) => seq
                        .iter()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect(),
                    None => needs.as_str().map(str::to_string).into_iter().collect(),
                };
                facts.job_needs.insert(job_name.clone(), list);
            }
            if !self_hosted(job.get("runs-on")) {
                facts.regions.push(Region {
                    span: pair.key.span.cover(job.span),
                    context: Some(Context::EphemeralCi),
                    guard: None,
                });
            }
            let job_dir = job
                .get("defaults")
                .and_then(|d| d.get("run"))
                .and_then(|r| r.get_str("working-directory"))
                .map(str::to_string)
                .or_else(|| default_dir.clone());
            let Some(steps) = job.get("steps").and_then(Node::as_sequence) else {
                continue;
            };
            for step in steps {
                let shell = step.get_str("shell").unwrap_or("bash");
                if NOT_SHELL.iter().any(|s| shell.starts_with(s)) {
                    continue;
                }
                let Some(run) = step.get("run").and_then(Node::as_scalar) else {
                    continue;
                };
                let dir = step
                    .get_str("working-directory")
                    .map(str::to_string)
                    .or_else(|| job_dir.clone());
                let cwd = match dir {
                    Some(d) if d.starts_with('/') => Dir::Absolute(d),
                    // Steps run from the checkout: the repository root.
                    Some(d) => Dir::ScriptDir(d.trim_start_matches("./").to_string()),
                    None => Dir::ScriptDir(String::new()),
                };
                add(
                    facts,
                    run,
                    ShellOrigin::WorkflowStep {
                        job: job_name.clone(),
                    },
                    cwd,
                );
            }
        }
    }
    parsed
}

/// Whether `runs-on` names a self-hosted runner (a string, a list of labels, or `{labels: …}`).
fn self_hosted(runs_on: Option<&Node>) -> bool {
    let Some(node) = runs_on else {
        return false;
    };
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if let Some(s) = n.as_str()
            && s.contains("self-hosted")
        {
            return true;
        }
        if let Some(seq) = n.as_sequence() {
            stack.extend(seq.iter());
        }
        if let Some(map) = n.as_mapping() {
            stack.extend(map.iter().map(|p| &p.value));
        }
    }
    false
}

/// GitLab CI keys that are not jobs.
const GITLAB_RESERVED: &[&str] = &[
    "stages",
    "variables",
    "workflow",
    "include",
    "image",
    "services",
    "cache",
    "types",
    "spec",
];

/// Extract the script lines of a GitLab CI file. Returns the parsed YAML (see
/// [`extract_github`]).
pub fn extract_gitlab(facts: &mut FileFacts) -> yaml::Yaml {
    let parsed = yaml::parse(&facts.file.text);
    report_problems(facts, &parsed);
    for doc in &parsed.documents {
        let Some(root) = doc.root.as_ref().and_then(Node::as_mapping) else {
            continue;
        };
        for pair in root {
            let name = pair.key_str().unwrap_or_default().to_string();
            if GITLAB_RESERVED.contains(&name.as_str()) || pair.value.as_mapping().is_none() {
                continue;
            }
            facts.regions.push(Region {
                span: pair.key.span.cover(pair.value.span),
                context: Some(Context::EphemeralCi),
                guard: None,
            });
            for key in ["before_script", "script", "after_script"] {
                let Some(node) = pair.value.get(key) else {
                    continue;
                };
                // A string or a list of strings (lists may nest, from `!reference`).
                let mut lines = Vec::new();
                let mut stack = vec![node];
                while let Some(n) = stack.pop() {
                    if let Some(s) = n.as_scalar() {
                        lines.push(s);
                    } else if let Some(seq) = n.as_sequence() {
                        stack.extend(seq.iter().rev());
                    }
                }
                for line in lines {
                    add(
                        facts,
                        line,
                        ShellOrigin::GitlabJob { job: name.clone() },
                        Dir::ScriptDir(String::new()),
                    );
                }
            }
        }
    }
    parsed
}

fn add(facts: &mut FileFacts, scalar: &Scalar, origin: ShellOrigin, cwd: Dir) {
    let text = mask_expressions(&scalar.value);
    facts.shell.add_source_in(&text, &scalar.map, origin, cwd);
}

/// GitHub replaces `${{ … }}` before the shell runs: stand in a shell expansion of the same
/// byte length (`${{ env.VOLUME }}` → `${_env_VOLUME____}`), so words stay whole, the value stays
/// unknown, and offsets still map.
fn mask_expressions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${{") {
        let Some(len) = rest[at..].find("}}").map(|k| k + 2) else {
            break;
        };
        out.push_str(&rest[..at]);
        let inner = &rest[at + 3..at + len - 2];
        let width = len - 3;
        let mut name: String = inner
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        // Multi-byte characters became one `_` each: pad or cut to the byte width.
        name.truncate(width);
        while name.len() < width {
            name.push('_');
        }
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.replace_range(0..1, "_");
        }
        out.push_str("${");
        out.push_str(&name);
        out.push('}');
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    out
}

fn report_problems(facts: &mut FileFacts, parsed: &yaml::Yaml) {
    for problem in &parsed.problems {
        let line = facts.file.position(problem.offset).line;
        facts.notices.push(
            crate::notice::Notice::file(
                &facts.file.path,
                NoticeKind::ParseError,
                problem.message.clone(),
            )
            .at_line(line),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::source::SourceFile;

    fn facts(path: &str, kind: FileKind, text: &str) -> FileFacts {
        FileFacts::extract(SourceFile::new(path, text), kind, Context::Production)
    }

    #[test]
    fn github_run_steps_map_into_the_workflow() {
        let text = "on: push\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          docker compose up -d\n          docker compose down -v\n  deploy:\n    runs-on: [self-hosted, linux]\n    steps:\n      - name: stop\n        run: docker compose down -v\n";
        let f = facts(".github/workflows/ci.yml", FileKind::GithubWorkflow, text);
        let downs: Vec<_> = f
            .shell
            .commands
            .iter()
            .filter(|c| c.argv.iter().any(|w| w.is("down")))
            .collect();
        assert_eq!(downs.len(), 2);
        for d in &downs {
            assert_eq!(
                &text[d.span.start()..d.span.end()],
                "docker compose down -v"
            );
        }
        assert_eq!(f.context_at(downs[0].span), Context::EphemeralCi);
        assert_eq!(f.context_at(downs[1].span), Context::Production);
    }

    #[test]
    fn expressions_stay_one_word() {
        let masked = mask_expressions("docker volume rm ${{ env.VOLUME }}_pgdata");
        assert_eq!(
            masked.len(),
            "docker volume rm ${{ env.VOLUME }}_pgdata".len()
        );
        assert_eq!(masked, "docker volume rm ${_env_VOLUME___}_pgdata");
        assert_eq!(
            mask_expressions("a ${{ \u{e9} }} b").len(),
            "a ${{ \u{e9} }} b".len()
        );
    }

    #[test]
    fn gitlab_scripts() {
        let text = "stages: [test]\ntest:\n  script:\n    - docker compose up -d\n    - docker volume rm app_pgdata\n";
        let f = facts(".gitlab-ci.yml", FileKind::GitlabCi, text);
        let rm = f
            .shell
            .commands
            .iter()
            .find(|c| c.argv.iter().any(|w| w.is("rm")))
            .expect("volume rm");
        assert_eq!(
            &text[rm.span.start()..rm.span.end()],
            "docker volume rm app_pgdata"
        );
        assert_eq!(f.context_at(rm.span), Context::EphemeralCi);
    }
}
