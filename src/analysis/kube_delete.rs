//! What a `kubectl delete` or `helm uninstall` of the repository's objects deletes: the claims,
//! namespaces, StatefulSets and releases it names, resolved against the repository's manifests
//! and charts, and the database workload whose data each holds. For `kubectl-delete-data`.

use crate::analysis::infra::{DbWorkload, files_named, same_namespace};
use crate::knowledge::infra_cli::{self, HelmCall, InfraCli, KubectlDelete};
use crate::model::FileFacts;
use crate::model::command::Command;
use crate::model::store::kubernetes::Workload;

/// One thing a command deletes, and the database workload whose data it holds, if known.
pub struct Loss<'a> {
    pub what: String,
    pub db: Option<DbWorkload<'a>>,
    /// `what` already names the workload (a StatefulSet deleted with its claims).
    pub names_db: bool,
}

impl<'a> Loss<'a> {
    fn new(what: String, db: Option<DbWorkload<'a>>) -> Self {
        Loss {
            what,
            db,
            names_db: false,
        }
    }
}

/// `StatefulSet \`db\` (postgres:16)`.
pub fn workload(w: &Workload) -> String {
    match w.database() {
        Some(c) => format!("{} `{}` ({})", w.kind, w.name.value, c.image.value),
        None => format!("{} `{}`", w.kind, w.name.value),
    }
}

/// What `kubectl delete …` deletes of the repository's objects.
pub fn kubectl<'a>(
    files: &'a [FileFacts],
    dbs: &[DbWorkload<'a>],
    file: &FileFacts,
    command: &Command,
    call: &KubectlDelete,
) -> Vec<Loss<'a>> {
    let ns = call.namespace.as_deref();
    let mut out = Vec::new();
    // The repository describes what it runs and nothing of it keeps data on a claim: deleting
    // one of its namespaces loses none (a pull request's preview namespace).
    let stateless = files.iter().any(|f| !f.infra.workloads.is_empty())
        && !files.iter().any(|f| {
            f.infra
                .objects
                .iter()
                .any(|o| o.kind == "PersistentVolumeClaim")
                || f.infra.workloads.iter().any(persistent)
        });
    for target in call
        .objects
        .iter()
        .filter(|t| !(stateless && t.kind == "Namespace"))
    {
        match (&target.name, target.span) {
            // A name the shell builds (`$PVC`, `$(kubectl get pv …)`) is shown as written and
            // matched against nothing.
            (Some(_), Some(span)) if target.expanded => {
                let text = file.masked(span);
                let text = text.split_once('/').map_or(text.as_str(), |(_, n)| n);
                let text = text.trim_matches(['"', '\'']);
                out.extend(named(&[], &target.kind, text, ns));
            }
            (Some(name), _) => out.extend(named(dbs, &target.kind, name, ns)),
            (None, _) => out.extend(every(
                dbs,
                &target.kind,
                ns,
                call.selector.as_deref(),
                call.all_namespaces,
            )),
        }
    }
    // `kubectl delete -f k8s/`: what the repository's manifests there declare.
    for written in &call.files {
        for f in files_named(files, file, command, written) {
            for object in &f.infra.objects {
                let ns = ns.or(object.namespace.as_deref());
                out.extend(named(dbs, &object.kind, &object.name, ns));
            }
        }
    }
    out
}

/// A named object of a kind that can lose data.
fn named<'a>(dbs: &[DbWorkload<'a>], kind: &str, name: &str, ns: Option<&str>) -> Option<Loss<'a>> {
    let db = |f: &dyn Fn(&DbWorkload) -> bool| dbs.iter().find(|d| f(d)).copied();
    match kind {
        "PersistentVolumeClaim" => Some(Loss::new(
            format!("persistent volume claim `{name}` with its volume"),
            db(&|(_, w)| same_namespace(ns, w.namespace.as_deref()) && w.holds_claim(name)),
        )),
        "PersistentVolume" => Some(Loss::new(
            format!(
                "persistent volume `{name}`, whose disk goes with it under a `Delete` reclaim policy"
            ),
            None,
        )),
        "Namespace" if !name.is_empty() => Some(Loss::new(
            format!("namespace `{name}` with every persistent volume claim in it"),
            db(&|(_, w)| w.namespace.as_deref() == Some(name) && persistent(w)),
        )),
        // Deleting a StatefulSet leaves its claims, unless its retention policy says otherwise.
        "StatefulSet" => {
            let set = db(&|(_, w)| {
                w.kind == "StatefulSet"
                    && w.name.value == name
                    && w.deletes_claims
                    && same_namespace(ns, w.namespace.as_deref())
            })?;
            Some(Loss {
                what: format!(
                    "{} with the claims holding its data (its `persistentVolumeClaimRetentionPolicy.whenDeleted` is `Delete`)",
                    workload(set.1)
                ),
                db: Some(set),
                names_db: true,
            })
        }
        _ => {
            let entry = InfraCli::builtin()
                .kube_kind
                .iter()
                .find(|k| k.kind == kind)?;
            let says = entry.says.as_deref()?;
            Some(Loss::new(format!("{kind} `{name}`: {says}"), None))
        }
    }
}

/// `--all` or a label selector.
fn every<'a>(
    dbs: &[DbWorkload<'a>],
    kind: &str,
    ns: Option<&str>,
    selector: Option<&str>,
    all_namespaces: bool,
) -> Option<Loss<'a>> {
    let ns = if all_namespaces { None } else { ns };
    let which = selector.map_or(String::new(), |s| format!(" labelled `{s}`"));
    let place = match ns {
        _ if all_namespaces => " in every namespace".to_string(),
        Some(n) => format!(" in namespace `{n}`"),
        None => String::new(),
    };
    // A selector is not matched against labels; a workload declared in the namespace named is
    // a better answer than one declared in none.
    let any_db = |f: &dyn Fn(&DbWorkload) -> bool| {
        if selector.is_some() {
            return None;
        }
        let mut hits = dbs.iter().filter(|d| f(d));
        let first = hits.clone().next().copied();
        hits.find(|(_, w)| ns.is_some() && w.namespace.as_deref() == ns)
            .copied()
            .or(first)
    };
    match kind {
        "PersistentVolumeClaim" => Some(Loss::new(
            format!("every persistent volume claim{which}{place} with their volumes"),
            any_db(&|(_, w)| same_namespace(ns, w.namespace.as_deref()) && persistent(w)),
        )),
        "PersistentVolume" => Some(Loss::new(
            format!(
                "every persistent volume{which}, whose disks go with them under a `Delete` reclaim policy"
            ),
            None,
        )),
        "Namespace" => Some(Loss::new(
            format!("every namespace{which} with the persistent volume claims in them"),
            any_db(&|(_, w)| persistent(w)),
        )),
        "StatefulSet" => {
            let set = any_db(&|(_, w)| {
                w.kind == "StatefulSet"
                    && w.deletes_claims
                    && same_namespace(ns, w.namespace.as_deref())
            })?;
            Some(Loss::new(
                format!(
                    "every StatefulSet{place} with the claims of those whose retention policy deletes them"
                ),
                Some(set),
            ))
        }
        _ => {
            let entry = InfraCli::builtin()
                .kube_kind
                .iter()
                .find(|k| k.kind == kind)?;
            let says = entry.says.as_deref()?;
            Some(Loss::new(
                format!("every {kind}{which}{place}: {says}"),
                None,
            ))
        }
    }
}

/// Whether a database workload keeps its data on a claim (a deleted claim loses it).
fn persistent(w: &Workload) -> bool {
    !w.claim_templates.is_empty() || w.containers.iter().any(|c| !c.claims.is_empty())
}

/// `helm uninstall RELEASE…`: a release installed in the repository from a chart whose release
/// owns the claim holding a database's data.
pub fn helm<'a>(
    files: &'a [FileFacts],
    file: &FileFacts,
    dbs: &[DbWorkload<'a>],
    releases: &[String],
) -> Vec<Loss<'a>> {
    let mut out = Vec::new();
    for release in releases {
        let installed = installed_from(files, file, release);
        let Some((host, install, chart)) = installed else {
            continue;
        };
        // A chart in the repository: its templates say what the release owns.
        let local = files_named(files, host, install, &chart);
        if !local.is_empty() {
            let claims = local
                .iter()
                .flat_map(|f| &f.infra.objects)
                .filter(|o| o.kind == "PersistentVolumeClaim" && !o.kept_by_helm)
                .count();
            if claims == 0 {
                continue;
            }
            let db = dbs
                .iter()
                .find(|(p, w)| {
                    local.iter().any(|f| f.file.path == *p)
                        && (w.kind != "StatefulSet" || w.deletes_claims)
                })
                .copied();
            let noun = if claims == 1 { "claim" } else { "claims" };
            out.push(Loss::new(
                format!("release `{release}` of chart `{chart}` with the persistent volume {noun} its templates create"),
                db,
            ));
            continue;
        }
        if let Some(known) = InfraCli::builtin().helm_chart(&chart) {
            out.push(Loss::new(
                format!(
                    "release `{release}` of chart `{chart}`: {}, and uninstalling deletes it",
                    known.what
                ),
                None,
            ));
        }
    }
    out
}

/// Where `release` is installed from: the `helm install|upgrade` of that release in the same
/// file, else the repository's when every one of them installs the same chart (many READMEs
/// all call their release `my-release`).
fn installed_from<'a>(
    files: &'a [FileFacts],
    file: &FileFacts,
    release: &str,
) -> Option<(&'a FileFacts, &'a Command, String)> {
    let mut all = Vec::new();
    for f in files {
        for c in &f.shell.commands {
            if let Some(HelmCall::Install { release: r, chart }) = infra_cli::helm(c)
                && r == release
            {
                all.push((f, c, chart));
            }
        }
    }
    if let Some(own) = all.iter().find(|(f, _, _)| f.file.path == file.file.path) {
        return Some(own.clone());
    }
    let first = all.first()?.clone();
    all.iter()
        .all(|(_, _, chart)| *chart == first.2)
        .then_some(first)
}
