//! Infrastructure command lines (`rules/infra-commands.toml`, shipped as data and read once):
//! `kubectl`/`oc delete`, `helm install/upgrade/uninstall`, Terraform-style tools (`terraform`,
//! `tofu`, `terragrunt`), stack tools (`pulumi`, `cdk`), the cloud CLIs' database deletions
//! (`aws rds delete-db-instance`, `gcloud sql instances delete`, `az postgres … delete`) and the
//! commands that create a throwaway cluster (`kind create cluster`).
//!
//! Each reader takes a command and answers with what it does, flags read the way the tool reads
//! them (`-chdir=dir`, `--namespace x`, `-n=x`, `TYPE/NAME`, `pvc,pv`), runners peeled (`npx cdk`).
//! Nothing here reads a file or decides what to report.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::knowledge::framework::FrameworkTable;
use crate::model::command::{Command, Word};
use crate::source::Span;

const TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/infra-commands.toml"
));

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Programs {
    #[serde(default)]
    pub programs: Vec<String>,
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default)]
    pub value_flags: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StackTool {
    pub program: String,
    pub destroy: Vec<String>,
    pub create: Vec<String>,
    #[serde(default)]
    pub value_flags: Vec<String>,
}

/// How a tool's own confirmation prompt is switched off.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Confirmation {
    pub programs: Vec<String>,
    /// Only for `terragrunt run-all …` / `run --all …`.
    #[serde(default)]
    pub run_all: bool,
    /// The first is the one messages suggest.
    pub flags: Vec<String>,
    #[serde(default)]
    pub env: Vec<String>,
}

/// A cloud CLI command that deletes a managed database.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CloudDelete {
    pub program: String,
    pub command: Vec<String>,
    pub what: String,
    pub name_flag: Option<String>,
    pub skip_snapshot: Option<String>,
    pub says: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubeKind {
    pub kind: String,
    pub names: Vec<String>,
    /// For a database custom resource: what deleting it does to the claims.
    pub says: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrowawayCluster {
    pub words: Vec<String>,
}

/// Helm charts whose release owns the claim holding their data.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelmChart {
    pub names: Vec<String>,
    pub what: String,
}

/// The table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InfraCli {
    pub terraform: Programs,
    pub stack_tool: Vec<StackTool>,
    pub confirmation: Vec<Confirmation>,
    pub cloud_delete: Vec<CloudDelete>,
    pub cloud_value_flags: BTreeMap<String, Vec<String>>,
    pub kubectl: Programs,
    pub kube_kind: Vec<KubeKind>,
    pub throwaway_cluster: Vec<ThrowawayCluster>,
    pub helm: Programs,
    pub helm_chart: Vec<HelmChart>,
}

impl InfraCli {
    /// The shipped table (parsed once; a broken table is a build-time bug caught by the tests).
    pub fn builtin() -> &'static InfraCli {
        static BUILTIN: OnceLock<InfraCli> = OnceLock::new();
        BUILTIN.get_or_init(|| toml::from_str(TABLE).unwrap_or_default())
    }

    /// The Kubernetes kind a `kubectl` resource word names (`pvc`, `statefulsets.apps`), if it
    /// is one that can lose data.
    pub fn kube_kind(&self, word: &str) -> Option<&str> {
        self.kube_kind_entry(word).map(|k| k.kind.as_str())
    }

    /// The table's entry for a resource word: the whole word (`clusters.postgresql.cnpg.io`),
    /// else its name before the API group (`statefulsets.apps` → `statefulsets`).
    pub fn kube_kind_entry(&self, word: &str) -> Option<&KubeKind> {
        let word = word.to_ascii_lowercase();
        let base = word.split('.').next().unwrap_or("");
        let find = |w: &str| {
            self.kube_kind
                .iter()
                .find(|k| k.names.iter().any(|n| n == w))
        };
        find(&word).or_else(|| find(base).filter(|k| k.says.is_none() || !word.contains('.')))
    }

    /// What the table says about a chart (`bitnami/mongodb`, `oci://…/mongodb`, `mongodb`),
    /// when its release owns the claim holding its data.
    pub fn helm_chart(&self, chart: &str) -> Option<&HelmChart> {
        let name = chart.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        self.helm_chart
            .iter()
            .find(|c| c.names.iter().any(|n| n == name))
    }
}

/// Flags and positionals of a command line, read with a list of flags that take a value.
#[derive(Clone, Debug, Default)]
pub struct Args<'c> {
    /// Flags by name without dashes, with their value when they take one.
    pub flags: Vec<(String, Option<String>)>,
    pub positionals: Vec<&'c Word>,
}

impl Args<'_> {
    pub fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, _)| n == name)
    }

    /// The last value of a flag (one of `names`).
    pub fn value(&self, names: &[&str]) -> Option<String> {
        self.flags
            .iter()
            .rev()
            .find(|(n, v)| names.contains(&n.as_str()) && v.is_some())
            .and_then(|(_, v)| v.clone())
    }

    pub fn values(&self, names: &[&str]) -> Vec<String> {
        self.flags
            .iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .filter_map(|(_, v)| v.clone())
            .collect()
    }

    /// Whether a boolean flag is on (`--dry-run`, `--dry-run=server`; not `--dry-run=none`).
    pub fn is_on(&self, name: &str, off: &[&str]) -> bool {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .is_some_and(|(_, v)| v.as_deref().is_none_or(|v| !off.contains(&v)))
    }

    /// The positionals' texts (expansions as written).
    pub fn words(&self) -> Vec<String> {
        self.positionals.iter().map(|w| w.display()).collect()
    }
}

/// Read `words`: `-x`, `--xx`, `-xx=v` and `--xx=v` are flags (one or two dashes, as Terraform
/// and the Go CLIs accept); a flag in `value_flags` written without `=` takes the next word;
/// `--` ends the flags.
pub fn parse_args<'c>(words: &'c [Word], value_flags: &[String]) -> Args<'c> {
    let mut args = Args::default();
    let mut i = 0;
    let mut only_positionals = false;
    while i < words.len() {
        let word = &words[i];
        let text = word.display();
        i += 1;
        if only_positionals || text == "-" || !text.starts_with('-') {
            args.positionals.push(word);
            continue;
        }
        if text == "--" {
            only_positionals = true;
            continue;
        }
        let bare = text.trim_start_matches('-');
        match bare.split_once('=') {
            Some((name, value)) => args.flags.push((name.to_string(), Some(value.to_string()))),
            None if value_flags.iter().any(|f| f == bare) => {
                let value = words.get(i).map(Word::display);
                i += 1;
                args.flags.push((bare.to_string(), value));
            }
            None => args.flags.push((bare.to_string(), None)),
        }
    }
    args
}

/// The command's words after runners (`npx`, `yarn`) are peeled: the tool's own words.
fn tool_words(command: &Command) -> (String, &[Word]) {
    let table = FrameworkTable::builtin();
    let first = command.argv.first().map(Word::display).unwrap_or_default();
    // Most commands run their program directly: the whole line is displayed only when a runner
    // or an interpreter has to be peeled (every rule asks this of every command).
    let (at, program) = if table.peels(&first) {
        let texts: Vec<String> = command.argv.iter().map(Word::display).collect();
        let at = table.peel(&texts).min(command.argv.len());
        (at, texts.get(at).cloned().unwrap_or_default())
    } else {
        (0, first)
    };
    let program = program.rsplit('/').next().unwrap_or(&program).to_string();
    let rest = command.argv.get(at + 1..).unwrap_or(&[]);
    (program, rest)
}

/// What a Terraform-style or stack tool invocation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Tears the stack down (`destroy`, `apply -destroy`, `pulumi down`).
    Destroy,
    /// Deploys it (`apply`, `pulumi up`, `cdk deploy`).
    Create,
}

/// A `terraform`/`tofu`/`terragrunt` or `pulumi`/`cdk` invocation that deploys or destroys.
#[derive(Clone, Debug)]
pub struct StackCall {
    pub program: String,
    /// The command as a person reads it (`terraform destroy`, `terraform apply -destroy`).
    pub written: String,
    pub action: Action,
    /// Whether it reads a Terraform configuration (else a stack tool's program code).
    pub terraform: bool,
    /// `-chdir=DIR` (Terraform) or `--cwd DIR` (Pulumi), as written.
    pub chdir: Option<String>,
    /// `-target=ADDR` values: only these (and what depends on them) are acted on.
    pub targets: Vec<String>,
    /// `pulumi -s STACK`.
    pub stack: Option<String>,
}

/// Read a Terraform-style or stack tool command that deploys or destroys.
pub fn stack_call(command: &Command) -> Option<StackCall> {
    let table = InfraCli::builtin();
    let (program, words) = tool_words(command);
    if table.terraform.programs.contains(&program) {
        let args = parse_args(words, &table.terraform.value_flags);
        let mut subcommand: Vec<String> = args.words();
        // `terragrunt run-all destroy`, `terragrunt run --all destroy`.
        let mut runner = String::new();
        if program == "terragrunt"
            && let Some(first @ ("run-all" | "run")) = subcommand.first().map(String::as_str)
        {
            runner = if first == "run" {
                "run --all ".to_string()
            } else {
                "run-all ".to_string()
            };
            subcommand.remove(0);
        }
        let first = subcommand.first()?.as_str();
        let destroy_flag = args.is_on("destroy", &["false"]);
        let action = match first {
            "destroy" => Action::Destroy,
            "apply" if destroy_flag => Action::Destroy,
            "apply" => Action::Create,
            _ => return None,
        };
        let written = match (first, action) {
            ("apply", Action::Destroy) => format!("{program} {runner}apply -destroy"),
            _ => format!("{program} {runner}{first}"),
        };
        return Some(StackCall {
            program,
            written,
            action,
            terraform: true,
            chdir: args.value(&["chdir"]),
            targets: args.values(&["target"]),
            stack: None,
        });
    }
    let tool = table.stack_tool.iter().find(|t| t.program == program)?;
    let args = parse_args(words, &tool.value_flags);
    let first = args.positionals.first()?.display();
    let action = if tool.destroy.contains(&first) {
        Action::Destroy
    } else if tool.create.contains(&first) {
        Action::Create
    } else {
        return None;
    };
    // `pulumi destroy --preview-only`, `cdk destroy --help` change nothing.
    if args.has("preview-only") || args.has("help") || args.has("h") {
        return None;
    }
    Some(StackCall {
        written: format!("{program} {first}"),
        program,
        action,
        terraform: false,
        chdir: args.value(&["cwd", "C"]),
        targets: args.values(&["target"]),
        stack: args.value(&["stack", "s"]),
    })
}

/// The flag that would switch off the tool's own confirmation prompt, when neither the command
/// line nor its environment does (`terraform destroy` without `-auto-approve` asks first).
pub fn unconfirmed(command: &Command, call: &StackCall) -> Option<&'static str> {
    let run_all = call.written.contains(" run");
    let entry = InfraCli::builtin()
        .confirmation
        .iter()
        .find(|c| c.programs.contains(&call.program) && (!c.run_all || run_all))?;
    let approved = command.argv.iter().any(|w| {
        let text = w.display();
        entry.flags.iter().any(|f| {
            text == *f
                || text
                    .strip_prefix(f.as_str())
                    .is_some_and(|rest| rest == "=true")
        })
    }) || command
        .env
        .iter()
        .any(|(name, _)| entry.env.iter().any(|e| e == name));
    if approved {
        return None;
    }
    entry.flags.first().map(String::as_str)
}

/// A cloud CLI command that deletes a managed database.
#[derive(Clone, Debug)]
pub struct CloudCall<'t> {
    pub entry: &'t CloudDelete,
    /// The database's name as written, when given.
    pub name: Option<String>,
}

/// Read a cloud CLI database deletion: reported only when it skips the final snapshot, for the
/// commands that take one (`aws rds delete-db-instance --skip-final-snapshot`).
pub fn cloud_delete(command: &Command) -> Option<CloudCall<'static>> {
    let table = InfraCli::builtin();
    let (program, words) = tool_words(command);
    let value_flags = table.cloud_value_flags.get(&program)?;
    let args = parse_args(words, value_flags);
    let positionals = args.words();
    let entry = table.cloud_delete.iter().find(|e| {
        e.program == program
            && positionals.len() >= e.command.len()
            && positionals[..e.command.len()] == e.command[..]
    })?;
    if args.has("help") || args.has("generate-cli-skeleton") {
        return None;
    }
    if let Some(skip) = &entry.skip_snapshot
        && !args.is_on(skip, &["false"])
    {
        return None;
    }
    let name = match &entry.name_flag {
        Some(flag) => {
            let short = flag.chars().next().map(String::from).unwrap_or_default();
            let names = if program == "az" {
                vec![flag.as_str(), short.as_str()]
            } else {
                vec![flag.as_str()]
            };
            args.value(&names)
        }
        None => positionals.get(entry.command.len()).cloned(),
    };
    Some(CloudCall { entry, name })
}

/// One object (or every object of a kind) a `kubectl delete` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeTarget {
    /// `PersistentVolumeClaim`, `Namespace`, …
    pub kind: String,
    /// The name's value as far as known (`data-db-0`); `None` with `--all` or a selector.
    pub name: Option<String>,
    /// The word holding the name (`pvc/data-db-0` or `data-db-0`).
    pub span: Option<Span>,
    /// The name is not literal (`$PVC`, `$(kubectl get …)`).
    pub expanded: bool,
}

/// What a `kubectl delete` names.
#[derive(Clone, Debug, Default)]
pub struct KubectlDelete {
    /// `kubectl` or `oc`.
    pub program: String,
    /// Each object named whose kind can lose data; no name with `--all` or a selector.
    pub objects: Vec<KubeTarget>,
    /// `-f`/`--filename` values.
    pub files: Vec<String>,
    pub selector: Option<String>,
    pub all: bool,
    /// `-A`/`--all-namespaces`.
    pub all_namespaces: bool,
    pub namespace: Option<String>,
    /// The command as a person reads it (`kubectl delete pvc`, `oc delete -f k8s/db.yaml`).
    pub written: String,
}

/// Read a `kubectl delete` / `oc delete` command (not a dry run).
pub fn kubectl_delete(command: &Command) -> Option<KubectlDelete> {
    let table = InfraCli::builtin();
    let (mut program, mut words) = tool_words(command);
    if table.kubectl.hosts.contains(&program) && words.first().is_some_and(|w| w.is("kubectl")) {
        program = "kubectl".to_string();
        words = &words[1..];
    }
    if !table.kubectl.programs.contains(&program) {
        return None;
    }
    let args = parse_args(words, &table.kubectl.value_flags);
    let positionals = args.words();
    let (first, rest) = positionals.split_first()?;
    if first != "delete" || args.has("help") || args.has("h") {
        return None;
    }
    if args.is_on("dry-run", &["none", "false"]) {
        return None;
    }
    let mut call = KubectlDelete {
        program,
        files: args.values(&["f", "filename"]),
        selector: args.value(&["l", "selector"]),
        all: args.has("all"),
        all_namespaces: args.has("all-namespaces") || args.has("A"),
        namespace: args.value(&["n", "namespace"]),
        ..KubectlDelete::default()
    };
    call.written = match (rest.first(), call.files.first()) {
        (Some(what), _) => format!(
            "{} delete {}",
            call.program,
            what.split('/').next().unwrap_or("")
        ),
        (None, Some(file)) => format!("{} delete -f {file}", call.program),
        (None, None) => format!("{} delete", call.program),
    };
    let by_name = call.all || call.selector.is_some();
    let target = |kind: &str, name: &str, word: &Word| KubeTarget {
        kind: kind.to_string(),
        name: Some(name.to_string()),
        span: Some(word.span),
        expanded: word.literal().is_none(),
    };
    let words = &args.positionals[1..];
    match rest.split_first() {
        // `kubectl delete pvc/data-0 sts/db`
        Some((first, _)) if first.contains('/') => {
            let mut shown = "";
            for (text, word) in rest.iter().zip(words) {
                let Some((kind, name)) = text.split_once('/') else {
                    continue;
                };
                if let Some(known) = table.kube_kind(kind) {
                    call.objects.push(target(known, name, word));
                    if shown.is_empty() {
                        shown = kind;
                    }
                }
            }
            call.written = format!("{} delete {shown}", call.program);
        }
        // `kubectl delete pvc,pod NAME…`
        Some((types, names)) => {
            for kind in types.split(',').filter_map(|t| table.kube_kind(t)) {
                if by_name {
                    call.objects.push(KubeTarget {
                        kind: kind.to_string(),
                        name: None,
                        span: None,
                        expanded: false,
                    });
                }
                for (name, word) in names.iter().zip(words.iter().skip(1)) {
                    call.objects.push(target(kind, name, word));
                }
            }
        }
        None => {}
    }
    Some(call)
}

/// A `helm` command that installs or uninstalls a release.
#[derive(Clone, Debug)]
pub enum HelmCall {
    /// `helm uninstall RELEASE…` (not `--dry-run`).
    Uninstall {
        releases: Vec<String>,
        namespace: Option<String>,
    },
    /// `helm install RELEASE CHART`, `helm upgrade [--install] RELEASE CHART`.
    Install { release: String, chart: String },
}

pub fn helm(command: &Command) -> Option<HelmCall> {
    let table = InfraCli::builtin();
    let (program, words) = tool_words(command);
    if program != "helm" && program != "helm3" {
        return None;
    }
    let args = parse_args(words, &table.helm.value_flags);
    let positionals = args.words();
    let (first, rest) = positionals.split_first()?;
    if args.has("help") || args.has("h") || args.is_on("dry-run", &["false"]) {
        return None;
    }
    match first.as_str() {
        "uninstall" | "delete" | "del" | "un" => Some(HelmCall::Uninstall {
            releases: rest.to_vec(),
            namespace: args.value(&["n", "namespace"]),
        }),
        "install" | "upgrade" => match rest {
            [release, chart, ..] => Some(HelmCall::Install {
                release: release.clone(),
                chart: chart.clone(),
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the command creates a throwaway Kubernetes cluster (`kind create cluster`).
pub fn creates_throwaway_cluster(command: &Command) -> bool {
    let (program, words) = tool_words(command);
    let args = parse_args(words, &[]);
    let mut texts = vec![program];
    texts.extend(args.words());
    InfraCli::builtin()
        .throwaway_cluster
        .iter()
        .any(|c| texts.len() >= c.words.len() && texts[..c.words.len()] == c.words[..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::command::{ShellFacts, ShellOrigin};
    use crate::source::OffsetMap;

    fn first(text: &str) -> Command {
        let mut facts = ShellFacts::default();
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        facts.commands.into_iter().next().expect("one command")
    }

    #[test]
    fn table_parses() {
        let t: InfraCli = toml::from_str(TABLE).expect("rules/infra-commands.toml parses");
        assert!(!t.cloud_delete.is_empty());
        for e in &t.cloud_delete {
            assert!(
                t.cloud_value_flags.contains_key(&e.program),
                "{}",
                e.program
            );
        }
    }

    #[test]
    fn terraform_forms() {
        for (text, action, chdir) in [
            ("terraform destroy -auto-approve", Action::Destroy, None),
            (
                "terraform -chdir=infra/prod destroy",
                Action::Destroy,
                Some("infra/prod"),
            ),
            ("tofu apply -destroy -auto-approve", Action::Destroy, None),
            ("terragrunt run-all destroy", Action::Destroy, None),
            ("terraform apply -auto-approve", Action::Create, None),
            ("npx cdk destroy --force", Action::Destroy, None),
            ("pulumi down --yes -s prod", Action::Destroy, None),
        ] {
            let call = stack_call(&first(text)).expect(text);
            assert_eq!(call.action, action, "{text}");
            assert_eq!(call.chdir.as_deref(), chdir, "{text}");
        }
        let call = stack_call(&first(
            "terraform destroy -target=aws_db_instance.main -target aws_s3_bucket.x",
        ))
        .expect("call");
        assert_eq!(call.targets, ["aws_db_instance.main", "aws_s3_bucket.x"]);
        for text in [
            "terraform plan -destroy",
            "terraform init",
            "pulumi preview",
            "terraform apply -destroy=false",
        ] {
            let call = stack_call(&first(text));
            assert!(call.is_none_or(|c| c.action == Action::Create), "{text}");
        }
    }

    #[test]
    fn confirmations() {
        for (text, asks) in [
            ("terraform destroy", Some("-auto-approve")),
            ("terraform destroy -auto-approve", None),
            ("tofu destroy -auto-approve=true", None),
            ("tofu destroy -auto-approve=false", Some("-auto-approve")),
            ("TF_CLI_ARGS=-auto-approve terraform destroy", None),
            (
                "PULUMI_SKIP_CONFIRMATIONS=true terraform destroy",
                Some("-auto-approve"),
            ),
            ("terragrunt run-all destroy", Some("--non-interactive")),
            (
                "terragrunt run-all destroy --terragrunt-non-interactive",
                None,
            ),
            ("TG_NON_INTERACTIVE=1 terragrunt destroy", None),
            ("pulumi destroy", Some("--yes")),
            ("pulumi destroy --yes=true", None),
            ("PULUMI_SKIP_CONFIRMATIONS=true pulumi destroy", None),
            ("npx cdk destroy", Some("--force")),
            ("cdk destroy -f", None),
        ] {
            let command = first(text);
            let call = stack_call(&command).expect(text);
            assert_eq!(unconfirmed(&command, &call), asks, "{text}");
        }
    }

    #[test]
    fn cloud_deletions() {
        let call = cloud_delete(&first(
            "aws --region eu-west-1 rds delete-db-instance --db-instance-identifier shop --skip-final-snapshot",
        ))
        .expect("call");
        assert_eq!(call.name.as_deref(), Some("shop"));
        assert!(cloud_delete(&first("aws rds delete-db-instance --db-instance-identifier shop --final-db-snapshot-identifier last")).is_none());
        let call =
            cloud_delete(&first("gcloud sql instances delete shop-db --quiet")).expect("gcloud");
        assert_eq!(call.name.as_deref(), Some("shop-db"));
        let call = cloud_delete(&first(
            "az postgres flexible-server delete -g rg -n shop --yes",
        ))
        .expect("az");
        assert_eq!(call.name.as_deref(), Some("shop"));
        assert!(cloud_delete(&first("aws rds describe-db-instances")).is_none());
    }

    #[test]
    fn kubectl_forms() {
        let call = kubectl_delete(&first("kubectl -n shop delete pvc data-db-0 --wait=false"))
            .expect("call");
        assert_eq!(call.namespace.as_deref(), Some("shop"));
        assert_eq!(call.objects.len(), 1);
        assert_eq!(call.objects[0].kind, "PersistentVolumeClaim");
        assert_eq!(call.objects[0].name.as_deref(), Some("data-db-0"));
        let call = kubectl_delete(&first("oc delete pvc,pod --all")).expect("call");
        assert_eq!(call.objects.len(), 1);
        assert_eq!(call.objects[0].name, None);
        let call = kubectl_delete(&first("kubectl delete pod/x statefulsets.apps/db ns/shop"))
            .expect("call");
        assert_eq!(call.objects.len(), 2);
        assert_eq!(call.written, "kubectl delete statefulsets.apps");
        let call = kubectl_delete(&first("kubectl delete -f k8s/db.yaml")).expect("call");
        assert_eq!(call.files, ["k8s/db.yaml"]);
        let call = kubectl_delete(&first("kubectl delete pod web-0 deployment/web")).expect("call");
        assert!(call.objects.is_empty());
        assert!(kubectl_delete(&first("kubectl delete pvc x --dry-run=client")).is_none());
        assert!(kubectl_delete(&first("kubectl get pvc")).is_none());
        assert!(kubectl_delete(&first("microk8s kubectl delete ns shop")).is_some());
    }

    #[test]
    fn operator_resources() {
        let t = InfraCli::builtin();
        assert_eq!(t.kube_kind("pg"), Some("postgresql"));
        assert!(t.kube_kind("clusters.postgresql.cnpg.io").is_some());
        // A bare `cluster` is any operator's (Cluster API, CNPG, …): not matched.
        assert!(t.kube_kind("cluster").is_none());
        assert!(t.kube_kind("pg.example.com").is_none());
        assert_eq!(t.kube_kind("statefulsets.apps"), Some("StatefulSet"));
    }

    #[test]
    fn helm_forms() {
        let Some(HelmCall::Install { release, chart }) = helm(&first(
            "helm upgrade --install -n data db bitnami/mongodb -f values.yaml",
        )) else {
            panic!("install");
        };
        assert_eq!(
            (release.as_str(), chart.as_str()),
            ("db", "bitnami/mongodb")
        );
        let Some(HelmCall::Uninstall { releases, .. }) = helm(&first("helm uninstall db -n data"))
        else {
            panic!("uninstall");
        };
        assert_eq!(releases, ["db"]);
        assert!(helm(&first("helm uninstall db --dry-run")).is_none());
        assert!(
            InfraCli::builtin()
                .helm_chart("oci://registry-1.docker.io/bitnamicharts/mongodb")
                .is_some()
        );
        assert!(
            InfraCli::builtin()
                .helm_chart("bitnami/postgresql")
                .is_none()
        );
    }

    #[test]
    fn throwaway_clusters() {
        assert!(creates_throwaway_cluster(&first(
            "kind create cluster --name ci"
        )));
        assert!(creates_throwaway_cluster(&first(
            "minikube start --driver=docker"
        )));
        assert!(!creates_throwaway_cluster(&first("kind delete cluster")));
    }
}
