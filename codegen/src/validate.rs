//! Checks across values — duplicates, clashes, references between files — then the model.
//! Every problem is reported with its file, its line and column where they can be found, and
//! its path inside the document; nothing is generated while there is one.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::{Diagnostic, SpecErrors, Step, locate, path_text};
use crate::load::{LibraryFiles, SpecFile};
use crate::model::{
    self, Action, ConnectionExample, ConnectionParam, ExampleArg, Group, Library, Method,
    MethodExample, Model, Param, ParamKind, Rest, Returns, Template,
};
use crate::spec::{BinaryEncoding, ConnectionParamSpec, MethodSpec};

/// Options every command has besides the spec's, and so no parameter may take.
const RESERVED_FLAGS: &[&str] = &[
    "--help",
    "--version",
    "--debug",
    "--out",
    "--timeout",
    "--attempts",
    "--retry-wait",
];

/// Functions the hand-written client already has (`generated/src/bitrix24/client.rs`).
const RESERVED_FUNCTIONS: &[&str] = &[
    "webhook",
    "oauth",
    "new",
    "call",
    "observe",
    "with_config",
    "config",
    "build",
    "notify",
    "attempt",
    "decode",
    "body_start",
    "clone",
    "fmt",
];

/// Types the runtime module already has, so no closed set may take their name.
const RESERVED_TYPES: &[&str] = &[
    "Client",
    "Answer",
    "Error",
    "Config",
    "Binary",
    "Id",
    "IntoId",
    "Time",
    "Event",
    "Call",
    "MethodInfo",
    "TransportKind",
    "Option",
    "Result",
    "String",
    "Vec",
    "Value",
    "Box",
    "Self",
];

/// Argument ids of the `oint` command's own options, which no parameter may take as its name.
const RESERVED_ARG_IDS: &[&str] = &["debug", "out", "timeout", "attempts", "help", "version"];

/// Subcommands of `oint` besides the libraries.
const RESERVED_COMMANDS: &[&str] = &["completions", "man", "help"];

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

    if RESERVED_COMMANDS.contains(&&*spec.command)
        || syn::parse_str::<syn::Ident>(&spec.command).is_err()
    {
        report.error(
            &[Step::Key("command")],
            format!(
                "`{}` cannot be a library's command: it is a Rust keyword or one of oint's own subcommands",
                &*spec.command
            ),
        );
    }

    let mut groups: Vec<Group> = Vec::new();
    for (i, group) in spec.groups.iter().enumerate() {
        if let Some(other) = groups.iter().find(|g| g.slug == model::slug(&group.name)) {
            report.error(
                &[Step::Key("groups"), Step::Index(i), Step::Key("name")],
                format!(
                    "group `{}` would share the docs directory `{}` with group `{}`",
                    &*group.name, other.slug, other.name
                ),
            );
        }
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
    // Enum name → its values and the method that declared it first.
    let mut enums: HashMap<String, (Vec<(String, String)>, String)> = HashMap::new();
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
        for (i, param) in method.params.iter().enumerate() {
            let Some(choice) = &param.choice else {
                continue;
            };
            match enums.get(&choice.enum_name) {
                Some((values, first)) if *values != choice.values => report.error(
                    &[Step::Key("params"), Step::Index(i), Step::Key("enum")],
                    format!(
                        "`{}` is the enum of `{first}` already, with other values",
                        choice.enum_name
                    ),
                ),
                Some(_) => {}
                None => {
                    enums.insert(
                        choice.enum_name.clone(),
                        (choice.values.clone(), method.name.clone()),
                    );
                }
            }
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
        docs_type: "String",
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
    let is_template = match (&spec.rest, &spec.template) {
        (Some(_), None) => false,
        (None, Some(_)) => true,
        (Some(_), Some(_)) => {
            report.error(
                &[Step::Key("template")],
                "a method has either `rest` (an API call) or `template` (no call), not both",
            );
            false
        }
        (None, None) => {
            report.error(
                &[Step::Key("name")],
                "a method needs `rest` (the API call it makes) or `template` (what it returns without a call)",
            );
            false
        }
    };
    if is_template && !spec.fixed.is_empty() {
        report.error(
            &[Step::Key("fixed")],
            "a template makes no request: it has no fixed fields",
        );
    }

    let mut params: Vec<Param> = Vec::new();
    // Taken names: the connection parameters come first, for methods that connect.
    let mut flags: BTreeMap<String, String> = BTreeMap::new();
    let mut idents: BTreeMap<String, String> = BTreeMap::new();
    if !is_template {
        flags.insert(library.url.flag.clone(), library.url.name.clone());
        flags.insert(library.token.flag.clone(), library.token.name.clone());
        for reserved in ["url", "token"] {
            idents.insert(reserved.to_owned(), "the connection".to_owned());
        }
    }
    let mut fields: Vec<String> = Vec::new();
    for (key, _) in spec.fixed.iter() {
        let field = key.as_str().unwrap_or_default();
        let well_formed = field.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed || RESERVED_FIELDS.contains(&field) || fields.iter().any(|f| f == field) {
            report.error(
                &[Step::Key("fixed")],
                format!(
                    "`{field}` cannot be a fixed field: a request field name, once, and not `auth`"
                ),
            );
        }
        fields.push(field.to_owned());
    }

    for (i, param) in spec.params.iter().enumerate() {
        let at = |key| [Step::Key("params"), Step::Index(i), Step::Key(key)];
        let ident = model::rust_ident(&param.name);
        let flag = param.cli.trim_start_matches('-').to_owned();
        if !is_template && (param.name.0 == library.url.name || param.name.0 == library.token.name)
        {
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
        if RESERVED_ARG_IDS.contains(&&*param.name) {
            report.error(
                &at("name"),
                format!(
                    "`{}` is the name of one of oint's own options",
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

        let bare_base64 = param.encoding == Some(BinaryEncoding::Base64);
        let kind = ParamKind::from_types(
            &param.types,
            param.items.as_deref(),
            param.values.is_some(),
            bare_base64,
        );
        let Some(kind) = kind else {
            let words: Vec<String> = param.types.iter().map(|t| format!("{t:?}")).collect();
            report.error(
                &at("types"),
                format!(
                    "[{}]{}{} is not a supported type: use [String] (with `values` for a closed set), [Number], [String, Number], [Boolean], [Structure], [BinaryData], [String, BinaryData], or [Array] with `items` of [String], [Number], [String, Number] or [Structure]",
                    words.join(", "),
                    if param.items.is_some() { " with items" } else { "" },
                    if param.values.is_some() { " with values" } else { "" },
                ),
            );
            continue;
        };
        if param.encoding.is_some() && !matches!(kind, ParamKind::Binary { .. }) {
            report.error(&at("encoding"), "`encoding` is for BinaryData only");
        }
        if is_template && matches!(kind, ParamKind::Binary { .. }) {
            report.error(&at("types"), "a template takes no binary data");
        }
        if param.merge && spec.params[..i].iter().any(|p| p.merge) {
            report.error(
                &at("merge"),
                "only one structure can be merged into the body",
            );
        }

        let field = match (&param.field, param.merge) {
            (Some(field), false) => {
                if RESERVED_FIELDS.contains(&&**field) {
                    report.error(
                        &at("field"),
                        format!("`{}` is set by the client itself", &**field),
                    );
                } else if fields.contains(&field.0) {
                    report.error(
                        &at("field"),
                        format!("`{}` is sent already by this method", &**field),
                    );
                }
                fields.push(field.0.clone());
                Some(field.0.clone())
            }
            (None, true) if kind == ParamKind::Structure => None,
            (None, true) => {
                report.error(&at("merge"), "only a Structure can be merged into the body");
                None
            }
            (Some(_), true) => {
                report.error(
                    &at("merge"),
                    "a merged structure has no `field`: its keys are the fields",
                );
                None
            }
            (None, false) if is_template => None,
            (None, false) => {
                report.error(
                    &at("field"),
                    "the request field is missing (or `merge: true` for a structure)",
                );
                None
            }
        };

        let choice = match (&param.values, &param.enum_name) {
            (Some(values), Some(_)) if values.is_empty() => {
                report.error(&at("values"), "a closed set needs at least one value");
                None
            }
            (Some(_), Some(enum_name)) if RESERVED_TYPES.contains(&&**enum_name) => {
                report.error(
                    &at("enum"),
                    format!("`{}` is a type the runtime has already", &**enum_name),
                );
                None
            }
            (Some(values), Some(enum_name)) => {
                let values: Vec<(String, String)> = values
                    .iter()
                    .map(|v| (v.0.clone(), model::variant(&v.0)))
                    .collect();
                for (j, (value, variant)) in values.iter().enumerate() {
                    if let Some((other, _)) = values[..j].iter().find(|(_, v)| v == variant) {
                        report.error(
                            &[
                                Step::Key("params"),
                                Step::Index(i),
                                Step::Key("values"),
                                Step::Index(j),
                            ],
                            format!(
                                "`{value}` and `{other}` would both be the variant `{variant}`"
                            ),
                        );
                    }
                }
                Some(model::Choice {
                    enum_name: enum_name.0.clone(),
                    values,
                    description: param.description.0.clone(),
                })
            }
            (Some(_), None) => {
                report.error(
                    &at("values"),
                    "a closed set needs `enum`: the name of its Rust enum",
                );
                None
            }
            (None, Some(_)) => {
                report.error(
                    &at("enum"),
                    "`enum` names the Rust enum of `values`, which are missing",
                );
                None
            }
            _ => None,
        };

        let default = match &param.default {
            None => None,
            // OPI's empty default: not sent.
            Some(value) if value.as_str() == Some("") => None,
            Some(value) => match kind.default_literal(value) {
                Some(literal) => Some(literal),
                None => {
                    report.error(
                        &at("default"),
                        "a default must be a value of the parameter's type, and only Boolean, Number and String parameters take one (OPI's empty default is `required: false`)",
                    );
                    None
                }
            },
        };
        let required = match (param.required, &param.default) {
            (Some(true), Some(_)) => {
                report.error(
                    &at("default"),
                    "a parameter with a default is optional: drop `required: true`",
                );
                true
            }
            (Some(required), None) => required,
            (Some(false) | None, Some(_)) => false,
            (None, None) => true,
        };
        let default_shown = param.default.as_ref().map(|value| match value {
            serde_yaml::Value::String(s) if s.is_empty() => "empty".to_owned(),
            serde_yaml::Value::String(s) => s.clone(),
            other => serde_json::to_string(other).unwrap_or_default(),
        });
        let enum_name = choice
            .as_ref()
            .map(|c| c.enum_name.clone())
            .unwrap_or_default();
        let (rust_required, rust_optional) = kind.rust_types(&enum_name);
        let (cli_type, cli_parser) = kind.cli(choice.as_ref(), &library.command);

        flags.insert(flag.clone(), param.name.0.clone());
        idents.insert(
            ident.trim_start_matches("r#").to_owned(),
            format!("`{}`", &*param.name),
        );
        params.push(Param {
            name: param.name.0.clone(),
            ident,
            flag,
            field,
            kind,
            required: required && default.is_none(),
            default,
            default_shown,
            choice,
            docs_type: kind.docs_type(&param.types),
            description: param.description.0.clone(),
            rust_type: if required {
                rust_required
            } else {
                rust_optional
            },
            encoder: kind.encoder(),
            cli_type,
            cli_parser,
            cli_optional_adapter: kind.cli_optional_adapter(&library.command),
        });
    }

    let mut example_args = Vec::new();
    for param in &params {
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
                    param.name, param.docs_type
                ),
            ),
            Some(value) => {
                if let Some(choice) = &param.choice
                    && !choice
                        .values
                        .iter()
                        .any(|(v, _)| Some(v.as_str()) == value.as_str())
                {
                    {
                        report.error(
                            &[
                                Step::Key("example"),
                                Step::Key("args"),
                                Step::Key(&param.name),
                            ],
                            format!(
                                "the example value of `{}` is not one of its values",
                                param.name
                            ),
                        );
                    }
                }
                example_args.push(ExampleArg::new(param, &library.command, value));
            }
        }
    }
    for key in spec.example.args.keys() {
        let known = key
            .as_str()
            .is_some_and(|k| spec.params.iter().any(|p| p.name.0 == k));
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

    let action = match (&spec.rest, &spec.template) {
        (Some(rest), _) => {
            let mut fixed = Vec::new();
            for (key, value) in spec.fixed.iter() {
                match (key.as_str(), value.as_str()) {
                    (Some(field), Some(value)) => fixed.push((field.to_owned(), value.to_owned())),
                    _ => report.error(
                        &[Step::Key("fixed")],
                        "fixed fields are `FIELD: \"text\"` pairs",
                    ),
                }
            }
            Action::Rest(Rest {
                method: rest.method.0.clone(),
                docs_url: rest.docs.0.clone(),
                safe_to_repeat: rest.safe_to_repeat,
                fixed,
            })
        }
        (None, Some(template)) => {
            let clear = template.clear.as_ref().and_then(|clear| {
                match params.iter().find(|p| p.name == clear.0) {
                    Some(p) if p.kind == ParamKind::Flag => Some(p.ident.clone()),
                    _ => {
                        report.error(
                            &[Step::Key("template"), Step::Key("clear")],
                            format!("`{}` is not a Boolean parameter of `{name}`", clear.0),
                        );
                        None
                    }
                }
            });
            for param in &params {
                let placeholder = format!("\"{{{}}}\"", param.name);
                let used = template.value.contains(&placeholder);
                let is_clear = Some(&param.ident) == clear.as_ref();
                if used == is_clear {
                    report.error(
                        &[Step::Key("template"), Step::Key("value")],
                        if is_clear {
                            format!(
                                "`{}` clears the template: it cannot also be a placeholder",
                                param.name
                            )
                        } else {
                            format!(
                                "`{}` is not used: the template has no {placeholder}",
                                param.name
                            )
                        },
                    );
                }
            }
            let parsed: serde_json::Value =
                serde_json::from_str(&template.value).unwrap_or_default();
            for placeholder in placeholders(&parsed) {
                if !params.iter().any(|p| p.name == placeholder) {
                    report.error(
                        &[Step::Key("template"), Step::Key("value")],
                        format!("`{{{placeholder}}}` names no parameter of `{name}`"),
                    );
                }
            }
            Action::Template(Template {
                value: template.value.0.trim_end().to_owned(),
                clear,
            })
        }
        (None, None) => return None,
    };

    if let (Some(declared), Some(_)) = (spec.returns.result, &spec.rest) {
        let example: serde_json::Value =
            serde_json::from_str(&spec.example.result).unwrap_or_default();
        if !model::result_fits(declared, &example["result"]) {
            report.error(
                &[Step::Key("returns"), Step::Key("result")],
                format!(
                    "the recorded answer's `result` is not a {declared:?}: fix the type or the example"
                ),
            );
        }
    }
    if report.found.len() > errors_before {
        return None;
    }
    let returns = Returns {
        docs_type: spec.returns.docs_type.0.clone(),
        description: spec.returns.description.0.trim().to_owned(),
        result_type: spec.returns.result.and_then(model::result_type),
    };
    Some(Method {
        name: name.clone(),
        title: model::title(name),
        slug: model::slug(name),
        description: spec.description.0.trim().to_owned(),
        summary: model::summary(&spec.description),
        position: spec.position.0,
        signature: model::signature(&fn_name, &params, &returns, is_template),
        action,
        fn_name,
        params,
        returns,
        example: MethodExample {
            args: example_args,
            result: spec.example.result.0.trim_end().to_owned(),
        },
        source: file.source.clone(),
    })
}

/// The `"{Name}"` strings of a template.
fn placeholders(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => s
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .map(|name| vec![name.to_owned()])
            .unwrap_or_default(),
        serde_json::Value::Array(items) => items.iter().flat_map(placeholders).collect(),
        serde_json::Value::Object(map) => map.values().flat_map(placeholders).collect(),
        _ => Vec::new(),
    }
}
