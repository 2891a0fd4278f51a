//! The OpenAPI 3.0.3 document's objects, as this generator writes them: typed structs whose
//! fields serialize in declaration order, maps in insertion order (indexmap), JSON values in
//! their keys' order (serde_json's `preserve_order`, which this crate turns on). The parent
//! module fills them in from the model.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value as Json;

#[derive(Serialize)]
pub(super) struct Document {
    pub(super) openapi: &'static str,
    pub(super) info: Info,
    pub(super) servers: Vec<Server>,
    /// `{}` (no credential in the request: the webhook URL is the credential) or the OAuth
    /// token.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) security: Vec<Entries<Vec<String>>>,
    pub(super) tags: Vec<Tag>,
    pub(super) paths: Entries<PathItem>,
    pub(super) components: Components,
    /// Where the document comes from: JSON has no comments, and OpenAPI allows `x-` fields.
    #[serde(rename = "x-generated")]
    pub(super) generated: String,
}

#[derive(Serialize)]
pub(super) struct Info {
    pub(super) title: String,
    pub(super) description: String,
    pub(super) version: &'static str,
}

#[derive(Serialize)]
pub(super) struct Server {
    pub(super) url: String,
    pub(super) description: String,
    pub(super) variables: Entries<ServerVariable>,
}

#[derive(Serialize)]
pub(super) struct ServerVariable {
    pub(super) default: String,
    pub(super) description: String,
}

#[derive(Serialize)]
pub(super) struct Tag {
    pub(super) name: String,
}

#[derive(Serialize)]
pub(super) struct PathItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) get: Option<Operation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) post: Option<Operation>,
}

#[derive(Serialize)]
pub(super) struct Operation {
    #[serde(rename = "operationId")]
    pub(super) operation_id: String,
    pub(super) summary: String,
    pub(super) description: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(super) deprecated: bool,
    pub(super) tags: Vec<String>,
    #[serde(rename = "externalDocs")]
    pub(super) external_docs: ExternalDocs,
    /// For a method that calls another host than the portal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) servers: Option<Vec<OperationServer>>,
    /// `[{}]` for a method that carries its own credentials (the OAuth server's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) security: Option<Vec<Entries<Vec<String>>>>,
    /// The query parameters of a GET.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) parameters: Option<Vec<Parameter>>,
    #[serde(rename = "requestBody", skip_serializing_if = "Option::is_none")]
    pub(super) request_body: Option<RequestBody>,
    pub(super) responses: Entries<Response>,
    /// Whether a client may send the call again after a timeout or a 5xx (reads).
    #[serde(rename = "x-safe-to-repeat")]
    pub(super) safe_to_repeat: bool,
}

#[derive(Serialize)]
pub(super) struct OperationServer {
    pub(super) url: String,
    pub(super) description: String,
}

/// A query parameter. A field inside an object is named in PHP's form, `fields[TITLE]`; an
/// object or an array goes in `deepObject` style, as Bitrix24 reads it.
#[derive(Serialize)]
pub(super) struct Parameter {
    pub(super) name: String,
    #[serde(rename = "in")]
    pub(super) in_: &'static str,
    pub(super) required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) style: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) explode: Option<bool>,
    /// The value's schema; absent with `content`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) schema: Option<Schema>,
    /// A value sent as JSON text (a library whose query carries objects as JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) content: Option<Entries<MediaType>>,
}

#[derive(Serialize)]
pub(super) struct ExternalDocs {
    pub(super) description: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct RequestBody {
    pub(super) required: bool,
    pub(super) content: Entries<MediaType>,
}

#[derive(Serialize)]
pub(super) struct MediaType {
    pub(super) schema: Schema,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) example: Option<Json>,
}

/// A response, or a reference to one in the components.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Response {
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
pub(super) struct Schema {
    #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
    pub(super) reference: Option<&'static str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub(super) type_: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) format: Option<&'static str>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub(super) enum_: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) required: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) properties: Option<Entries<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) items: Option<Box<Schema>>,
    #[serde(rename = "minItems", skip_serializing_if = "Option::is_none")]
    pub(super) min_items: Option<u32>,
    #[serde(rename = "maxItems", skip_serializing_if = "Option::is_none")]
    pub(super) max_items: Option<u32>,
    #[serde(rename = "allOf", skip_serializing_if = "Option::is_none")]
    pub(super) all_of: Option<Vec<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) example: Option<Json>,
}

impl Schema {
    pub(super) fn reference(to: &'static str) -> Schema {
        Schema {
            reference: Some(to),
            ..Schema::default()
        }
    }

    pub(super) fn typed(type_: &'static str, description: &str) -> Schema {
        Schema {
            type_: Some(type_),
            description: Some(description.to_owned()),
            ..Schema::default()
        }
    }

    pub(super) fn object(required: &[&str], properties: Vec<(&str, Schema)>) -> Schema {
        Schema::object_owned(
            required.iter().map(|r| (*r).to_owned()).collect(),
            properties
                .into_iter()
                .map(|(name, schema)| (name.to_owned(), schema))
                .collect(),
        )
    }

    pub(super) fn object_owned(required: Vec<String>, properties: Vec<(String, Schema)>) -> Schema {
        Schema {
            type_: Some("object"),
            // OpenAPI 3.0 wants `required` to be absent rather than empty.
            required: (!required.is_empty()).then_some(required),
            properties: Some(entries(properties)),
            ..Schema::default()
        }
    }
}

#[derive(Serialize)]
pub(super) struct Components {
    pub(super) schemas: Entries<Schema>,
    pub(super) responses: Entries<Response>,
    #[serde(rename = "securitySchemes")]
    pub(super) security_schemes: Entries<SecurityScheme>,
}

/// An API key (`name` and `in`), or an HTTP scheme (`scheme`: `bearer`).
#[derive(Serialize)]
pub(super) struct SecurityScheme {
    #[serde(rename = "type")]
    pub(super) type_: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<String>,
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    pub(super) in_: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) scheme: Option<&'static str>,
    pub(super) description: String,
}

/// A JSON object whose keys keep the order they were pushed in.
pub(super) type Entries<T> = IndexMap<String, T>;

/// An object of these entries, in this order.
pub(super) fn entries<T>(items: Vec<(String, T)>) -> Entries<T> {
    items.into_iter().collect()
}

/// The value with every object's keys sorted: the order of a recorded example's keys is its
/// text's, and of a value built from YAML the map's, which serde_json keeps (`preserve_order`).
pub(super) fn sorted(value: &Json) -> Json {
    match value {
        Json::Array(items) => Json::Array(items.iter().map(sorted).collect()),
        Json::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Json::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}
