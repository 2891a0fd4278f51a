//! Lowering: each value of the spec turned into what the emitters read, the model. Nothing here
//! reports: a value that breaks a rule is lowered as well as it can be (or left out), and
//! `check` says what is wrong with it; no model leaves `validate` while something is.

use crate::load::{LibraryFiles, SpecFile};
use crate::model::{
    self, Action, AuthMode, ConnectionParam, DefaultEncodings, Errors, ExampleArg, Group, Http,
    KeysOf, Library, ListPaging, Localized, Method, MethodExample, Param, ParamKind, Rest, Returns,
    Server, Signal, Template, Upload, Wire,
};
use crate::spec::{
    AnswerEnvelope, Encoding, HttpVerb, LibrarySpec, MethodSpec, ParamSpec, Prose, ResultType,
};

/// A library's own values (`library.yaml`), with its groups still empty.
pub(super) fn header(files: &LibraryFiles) -> Library {
    let spec = &files.library.doc;
    let languages = languages(spec);
    let (connection, modes, cli_mode) = connection(spec, &languages);
    let api_url_env = format!("OINT_{}_API_URL", spec.command.to_ascii_uppercase());

    let mut groups: Vec<Group> = Vec::new();
    for group in &spec.groups {
        let label = prose(&group.name, &languages);
        // A group declared twice is reported; its methods go to the first.
        if groups.iter().any(|g| g.name.get(0) == label.get(0)) {
            continue;
        }
        groups.push(Group {
            slug: model::slug(&label),
            name: label,
            position: group.position.0,
            methods: Vec::new(),
        });
    }
    let servers = spec
        .servers
        .iter()
        .map(|(name, server)| Server {
            name: name.0.clone(),
            const_name: format!("{}_SERVER", name.0.to_ascii_uppercase()),
            url: server.url.0.clone(),
            env: server.env.0.clone(),
            description: server.description.0.trim().to_owned(),
            whole_answer: server.answer == AnswerEnvelope::Whole,
        })
        .collect();
    let (rate_limit, time_budget) = match &spec.limits {
        Some(limits) => (
            limits
                .rate
                .as_ref()
                .map(|rate| (rate.burst, rate.per_second)),
            limits.time_budget,
        ),
        None => (None, None),
    };
    Library {
        name: spec.name.0.clone(),
        command: spec.command.0.clone(),
        description: prose(&spec.description, &languages),
        languages,
        source: files.library.source.clone(),
        connection,
        modes,
        cli_mode,
        api_url_env,
        result_key: spec.wire.result.0.clone(),
        query_form: spec.wire.query,
        time_key: spec.wire.time.as_ref().map(|key| key.0.clone()),
        total_key: spec.wire.total.as_ref().map(|key| key.0.clone()),
        next_key: spec.wire.next.as_ref().map(|key| key.0.clone()),
        batch: spec.wire.batch.as_ref().map(|b| {
            [
                &b.method,
                &b.commands,
                &b.halt,
                &b.results,
                &b.errors,
                &b.totals,
                &b.nexts,
                &b.times,
            ]
            .map(|key| key.0.clone())
        }),
        openapi: spec.openapi.as_ref().map(openapi).unwrap_or_default(),
        groups,
        servers,
        renewal: None,
        first_call: None,
        errors: errors(spec),
        encodings: DefaultEncodings {
            boolean: spec.encodings.boolean,
            date: spec.encodings.date,
            file: spec.encodings.file,
        },
        rate_limit,
        time_budget,
    }
}

/// The library with its methods in their groups, by position (`methods` in the order of
/// `files.methods`), and the methods `library.yaml` names for renewal and the first call. A
/// method is placed once: the first of a name, in a group that is declared, at a position no
/// method took before it.
pub(super) fn place(
    files: &LibraryFiles,
    library: Library,
    methods: Vec<Option<Method>>,
) -> Library {
    let spec = &files.library.doc;
    let mut groups = library.groups;
    let mut names: Vec<String> = Vec::new();
    for (file, method) in files.methods.iter().zip(methods) {
        let Some(method) = method else { continue };
        let group = groups
            .iter_mut()
            .find(|group| group.name.get(0) == &*file.doc.group);
        let Some(group) = group else { continue };
        if names.contains(&method.fn_name)
            || group.methods.iter().any(|m| m.position == method.position)
        {
            continue;
        }
        names.push(method.fn_name.clone());
        group.methods.push(method);
    }
    for group in &mut groups {
        group.methods.sort_by_key(|m| m.position);
    }
    groups.sort_by_key(|g| g.position);
    let find = |name: &str| {
        groups
            .iter()
            .flat_map(|g| &g.methods)
            .find(|m| m.name == name)
    };
    let renewal = spec
        .connection
        .renewal
        .as_ref()
        .and_then(|name| find(name).filter(|m| can_renew(m)))
        .map(|m| m.fn_name.clone());
    let first_call = spec
        .example
        .first_call
        .as_ref()
        .and_then(|name| find(name).filter(|m| m.fits_a_first_call()))
        .map(|m| m.name.clone());
    Library {
        groups,
        renewal,
        first_call,
        ..library
    }
}

/// Whether `method` can renew a token: it calls the API with three required texts (client ID,
/// client secret, refresh token).
pub(super) fn can_renew(method: &Method) -> bool {
    matches!(method.action, Action::Rest(_))
        && method.params.len() == 3
        && method
            .params
            .iter()
            .all(|p| p.required && p.kind == ParamKind::Text)
}

/// `prose` in each of `languages`, in their order: a missing text is the first language's.
pub(super) fn prose(prose: &Prose, languages: &[String]) -> Localized {
    match prose {
        Prose::One(text) => Localized(vec![text.0.clone(); languages.len().max(1)]),
        Prose::Each(texts) => Localized(
            languages
                .iter()
                .map(|language| {
                    texts
                        .iter()
                        .find(|(l, _)| l.0 == *language)
                        .map_or_else(|| prose.first().to_owned(), |(_, text)| text.0.clone())
                })
                .collect(),
        ),
    }
}

/// The library's languages (`[en]` when it declares none): those the docs pages have their
/// words in, each once, English first.
pub(super) fn languages(spec: &LibrarySpec) -> Vec<String> {
    let Some(declared) = &spec.languages else {
        return vec!["en".to_owned()];
    };
    let mut languages: Vec<String> = Vec::new();
    for language in declared {
        if !languages.contains(&language.0) && crate::words::KNOWN.contains(&&**language) {
            languages.push(language.0.clone());
        }
    }
    if languages.is_empty() {
        languages.push("en".to_owned());
    } else if let Some(i) = languages.iter().position(|l| l == "en") {
        // The texts are read as if English came first, as it must.
        let english = languages.remove(i);
        languages.insert(0, english);
    }
    languages
}

fn errors(spec: &LibrarySpec) -> Errors {
    let mut signals: Vec<Signal> = Vec::new();
    for signal in &spec.errors.signals {
        signals.push(Signal {
            code: signal.code.0.clone(),
            means: signal.means,
            reset_at: signal.reset_at.as_ref().map(|path| path.0.clone()),
            retry_after: signal.retry_after.as_ref().map(|path| path.0.clone()),
        });
    }
    Errors {
        code: spec.errors.code.0.clone(),
        description: spec.errors.description.0.clone(),
        signals,
    }
}

/// The OpenAPI texts of `library.yaml`, as they are.
fn openapi(spec: &crate::spec::OpenApiSpec) -> model::OpenApi {
    let text = |t: &crate::spec::Text| t.0.trim().to_owned();
    model::OpenApi {
        about: text(&spec.about),
        servers: spec
            .servers
            .iter()
            .map(|s| {
                let variables = s
                    .variables
                    .iter()
                    .map(|v| (text(&v.name), v.default.0.clone(), text(&v.description)))
                    .collect();
                model::OpenApiServer {
                    url: text(&s.url),
                    description: text(&s.description),
                    variables,
                }
            })
            .collect(),
        security: spec.security.as_ref().map(|s| model::OpenApiSecurity {
            scheme: text(&s.scheme),
            field: s.field.0.clone(),
            description: text(&s.description),
        }),
        errors: spec
            .errors
            .iter()
            .map(|e| model::OpenApiError {
                status: text(&e.status),
                name: text(&e.name),
                description: text(&e.description),
                code: e.code.0.clone(),
                text: e.text.0.clone(),
            })
            .collect(),
    }
}

/// The connection values a mode takes by its address and credential: the given address's
/// value, the `{Name}` places of a fixed one, the credential's value.
pub(super) fn mode_takes(mode: &crate::spec::ModeSpec) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    match (&mode.address.given, &mode.address.url) {
        (Some(given), None) => taken.push(given.0.clone()),
        (None, Some(url)) => {
            let mut rest = url.0.as_str();
            while let Some(start) = rest.find('{') {
                let name: String = rest[start + 1..]
                    .chars()
                    .take_while(|c| *c != '}')
                    .collect();
                taken.push(name);
                rest = &rest[start + 1..];
            }
        }
        _ => {}
    }
    if let Some(credential) = &mode.credential {
        taken.push(credential.param.0.clone());
    }
    taken
}

/// The connection values and the auth modes of `library.yaml`, and the index of the mode the
/// command-line examples use.
fn connection(
    spec: &LibrarySpec,
    languages: &[String],
) -> (Vec<ConnectionParam>, Vec<AuthMode>, usize) {
    let mut params: Vec<ConnectionParam> = Vec::new();
    for param in &spec.connection.params {
        params.push(ConnectionParam {
            name: param.name.0.clone(),
            flag: param.cli.trim_start_matches('-').to_owned(),
            ident: model::rust_ident(&param.name),
            description: prose(&param.description, languages),
            env: param.env.0.clone(),
            docs_type: "String",
            required: param.required,
            secret: param.secret,
            last: param.place == crate::spec::Place::Last,
        });
    }
    let mut modes: Vec<AuthMode> = Vec::new();
    for mode in &spec.connection.modes {
        let address = match (&mode.address.given, &mode.address.url) {
            (Some(given), None) => model::Address::Given {
                param: given.0.clone(),
                append: mode.address.append.as_ref().map(|a| a.0.clone()),
            },
            (None, Some(url)) => model::Address::Fixed(url.0.clone()),
            _ => model::Address::Fixed(String::new()),
        };
        let taken = mode_takes(mode);
        let params_taken: Vec<String> = params
            .iter()
            .filter(|param| taken.contains(&param.name))
            .map(|param| param.name.clone())
            .collect();
        let example = params_taken
            .iter()
            .map(|name| {
                mode.example
                    .iter()
                    .find(|(key, _)| key.0 == *name)
                    .map(|(_, value)| value.0.clone())
                    .unwrap_or_default()
            })
            .collect();
        modes.push(AuthMode {
            downloads: mode.downloads.as_ref().map(|path| path.0.clone()),
            name: mode.name.0.clone(),
            description: mode.description.0.trim().to_owned(),
            when: mode.when.as_ref().map(|w| w.0.clone()),
            address,
            credential: mode.credential.as_ref().map(|c| model::Credential {
                param: c.param.0.clone(),
                place: match (&c.field, &c.header) {
                    (_, Some(header)) => model::CredentialPlace::Header {
                        name: header.0.clone(),
                        prefix: c.prefix.clone().unwrap_or_default(),
                    },
                    (field, None) => model::CredentialPlace::Field(
                        field.as_ref().map(|f| f.0.clone()).unwrap_or_default(),
                    ),
                },
            }),
            public_segments: mode
                .public_segments
                .as_ref()
                .map(|words| words.iter().map(|w| w.0.clone()).collect()),
            params: params_taken,
            example,
            example_note: prose(&mode.example_note, languages).map(|note| note.trim().to_owned()),
        });
    }
    let cli_mode = modes
        .iter()
        .position(|mode| mode.name == spec.example.cli.0)
        .unwrap_or(0);
    (params, modes, cli_mode)
}

/// Whether a method calls the service with the library's connection values: it is not a
/// template (one with `rest` as well is read as a call) and calls no other server.
pub(super) fn connects(spec: &MethodSpec) -> bool {
    let is_template = spec.rest.is_none() && spec.template.is_some();
    !is_template
        && spec
            .rest
            .as_ref()
            .and_then(|rest| rest.server.as_ref())
            .is_none()
}

/// A method, with every parameter that can be lowered; `None` when it has no action (neither
/// `rest` nor `template`, or a template without its value).
pub(super) fn method(file: &SpecFile<MethodSpec>, library: &Library) -> Option<Method> {
    let spec = &file.doc;
    let name = &spec.name.0;
    let fn_name = model::rust_ident(name);
    // A method with both `rest` and `template` is read as a call.
    let is_template = spec.rest.is_none() && spec.template.is_some();
    let fixed: Vec<(String, String)> = spec
        .fixed
        .iter()
        .filter_map(|(key, value)| {
            Some((
                key.as_str().unwrap_or_default().to_owned(),
                value.as_str()?.to_owned(),
            ))
        })
        .collect();
    let mut params: Vec<Param> = spec
        .params
        .iter()
        .filter_map(|param| self::param(spec, param, library))
        .collect();
    resolve_references(spec, &mut params);
    let example_args = example_args(spec, &params, library);
    let action = action(spec, &params, fixed)?;
    let download = spec.rest.as_ref().and_then(|rest| rest.download.as_ref());
    let builds = spec.returns.keys_of.is_some() || spec.returns.map_of.is_some();
    let description = prose(&spec.description, &library.languages);
    let title = match &spec.title {
        Some(title) => prose(title, &library.languages),
        None => Localized(vec![model::title(name); library.languages.len()]),
    };
    let declared = spec.returns.result.unwrap_or(ResultType::Any);
    let returns = Returns {
        docs_type: spec.returns.docs_type.0.clone(),
        description: prose(&spec.returns.description, &library.languages)
            .map(|text| text.trim().to_owned()),
        result: declared,
        builds_structure: builds,
        file: download.is_some(),
        result_type: model::result_type(declared),
    };
    Some(Method {
        name: name.clone(),
        title,
        slug: model::slug(name),
        description: description.map(|text| text.trim().to_owned()),
        notes: spec
            .notes
            .as_ref()
            .map(|notes| prose(notes, &library.languages).map(|text| text.trim().to_owned())),
        deprecated: spec.deprecated.as_ref().map(|deprecated| {
            prose(deprecated, &library.languages).map(|text| text.trim().to_owned())
        }),
        summary: model::summary(&description),
        position: spec.position.0,
        cli: spec.cli,
        signature: model::signature(&fn_name, &params, &returns, is_template),
        action,
        fn_name,
        params,
        returns,
        example: MethodExample {
            args: example_args,
            result: spec.example.result.0.trim_end().to_owned(),
            answer: spec
                .example
                .answer
                .as_ref()
                .unwrap_or(&spec.example.result)
                .0
                .trim_end()
                .to_owned(),
        },
        source: file.source.clone(),
    })
}

/// The kind of a parameter, from its types; `None` for a combination oint has no type for.
pub(super) fn kind(param: &ParamSpec) -> Option<ParamKind> {
    ParamKind::from_types(
        &param.types,
        param.items.as_deref(),
        param.values.is_some(),
        param.encoding == Some(Encoding::Array),
    )
}

/// Whether the method sends `multipart/form-data`.
pub(super) fn multipart(spec: &MethodSpec) -> bool {
    spec.rest
        .as_ref()
        .is_some_and(|r| r.http == HttpVerb::Multipart)
}

/// Whether a parameter sends no request field of its own: merged, a part of an upload, ignored,
/// or a template's.
pub(super) fn unfielded(spec: &MethodSpec, param: &ParamSpec) -> bool {
    let is_template = spec.template.is_some() && spec.rest.is_none();
    param.merge || param.part.is_some() || param.ignored.is_some() || is_template
}

/// Whether a parameter is required: as it says, or else when it has no default.
pub(super) fn required(param: &ParamSpec) -> bool {
    match (param.required, &param.default) {
        (Some(true), Some(_)) => true,
        (Some(required), None) => required,
        (Some(false) | None, Some(_)) => false,
        (None, None) => true,
    }
}

/// One parameter; `None` when its types have no kind.
pub(super) fn param(spec: &MethodSpec, param: &ParamSpec, library: &Library) -> Option<Param> {
    let ident = model::rust_ident(&param.name);
    let flag = match (&param.cli, spec.cli) {
        (Some(cli), true) => cli.trim_start_matches('-').to_owned(),
        _ => String::new(),
    };
    let kind = kind(param)?;
    let encodings = kind.encodings();
    let encoding = match param.encoding {
        Some(encoding) if encodings.contains(&encoding) => encoding,
        Some(_) => encodings[0],
        None => library.encodings.of(kind),
    };
    let wire = if multipart(spec) && kind == ParamKind::Binary {
        Wire::FilePart
    } else {
        kind.wire(encoding)
    };
    let keys = match &param.keys {
        Some(keys) if kind == ParamKind::Structure => {
            keys.iter().map(|(k, e)| (k.0.clone(), *e)).collect()
        }
        _ => Vec::new(),
    };
    let file_name = param
        .file_name
        .as_ref()
        .filter(|name| {
            multipart(spec)
                && kind == ParamKind::Binary
                && !name.0.trim().is_empty()
                && !name.0.contains(['"', '\r', '\n'])
        })
        .map(|name| name.0.clone());
    let field = match (&param.field, param.merge) {
        (Some(field), false) if !unfielded(spec, param) => Some(field.0.clone()),
        _ => None,
    };
    let description = prose(&param.description, &library.languages);
    let choice = choice(param, &description);
    let module = library.command.as_str();
    let (default, default_shown) = match &param.default {
        None => (None, None),
        Some(value) => {
            let literal = kind.default_literal(value, choice.as_ref());
            let sent = param.send_default || !kind.is_empty_default(wire, value);
            let shown = match value {
                serde_yaml::Value::String(s) if s.is_empty() => "empty".to_owned(),
                serde_yaml::Value::String(s) => s.clone(),
                other => serde_json::to_string(other).unwrap_or_default(),
            };
            (literal.filter(|_| sent), Some(shown))
        }
    };
    let required = required(param);
    let optional_note = match (&default_shown, required) {
        (_, true) => String::new(),
        (Some(default), false) if default != "empty" => {
            format!(" (optional, default {default})")
        }
        _ => " (optional)".to_owned(),
    };
    let enum_name = choice
        .as_ref()
        .map(|c| c.enum_name.clone())
        .unwrap_or_default();
    let (rust_required, rust_optional) = kind.rust_types(&enum_name);
    let (cli_type, cli_parser) = kind.cli(choice.as_ref(), module);
    Some(Param {
        name: param.name.0.clone(),
        ident,
        flag,
        field,
        merge: param.merge,
        kind,
        wire,
        required,
        default,
        default_shown,
        choice,
        docs_type: model::docs_type(&param.types, param.items.as_deref()),
        description,
        rust_type: if required {
            rust_required
        } else {
            rust_optional
        },
        encoder: kind.encoder(wire),
        cli_type,
        cli_parser,
        cli_optional_adapter: kind.cli_optional_adapter(module),
        // Resolved by `resolve_references`, once every field is known.
        unless: param.unless.as_ref().map(|u| u.0.clone()),
        secret: param.secret,
        env: param.env.as_ref().map(|e| e.0.clone()),
        part: param.part,
        file_name,
        not_empty: param.not_empty.as_ref().map(|t| t.0.trim().to_owned()),
        ignored: param.ignored.as_ref().map(|t| t.0.trim().to_owned()),
        keys,
        // Resolved by `resolve_references`.
        named_by: param.named_by.as_ref().map(|n| n.0.clone()),
        split: param
            .split
            .as_ref()
            .map(|split| (split.on.0.clone(), split.then.0.clone())),
        // Resolved by `resolve_references`.
        prepare: param
            .prepare
            .as_ref()
            .map(|prepare| (prepare.hook, prepare.by.0.clone())),
        optional_note,
    })
}

/// A closed set of values, with its variants; `None` without both `values` and `enum`, or with
/// one `check` refuses.
fn choice(param: &ParamSpec, description: &str) -> Option<model::Choice> {
    let (Some(values), Some(enum_name)) = (&param.values, &param.enum_name) else {
        return None;
    };
    // A set without values, or whose enum would take a type the runtime has, has no enum.
    if values.is_empty() || super::RESERVED_TYPES.contains(&&**enum_name) {
        return None;
    }
    Some(model::Choice {
        enum_name: enum_name.0.clone(),
        values: values
            .iter()
            .map(|v| (v.0.clone(), model::variant(&v.0)))
            .collect(),
        description: description.to_owned(),
    })
}

/// What parameters name of each other, resolved: `unless` and `prepare.by` to the other's
/// field, `named_by` to the other's Rust name; a name that resolves to nothing is dropped
/// (`check` says why).
fn resolve_references(spec: &MethodSpec, params: &mut [Param]) {
    let fields: Vec<(String, Option<String>)> = params
        .iter()
        .map(|p| (p.name.clone(), p.field.clone()))
        .collect();
    let texts: Vec<(String, String)> = params
        .iter()
        .filter(|p| p.kind == ParamKind::Text && p.required)
        .map(|p| (p.name.clone(), p.ident.clone()))
        .collect();
    let field_of = |other: &str, of: &str| match fields.iter().find(|(name, _)| name == other) {
        Some((_, Some(field))) if other != of => Some(field.clone()),
        _ => None,
    };
    for param in params.iter_mut() {
        param.unless = param
            .unless
            .take()
            .and_then(|other| field_of(&other, &param.name));
        param.prepare = param.prepare.take().and_then(|(hook, other)| {
            let fits = prepare_fits(hook, param.kind, multipart(spec)).0 && param.field.is_some();
            field_of(&other, &param.name)
                .filter(|_| fits)
                .map(|field| (hook, field))
        });
        param.named_by = param.named_by.take().and_then(|other| {
            texts
                .iter()
                .find(|(name, _)| *name == other)
                .filter(|_| param.kind == ParamKind::Binary && param.wire == Wire::FilePair)
                .map(|(_, ident)| ident.clone())
        });
    }
}

/// Whether a hook can prepare a parameter of `kind`, and what it prepares.
pub(super) fn prepare_fits(
    hook: crate::spec::Hook,
    kind: ParamKind,
    multipart: bool,
) -> (bool, &'static str) {
    match hook {
        crate::spec::Hook::Markup => (kind == ParamKind::Text, "a prepared text is a String"),
        crate::spec::Hook::MediaGroup => (
            kind == ParamKind::Media && multipart,
            "a media group is a Map of String (files and their kinds) in a multipart call",
        ),
    }
}

/// Whether `value` is an example of `param`: of its type, or a single item of an array.
pub(super) fn example_fits(param: &Param, value: &serde_yaml::Value) -> bool {
    let single_fits = matches!(param.kind, ParamKind::Array(item) if item != model::Item::Structure)
        && !value.is_sequence()
        && ParamKind::Array(match param.kind {
            ParamKind::Array(item) => item,
            _ => model::Item::Text,
        })
        .accepts(&serde_yaml::Value::Sequence(vec![value.clone()]));
    param.kind.accepts(value) || single_fits
}

/// The example value of every parameter that has one of its type.
fn example_args(spec: &MethodSpec, params: &[Param], library: &Library) -> Vec<ExampleArg> {
    params
        .iter()
        .filter_map(|param| {
            let key = serde_yaml::Value::String(param.name.clone());
            let value = spec.example.args.get(&key)?;
            example_fits(param, value).then(|| ExampleArg::new(param, &library.command, value))
        })
        .collect()
}

/// The parameter of `params` named `name` when it is a Boolean (sent or not, as `sent` says).
fn flag_named<'a>(params: &'a [Param], name: &str, sent: Option<bool>) -> Option<&'a Param> {
    params.iter().find(|p| {
        p.name == name && p.kind == ParamKind::Flag && sent.is_none_or(|s| s == p.field.is_some())
    })
}

/// What the method does: its REST call, or its template; `None` for a method with neither, or
/// a template with neither a value nor a hook.
fn action(spec: &MethodSpec, params: &[Param], fixed: Vec<(String, String)>) -> Option<Action> {
    match (&spec.rest, &spec.template) {
        (Some(rest), _) => {
            let keys_of = spec.returns.keys_of.as_ref().map(|keys_of| KeysOf {
                where_: keys_of.where_.0.clone(),
                value: keys_of.value.0.clone(),
                clear: keys_of
                    .clear
                    .as_ref()
                    .and_then(|clear| flag_named(params, &clear.0, Some(false)))
                    .map(|p| p.ident.clone()),
            });
            let list = rest.list.as_ref().map(|list| {
                let name = |f: &Option<crate::spec::FieldName>| f.as_ref().map(|f| f.0.clone());
                ListPaging {
                    items: name(&list.items),
                    start: name(&list.start).unwrap_or_else(|| "start".to_owned()),
                    id: name(&list.id)
                        .or_else(|| name(&list.by))
                        .unwrap_or_else(|| "ID".to_owned()),
                    by: name(&list.by),
                    filter: name(&list.filter),
                    order: name(&list.order),
                    select: name(&list.select),
                }
            });
            let or_method = rest.when_absent.as_ref().and_then(|when| {
                let param = params.iter().find(|p| p.name == when.param.0)?;
                Some((param.field.clone()?, when.method.0.clone()))
            });
            Some(Action::Rest(Rest {
                or_method,
                map_of: spec
                    .returns
                    .map_of
                    .as_ref()
                    .map(|map_of| (map_of.key.0.clone(), map_of.value.0.clone())),
                download: rest
                    .download
                    .as_ref()
                    .map(|download| (download.path.0.clone(), download.repeats)),
                method: rest.method.0.clone(),
                docs_url: rest.docs.0.clone(),
                http: match rest.http {
                    HttpVerb::Post => Http::Post,
                    HttpVerb::Get => Http::Get,
                    HttpVerb::Multipart => Http::Multipart,
                },
                safe_to_repeat: rest.safe_to_repeat,
                fixed,
                server: rest.server.as_ref().map(|s| s.0.clone()),
                upload: rest.upload.as_ref().map(|upload| Upload {
                    url_key: upload.url.0.clone(),
                    field_key: upload.field.0.clone(),
                }),
                keys_of,
                list,
            }))
        }
        (None, Some(template)) => {
            if let Some(hook) = template.hook {
                return Some(Action::Template(Template {
                    value: String::new(),
                    hook: Some(hook),
                    clear: None,
                }));
            }
            Some(Action::Template(Template {
                value: template.value.as_ref()?.0.trim_end().to_owned(),
                hook: None,
                clear: template
                    .clear
                    .as_ref()
                    .and_then(|clear| flag_named(params, &clear.0, None))
                    .map(|p| p.ident.clone()),
            }))
        }
        (None, None) => None,
    }
}
