//! Infrastructure as code: the resources of a Terraform configuration (managed databases and the
//! module calls that make one) with their settings, as written; Kubernetes workloads; Helm values
//! of database charts. Plain data: which resource types
//! are databases and which settings lose data is `crate::knowledge::managed_db`'s, and what
//! to report is the rules'.
//!
//! A setting's value is kept only when it is a literal that is not a secret (`true`, `0`,
//! `"postgres"`); a password attribute is recorded as a credential instead, its value never kept.

use crate::source::Span;

/// The infrastructure facts of one file.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct InfraFacts {
    /// Terraform `resource` and `module` blocks, in file order.
    pub resources: Vec<Resource>,
    /// Kubernetes workloads (manifests and Helm templates), in file order.
    pub workloads: Vec<crate::model::store::kubernetes::Workload>,
    /// Helm values that turn a database chart's persistence or backups off.
    pub helm: Vec<HelmSetting>,
    /// Every Kubernetes object of a manifest or Helm template (`kind:` and `metadata:`), in file
    /// order: what a `kubectl delete -f` of the file deletes.
    pub objects: Vec<KubeObject>,
    /// Terraform `variable` blocks with a literal, non-secret `default`.
    pub variables: Vec<TfValue>,
    /// Assignments of a variable file Terraform loads by itself (`terraform.tfvars`,
    /// `*.auto.tfvars`), non-secret literals only.
    pub tfvars: Vec<TfValue>,
}

/// A Terraform variable's literal value: a `variable` block's `default`, or a `.tfvars`
/// assignment.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct TfValue {
    pub name: String,
    pub value: SettingValue,
    /// The `default = …` attribute, or the assignment.
    pub span: Span,
}

impl crate::model::cold::Empty for InfraFacts {
    fn empty() -> &'static Self {
        static EMPTY: InfraFacts = InfraFacts {
            resources: Vec::new(),
            workloads: Vec::new(),
            helm: Vec::new(),
            objects: Vec::new(),
            variables: Vec::new(),
            tfvars: Vec::new(),
        };
        &EMPTY
    }
}

/// A Kubernetes object declared in a manifest (`PersistentVolumeClaim`, `Namespace`, …).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct KubeObject {
    pub kind: String,
    /// `metadata.name` as written (a Helm template's name may be blanked: empty).
    pub name: String,
    pub namespace: Option<String>,
    /// Annotated `helm.sh/resource-policy: keep`: `helm uninstall` leaves it in place.
    pub kept_by_helm: bool,
    /// The `kind:` value.
    pub span: Span,
}

/// A Helm values setting of a database chart that matters (`primary.persistence.enabled: false`).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct HelmSetting {
    /// The chart (`postgresql`), as the values file's folder or the subchart key names it.
    pub chart: String,
    /// The database family of the chart (`postgres`).
    pub family: String,
    /// The dotted path as written in the file (`postgresql.primary.persistence.enabled`).
    pub path: String,
    /// `persistence` or `backup`.
    pub what: String,
    pub span: Span,
}

/// A Terraform block that declares something: `resource "aws_db_instance" "main" { … }` or
/// `module "db" { source = "…" … }`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Resource {
    /// `resource` or `module`.
    pub block: String,
    /// The resource type (`aws_db_instance`), or a module's `source` (`terraform-aws-modules/rds/aws`).
    pub kind: String,
    /// The block's name label (`main`).
    pub name: String,
    /// The block's header (`resource "aws_db_instance" "main"`).
    pub span: Span,
    /// Every attribute in the block and its nested blocks, with a dotted path
    /// (`settings.backup_configuration.enabled`, `lifecycle.prevent_destroy`).
    pub settings: Vec<Setting>,
}

impl Resource {
    /// The setting at a dotted path, if written.
    pub fn setting(&self, path: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.path == path)
    }

    /// `type.name` as Terraform addresses it (`aws_db_instance.main`, `module.db`).
    pub fn address(&self) -> String {
        if self.block == "module" {
            format!("module.{}", self.name)
        } else {
            format!("{}.{}", self.kind, self.name)
        }
    }
}

/// One attribute of a block.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Setting {
    pub path: String,
    pub value: SettingValue,
    /// The whole attribute (`skip_final_snapshot = true`).
    pub span: Span,
    /// The variable the value is, when it is just one (`var.skip_final_snapshot`).
    pub var_ref: Option<String>,
}

impl Setting {
    /// The setting as written, with its full path and spacing normalised
    /// (`settings.backup_configuration.enabled = false`). Only for non-secret settings.
    pub fn written(&self, text: &str) -> String {
        let attr = text.get(self.span.start()..self.span.end()).unwrap_or("");
        let value = attr
            .split_once(['=', ':'])
            .map_or(attr, |(_, v)| v)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        format!("{} = {value}", self.path)
    }
}

/// An attribute's value, when it is a literal.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum SettingValue {
    Bool(bool),
    Number(f64),
    /// A string without interpolation (not kept for secrets: see [`SettingValue::Secret`]).
    Str(String),
    /// A literal the front-end recorded as a credential: its value is not kept.
    Secret,
    /// Anything else: a reference (`var.x`), a call, a template, a collection.
    #[default]
    Expr,
}
