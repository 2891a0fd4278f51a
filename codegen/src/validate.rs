//! Checks across values — duplicates, clashes, references between files — then the model.
//! Every problem is reported with its file, its line and column where they can be found, and
//! its path inside the document; nothing is generated while there is one.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::{Diagnostic, SpecErrors, Step, locate, path_text};
use crate::load::{LibraryFiles, SpecFile};
use crate::model::{
    self, ConnectionExample, ConnectionParam, ExampleArg, Group, Library, Method, MethodExample,
    Model, Param, ParamKind, Returns,
};
use crate::spec::{ConnectionParamSpec, MethodSpec};

/// Options every command has besides the spec's, and so no parameter may take.
const RESERVED_FLAGS: &[&str] = &["--help", "--version", "--debug", "--out"];

/// Functions the hand-written client already has.
const RESERVED_FUNCTIONS: &[&str] = &["webhook", "oauth", "new", "call", "observe", "clone", "fmt"];

/// Request fields the runtime sets itself.
const RESERVED_FIELDS: &[&str] = &["auth"];

/// Collects diagnostics for one file.
struct Report<'a, T> {
    file: &'a SpecFile<T>,
    found: &'a mut Vec<Diagnostic>,
}

impl<T> Report<'_, T> {
    fn error(&mut self, steps: &[Step<'_>], message: impl Into<String>) {
        self.found.push(Diagnostic {
            file: self.file.path.clone(),
            location: locate(&self.file.text, steps),
            path: path_text(steps),
            message: message.into(),
        });
    }
}

pub fn validate(libraries: &[LibraryFiles]) -> Result<Model, SpecErrors> {
    let mut found = Vec::new();
    let mut model = Model {
        libraries: libraries
            .iter()
            .map(|files| library(files, &mut found))
            .collect(),
    };
    model.libraries.sort_by(|a, b| a.command.cmp(&b.command));
    for pair in model.libraries.windows(2) {
        if pair[0].command == pair[1].command {
            found.push(Diagnostic {
                file: pair[1].source.clone().into(),
                location: None,
                path: "command".into(),
                message: format!("library command `{}` is used twice", pair[1].command),
            });
        }
    }
    if found.is_empty() {
        Ok(model)
    } else {
        Err(SpecErrors(found))
    }
}

fn library(files: &LibraryFiles, found: &mut Vec<Diagnostic>) -> Library {
    let spec = &files.library.doc;
    let mut report = Report {
        file: &files.library,
        found,
    };

    let url = connection_param(&spec.connection.url);
    let token = connection_param(&spec.connection.token);
    for (key, param) in [
        ("url", &spec.connection.url),
        ("token", &spec.connection.token),
    ] {
        if RESERVED_FLAGS.contains(&&*param.cli) {
            report.error(
                &[Step::Key("connection"), Step::Key(key), Step::Key("cli")],
                format!("`{}` is an option every command has already", &*param.cli),
            );
        }
    }
    if url.flag == token.flag {
        report.error(
            &[
                Step::Key("connection"),
                Step::Key("token"),
                Step::Key("cli"),
            ],
            format!("`--{}` is the URL's option already", token.flag),
        );
    }
    if url.env == token.env {
        report.error(
            &[
                Step::Key("connection"),
                Step::Key("token"),
                Step::Key("env"),
            ],
            format!("`{}` is the URL's variable already", token.env),
        );
    }

    let mut groups: Vec<Group> = Vec::new();
    for (i, group) in spec.groups.iter().enumerate() {
        if groups.iter().any(|g| g.name == *group.name) {
            report.error(
                &[Step::Key("groups"), Step::Index(i), Step::Key("name")],
                format!("group `{}` is declared twice", &*group.name),
            );
        } else if let Some(other) = groups.iter().find(|g| g.position == group.position.0) {
            report.error(
                &[Step::Key("groups"), Step::Index(i), Step::Key("position")],
                format!(
                    "position {} is taken by group `{}`",
                    group.position.0, other.name
                ),
            );
        }
        groups.push(Group {
            name: group.name.0.clone(),
            slug: model::slug(&group.name),
            position: group.position.0,
            methods: Vec::new(),
        });
    }

    let library = Library {
        name: spec.name.0.clone(),
        command: spec.command.0.clone(),
        description: spec.description.0.clone(),
        source: files.library.source.clone(),
        url,
        token,
        groups: Vec::new(),
        example: ConnectionExample {
            webhook: spec.example.webhook.0.clone(),
            domain: spec.example.domain.0.clone(),
            token: spec.example.token.0.clone(),
        },
    };

    // Method name → file, to name the first file when a second one uses the name.
    let mut names: HashMap<String, &str> = HashMap::new();
    for file in &files.methods {
        let mut report = Report {
            file,
            found: report.found,
        };
        let Some(method) = method(file, &library, &mut report) else {
            continue;
        };
        if let Some(first) = names.insert(method.fn_name.clone(), &file.source) {
            report.error(
                &[Step::Key("name")],
                format!(
                    "`{}` is already defined in {first} (as the function `{}`)",
                    method.name, method.fn_name
                ),
            );
            continue;
        }
        let group_name = &*file.doc.group;
        let Some(group) = groups.iter_mut().find(|g| g.name == group_name) else {
            let known: Vec<&str> = spec.groups.iter().map(|g| &*g.name.0).collect();
            report.error(
                &[Step::Key("group")],
                format!(
                    "unknown group `{group_name}`; {} declares: {}",
                    files.library.source,
                    known.join(", ")
                ),
            );
            continue;
        };
        if let Some(other) = group.methods.iter().find(|m| m.position == method.position) {
            report.error(
                &[Step::Key("position")],
                format!(
                    "position {} in group `{}` is taken by `{}`",
                    method.position, group.name, other.name
                ),
            );
            continue;
        }
        group.methods.push(method);
    }
    for group in &mut groups {
        group.methods.sort_by_key(|m| m.position);
    }
    groups.sort_by_key(|g| g.position);
    Library { groups, ..library }
}

fn connection_param(spec: &ConnectionParamSpec) -> ConnectionParam {
    ConnectionParam {
        name: spec.name.0.clone(),
        flag: spec.cli.trim_start_matches('-').to_owned(),
        description: spec.description.0.clone(),
        env: spec.env.0.clone(),
        docs_type: ParamKind::Text.docs_type(),
    }
}

fn method(
    file: &SpecFile<MethodSpec>,
    library: &Library,
    report: &mut Report<'_, MethodSpec>,
) -> Option<Method> {
    let spec = &file.doc;
    let errors_before = report.found.len();
    let name = &spec.name.0;
    let fn_name = model::rust_ident(name);

    let stem = file.path.file_stem().map(|s| s.to_string_lossy());
    if stem.as_deref() != Some(name.as_str()) {
        report.error(
            &[Step::Key("name")],
            format!("the file of method `{name}` must be named `{name}.yaml`"),
        );
    }
    if RESERVED_FUNCTIONS.contains(&fn_name.as_str()) {
        report.error(
            &[Step::Key("name")],
            format!("`{name}` would become `{fn_name}`, which the client already has"),
        );
    }
    let mut params: Vec<Param> = Vec::new();
    // Taken names: the connection parameters come first.
    let mut flags: BTreeMap<String, String> = BTreeMap::new();
    flags.insert(library.url.flag.clone(), library.url.name.clone());
    flags.insert(library.token.flag.clone(), library.token.name.clone());
    let mut idents: BTreeMap<String, String> = BTreeMap::new();
    for reserved in ["url", "token"] {
        idents.insert(reserved.to_owned(), "the connection".to_owned());
    }

    for (i, param) in spec.params.iter().enumerate() {
        let at = |key| [Step::Key("params"), Step::Index(i), Step::Key(key)];
        let ident = model::rust_ident(&param.name);
        let flag = param.cli.trim_start_matches('-').to_owned();
        if param.name.0 == library.url.name || param.name.0 == library.token.name {
            report.error(
                &at("name"),
                format!(
                    "`{}` is a connection parameter, declared once in {}",
                    &*param.name, library.source
                ),
            );
        } else if let Some(other) = idents.get(ident.trim_start_matches("r#")) {
            report.error(
                &at("name"),
                format!(
                    "`{}` becomes the Rust name `{ident}`, which {other} has already",
                    &*param.name
                ),
            );
        }
        if RESERVED_FLAGS.contains(&&*param.cli) {
            report.error(
                &at("cli"),
                format!("`{}` is an option every command has already", &*param.cli),
            );
        } else if let Some(other) = flags.get(&flag) {
            report.error(
                &at("cli"),
                format!("`{}` is the option of `{other}` already", &*param.cli),
            );
        }
        if RESERVED_FIELDS.contains(&&*param.field) {
            report.error(
                &at("field"),
                format!("`{}` is set by the client itself", &*param.field),
            );
        } else if let Some(other) = params.iter().find(|p| p.field == *param.field) {
            report.error(
                &at("field"),
                format!(
                    "`{}` is the field of `{}` already",
                    &*param.field, other.name
                ),
            );
        }
        if !param.required {
            report.error(
                &at("required"),
                "optional method parameters are not supported yet: every parameter is required",
            );
        }
        let kind = ParamKind::from_types(&param.types);
        if kind.is_none() {
            let words: Vec<String> = param.types.iter().map(|t| format!("{t:?}")).collect();
            report.error(
                &at("types"),
                format!(
                    "[{}] is not a supported type: use [String], [Number], [String, Number] or [Boolean]",
                    words.join(", ")
                ),
            );
        }
        flags.insert(flag.clone(), param.name.0.clone());
        idents.insert(
            ident.trim_start_matches("r#").to_owned(),
            format!("`{}`", &*param.name),
        );
        params.push(Param {
            name: param.name.0.clone(),
            ident,
            flag,
            field: param.field.0.clone(),
            kind: kind.unwrap_or(ParamKind::Text),
            docs_type: kind.unwrap_or(ParamKind::Text).docs_type(),
            description: param.description.0.clone(),
        });
    }

    let mut example_args = Vec::new();
    for (param, written) in params.iter().zip(&spec.params) {
        if ParamKind::from_types(&written.types).is_none() {
            continue; // reported above
        }
        let key = serde_yaml::Value::String(param.name.clone());
        match spec.example.args.get(&key) {
            None => report.error(
                &[Step::Key("example"), Step::Key("args")],
                format!("no example value for `{}`", param.name),
            ),
            Some(value) if !param.kind.accepts(value) => report.error(
                &[
                    Step::Key("example"),
                    Step::Key("args"),
                    Step::Key(&param.name),
                ],
                format!(
                    "the example value of `{}` is not a {}",
                    param.name,
                    param.kind.docs_type()
                ),
            ),
            Some(value) => example_args.push(ExampleArg::new(param.kind, value)),
        }
    }
    for key in spec.example.args.keys() {
        let known = key
            .as_str()
            .is_some_and(|k| params.iter().any(|p| p.name == k));
        if !known {
            let shown = key
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{key:?}"));
            report.error(
                &[Step::Key("example"), Step::Key("args")],
                format!("`{shown}` is not a parameter of `{name}`"),
            );
        }
    }

    if report.found.len() > errors_before {
        return None;
    }
    Some(Method {
        name: name.clone(),
        title: model::title(name),
        slug: model::slug(name),
        description: spec.description.0.trim().to_owned(),
        summary: model::summary(&spec.description),
        rest_method: spec.rest.method.0.clone(),
        docs_url: spec.rest.docs.0.clone(),
        safe_to_repeat: spec.rest.safe_to_repeat,
        position: spec.position.0,
        signature: model::signature(&fn_name, &params),
        fn_name,
        params,
        returns: Returns {
            docs_type: spec.returns.docs_type.0.clone(),
            description: spec.returns.description.0.trim().to_owned(),
        },
        example: MethodExample {
            args: example_args,
            result: spec.example.result.0.trim_end().to_owned(),
        },
        source: file.source.clone(),
    })
}
