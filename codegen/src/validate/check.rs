//! The rules of the spec, each with its message, checked on the spec's values beside their
//! lowered form (`lower`): a value alone (a type, an encoding, a URL), and across values —
//! duplicates, clashes with oint's own names, references between files. Nothing here builds
//! the model.

use std::collections::{BTreeMap, HashMap};

use super::{RESERVED_TYPES, Report, lower};
use crate::diagnostics::{Diagnostic, Step};
use crate::load::{LibraryFiles, SpecFile};
use crate::model::{self, Library, Method, Model, Param, ParamKind, Wire};
use crate::spec::{
    Encoding, EncodingsSpec, ErrorsSpec, Hook, HttpVerb, LibrarySpec, LimitsSpec, MethodSpec,
    ParamSpec, Part, Prose, ResultType, SignalKind,
};

/// Options every command has besides the spec's, and so no parameter may take.
const RESERVED_FLAGS: &[&str] = &[
    "--help",
    "--version",
    "--debug",
    "--out",
    "--attempts",
    "--retry-wait",
];

/// Functions a library's `Client` already has: its own (generated beside the methods) and those
/// of the runtime's client it reaches through `Deref` (`runtime/src/client.rs`, `batch.rs`,
/// `pending.rs`), and the methods of the traits it implements.
const RESERVED_FUNCTIONS: &[&str] = &[
    "on_tokens",
    "without_portal",
    "with_server_url",
    "with_api_url",
    "new",
    "observe",
    "with_config",
    "config",
    "batch",
    "pending",
    "clone",
    "fmt",
    "deref",
    "from",
    "into",
];

/// Argument ids of the `oint` command's own options, which no parameter may take as its name.
const RESERVED_ARG_IDS: &[&str] = &["debug", "out", "timeout", "attempts", "help", "version"];

/// Subcommands of `oint` besides the libraries.
const RESERVED_COMMANDS: &[&str] = &["completions", "man", "help"];

/// Whether the client sets `field` itself: a credential's field (Bitrix24's `auth`).
fn credential_field(library: &Library, field: &str) -> bool {
    library
        .modes
        .iter()
        .any(|mode| mode.credential.as_ref().and_then(model::Credential::field) == Some(field))
}

/// Headers the client sets itself, which no credential may take.
const RESERVED_HEADERS: &[&str] = &[
    "accept",
    "content-type",
    "content-length",
    "host",
    "user-agent",
    "transfer-encoding",
    "connection",
];

/// Each library's command once.
pub(super) fn commands(model: &Model, found: &mut Vec<Diagnostic>) {
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
}

/// `prose` has a text in each of the library's `languages` and none in another.
fn prose<T>(report: &mut Report<'_, T>, prose: &Prose, languages: &[String], steps: &[Step<'_>]) {
    let listed = languages.join(", ");
    match prose {
        Prose::One(_) => {
            if languages.len() > 1 {
                report.error(
                    steps,
                    format!(
                        "is in one language, but the library's prose is in {listed}: write a text for each, e.g. `{{{}}}`",
                        languages
                            .iter()
                            .map(|l| format!("{l}: …"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        Prose::Each(texts) => {
            for (language, _) in texts {
                if !languages.contains(&language.0) && !report.unusable.contains(&language.0) {
                    let mut at = steps.to_vec();
                    at.push(Step::Key(language));
                    report.error(
                        &at,
                        format!(
                            "`{}` is not one of the library's languages ({listed}); `languages` in library.yaml declares them",
                            &**language
                        ),
                    );
                }
            }
            for language in languages {
                if !texts.iter().any(|(l, _)| l.0 == *language) {
                    report.error(
                        steps,
                        format!("has no `{language}` text: the library's prose is in {listed}"),
                    );
                }
            }
        }
    }
}

/// A library: `library.yaml`, then each method file, then what they say of each other.
pub(super) fn library(
    files: &LibraryFiles,
    library: &Library,
    methods: &[Option<Method>],
    found: &mut Vec<Diagnostic>,
) {
    let spec = &files.library.doc;
    let mut report = Report::new(&files.library, found);
    self::languages(spec, &mut report);
    let languages = &library.languages;
    connection(spec, library, &mut report);

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

    // Every group as declared (a name twice too): its name and docs directory.
    let mut groups: Vec<(model::Localized, String)> = Vec::new();
    // Name, docs directory and position → the index of the group that has it.
    let (mut by_name, mut by_slug, mut by_position) =
        (HashMap::new(), HashMap::new(), HashMap::new());
    for (i, group) in spec.groups.iter().enumerate() {
        let at_name = [Step::Key("groups"), Step::Index(i), Step::Key("name")];
        prose(&mut report, &group.name, languages, &at_name);
        let label = lower::prose(&group.name, languages);
        let slug = model::slug(&label);
        if slug.is_empty() {
            report.error(
                &at_name,
                format!(
                    "group `{}` has no letter or digit to name its docs directory",
                    &*label
                ),
            );
        } else if let Some(&other) = by_slug.get(&slug) {
            let (name, slug): &(model::Localized, String) = &groups[other];
            report.error(
                &at_name,
                format!(
                    "group `{}` would share the docs directory `{slug}` with group `{name}`",
                    &*label
                ),
            );
        }
        if by_name.contains_key(&*label) {
            report.error(&at_name, format!("group `{}` is declared twice", &*label));
        } else if let Some(&other) = by_position.get(&group.position.0) {
            let (name, _): &(model::Localized, String) = &groups[other];
            report.error(
                &[Step::Key("groups"), Step::Index(i), Step::Key("position")],
                format!("position {} is taken by group `{name}`", group.position.0),
            );
        }
        by_name
            .entry(label.get(0).to_owned())
            .or_insert(groups.len());
        by_slug.entry(slug.clone()).or_insert(groups.len());
        by_position.entry(group.position.0).or_insert(groups.len());
        groups.push((label, slug));
    }

    for (name, server) in &spec.servers {
        if library
            .connection
            .iter()
            .any(|param| param.env == server.env.0)
            || library.api_url_env == server.env.0
        {
            report.error(
                &[Step::Key("servers"), Step::Key(name), Step::Key("env")],
                format!("`{}` is a connection variable already", &server.env.0),
            );
        }
    }
    prose(
        &mut report,
        &spec.description,
        languages,
        &[Step::Key("description")],
    );
    errors(&spec.errors, &mut report);
    default_encodings(&spec.encodings, &mut report);
    limits(spec.limits.as_ref(), &mut report);
    if library.time_budget.is_some() && spec.wire.time.is_none() {
        report.error(
            &[Step::Key("limits"), Step::Key("time_budget")],
            "a time budget is read from each answer's timing: declare its key, `wire.time`",
        );
    }

    // Method name → file, to name the first file when a second one uses the name.
    let mut names: HashMap<String, &str> = HashMap::new();
    // Enum name → its values and the method that declared it first.
    let mut enums: HashMap<String, (Vec<(String, String)>, String)> = HashMap::new();
    // (group, position) → the method that has it.
    let mut taken: HashMap<(usize, u32), String> = HashMap::new();
    // The methods without an error of their own, in a group, at a position of their own.
    let mut placed: Vec<&Method> = Vec::new();
    for (file, lowered) in files.methods.iter().zip(methods) {
        let unusable = report.unusable.clone();
        let mut report = Report::new(file, report.found);
        report.unusable = unusable;
        let clean = method(file, library, &mut report);
        // What the other files are checked against: the methods without an error.
        let Some(method) = lowered.as_ref().filter(|_| clean) else {
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
        let Some(&group_index) = by_name.get(group_name) else {
            let known: Vec<&str> = groups.iter().map(|(name, _)| name.get(0)).collect();
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
        if let Some(other) = taken.get(&(group_index, method.position)) {
            report.error(
                &[Step::Key("position")],
                format!(
                    "position {} in group `{}` is taken by `{other}`",
                    method.position, groups[group_index].0
                ),
            );
            continue;
        }
        taken.insert((group_index, method.position), method.name.clone());
        placed.push(method);
    }
    let find = |name: &str| placed.iter().copied().find(|m| m.name == name);
    if let Some(name) = &spec.connection.renewal {
        let found = find(name);
        if !found.is_some_and(lower::can_renew) {
            report.error(
                &[Step::Key("connection"), Step::Key("renewal")],
                match found {
                    None => format!("no method is named `{}`", &**name),
                    Some(_) => format!(
                        "`{}` cannot renew a token: it must call the API and take three required \
                         String parameters (client ID, client secret, refresh token)",
                        &**name
                    ),
                },
            );
        }
    }
    if let Some(name) = &spec.example.first_call {
        let found = find(name);
        if !found.is_some_and(Method::fits_a_first_call) {
            report.error(
                &[Step::Key("example"), Step::Key("first_call")],
                match found {
                    None => format!("no method is named `{}`", &**name),
                    Some(_) => format!(
                        "`{}` cannot be the first call: it must be a command with parameters that calls the service with the connection's values and answers JSON",
                        &**name
                    ),
                },
            );
        }
    }
}

/// The encodings of `library.yaml`, each one its type has.
fn default_encodings<T>(spec: &EncodingsSpec, report: &mut Report<'_, T>) {
    for (key, kind, encoding) in [
        ("boolean", ParamKind::Flag, spec.boolean),
        ("date", ParamKind::Date, spec.date),
        ("file", ParamKind::Binary, spec.file),
    ] {
        if !kind.encodings().contains(&encoding) {
            let allowed: Vec<String> = kind.encodings().iter().map(|e| encoding_name(*e)).collect();
            report.error(
                &[Step::Key("encodings"), Step::Key(key)],
                format!(
                    "`{}` is not an encoding of {key}s: use {}",
                    encoding_name(encoding),
                    allowed.join(", ")
                ),
            );
        }
    }
}

/// The limits of `library.yaml`: a rate of at least one request at once and one an hour, a
/// time budget above zero — what the runtime's `Config::check` asks of a limit.
fn limits<T>(spec: Option<&LimitsSpec>, report: &mut Report<'_, T>) {
    let Some(spec) = spec else {
        return;
    };
    if let Some(rate) = &spec.rate {
        if rate.burst == 0 {
            report.error(
                &[Step::Key("limits"), Step::Key("rate"), Step::Key("burst")],
                "a burst of at least one request is needed",
            );
        }
        if !(rate.per_second.is_finite() && rate.per_second >= 1.0 / 3600.0) {
            report.error(
                &[
                    Step::Key("limits"),
                    Step::Key("rate"),
                    Step::Key("per_second"),
                ],
                "at least one request an hour (1/3600 a second) is needed",
            );
        }
    }
    if let Some(budget) = spec.time_budget
        && !(budget.is_finite() && budget > 0.0)
    {
        report.error(
            &[Step::Key("limits"), Step::Key("time_budget")],
            "a time budget is a number of seconds above zero",
        );
    }
}

/// The error signals: each code once, and only the keys its meaning has.
fn errors<T>(spec: &ErrorsSpec, report: &mut Report<'_, T>) {
    for (i, signal) in spec.signals.iter().enumerate() {
        let at = |key| {
            [
                Step::Key("errors"),
                Step::Key("signals"),
                Step::Index(i),
                Step::Key(key),
            ]
        };
        if spec.signals[..i].iter().any(|s| s.code.0 == signal.code.0) {
            report.error(
                &at("code"),
                format!("`{}` has a meaning already", &*signal.code),
            );
        }
        if signal.reset_at.is_some() && signal.means != SignalKind::TimeBudget {
            report.error(
                &at("reset_at"),
                "only a time budget (`means: time_budget`) has a reset time",
            );
        }
        if signal.retry_after.is_some() && signal.means != SignalKind::RateLimited {
            report.error(
                &at("retry_after"),
                "only a rate limit (`means: rate_limited`) says how long to wait",
            );
        }
    }
}

/// The library's languages: each one the docs pages have their words in, none twice, English
/// first. A language the pages cannot be written in is noted in `report.unusable`.
fn languages<T>(spec: &LibrarySpec, report: &mut Report<'_, T>) {
    let Some(declared) = &spec.languages else {
        return;
    };
    let mut languages: Vec<&str> = Vec::new();
    for (i, language) in declared.iter().enumerate() {
        let at = [Step::Key("languages"), Step::Index(i)];
        if languages.contains(&&**language) {
            report.error(&at, format!("`{}` is listed twice", &**language));
        } else if !crate::words::KNOWN.contains(&&**language) {
            report.error(
                &at,
                format!(
                    "the docs pages have no words in `{}`; they have them in {} (codegen/templates/words.yaml)",
                    &**language,
                    crate::words::KNOWN.join(", ")
                ),
            );
            // Only a language the pages can be written in is asked of every text; texts in
            // this one are let be.
            report.unusable.push(language.0.clone());
        } else {
            languages.push(language);
        }
    }
    if languages.is_empty() {
        report.error(&[Step::Key("languages")], "names no language");
    } else if languages[0] != "en" {
        // The site's own locale, and the language of the client, the CLI and OpenAPI.
        report.error(
            &[Step::Key("languages"), Step::Index(0)],
            "the first language must be `en`: the site's own, and the client's, the CLI's and the OpenAPI document's",
        );
    }
}

/// The connection values and the auth modes of `library.yaml`, and the mode of the
/// command-line examples.
fn connection<T>(spec: &LibrarySpec, library: &Library, report: &mut Report<'_, T>) {
    let params = &library.connection;
    for (i, param) in spec.connection.params.iter().enumerate() {
        let at = |key| {
            [
                Step::Key("connection"),
                Step::Key("params"),
                Step::Index(i),
                Step::Key(key),
            ]
        };
        let before = &params[..i];
        let flag = param.cli.trim_start_matches('-');
        if RESERVED_FLAGS.contains(&&*param.cli) || &*param.cli == "--timeout" {
            report.error(
                &at("cli"),
                format!("`{}` is an option every command has already", &*param.cli),
            );
        } else if let Some(other) = before.iter().find(|other| other.flag == flag) {
            report.error(
                &at("cli"),
                format!("`--{flag}` is the option of `{}` already", other.name),
            );
        }
        if let Some(other) = before.iter().find(|other| other.env == param.env.0) {
            report.error(
                &at("env"),
                format!(
                    "`{}` is the variable of `{}` already",
                    &*param.env, other.name
                ),
            );
        }
        if let Some(other) = before.iter().find(|other| other.name == param.name.0) {
            report.error(&at("name"), format!("`{}` is declared already", other.name));
        }
        prose(
            report,
            &param.description,
            &library.languages,
            &at("description"),
        );
    }
    if params.is_empty() {
        report.error(
            &[Step::Key("connection"), Step::Key("params")],
            "a library needs at least one connection value",
        );
    }
    let known = |name: &str| params.iter().any(|param| param.name == name);
    let modes = &library.modes;
    for (i, (mode, lowered)) in spec.connection.modes.iter().zip(modes).enumerate() {
        let at = |key| {
            [
                Step::Key("connection"),
                Step::Key("modes"),
                Step::Index(i),
                Step::Key(key),
            ]
        };
        let before = &modes[..i];
        if RESERVED_FUNCTIONS.contains(&&*mode.name)
            || syn::parse_str::<syn::Ident>(&mode.name).is_err()
            || before.iter().any(|other| other.name == mode.name.0)
        {
            report.error(
                &at("name"),
                format!(
                    "`{}` cannot name a mode: a Rust keyword, another mode's name or a function the client has",
                    &*mode.name
                ),
            );
        }
        match (&mode.address.given, &mode.address.url) {
            (Some(_), None) => {}
            (None, Some(url)) => {
                let ok = url.starts_with("https://")
                    && url.ends_with('/')
                    && !url.contains(char::is_whitespace)
                    && !url.contains(['?', '#', '@'])
                    && mode.address.append.is_none();
                if !ok {
                    report.error(
                        &[
                            Step::Key("connection"),
                            Step::Key("modes"),
                            Step::Index(i),
                            Step::Key("address"),
                            Step::Key("url"),
                        ],
                        format!("`{}` is not a fixed address: https://, no query, ending with `/` (and no `append`)", &**url),
                    );
                }
            }
            _ => {
                report.error(
                    &at("address"),
                    "an address is either `given` (a connection value) or a fixed `url`",
                );
            }
        }
        if let Some(credential) = &mode.credential {
            let at = [
                Step::Key("connection"),
                Step::Key("modes"),
                Step::Index(i),
                Step::Key("credential"),
            ];
            match (&credential.field, &credential.header) {
                (Some(_), None) => {}
                (None, Some(header)) => {
                    if RESERVED_HEADERS.contains(&header.to_ascii_lowercase().as_str()) {
                        report.error(
                            &at,
                            format!("`{}` is a header the client sets itself", &**header),
                        );
                    }
                }
                _ => report.error(
                    &at,
                    "a credential goes in a request `field` or in a `header`: one of the two",
                ),
            }
            match &credential.prefix {
                Some(_) if credential.header.is_none() => {
                    report.error(&at, "`prefix` is the text before the value in a `header`")
                }
                Some(prefix) if prefix.chars().any(|c| !(' '..='~').contains(&c)) => report.error(
                    &at,
                    "a header's `prefix` is printable ASCII, without line breaks",
                ),
                _ => {}
            }
        }
        // The values the mode takes: the address's, the credential's and the `{Name}` places.
        let taken = lower::mode_takes(mode);
        for name in &taken {
            if !known(name) {
                report.error(
                    &at("address"),
                    format!("`{name}` is not a connection value of the library"),
                );
            }
        }
        if let Some(when) = &mode.when {
            if !taken.contains(&when.0) {
                report.error(
                    &at("when"),
                    format!(
                        "the mode takes no `{}`, so it cannot be chosen by it",
                        &**when
                    ),
                );
            }
        } else if let Some(other) = before.iter().find(|other| other.when.is_none()) {
            report.error(
                &[Step::Key("connection"), Step::Key("modes"), Step::Index(i)],
                format!(
                    "`{}` is chosen when nothing else is already: give this mode a `when`",
                    other.name
                ),
            );
        }
        for name in &lowered.params {
            let public = mode.public_segments.is_some();
            match mode
                .example
                .iter()
                .find(|(key, _)| key.0 == *name)
                .map(|(_, v)| v)
            {
                Some(value) => {
                    let secret = params.iter().any(|p| p.name == *name && p.secret);
                    // A webhook's address is its secret; with a credential, the address is not.
                    let holds_secret = public
                        && mode.credential.is_none()
                        && matches!(&lowered.address, model::Address::Given { param, .. } if param == name);
                    if (secret || holds_secret) && !value.ends_with("...") {
                        report.error(
                            &[
                                Step::Key("connection"),
                                Step::Key("modes"),
                                Step::Index(i),
                                Step::Key("example"),
                                Step::Key(name),
                            ],
                            format!(
                                "`{}` looks like a whole secret: cut examples short with `...`",
                                &**value
                            ),
                        );
                    }
                }
                None => {
                    report.error(&at("example"), format!("an example of `{name}` is missing"));
                }
            }
        }
        for name in mode.example.keys() {
            if !lowered.params.contains(&name.0) {
                report.error(&at("example"), format!("the mode takes no `{}`", &**name));
            }
        }
        if let Some(path) = &lowered.downloads {
            let segment = |s: &str| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    && s != "."
                    && s != ".."
            };
            let ok = path
                .strip_suffix('/')
                .is_some_and(|inner| inner.split('/').all(segment));
            if !ok {
                report.error(
                    &at("downloads"),
                    format!("`{path}` is not a path to put in front of the address': segments of letters, digits, `-`, `_` or `.`, ending with `/` (`file/`)"),
                );
            }
        }
        prose(
            report,
            &mode.example_note,
            &library.languages,
            &at("example_note"),
        );
    }
    if modes.is_empty() {
        report.error(
            &[Step::Key("connection"), Step::Key("modes")],
            "a library needs at least one mode",
        );
    }
    for param in params.iter().filter(|param| param.required) {
        if modes.iter().any(|mode| !mode.params.contains(&param.name)) {
            report.error(
                &[Step::Key("connection"), Step::Key("params")],
                format!(
                    "`{}` is required, yet a mode does not take it: make it `required: false`",
                    param.name
                ),
            );
        }
    }
    if !modes.iter().any(|mode| mode.name == spec.example.cli.0) && !modes.is_empty() {
        report.error(
            &[Step::Key("example"), Step::Key("cli")],
            format!("`{}` is not a mode of the library", &*spec.example.cli),
        );
    }
}

/// What every parameter of a method is checked against.
struct Taken {
    /// Long options without dashes, with the parameter that has each.
    flags: BTreeMap<String, String>,
    /// Rust identifiers without `r#`, with the parameter that has each.
    idents: BTreeMap<String, String>,
    /// Request field paths, with what sends each.
    fields: Vec<(String, String)>,
    /// Environment variables.
    envs: BTreeMap<String, String>,
}

impl Taken {
    /// The field path `field` clashes with one taken: the same, or one inside the other.
    fn field_clash(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(taken, _)| {
                taken == field
                    || field.starts_with(&format!("{taken}."))
                    || taken.starts_with(&format!("{field}."))
            })
            .map(|(_, by)| by.as_str())
    }
}

/// One method file, against its library; whether it had no error up to its texts (the other
/// files are checked against such methods only).
fn method(
    file: &SpecFile<MethodSpec>,
    library: &Library,
    report: &mut Report<'_, MethodSpec>,
) -> bool {
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
    let constructor = library.modes.iter().any(|mode| {
        fn_name == mode.name
            || (library.renewal.is_some() && fn_name == format!("{}_renewing", mode.name))
    });
    if RESERVED_FUNCTIONS.contains(&fn_name.as_str()) || constructor {
        report.error(
            &[Step::Key("name")],
            format!("`{name}` would become `{fn_name}`, which the client already has"),
        );
    }
    // A method with both `rest` and `template` is reported once, and read as a call.
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
    let server = spec.rest.as_ref().and_then(|rest| rest.server.as_ref());
    if let Some(server) = server
        && !library.servers.iter().any(|s| s.name == server.0)
    {
        let known: Vec<&str> = library.servers.iter().map(|s| s.name.as_str()).collect();
        report.error(
            &[Step::Key("rest"), Step::Key("server")],
            format!(
                "unknown server `{}`; {} declares: {}",
                server.0,
                library.source,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        );
    }
    // Methods that call the portal take its URL and token.
    let connects = lower::connects(spec);

    let mut taken = Taken {
        flags: BTreeMap::new(),
        idents: BTreeMap::new(),
        fields: Vec::new(),
        envs: BTreeMap::new(),
    };
    if connects {
        for param in &library.connection {
            taken.flags.insert(param.flag.clone(), param.name.clone());
            taken
                .idents
                .insert(param.ident.clone(), "the connection".to_owned());
        }
    }
    for param in &library.connection {
        taken
            .envs
            .insert(param.env.clone(), format!("`{}`", param.name));
    }
    for (key, value) in spec.fixed.iter() {
        let field = key.as_str().unwrap_or_default();
        let well_formed = !field.is_empty()
            && field.split('.').all(|part| {
                part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
        if !well_formed || credential_field(library, field) || taken.field_clash(field).is_some() {
            report.error(
                &[Step::Key("fixed"), Step::Key(field)],
                format!(
                    "`{field}` cannot be a fixed field: a request field name, once, and not a credential's"
                ),
            );
        }
        taken
            .fields
            .push((field.to_owned(), "a fixed field".to_owned()));
        if value.as_str().is_none() {
            report.error(
                &[Step::Key("fixed"), Step::Key(field)],
                "fixed fields are `FIELD: \"text\"` pairs",
            );
        }
    }

    let mut params: Vec<Param> = Vec::new();
    for (i, param) in spec.params.iter().enumerate() {
        let lowered = lower::param(spec, param, library);
        self::param(
            spec,
            i,
            param,
            lowered.as_ref(),
            library,
            connects,
            &mut taken,
            report,
        );
        params.extend(lowered);
    }
    references(spec, &params, is_template, report);
    example_args(spec, &params, report);
    if !action(spec, &params, library, report) {
        return false;
    }

    let download = spec.rest.as_ref().and_then(|rest| rest.download.as_ref());
    let builds = spec.returns.keys_of.is_some() || spec.returns.map_of.is_some();
    match (builds || download.is_some(), &spec.example.answer) {
        (true, None) => report.error(
            &[Step::Key("example")],
            "a method that builds its result from the answer needs `example.answer`: the API's answer",
        ),
        (false, Some(_)) => report.error(
            &[Step::Key("example"), Step::Key("answer")],
            "`example.answer` is for a method with `returns.keys_of`, `map_of` or `rest.download`; `example.result` is the answer",
        ),
        _ => {}
    }
    if let (Some(declared), Some(rest)) = (spec.returns.result, &spec.rest)
        && rest.upload.is_none()
    {
        let answer = spec.example.answer.as_ref().unwrap_or(&spec.example.result);
        let example: serde_json::Value = serde_json::from_str(answer).unwrap_or_default();
        // A recorded error answer (a method that is gone) has no result to check.
        let whole = server.is_some_and(|s| {
            library
                .servers
                .iter()
                .any(|known| known.name == s.0 && known.whole_answer)
        });
        let result = if whole { &example } else { &example["result"] };
        if example.get("error").is_none() && !model::result_fits(declared, result) {
            report.error(
                &[Step::Key("returns"), Step::Key("result")],
                format!(
                    "the recorded answer's `result` is not a {declared:?}: fix the type or the example"
                ),
            );
        }
    }
    let languages = &library.languages;
    prose(
        report,
        &spec.description,
        languages,
        &[Step::Key("description")],
    );
    if let Some(title) = &spec.title {
        prose(report, title, languages, &[Step::Key("title")]);
    }
    if report.found.len() > errors_before {
        return false;
    }
    prose(
        report,
        &spec.returns.description,
        languages,
        &[Step::Key("returns"), Step::Key("description")],
    );
    if let Some(notes) = &spec.notes {
        prose(report, notes, languages, &[Step::Key("notes")]);
    }
    if let Some(deprecated) = &spec.deprecated {
        prose(report, deprecated, languages, &[Step::Key("deprecated")]);
    }
    true
}

/// One parameter (`lowered`: it as the model has it, `None` when its types have no kind).
#[allow(clippy::too_many_arguments)]
fn param(
    spec: &MethodSpec,
    i: usize,
    param: &ParamSpec,
    lowered: Option<&Param>,
    library: &Library,
    connects: bool,
    taken: &mut Taken,
    report: &mut Report<'_, MethodSpec>,
) {
    let at = |key| [Step::Key("params"), Step::Index(i), Step::Key(key)];
    // A method with both `rest` and `template` is reported once, and read as a call.
    let is_template = spec.template.is_some() && spec.rest.is_none();
    let ident = model::rust_ident(&param.name);
    let cli = match (&param.cli, spec.cli) {
        (Some(cli), true) => Some(cli),
        (None, true) => {
            report.error(
                &[Step::Key("params"), Step::Index(i)],
                "a parameter of a command needs its `cli` option",
            );
            None
        }
        (Some(_), false) => {
            report.error(
                &at("cli"),
                "the method is not a command (`cli: false`): its parameters have no option",
            );
            None
        }
        (None, false) => None,
    };
    let flag = cli
        .map(|cli| cli.trim_start_matches('-').to_owned())
        .unwrap_or_default();
    if connects && library.connection.iter().any(|c| c.name == param.name.0) {
        report.error(
            &at("name"),
            format!(
                "`{}` is a connection parameter, declared once in {}",
                &*param.name, library.source
            ),
        );
    } else if let Some(other) = taken.idents.get(ident.trim_start_matches("r#")) {
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
    if let Some(cli) = cli {
        if RESERVED_FLAGS.contains(&&**cli) {
            report.error(
                &at("cli"),
                format!("`{}` is an option every command has already", &**cli),
            );
        } else if let Some(other) = taken.flags.get(&flag) {
            report.error(
                &at("cli"),
                format!("`{}` is the option of `{other}` already", &**cli),
            );
        }
    }
    if let Some(env) = &param.env {
        if let Some(other) = taken.envs.get(&env.0) {
            report.error(
                &at("env"),
                format!("`{}` is the variable of {other} already", &env.0),
            );
        }
        taken
            .envs
            .insert(env.0.clone(), format!("`{}`", &*param.name));
    }

    let Some(lowered) = lowered else {
        let words: Vec<String> = param.types.iter().map(|t| format!("{t:?}")).collect();
        report.error(
            &at("types"),
            format!(
                "[{}]{}{} is not a supported type: use [String] (with `values` for a closed set), [Number], [String, Number], [Boolean], [Date], [Structure], [String, Structure], [BinaryData], [String, BinaryData], [Map] with `items: [BinaryData]`, or [Array] with `items` of [String], [Number], [String, Number] or [Structure] (with a single item's type beside it, e.g. [String, Array], for one value or several)",
                words.join(", "),
                if param.items.is_some() { " with items" } else { "" },
                if param.values.is_some() { " with values" } else { "" },
            ),
        );
        return;
    };
    let kind = lowered.kind;
    let wire = lowered.wire;
    let encodings = kind.encodings();
    if let Some(encoding) = param.encoding
        && !encodings.contains(&encoding)
    {
        let allowed: Vec<String> = encodings.iter().map(|e| encoding_name(*e)).collect();
        report.error(
            &at("encoding"),
            format!(
                "`{}` is not an encoding of {}: use {}",
                encoding_name(encoding),
                model::docs_type(&param.types, param.items.as_deref()),
                allowed.join(", ")
            ),
        );
    }
    let multipart = lower::multipart(spec);
    if multipart && kind == ParamKind::Binary && param.encoding.is_some() {
        report.error(
            &at("encoding"),
            "a file part is sent as it is: it has no `encoding`",
        );
    }
    if is_template && kind == ParamKind::Binary {
        report.error(&at("types"), "a template takes no binary data");
    }
    if param.merge && spec.params[..i].iter().any(|p| p.merge) {
        report.error(
            &at("merge"),
            "only one structure can be merged into the body",
        );
    }
    match &param.keys {
        None => {}
        Some(_) if kind != ParamKind::Structure => {
            report.error(&at("keys"), "`keys` is for a Structure only");
        }
        Some(keys) => {
            let allowed = [
                Encoding::Plain,
                Encoding::Array,
                Encoding::Date,
                Encoding::Datetime,
                Encoding::DatetimeZ,
            ];
            for (key, encoding) in keys {
                if !allowed.contains(encoding) {
                    report.error(
                        &[
                            Step::Key("params"),
                            Step::Index(i),
                            Step::Key("keys"),
                            Step::Key(key),
                        ],
                        "a key's encoding is plain, array, date, datetime or datetime_z",
                    );
                }
            }
            if keys.is_empty() {
                report.error(&at("keys"), "`keys` lists at least one key");
            }
        }
    }
    if param.not_empty.is_some() && kind != ParamKind::Text {
        report.error(&at("not_empty"), "`not_empty` is for a String only");
    }
    if is_template && param.not_empty.is_some() {
        report.error(
            &at("not_empty"),
            "a template refuses nothing: `not_empty` is for a call",
        );
    }
    if is_template && param.keys.is_some() {
        report.error(
            &at("keys"),
            "a template takes a structure as it is: `keys` is for a call",
        );
    }
    if param.secret && (kind != ParamKind::Text || param.field.is_none()) {
        report.error(
            &at("secret"),
            "a secret is a String sent in a field: the client masks the field's text",
        );
    }

    let rest = spec.rest.as_ref();
    let part = param.part;
    match (part, rest.and_then(|r| r.upload.as_ref())) {
        (Some(Part::Filename), None) if multipart && kind != ParamKind::Text => {
            report.error(&at("part"), "the file name of a file part is a String")
        }
        (Some(Part::Filename), None) if multipart => {}
        (Some(Part::File), None) if multipart => report.error(
            &at("part"),
            "in a multipart call a BinaryData parameter is a file part by itself: its `field` names the part",
        ),
        (Some(_), None) => report.error(
            &at("part"),
            "`part` is for a method with `rest.upload` or `http: multipart`",
        ),
        (Some(Part::File), Some(_)) if kind != ParamKind::Binary => {
            report.error(&at("part"), "the file of an upload is BinaryData")
        }
        (Some(Part::Filename), Some(_)) if kind != ParamKind::Text => {
            report.error(&at("part"), "the file name of an upload is a String")
        }
        _ => {}
    }
    if let Some(part) = part
        && spec.params[..i].iter().any(|p| p.part == Some(part))
    {
        report.error(&at("part"), "an upload has one file and one file name");
    }
    if part.is_some() && !multipart && (param.required == Some(false) || param.default.is_some()) {
        report.error(
            &at("part"),
            "the file and the file name of an upload are required parameters",
        );
    }
    if param.named_by.is_some() && (param.required == Some(false) || param.default.is_some()) {
        report.error(
            &at("named_by"),
            "a file named by another parameter is a required parameter",
        );
    }
    let get = rest.is_some_and(|r| r.http == HttpVerb::Get);
    if get && part.is_none() && matches!(kind, ParamKind::Binary | ParamKind::Files) {
        report.error(
            &at("types"),
            "a GET request carries no files: use POST (or an upload)",
        );
    }
    if multipart && kind == ParamKind::Files {
        report.error(
            &at("types"),
            "a multipart call sends each BinaryData parameter as one file part: a Map of files has no part",
        );
    }
    if multipart
        && kind == ParamKind::Binary
        && (param.required == Some(false) || param.default.is_some())
    {
        report.error(&at("required"), "the file of a file part is required");
    }
    match &param.file_name {
        Some(_) if !(multipart && kind == ParamKind::Binary) => {
            report.error(
                &at("file_name"),
                "`file_name` names the file part of a BinaryData parameter in a multipart call",
            );
        }
        Some(name) if name.0.trim().is_empty() || name.0.contains(['"', '\r', '\n']) => {
            report.error(
                &at("file_name"),
                "a file name is not empty and has no quote or line break",
            );
        }
        _ => {}
    }

    let unfielded = lower::unfielded(spec, param);
    match (&param.field, param.merge) {
        (Some(field), false) if !unfielded => {
            if credential_field(library, field.split('.').next().unwrap_or_default()) {
                report.error(
                    &at("field"),
                    format!("`{}` is set by the client itself", &**field),
                );
            } else if let Some(by) = taken.field_clash(field) {
                report.error(
                    &at("field"),
                    format!(
                        "`{}` clashes with a field sent already by {by}: the same, or one inside the other",
                        &**field
                    ),
                );
            }
            taken
                .fields
                .push((field.0.clone(), format!("`{}`", &*param.name)));
        }
        (None, true) if kind == ParamKind::Structure => {}
        (None, true) => {
            report.error(&at("merge"), "only a Structure can be merged into the body");
        }
        (Some(_), true) => {
            report.error(
                &at("merge"),
                "a merged structure has no `field`: its keys are the fields",
            );
        }
        (Some(_), false) => {
            report.error(
                &at("field"),
                if param.ignored.is_some() {
                    "an ignored parameter is not sent: it has no `field`"
                } else if part.is_some() {
                    "a part of an upload goes in the multipart body: it has no `field`"
                } else {
                    "a template parameter is not sent: it has no `field`"
                },
            );
        }
        // Not sent: `references` makes sure something refers to it.
        (None, false) => {}
    }

    prose(
        report,
        &param.description,
        &library.languages,
        &at("description"),
    );
    choice(param, i, report);
    match &param.default {
        None => {
            if param.send_default {
                report.error(&at("send_default"), "`send_default` needs a `default`");
            }
        }
        Some(value) => {
            let literal = kind.default_literal(value, lowered.choice.as_ref());
            if literal.is_none() && !kind.is_empty_default(wire, value) {
                report.error(
                    &at("default"),
                    "a default must be a value of the parameter's type, and only Boolean, Number, String, ID and closed-set parameters take one (OPI's empty default is `required: false`)",
                );
            }
            if param.send_default && (literal.is_none() || wire == Wire::JsonBool) {
                report.error(
                    &at("send_default"),
                    "`send_default` is for an ID, number or text whose empty default (`0`) OPI sends all the same",
                );
            }
        }
    }
    if param.required == Some(true) && param.default.is_some() {
        report.error(
            &at("default"),
            "a parameter with a default is optional: drop `required: true`",
        );
    }
    if param.unless.is_some() && lowered.required {
        report.error(&at("unless"), "`unless` is for an optional parameter");
    }

    if !flag.is_empty() {
        taken.flags.insert(flag, param.name.0.clone());
    }
    taken.idents.insert(
        ident.trim_start_matches("r#").to_owned(),
        format!("`{}`", &*param.name),
    );
}

fn encoding_name(encoding: Encoding) -> String {
    serde_json::to_value(encoding)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A closed set of values: at least one, an `enum` name of its own, no two values of one variant.
fn choice(param: &ParamSpec, i: usize, report: &mut Report<'_, MethodSpec>) {
    let at = |key| [Step::Key("params"), Step::Index(i), Step::Key(key)];
    match (&param.values, &param.enum_name) {
        (Some(values), Some(_)) if values.is_empty() => {
            report.error(&at("values"), "a closed set needs at least one value");
        }
        (Some(_), Some(enum_name)) if RESERVED_TYPES.contains(&&**enum_name) => {
            report.error(
                &at("enum"),
                format!("`{}` is a type the runtime has already", &**enum_name),
            );
        }
        (Some(values), Some(_)) => {
            let values: Vec<(&str, String)> = values
                .iter()
                .map(|v| (v.0.as_str(), model::variant(&v.0)))
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
                        format!("`{value}` and `{other}` would both be the variant `{variant}`"),
                    );
                }
            }
        }
        (Some(_), None) => {
            report.error(
                &at("values"),
                "a closed set needs `enum`: the name of its Rust enum",
            );
        }
        (None, Some(_)) => {
            report.error(
                &at("enum"),
                "`enum` names the Rust enum of `values`, which are missing",
            );
        }
        _ => {}
    }
}

/// What parameters say of each other: `unless` and `prepare.by` name another parameter that is
/// sent, `named_by` a required String, and a parameter that is not sent is used by something.
fn references(
    spec: &MethodSpec,
    params: &[Param],
    is_template: bool,
    report: &mut Report<'_, MethodSpec>,
) {
    let sent = |other: &str, of: &str| {
        // The first parameter of that name, as the method reads it.
        params
            .iter()
            .find(|p| p.name == other)
            .is_some_and(|p| p.field.is_some() && other != of)
    };
    let multipart = lower::multipart(spec);
    let keys_of_clear = spec
        .returns
        .keys_of
        .as_ref()
        .and_then(|k| k.clear.as_ref())
        .map(|c| c.0.clone());
    for param in params {
        let i = spec
            .params
            .iter()
            .position(|p| p.name.0 == param.name)
            .unwrap_or_default();
        let at = |key| [Step::Key("params"), Step::Index(i), Step::Key(key)];
        if let Some(other) = &param.unless
            && !sent(other, &param.name)
        {
            report.error(
                &at("unless"),
                format!("`{other}` is not another parameter of this method that is sent"),
            );
        }
        let declared = param.prepare.as_ref().map(|(hook, _)| *hook);
        if let Some((hook, other)) = &param.prepare {
            let (fits, what) = lower::prepare_fits(*hook, param.kind, multipart);
            if !(sent(other, &param.name) && fits && param.field.is_some()) {
                report.error(
                    &[Step::Key("params"), Step::Index(i), Step::Key("prepare"), Step::Key("by")],
                    format!("{what} that is sent, and `by` names another parameter that is sent; `{other}` is not one"),
                );
            }
        }
        if param.kind == ParamKind::Media && declared != Some(Hook::MediaGroup) {
            report.error(
                &at("prepare"),
                "a Map of String (files and their kinds) goes as a media group: `prepare: {hook: media_group, by: <the caption>}`",
            );
        }
        if let Some((on, _)) = &param.split {
            let fits = matches!(param.kind, ParamKind::Id | ParamKind::Text)
                && param.field.is_some()
                && !on.is_empty();
            if !fits {
                report.error(
                    &at("split"),
                    "a split value is a String or an ID that is sent, split on a text that is not empty",
                );
            }
        }
        if let Some(other) = &param.named_by {
            let names_a_text = params
                .iter()
                .filter(|p| p.kind == ParamKind::Text && p.required)
                .any(|p| p.name == *other);
            if !(names_a_text && param.kind == ParamKind::Binary && param.wire == Wire::FilePair) {
                report.error(
                    &at("named_by"),
                    format!(
                        "`named_by` is for BinaryData sent as a file, and names a required String parameter; `{other}` is not one"
                    ),
                );
            }
        }
        let used = param.field.is_some()
            || param.part.is_some()
            || param.ignored.is_some()
            || is_template
            || spec.params[i].merge
            || keys_of_clear.as_deref() == Some(param.name.as_str());
        if !used {
            report.error(
                &at("field"),
                "the request field is missing (or `merge: true` for a structure, `ignored` for a parameter that changes nothing)",
            );
        }
    }
}

/// The example value of every parameter: there, of its type, one of its values, a date, a
/// secret cut short; and no example of a parameter the method does not have.
fn example_args(spec: &MethodSpec, params: &[Param], report: &mut Report<'_, MethodSpec>) {
    for param in params {
        let key = serde_yaml::Value::String(param.name.clone());
        let at = [
            Step::Key("example"),
            Step::Key("args"),
            Step::Key(&param.name),
        ];
        let Some(value) = spec.example.args.get(&key) else {
            report.error(
                &[Step::Key("example"), Step::Key("args")],
                format!("no example value for `{}`", param.name),
            );
            continue;
        };
        // One value or several: a single item is an example too.
        if !lower::example_fits(param, value) {
            report.error(
                &at,
                format!(
                    "the example value of `{}` is not a {}",
                    param.name, param.docs_type
                ),
            );
            continue;
        }
        if let Some(choice) = &param.choice
            && !choice
                .values
                .iter()
                .any(|(v, _)| Some(v.as_str()) == value.as_str())
        {
            report.error(
                &at,
                format!(
                    "the example value of `{}` is not one of its values",
                    param.name
                ),
            );
        }
        if param.kind == ParamKind::Date
            && let Some(text) = value.as_str()
            && !model::is_date(text)
        {
            report.error(
                &at,
                format!(
                    "the example value of `{}` is not a date: YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with an optional Z or offset",
                    param.name
                ),
            );
        }
        if param.secret && !value.as_str().is_some_and(|s| s.ends_with("...")) {
            report.error(
                &at,
                format!(
                    "`{}` is a secret: cut its example short with `...`",
                    param.name
                ),
            );
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
                format!("`{shown}` is not a parameter of `{}`", &*spec.name),
            );
        }
    }
}

/// What the method does, its REST call or its template; whether it has one.
fn action(
    spec: &MethodSpec,
    params: &[Param],
    library: &Library,
    report: &mut Report<'_, MethodSpec>,
) -> bool {
    let name = &*spec.name;
    match (&spec.rest, &spec.template) {
        (Some(rest), _) => {
            if rest.upload.is_some() && !params.iter().any(|p| p.part == Some(Part::File)) {
                report.error(
                    &[Step::Key("rest"), Step::Key("upload")],
                    "an upload needs a parameter with `part: file`",
                );
            }
            if let Some(clear) = spec.returns.keys_of.as_ref().and_then(|k| k.clear.as_ref()) {
                let fits = params
                    .iter()
                    .find(|p| p.name == clear.0)
                    .is_some_and(|p| p.kind == ParamKind::Flag && p.field.is_none());
                if !fits {
                    report.error(
                        &[
                            Step::Key("returns"),
                            Step::Key("keys_of"),
                            Step::Key("clear"),
                        ],
                        format!(
                            "`{}` is not a Boolean parameter of `{name}` that is not sent",
                            clear.0
                        ),
                    );
                }
            }
            if let Some(list) = &rest.list {
                if list.by.is_some() && (list.filter.is_none() || list.order.is_none()) {
                    report.error(
                        &[Step::Key("rest"), Step::Key("list"), Step::Key("by")],
                        "a list walked by a field needs the request fields of its `filter` and `order`",
                    );
                }
                if rest.upload.is_some() || rest.server.is_some() {
                    report.error(
                        &[Step::Key("rest"), Step::Key("list")],
                        "a list is read from the portal in batches: not with an upload or another server",
                    );
                }
                if library.batch.is_none()
                    || library.total_key.is_none()
                    || library.next_key.is_none()
                {
                    report.error(
                        &[Step::Key("rest"), Step::Key("list")],
                        format!(
                            "a whole list is read in batches, by its total and next page: {} declares no `wire.batch`, `wire.total` and `wire.next`",
                            library.source
                        ),
                    );
                }
            }
            if let Some(when) = &rest.when_absent
                && params
                    .iter()
                    .find(|p| p.name == when.param.0)
                    .is_none_or(|p| p.field.is_none())
            {
                report.error(
                    &[
                        Step::Key("rest"),
                        Step::Key("when_absent"),
                        Step::Key("param"),
                    ],
                    format!(
                        "`{}` is not a parameter of `{name}` that is sent",
                        &*when.param
                    ),
                );
            }
            if spec.returns.map_of.is_some()
                && (spec.returns.keys_of.is_some() || spec.returns.result != Some(ResultType::List))
            {
                report.error(
                    &[Step::Key("returns"), Step::Key("map_of")],
                    "`map_of` builds a structure from a list: `result: list`, and no `keys_of`",
                );
            }
            let file_parts = params.iter().filter(|p| p.wire == Wire::FilePart).count()
                + params.iter().filter(|p| p.kind == ParamKind::Media).count();
            if file_parts > 1
                && rest.upload.is_none()
                && params.iter().any(|p| p.part == Some(Part::Filename))
            {
                report.error(
                    &[Step::Key("rest"), Step::Key("http")],
                    "a `part: filename` parameter names the one file part of a multipart call: with several, give each its `file_name`",
                );
            }
            if let Some(download) = &rest.download {
                let at = [Step::Key("rest"), Step::Key("download")];
                if rest.server.is_some()
                    || rest.upload.is_some()
                    || rest.list.is_some()
                    || spec.returns.keys_of.is_some()
                    || spec.returns.map_of.is_some()
                {
                    report.error(
                        &at,
                        "a download reads the file the service's answer names: no `server`, `upload`, `list`, `keys_of` or `map_of` beside it",
                    );
                }
                if library.modes.iter().any(|mode| mode.downloads.is_none()) {
                    report.error(
                        &at,
                        format!(
                            "a download reads from the mode's `downloads` address: give every mode of {} one",
                            library.source
                        ),
                    );
                }
                if download.repeats > 10 {
                    report.error(&at, "at most 10 repeats: the waits add up to 55 s");
                }
            }
            true
        }
        (None, Some(template)) => {
            if spec.returns.keys_of.is_some() {
                report.error(
                    &[Step::Key("returns"), Step::Key("keys_of")],
                    "a template builds its structure itself: `keys_of` is for REST methods",
                );
            }
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
            if let Some(hook) = template.hook {
                // A hook takes its parameters in their order, of the kinds it reads.
                let kinds: Vec<ParamKind> = params.iter().map(|p| p.kind).collect();
                let (hook_name, wants, wanted) = match hook {
                    crate::spec::TemplateHook::ButtonKeyboard => (
                        "button_keyboard",
                        vec![
                            ParamKind::Array(model::Item::Text),
                            ParamKind::Flag,
                            ParamKind::Flag,
                        ],
                        "Array of String; Boolean; Boolean",
                    ),
                    crate::spec::TemplateHook::InitData => (
                        "init_data",
                        vec![ParamKind::Text, ParamKind::Text],
                        "String; String",
                    ),
                };
                if template.value.is_some() || clear.is_some() || kinds != wants {
                    let has: Vec<&str> = params.iter().map(|p| p.docs_type.as_str()).collect();
                    report.error(
                        &[Step::Key("template"), Step::Key("hook")],
                        format!(
                            "`{hook_name}` reads its parameters in this order: {wanted} (and takes no `value` or `clear`); `{name}` has {}",
                            has.join("; ")
                        ),
                    );
                }
                return true;
            }
            let Some(value) = &template.value else {
                report.error(
                    &[Step::Key("template")],
                    "a template needs its `value` (JSON text) or a `hook`",
                );
                return false;
            };
            let parsed: serde_json::Value = serde_json::from_str(value).unwrap_or_default();
            let used = placeholders(&parsed);
            for param in params {
                let is_used = used.contains(&param.name);
                let is_clear = Some(&param.ident) == clear.as_ref();
                let is_ignored = param.ignored.is_some();
                if is_used == (is_clear || is_ignored) {
                    report.error(
                        &[Step::Key("template"), Step::Key("value")],
                        if is_clear {
                            format!(
                                "`{}` clears the template: it cannot also be a placeholder",
                                param.name
                            )
                        } else if is_ignored {
                            format!(
                                "`{}` is ignored: it cannot also be a placeholder",
                                param.name
                            )
                        } else {
                            format!(
                                "`{}` is not used: the template has no \"{{{}}}\"",
                                param.name, param.name
                            )
                        },
                    );
                }
            }
            for placeholder in used {
                if !params.iter().any(|p| p.name == placeholder) {
                    report.error(
                        &[Step::Key("template"), Step::Key("value")],
                        format!("`{{{placeholder}}}` names no parameter of `{name}`"),
                    );
                }
            }
            true
        }
        (None, None) => false,
    }
}

/// The `{Name}` placeholders in the strings of a template: a whole string (`"{Name}"`, which
/// the value replaces, whatever its type) or inside one (`"{Domain}oauth/"`, replaced by text).
fn placeholders(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => {
            let mut found = Vec::new();
            let mut rest = s.as_str();
            while let Some(open) = rest.find('{') {
                let after = &rest[open + 1..];
                let Some(close) = after.find('}') else { break };
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    found.push(name.to_owned());
                }
                rest = &after[close + 1..];
            }
            found
        }
        serde_json::Value::Array(items) => items.iter().flat_map(placeholders).collect(),
        serde_json::Value::Object(map) => map.values().flat_map(placeholders).collect(),
        _ => Vec::new(),
    }
}
