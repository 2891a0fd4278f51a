//! The OpenAPI 3.0.3 document of a library, for other tools to read the same methods: one
//! operation per method (`GET` or `POST /<rest method>`), its query parameters or its request
//! body (JSON or a form) from the parameters, the answer's schema, the library's error answers
//! and the ways it authenticates, as `library.yaml` declares them.
//!
//! The document is built from typed structs whose fields serialize in declaration order, and
//! from `Entries` (indexmap's map, in insertion order); the JSON values in it (examples) keep
//! their order too, as this crate turns on serde_json's `preserve_order`. So the bytes depend on
//! the model alone, whatever other crates of a build turn on.

use serde_json::Value as Json;

mod types;

use types::*;

use crate::model::{Http, Item, Library, Method, Param, ParamKind, Rest, Wire};
use crate::spec::{QueryForm, ResultType, SignalKind};

/// The OpenAPI version of the documents.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// The file of a library's document, e.g. `bitrix24.json`.
pub fn file_name(library: &Library) -> String {
    format!("{}.json", library.command)
}

/// The document as pretty-printed JSON, with a final newline.
pub fn document(library: &Library) -> String {
    let mut text = match serde_json::to_string_pretty(&Document::new(library)) {
        Ok(text) => text,
        // Only strings, numbers and our own types: serializing cannot fail.
        Err(error) => panic!("the OpenAPI document does not serialize: {error}"),
    };
    text.push('\n');
    text
}

/// Components every operation refers to.
const ANSWER: &str = "#/components/schemas/Answer";
const TIME: &str = "#/components/schemas/Time";
const ERROR: &str = "#/components/schemas/Error";

impl Document {
    fn new(library: &Library) -> Document {
        Document {
            openapi: OPENAPI_VERSION,
            info: Info {
                title: library.name.clone(),
                description: format!(
                    "{}\n\n{}",
                    library.description.trim(),
                    library.openapi.about
                ),
                version: env!("CARGO_PKG_VERSION"),
            },
            servers: servers(library),
            // OpenAPI 3.0 has no security scheme for a secret in the URL's path, and security
            // requirements cannot differ by server: so a secret in the path is the empty
            // requirement (nothing in the request) with the secret as a server variable, and a
            // credential field is an API key (in the query, where Bitrix24 reads `auth` as
            // well as in the body, which 3.0 cannot express).
            security: match &library.openapi.security {
                Some(security) => vec![
                    entries(Vec::new()),
                    entries(vec![(security.scheme.clone(), Vec::new())]),
                ],
                None => Vec::new(),
            },
            tags: library
                .groups
                .iter()
                .filter(|g| !g.methods.is_empty())
                .map(|g| Tag {
                    name: g.name.to_string(),
                })
                .collect(),
            paths: paths(library),
            components: components(library),
            generated: crate::outputs::Preamble {
                from: &super::library_sources(library),
                command: crate::outputs::OPENAPI.command,
            }
            .json(),
        }
    }
}

/// One path per method, in group and position order. Two methods may call the same REST
/// method (Bitrix24's `im.chat.mute` both mutes and unmutes): the second one gets the `.json`
/// form of the path, which Bitrix24 treats the same, since a path has one operation per verb.
fn paths(library: &Library) -> Entries<PathItem> {
    let mut taken = std::collections::HashSet::new();
    let mut paths = Vec::new();
    for group in &library.groups {
        for method in &group.methods {
            // A template method makes no call: it has no operation.
            let Some(rest) = method.rest() else { continue };
            let plain = format!("/{}", rest.method);
            // Only the portal reads `.json` after a method; another host's second method of
            // one path is told apart by a fragment.
            let suffixed = match rest.server {
                None => vec![
                    format!("{plain}.json"),
                    format!("{plain}.json#{}", method.name),
                ],
                Some(_) => vec![format!("{plain}#{}", method.name)],
            };
            let path = std::iter::once(plain.clone())
                .chain(suffixed)
                .find(|p| !taken.contains(p))
                .unwrap_or(plain);
            taken.insert(path.clone());
            let operation = operation(library, &group.name, method, rest);
            let item = match rest.http {
                Http::Get => PathItem {
                    get: Some(operation),
                    post: None,
                },
                Http::Post | Http::Multipart => PathItem {
                    get: None,
                    post: Some(operation),
                },
            };
            paths.push((path, item));
        }
    }
    entries(paths)
}

fn servers(library: &Library) -> Vec<Server> {
    library
        .openapi
        .servers
        .iter()
        .map(|server| Server {
            url: server.url.clone(),
            description: server.description.clone(),
            variables: entries(
                server
                    .variables
                    .iter()
                    .map(|(name, default, description)| {
                        (
                            name.clone(),
                            ServerVariable {
                                default: default.clone(),
                                description: description.clone(),
                            },
                        )
                    })
                    .collect(),
            ),
        })
        .collect()
}

fn operation(library: &Library, group: &str, method: &Method, rest: &Rest) -> Operation {
    let server = rest
        .server
        .as_ref()
        .and_then(|name| library.servers.iter().find(|s| s.name == *name));
    let whole_answer = server.is_some_and(|s| s.whole_answer);
    let example = serde_json::from_str::<Json>(&method.example.answer).ok();
    let mut responses = vec![(
        "200".to_owned(),
        Response::Inline {
            description: format!("Done: {}.", method.returns.description),
            content: json_content(
                if whole_answer {
                    result_schema(method.returns.result).unwrap_or_else(|| type_schema("object"))
                } else {
                    answer_schema(method)
                },
                example,
            ),
        },
    )];
    responses.extend(
        library
            .openapi
            .errors
            .iter()
            .map(|error| (error.status.clone(), response_ref(&error.name))),
    );
    let (parameters, request_body) = match rest.http {
        Http::Get => (Some(query_parameters(library, method)), None),
        Http::Post => {
            let request = request_schema(library, method);
            (
                None,
                Some(RequestBody {
                    required: request.required.is_some(),
                    content: json_content(request, None),
                }),
            )
        }
        Http::Multipart => {
            let request = request_schema(library, method);
            let form = MediaType {
                schema: request,
                example: None,
            };
            (
                None,
                Some(RequestBody {
                    required: true,
                    content: entries(vec![("multipart/form-data".to_owned(), form)]),
                }),
            )
        }
    };
    let mut description = method.description.to_string();
    if let Some(upload) = &rest.upload {
        description.push_str(&format!(
            "\n\nThe answer's `result` holds an upload URL (`{}`) and a form field name (`{}`): \
             the file then goes to that URL as `multipart/form-data`, in that field.",
            upload.url_key, upload.field_key
        ));
    }
    if let Some(notes) = &method.notes {
        description.push_str(&format!("\n\n{notes}"));
    }
    if let Some(deprecated) = &method.deprecated {
        description.push_str(&format!("\n\nDeprecated: {deprecated}"));
    }
    Operation {
        operation_id: method.name.clone(),
        summary: method.summary.clone(),
        description,
        deprecated: method.deprecated.is_some(),
        tags: vec![group.to_owned()],
        external_docs: ExternalDocs {
            description: format!("{}'s documentation of `{}`", library.name, rest.method),
            url: rest.docs_url.clone(),
        },
        servers: server.map(|server| {
            vec![OperationServer {
                url: server.url.trim_end_matches('/').to_owned(),
                description: server.description.clone(),
            }]
        }),
        security: server.map(|_| vec![entries(Vec::new())]),
        parameters,
        request_body,
        responses: entries(responses),
        safe_to_repeat: rest.safe_to_repeat,
    }
}

/// The query parameters of a GET method: each field, nested ones in PHP's `a[b]` form.
fn query_parameters(library: &Library, method: &Method) -> Vec<Parameter> {
    let mut parameters = Vec::new();
    for (param, example) in method.params.iter().zip(&method.example.args) {
        let Some(field) = param.field.as_deref() else {
            continue;
        };
        let mut parts = field.split('.');
        let mut name = parts.next().unwrap_or_default().to_owned();
        for part in parts {
            name.push_str(&format!("[{part}]"));
        }
        let schema = param_schema(library, param, &example.sent);
        let structured =
            matches!(schema.type_, Some("object" | "array")) || param.kind == ParamKind::Collection;
        if structured && library.query_form == QueryForm::Json {
            // The whole value as JSON text in one field (`reply_markup={"keyboard":…}`).
            parameters.push(Parameter {
                name,
                in_: "query",
                required: param.required,
                style: None,
                explode: None,
                schema: None,
                content: Some(json_content(schema, None)),
            });
            continue;
        }
        // An object goes as `name[key]=…` (deepObject); a list as `name[]=…` each.
        let (name, style) = match schema.type_ {
            Some("object") => (name, Some("deepObject")),
            Some("array") => (format!("{name}[]"), Some("form")),
            _ => (name, None),
        };
        parameters.push(Parameter {
            name,
            in_: "query",
            required: param.required,
            style,
            explode: style.map(|_| true),
            schema: Some(schema),
            content: None,
        });
        if let Some(then) = split_field(param) {
            parameters.push(Parameter {
                name: then.0.to_owned(),
                in_: "query",
                required: false,
                style: None,
                explode: None,
                schema: Some(then.1),
                content: None,
            });
        }
    }
    if let Some(rest) = method.rest() {
        for (field, value) in &rest.fixed {
            parameters.push(Parameter {
                name: field.clone(),
                in_: "query",
                required: true,
                style: None,
                explode: None,
                schema: Some(Schema {
                    enum_: Some(vec![value.clone()]),
                    ..Schema::typed("string", "Always this value for this method.")
                }),
                content: None,
            });
        }
    }
    parameters
}

/// The answer of a method: [`ANSWER`], with the type of `result` when the method declares it.
fn answer_schema(method: &Method) -> Schema {
    match result_schema(method.returns.result) {
        Some(result) => Schema {
            all_of: Some(vec![
                Schema::reference(ANSWER),
                Schema::object(&[], vec![("result", result)]),
            ]),
            ..Schema::default()
        },
        None => Schema::reference(ANSWER),
    }
}

fn json_content(schema: Schema, example: Option<Json>) -> Entries<MediaType> {
    entries(vec![(
        "application/json".to_owned(),
        MediaType { schema, example },
    )])
}

fn response_ref(name: &str) -> Response {
    Response::Reference {
        reference: format!("#/components/responses/{name}"),
    }
}

fn request_schema(library: &Library, method: &Method) -> Schema {
    let mut fields: Vec<PathField<'_>> = Vec::new();
    let mut merged = Vec::new();
    for (param, example) in method.params.iter().zip(&method.example.args) {
        if param.merge {
            merged.push(format!("`{}`", param.name));
        }
        // A parameter with no field is merged, uploaded or not sent.
        let Some(field) = param.field.as_deref() else {
            continue;
        };
        fields.push((
            field,
            param.required,
            param_schema(library, param, &example.sent),
        ));
        if let Some((then, schema)) = split_field(param) {
            fields.push((then, false, schema));
        }
    }
    if let Some(rest) = method.rest() {
        for (field, value) in &rest.fixed {
            fields.push((
                field,
                true,
                Schema {
                    enum_: Some(vec![value.clone()]),
                    ..Schema::typed("string", "Always this value for this method.")
                },
            ));
        }
    }
    let mut schema = nested_object(fields);
    if !merged.is_empty() {
        schema.description = Some(format!(
            "Besides these fields, the keys of {} go into the body itself.",
            merged.join(" and ")
        ));
    }
    schema
}

/// A request field for [`nested_object`]: its path, whether it is required, its schema.
type PathField<'a> = (&'a str, bool, Schema);

/// An object schema from fields at paths (`fields.TITLE`): a nested object per first part,
/// required when one of its fields is.
fn nested_object(fields: Vec<PathField<'_>>) -> Schema {
    let mut required: Vec<String> = Vec::new();
    let mut properties: Vec<(String, Schema)> = Vec::new();
    let mut nested: Vec<(String, Vec<PathField<'_>>)> = Vec::new();
    for (path, is_required, schema) in fields {
        match path.split_once('.') {
            None => {
                if is_required {
                    required.push(path.to_owned());
                }
                properties.push((path.to_owned(), schema));
            }
            Some((head, rest)) => {
                match nested.iter_mut().find(|(name, _)| name == head) {
                    Some((_, inner)) => inner.push((rest, is_required, schema)),
                    None => {
                        nested.push((head.to_owned(), vec![(rest, is_required, schema)]));
                        // Keep the place of the object among its siblings.
                        properties.push((head.to_owned(), Schema::default()));
                    }
                }
            }
        }
    }
    for (head, inner) in nested {
        if inner.iter().any(|(_, r, _)| *r) {
            required.push(head.clone());
        }
        let object = nested_object(inner);
        if let Some(slot) = properties.iter_mut().find(|(name, _)| *name == head) {
            slot.1 = object;
        }
    }
    Schema::object_owned(required, properties)
}

/// The field that takes the second piece of a split value (`message_thread_id` of
/// `ChatID*TopicID`), with its schema: sent only when the value has that piece.
fn split_field(param: &Param) -> Option<(&str, Schema)> {
    let (on, then) = param.split.as_ref()?;
    let description = format!(
        "The piece of `{}` after `{on}` (`--{}`), a number when it is one; sent only when there is one.",
        param.name, param.flag
    );
    Some((
        then.as_str(),
        Schema {
            description: Some(description),
            ..Schema::default()
        },
    ))
}

/// A request field's schema. An ID is a string: OPI and our client send IDs as strings, and a
/// plain string is what every client generator reads best (a `oneOf` of string and integer
/// becomes an untagged union); the description says Bitrix24 takes a number as well.
fn param_schema(library: &Library, param: &Param, example: &serde_json::Value) -> Schema {
    let mut description = format!(
        "{} (`{}`, `--{}`).",
        param.description, param.name, param.flag
    );
    let id_note = format!(
        " IDs are sent as strings, as OPI does; {} reads numbers too.",
        library.name
    );
    let note = match (param.kind, param.wire) {
        (_, Wire::IdNumber) => " A number when it is one; other text (`@channel`) as it is.",
        (ParamKind::Id | ParamKind::Array(Item::Id), _) => id_note.as_str(),
        (_, Wire::Yn) => " `Y` for yes, `N` for no.",
        (_, Wire::YnInverted) => " `N` for yes, `Y` for no: the field says the opposite.",
        (_, Wire::JsonBool) => " Left out when false.",
        (_, Wire::FilePair) => " A file: `[name, base64 of its bytes]`.",
        (_, Wire::FilePart) => " A file part of the form, with its file name.",
        (ParamKind::Files, _) => " Files: a list of `[name, base64 of its bytes]`.",
        (ParamKind::Media, _) => {
            " JSON text: a list of `{\"type\": <kind>, \"media\": \"attach://<part>\"}`, each file a part of the form by that name; the first item has the caption."
        }
        _ => "",
    };
    description.push_str(note);
    if let Some(default) = &param.default_shown {
        description.push_str(&format!(" Default: {default}."));
    }
    let string_format = |format: &'static str| Schema {
        format: Some(format),
        ..type_schema("string")
    };
    let pair = || Schema {
        items: Some(Box::new(type_schema("string"))),
        min_items: Some(2),
        max_items: Some(2),
        ..type_schema("array")
    };
    let mut schema = match (param.kind, param.wire) {
        (ParamKind::Choice, _) => Schema {
            enum_: param
                .choice
                .as_ref()
                .map(|c| c.values.iter().map(|(value, _)| value.clone()).collect()),
            ..type_schema("string")
        },
        (_, Wire::Yn | Wire::YnInverted) => Schema {
            enum_: Some(vec!["Y".to_owned(), "N".to_owned()]),
            ..type_schema("string")
        },
        (_, Wire::JsonBool) => type_schema("boolean"),
        (_, Wire::DateTime | Wire::DateTimeZ) => string_format("date-time"),
        (_, Wire::Date) => string_format("date"),
        (_, Wire::Base64) => string_format("byte"),
        (_, Wire::FilePair) => pair(),
        (_, Wire::FilePart) => string_format("binary"),
        (_, Wire::BaseUrl) => string_format("uri"),
        (_, Wire::NumberText) => type_schema("string"),
        // A number, or a text such as `@channel`: OpenAPI 3.0 says "any type" by leaving it out.
        (_, Wire::IdNumber) => Schema::default(),
        (_, Wire::Unix | Wire::OneZero) => Schema {
            format: Some("int64"),
            ..type_schema("integer")
        },
        // The list of the group's files, as JSON text in its own part.
        (ParamKind::Media, _) => type_schema("string"),
        (ParamKind::Files, _) => Schema {
            items: Some(Box::new(pair())),
            ..type_schema("array")
        },
        (ParamKind::Array(item), _) => Schema {
            items: Some(Box::new(item_schema(item))),
            ..type_schema("array")
        },
        (ParamKind::Number, _) => item_schema(Item::Number),
        (ParamKind::Id, _) => item_schema(Item::Id),
        (ParamKind::Structure, _) => item_schema(Item::Structure),
        // An object or an array: any JSON.
        (ParamKind::Collection, _) => Schema::default(),
        // Flag, Date and Binary always have one of the wires above.
        (ParamKind::Text | ParamKind::Flag | ParamKind::Date | ParamKind::Binary, _) => {
            type_schema("string")
        }
    };
    schema.description = Some(description);
    schema.example = wire_example(param, example);
    schema
}

fn type_schema(type_: &'static str) -> Schema {
    Schema {
        type_: Some(type_),
        ..Schema::default()
    }
}

fn item_schema(item: Item) -> Schema {
    match item {
        Item::Text | Item::Id => type_schema("string"),
        Item::Number => Schema {
            format: Some("int64"),
            ..type_schema("integer")
        },
        Item::Structure => type_schema("object"),
    }
}

/// The example value as it goes over the wire: IDs as strings, flags as `Y`/`N`, one value of
/// a list as a list. None for a file or a date, whose example is a path to read or a text to
/// parse.
fn wire_example(param: &Param, value: &serde_json::Value) -> Option<Json> {
    use serde_json::Value;
    let id = |v: &Value| match v {
        Value::Number(n) => Json::String(n.to_string()),
        other => sorted(other),
    };
    let list = |v: &Value| match v {
        Value::Array(items) => items.clone(),
        single => vec![single.clone()],
    };
    match (param.kind, param.wire, value) {
        (ParamKind::Binary | ParamKind::Files | ParamKind::Media | ParamKind::Date, ..) => None,
        (_, Wire::BaseUrl, _) => None,
        (_, Wire::Yn, Value::Bool(b)) => Some(Json::String(if *b { "Y" } else { "N" }.into())),
        (_, Wire::YnInverted, Value::Bool(b)) => {
            Some(Json::String(if *b { "N" } else { "Y" }.into()))
        }
        (_, Wire::OneZero, Value::Bool(b)) => Some(sorted(&Value::from(u8::from(*b)))),
        (_, Wire::IdNumber, v) => Some(sorted(v)),
        (ParamKind::Id, _, v) | (_, Wire::NumberText, v) => Some(id(v)),
        (ParamKind::Array(Item::Id), _, v) => Some(Json::Array(list(v).iter().map(id).collect())),
        (ParamKind::Array(_), _, v) => Some(Json::Array(list(v).iter().map(sorted).collect())),
        (_, _, v) => Some(sorted(v)),
    }
}

/// The schema of `result` for a method that declares it; anything else is left open.
fn result_schema(result: ResultType) -> Option<Schema> {
    let array = |items: Schema| Schema {
        items: Some(Box::new(items)),
        ..type_schema("array")
    };
    Some(match result {
        ResultType::Bool => type_schema("boolean"),
        ResultType::Id => type_schema("integer"),
        ResultType::Ids => array(type_schema("integer")),
        ResultType::Text => type_schema("string"),
        ResultType::List => array(type_schema("object")),
        ResultType::Object => type_schema("object"),
        ResultType::Keyed => Schema {
            description: Some("Keyed by ID.".to_owned()),
            ..type_schema("object")
        },
        ResultType::Any => return None,
    })
}

fn components(library: &Library) -> Components {
    let number = |description: &str| Schema::typed("number", description);
    let date_time = |description: &str| Schema {
        format: Some("date-time"),
        ..Schema::typed("string", description)
    };
    // What a successful answer carries beside its result: the time block where the service
    // counts a time budget, the list keys where a method reads a list in pages.
    let timed = library.time_budget.is_some();
    let paged = library
        .methods()
        .any(|m| m.rest().is_some_and(|rest| rest.list.is_some()));
    let mut properties = vec![(
        library.result_key.clone(),
        Schema {
            description: Some(
                "What the method returns; its shape depends on the method.".to_owned(),
            ),
            ..Schema::default()
        },
    )];
    let key = |key: &Option<String>, or: &str| key.clone().unwrap_or_else(|| or.to_owned());
    let (time_key, total_key, next_key) = (
        key(&library.time_key, "time"),
        key(&library.total_key, "total"),
        key(&library.next_key, "next"),
    );
    if timed {
        properties.push((time_key, Schema::reference(TIME)));
    }
    if paged {
        properties.push((
            total_key,
            Schema::typed("integer", "Lists: how many items there are in all."),
        ));
        properties.push((
            next_key,
            Schema::typed(
                "integer",
                "Lists: the `start` of the next page (pages of 50), when there is one.",
            ),
        ));
    }
    let description = match (timed, paged) {
        (true, true) => format!(
            "A successful answer: `{}`, the `time` block and, for lists, `total` and `next`.",
            library.result_key
        ),
        (true, false) => format!(
            "A successful answer: `{}` and the `time` block.",
            library.result_key
        ),
        (false, true) => format!(
            "A successful answer: `{}` and, for lists, `total` and `next`.",
            library.result_key
        ),
        (false, false) => format!("A successful answer: `{}`.", library.result_key),
    };
    let answer = Schema {
        description: Some(description),
        ..Schema::object_owned(vec![library.result_key.clone()], properties)
    };
    let time = Schema {
        description: Some("Timing of the call on the portal's side.".to_owned()),
        ..Schema::object(
            &[
                "start",
                "finish",
                "duration",
                "processing",
                "date_start",
                "date_finish",
            ],
            vec![
                (
                    "start",
                    number("Unix time, in seconds, when the call started (an integer or not)."),
                ),
                (
                    "finish",
                    number("Unix time, in seconds, when the call finished."),
                ),
                ("duration", number("Seconds the call took in all.")),
                ("processing", number("Seconds spent in the method itself.")),
                ("date_start", date_time("When the call started.")),
                ("date_finish", date_time("When the call finished.")),
                (
                    "operating_reset_at",
                    number("Unix time when the method's time budget starts again from zero."),
                ),
                (
                    "operating",
                    number("Seconds of the method's time budget used in the current period."),
                ),
            ],
        )
    };
    // The keys of the error answer and an example code come from the spec's `errors`.
    let errors = &library.errors;
    let code_doc = match errors
        .signals
        .iter()
        .find(|s| s.means == SignalKind::RateLimited)
    {
        Some(signal) => format!("The error code, e.g. `{}`.", signal.code),
        None => "The error code.".to_owned(),
    };
    let error = Schema {
        description: Some(format!("{}'s error answer.", library.name)),
        ..Schema::object(
            &[&errors.code],
            vec![
                (&errors.code, Schema::typed("string", &code_doc)),
                (
                    &errors.description,
                    Schema::typed("string", "What went wrong, in words."),
                ),
            ],
        )
    };
    Components {
        schemas: entries(
            [
                Some(("Answer".to_owned(), answer)),
                timed.then(|| ("Time".to_owned(), time)),
                Some(("Error".to_owned(), error)),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        responses: entries(
            library
                .openapi
                .errors
                .iter()
                .map(|error| {
                    // A numeric code (Telegram's `error_code`) is a JSON number.
                    let code = match error.code.parse::<i64>() {
                        Ok(number) if number.to_string() == error.code => {
                            sorted(&serde_json::Value::from(number))
                        }
                        _ => Json::String(error.code.clone()),
                    };
                    let example = Json::Object(
                        [
                            (library.errors.code.clone(), code),
                            (
                                library.errors.description.clone(),
                                Json::String(error.text.clone()),
                            ),
                        ]
                        .into_iter()
                        .collect(),
                    );
                    (
                        error.name.clone(),
                        Response::Inline {
                            description: error.description.clone(),
                            content: json_content(Schema::reference(ERROR), Some(example)),
                        },
                    )
                })
                .collect(),
        ),
        security_schemes: entries(
            library
                .openapi
                .security
                .iter()
                .map(|security| {
                    // A credential in a request field is an API key in the query (see
                    // `Document::new`); in a header, an API key there, or HTTP's bearer scheme
                    // for `Authorization: Bearer …`.
                    let header = library
                        .credential_mode()
                        .and_then(|mode| mode.credential.as_ref())
                        .and_then(|credential| match &credential.place {
                            crate::model::CredentialPlace::Header { name, prefix } => {
                                Some((name, prefix))
                            }
                            crate::model::CredentialPlace::Field(_) => None,
                        });
                    let description = security.description.clone();
                    let scheme = match header {
                        Some((name, prefix))
                            if name.eq_ignore_ascii_case("authorization")
                                && prefix.eq_ignore_ascii_case("bearer ") =>
                        {
                            SecurityScheme {
                                type_: "http",
                                name: None,
                                in_: None,
                                scheme: Some("bearer"),
                                description,
                            }
                        }
                        Some((name, prefix)) => SecurityScheme {
                            type_: "apiKey",
                            name: Some(name.clone()),
                            in_: Some("header"),
                            scheme: None,
                            description: if prefix.is_empty() {
                                description
                            } else {
                                format!(
                                    "{description} The header's value is `{prefix}` and the key."
                                )
                            },
                        },
                        None => SecurityScheme {
                            type_: "apiKey",
                            name: Some(security.field.clone()),
                            in_: Some("query"),
                            scheme: None,
                            description,
                        },
                    };
                    (security.scheme.clone(), scheme)
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::Json;

    #[test]
    fn json_keeps_the_order_of_its_text() {
        let text = r#"{"z":1,"a":[true,null,-2,0.5,"s"],"m":{"y":1,"b":2}}"#;
        let value: Json = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
    }
}
