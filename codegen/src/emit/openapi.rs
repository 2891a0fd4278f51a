//! The OpenAPI 3.0.3 document of a library, for other tools to read the same methods: one
//! `POST /<rest method>` operation per method, its JSON request body from the parameters, the
//! `{result, time}` answer, Bitrix24's error body, and the two ways to authenticate.
//!
//! The document is built from typed structs whose fields serialize in declaration order, and
//! from `Entries` (a map that keeps insertion order), never from `serde_json::Map`: that map
//! is sorted or not depending on serde_json's `preserve_order` feature, which another crate of
//! the workspace turns on. So the bytes depend on the model alone.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

use crate::model::{Http, Item, Library, Method, Param, ParamKind, Rest, Wire};
use crate::spec::{ResultType, SignalKind};

/// The OpenAPI version of the documents.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// The file of a library's document, e.g. `bitrix24.json`.
pub fn file_name(library: &Library) -> String {
    format!("{}.json", library.command)
}

/// The command that regenerates the committed document of `library`.
pub fn command(library: &Library) -> String {
    format!(
        "cargo run -p oint-codegen -- openapi --library {} --out generated/openapi/{}",
        library.command,
        file_name(library)
    )
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

#[derive(Serialize)]
struct Document {
    openapi: &'static str,
    info: Info,
    servers: Vec<Server>,
    /// `{}` (no credential in the request: the webhook URL is the credential) or the OAuth
    /// token.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    security: Vec<Entries<Vec<String>>>,
    tags: Vec<Tag>,
    paths: Entries<PathItem>,
    components: Components,
    /// Where the document comes from: JSON has no comments, and OpenAPI allows `x-` fields.
    #[serde(rename = "x-generated")]
    generated: String,
}

#[derive(Serialize)]
struct Info {
    title: String,
    description: String,
    version: &'static str,
}

#[derive(Serialize)]
struct Server {
    url: String,
    description: String,
    variables: Entries<ServerVariable>,
}

#[derive(Serialize)]
struct ServerVariable {
    default: String,
    description: String,
}

#[derive(Serialize)]
struct Tag {
    name: String,
}

#[derive(Serialize)]
struct PathItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    get: Option<Operation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post: Option<Operation>,
}

#[derive(Serialize)]
struct Operation {
    #[serde(rename = "operationId")]
    operation_id: String,
    summary: String,
    description: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    deprecated: bool,
    tags: Vec<String>,
    #[serde(rename = "externalDocs")]
    external_docs: ExternalDocs,
    /// For a method that calls another host than the portal.
    #[serde(skip_serializing_if = "Option::is_none")]
    servers: Option<Vec<OperationServer>>,
    /// `[{}]` for a method that carries its own credentials (the OAuth server's).
    #[serde(skip_serializing_if = "Option::is_none")]
    security: Option<Vec<Entries<Vec<String>>>>,
    /// The query parameters of a GET.
    #[serde(skip_serializing_if = "Option::is_none")]
    parameters: Option<Vec<Parameter>>,
    #[serde(rename = "requestBody", skip_serializing_if = "Option::is_none")]
    request_body: Option<RequestBody>,
    responses: Entries<Response>,
    /// Whether a client may send the call again after a timeout or a 5xx (reads).
    #[serde(rename = "x-safe-to-repeat")]
    safe_to_repeat: bool,
}

#[derive(Serialize)]
struct OperationServer {
    url: String,
    description: String,
}

/// A query parameter. A field inside an object is named in PHP's form, `fields[TITLE]`; an
/// object or an array goes in `deepObject` style, as Bitrix24 reads it.
#[derive(Serialize)]
struct Parameter {
    name: String,
    #[serde(rename = "in")]
    in_: &'static str,
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    style: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explode: Option<bool>,
    schema: Schema,
}

#[derive(Serialize)]
struct ExternalDocs {
    description: String,
    url: String,
}

#[derive(Serialize)]
struct RequestBody {
    required: bool,
    content: Entries<MediaType>,
}

#[derive(Serialize)]
struct MediaType {
    schema: Schema,
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<Json>,
}

/// A response, or a reference to one in the components.
#[derive(Serialize)]
#[serde(untagged)]
enum Response {
    Inline {
        description: String,
        content: Entries<MediaType>,
    },
    Reference {
        #[serde(rename = "$ref")]
        reference: String,
    },
}

/// The schema objects this document uses.
#[derive(Serialize, Default)]
struct Schema {
    #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
    reference: Option<&'static str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    type_: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    enum_: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    required: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Entries<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Box<Schema>>,
    #[serde(rename = "minItems", skip_serializing_if = "Option::is_none")]
    min_items: Option<u32>,
    #[serde(rename = "maxItems", skip_serializing_if = "Option::is_none")]
    max_items: Option<u32>,
    #[serde(rename = "allOf", skip_serializing_if = "Option::is_none")]
    all_of: Option<Vec<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<Json>,
}

impl Schema {
    fn reference(to: &'static str) -> Schema {
        Schema {
            reference: Some(to),
            ..Schema::default()
        }
    }

    fn typed(type_: &'static str, description: &str) -> Schema {
        Schema {
            type_: Some(type_),
            description: Some(description.to_owned()),
            ..Schema::default()
        }
    }

    fn object(required: &[&str], properties: Vec<(&str, Schema)>) -> Schema {
        Schema::object_owned(
            required.iter().map(|r| (*r).to_owned()).collect(),
            properties
                .into_iter()
                .map(|(name, schema)| (name.to_owned(), schema))
                .collect(),
        )
    }

    fn object_owned(required: Vec<String>, properties: Vec<(String, Schema)>) -> Schema {
        Schema {
            type_: Some("object"),
            // OpenAPI 3.0 wants `required` to be absent rather than empty.
            required: (!required.is_empty()).then_some(required),
            properties: Some(Entries(properties)),
            ..Schema::default()
        }
    }
}

#[derive(Serialize)]
struct Components {
    schemas: Entries<Schema>,
    responses: Entries<Response>,
    #[serde(rename = "securitySchemes")]
    security_schemes: Entries<SecurityScheme>,
}

#[derive(Serialize)]
struct SecurityScheme {
    #[serde(rename = "type")]
    type_: &'static str,
    name: String,
    #[serde(rename = "in")]
    in_: &'static str,
    description: String,
}

impl Document {
    fn new(library: &Library) -> Document {
        let spec_dir = library
            .source
            .rsplit_once('/')
            .map_or(library.source.as_str(), |(dir, _)| dir);
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
                    Entries(Vec::new()),
                    Entries(vec![(security.scheme.clone(), Vec::new())]),
                ],
                None => Vec::new(),
            },
            tags: library
                .groups
                .iter()
                .filter(|g| !g.methods.is_empty())
                .map(|g| Tag {
                    name: g.name.clone(),
                })
                .collect(),
            paths: paths(library),
            components: components(library),
            generated: format!(
                "by oint-codegen from {spec_dir}/ (library.yaml and methods/*.yaml). Do not edit: \
                 change the spec and run `{}`.",
                command(library)
            ),
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
    Entries(paths)
}

fn servers(library: &Library) -> Vec<Server> {
    library
        .openapi
        .servers
        .iter()
        .map(|server| Server {
            url: server.url.clone(),
            description: server.description.clone(),
            variables: Entries(
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
                    content: Entries(vec![("multipart/form-data".to_owned(), form)]),
                }),
            )
        }
    };
    let mut description = method.description.clone();
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
        security: server.map(|_| vec![Entries(Vec::new())]),
        parameters,
        request_body,
        responses: Entries(responses),
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
            schema,
        });
    }
    if let Some(rest) = method.rest() {
        for (field, value) in &rest.fixed {
            parameters.push(Parameter {
                name: field.clone(),
                in_: "query",
                required: true,
                style: None,
                explode: None,
                schema: Schema {
                    enum_: Some(vec![value.clone()]),
                    ..Schema::typed("string", "Always this value for this method.")
                },
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
    Entries(vec![(
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
        other => Json::from_value(other),
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
        (_, Wire::OneZero, Value::Bool(b)) => Some(Json::from_value(&Value::from(u8::from(*b)))),
        (_, Wire::IdNumber, v) => Some(Json::from_value(v)),
        (ParamKind::Id, _, v) | (_, Wire::NumberText, v) => Some(id(v)),
        (ParamKind::Array(Item::Id), _, v) => Some(Json::Array(list(v).iter().map(id).collect())),
        (ParamKind::Array(_), _, v) => {
            Some(Json::Array(list(v).iter().map(Json::from_value).collect()))
        }
        (_, _, v) => Some(Json::from_value(v)),
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
    if timed {
        properties.push(("time".to_owned(), Schema::reference(TIME)));
    }
    if paged {
        properties.push((
            "total".to_owned(),
            Schema::typed("integer", "Lists: how many items there are in all."),
        ));
        properties.push((
            "next".to_owned(),
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
        schemas: Entries(
            [
                Some(("Answer".to_owned(), answer)),
                timed.then(|| ("Time".to_owned(), time)),
                Some(("Error".to_owned(), error)),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        responses: Entries(
            library
                .openapi
                .errors
                .iter()
                .map(|error| {
                    // A numeric code (Telegram's `error_code`) is a JSON number.
                    let code = match error.code.parse::<i64>() {
                        Ok(number) if number.to_string() == error.code => {
                            Json::from_value(&serde_json::Value::from(number))
                        }
                        _ => Json::String(error.code.clone()),
                    };
                    let example = Json::Object(vec![
                        (library.errors.code.clone(), code),
                        (
                            library.errors.description.clone(),
                            Json::String(error.text.clone()),
                        ),
                    ]);
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
        security_schemes: Entries(
            library
                .openapi
                .security
                .iter()
                .map(|security| {
                    (
                        security.scheme.clone(),
                        SecurityScheme {
                            type_: "apiKey",
                            name: security.field.clone(),
                            in_: "query",
                            description: security.description.clone(),
                        },
                    )
                })
                .collect(),
        ),
    }
}

/// A JSON object whose keys keep the order they were pushed in.
struct Entries<T>(Vec<(String, T)>);

impl<T: Serialize> Serialize for Entries<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A JSON value whose objects keep the order of their text, whatever serde_json's features
/// (for the recorded example answers).
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// From a `serde_json::Value`, with object keys sorted: a `Value`'s own order depends on
    /// serde_json's features.
    fn from_value(value: &serde_json::Value) -> Json {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(s.clone()),
            Value::Array(items) => Json::Array(items.iter().map(Json::from_value).collect()),
            Value::Object(map) => {
                let mut entries: Vec<(String, Json)> = map
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::from_value(v)))
                    .collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Json::Object(entries)
            }
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
                Ok(serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number))
            }
            fn visit_str<E>(self, s: &str) -> Result<Json, E> {
                Ok(Json::String(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Json, E> {
                Ok(Json::String(s))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Json::Object(entries))
            }
        }
        deserializer.deserialize_any(Visitor)
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
