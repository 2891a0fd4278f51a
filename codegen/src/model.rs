//! The one normalized representation of a spec. Every name in every case, the Rust type, the CLI
//! option, the request field and the docs type text are decided here; the emitters only read it.

use heck::{ToKebabCase, ToSnakeCase};
use serde::Serialize;

use crate::spec::{Encoding, ResultType, TypeName};

/// Everything generated from one spec directory.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// Sorted by command.
    pub libraries: Vec<Library>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Library {
    /// Display name, e.g. `Bitrix24`.
    pub name: String,
    /// CLI subcommand and Rust module, e.g. `bitrix24`.
    pub command: String,
    /// The languages of its prose (`en`, `ru`): the first is the client's, the CLI's and the
    /// OpenAPI document's; each has its docs pages.
    pub languages: Vec<String>,
    pub description: Localized,
    /// The spec file, as shown in preambles, e.g. `spec/bitrix24/library.yaml`.
    pub source: String,
    /// The values every method that calls the service takes, as declared.
    pub connection: Vec<ConnectionParam>,
    /// The ways to reach the service, as declared; each is a constructor of the client.
    pub modes: Vec<AuthMode>,
    /// The index in `modes` of the mode the command-line examples use.
    pub cli_mode: usize,
    /// The variable that moves every mode's address (`OINT_<LIBRARY>_API_URL`).
    pub api_url_env: String,
    /// The key of a successful answer that holds the result.
    pub result_key: String,
    /// How objects and arrays go in a query string.
    pub query_form: crate::spec::QueryForm,
    /// The keys beside the result: the call's timing, a list's total and its next page.
    pub time_key: Option<String>,
    pub total_key: Option<String>,
    pub next_key: Option<String>,
    /// How several calls go in one request, when the service can take them: (method, commands,
    /// halt, results, errors, totals, nexts, times).
    pub batch: Option<[String; 8]>,
    /// The OpenAPI document's own texts.
    pub openapi: OpenApi,
    /// Sorted by position.
    pub groups: Vec<Group>,
    /// Hosts that some methods call instead of the portal, sorted by name.
    pub servers: Vec<Server>,
    /// The Rust function of the method that renews an expired access token (`connection.renewal`).
    pub renewal: Option<String>,
    /// The method the getting-started guide calls first (`example.first_call`).
    pub first_call: Option<String>,
    /// How the service says a call failed (`errors`).
    pub errors: Errors,
    /// The encodings of `Boolean`, `Date` and `BinaryData` parameters that name none.
    pub encodings: DefaultEncodings,
    /// The request limit (`burst`, `per_second`) the service sets, if any.
    pub rate_limit: Option<(u32, f64)>,
    /// The running time a method may use per period, in seconds, if the service counts it.
    pub time_budget: Option<f64>,
}

/// A library's own wire form of the types that have several (`encodings` in `library.yaml`).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DefaultEncodings {
    pub boolean: Encoding,
    pub date: Encoding,
    pub file: Encoding,
}

impl DefaultEncodings {
    /// The encoding a parameter of `kind` gets when it names none.
    pub fn of(self, kind: ParamKind) -> Encoding {
        match kind {
            ParamKind::Flag => self.boolean,
            ParamKind::Date => self.date,
            ParamKind::Binary => self.file,
            other => other.encodings()[0],
        }
    }
}

/// The keys of the service's error answer and the codes the client acts on.
#[derive(Debug, Clone, Serialize)]
pub struct Errors {
    pub code: String,
    pub description: String,
    pub signals: Vec<Signal>,
}

/// An error code the client acts on.
#[derive(Debug, Clone, Serialize)]
pub struct Signal {
    pub code: String,
    pub means: crate::spec::SignalKind,
    /// For a time budget: the path of the reset time in the answer, e.g. `time.operating_reset_at`.
    pub reset_at: Option<String>,
    /// For a rate limit: the path of the seconds to wait in the answer.
    pub retry_after: Option<String>,
}

/// A host that some methods call instead of the portal.
#[derive(Debug, Clone, Serialize)]
pub struct Server {
    /// As `library.yaml` names it, e.g. `oauth`.
    pub name: String,
    /// The Rust constant that describes it, e.g. `OAUTH_SERVER`.
    pub const_name: String,
    /// The base URL, ending with `/`.
    pub url: String,
    /// The variable that replaces the base URL.
    pub env: String,
    pub description: String,
    /// The whole JSON answer is the result (no `result` key around it).
    pub whole_answer: bool,
}

impl Library {
    pub fn methods(&self) -> impl Iterator<Item = &Method> {
        self.groups.iter().flat_map(|group| group.methods.iter())
    }
}

impl Library {
    /// The docs page of `method`, relative to the docs directory: `<library>/<group>/<slug>.md`.
    pub fn page_path(&self, method: &Method) -> String {
        let group = self
            .groups
            .iter()
            .find(|g| g.methods.iter().any(|m| m.name == method.name))
            .map_or("", |g| g.slug.as_str());
        format!("{}/{group}/{}.md", self.command, method.slug)
    }

    /// The connection values shown before a method's own parameters (`first`) or after them.
    pub fn connection_at(&self, last: bool) -> impl Iterator<Item = &ConnectionParam> {
        self.connection
            .iter()
            .filter(move |param| param.last == last)
    }

    /// The mode the command-line examples use.
    pub fn cli_mode(&self) -> &AuthMode {
        &self.modes[self.cli_mode]
    }

    /// The first mode whose calls carry a credential (a request field or a header), when
    /// there is one.
    pub fn credential_mode(&self) -> Option<&AuthMode> {
        self.modes.iter().find(|mode| mode.credential.is_some())
    }
}

/// A value every method that calls the service takes (URL, Token): declared once per library.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionParam {
    /// As OPI writes it, e.g. `URL`.
    pub name: String,
    /// The long option without dashes, e.g. `url`.
    pub flag: String,
    /// The Rust argument of the constructors, e.g. `url`.
    pub ident: String,
    pub description: Localized,
    pub env: String,
    pub docs_type: &'static str,
    pub required: bool,
    pub secret: bool,
    /// Shown after a method's own parameters.
    pub last: bool,
}

/// The OpenAPI document's texts of a library (`openapi` in `library.yaml`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct OpenApi {
    pub about: String,
    pub servers: Vec<OpenApiServer>,
    pub security: Option<OpenApiSecurity>,
    pub errors: Vec<OpenApiError>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenApiServer {
    pub url: String,
    pub description: String,
    /// (name, default, description).
    pub variables: Vec<(String, String, String)>,
}

/// The credential field as an API key.
#[derive(Debug, Clone, Serialize)]
pub struct OpenApiSecurity {
    pub scheme: String,
    pub field: String,
    pub description: String,
}

/// An error answer every operation may give, with an example.
#[derive(Debug, Clone, Serialize)]
pub struct OpenApiError {
    pub status: String,
    pub name: String,
    pub description: String,
    pub code: String,
    pub text: String,
}

/// A connection value every call to the service carries.
#[derive(Debug, Clone, Serialize)]
pub struct Credential {
    /// The connection value.
    pub param: String,
    pub place: CredentialPlace,
}

/// Where a call carries its credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CredentialPlace {
    /// A request field: in the JSON body of a POST, the query of a GET (Bitrix24's `auth`).
    Field(String),
    /// A header, its value after `prefix` (`Authorization: Bearer …`).
    Header { name: String, prefix: String },
}

impl Credential {
    /// The request field, for a credential sent in one.
    pub fn field(&self) -> Option<&str> {
        match &self.place {
            CredentialPlace::Field(field) => Some(field),
            CredentialPlace::Header { .. } => None,
        }
    }
}

/// One way to reach the service: a constructor of the client.
#[derive(Debug, Clone, Serialize)]
pub struct AuthMode {
    /// The constructor, e.g. `webhook`.
    pub name: String,
    pub description: String,
    /// Chosen when this connection value is given.
    pub when: Option<String>,
    pub address: Address,
    /// The connection value every call carries, and where.
    pub credential: Option<Credential>,
    /// The path segments that are not secret, for an address whose path holds one.
    pub public_segments: Option<Vec<String>>,
    /// The path in front of the address' path under which files are read.
    pub downloads: Option<String>,
    /// The connection values the mode takes, in the library's order.
    pub params: Vec<String>,
    /// Their example values, in the same order.
    pub example: Vec<String>,
    /// The comment above the mode's lines in the docs' example.
    pub example_note: Localized,
}

/// Where a mode's address comes from.
#[derive(Debug, Clone, Serialize)]
pub enum Address {
    /// A connection value, with a path added unless there.
    Given {
        param: String,
        append: Option<String>,
    },
    /// A fixed URL with `{Name}` places for connection values.
    Fixed(String),
}

impl AuthMode {
    /// The arguments of the mode's constructor in an example, as Rust: `"https://…", "fe3f…"`.
    pub fn example_args(&self) -> String {
        let args: Vec<String> = self.example.iter().map(|v| format!("{v:?}")).collect();
        args.join(", ")
    }

    /// The example value of connection value `name`, if the mode takes it.
    pub fn example_of(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .position(|param| param == name)
            .map(|i| self.example[i].as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: Localized,
    /// Directory of the group's pages, e.g. `chats-and-dialogs-management`.
    pub slug: String,
    pub position: u32,
    /// Sorted by position.
    pub methods: Vec<Method>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Method {
    /// As written in the spec and on the command line, e.g. `DeleteUserFromChat`.
    pub name: String,
    /// The page's title: as the spec gives it, or the name as words, e.g. `Delete user from
    /// chat`.
    pub title: Localized,
    /// The Rust function, e.g. `delete_user_from_chat`.
    pub fn_name: String,
    /// The docs page's file stem, e.g. `delete-user-from-chat`.
    pub slug: String,
    pub description: Localized,
    /// What a user should know beyond the description.
    pub notes: Option<Localized>,
    /// Why the method should no longer be used.
    pub deprecated: Option<Localized>,
    /// The first sentence of the description, for one-line listings.
    pub summary: String,
    pub position: u32,
    /// A command of the CLI (`oint <library> <name>`); `false` for the Rust client alone.
    pub cli: bool,
    /// What the method does: a REST call, or a template filled in locally.
    pub action: Action,
    pub params: Vec<Param>,
    pub returns: Returns,
    pub example: MethodExample,
    /// The spec file, as shown in preambles.
    pub source: String,
    /// The Rust signature, as shown on the docs page.
    pub signature: String,
}

impl Method {
    /// Whether the getting-started guide can show it as a first call: a command that calls the
    /// service with the connection's values and answers JSON, with something to give it.
    pub fn fits_a_first_call(&self) -> bool {
        self.cli
            && !self.params.is_empty()
            && !self.returns.file
            && !self.returns.builds_structure
            && self.rest().is_some_and(|rest| rest.server.is_none())
    }

    /// The REST call, unless the method is a template.
    pub fn rest(&self) -> Option<&Rest> {
        match &self.action {
            Action::Rest(rest) => Some(rest),
            Action::Template(_) => None,
        }
    }
}

// One per method, built once: the size of the larger variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Action {
    Rest(Rest),
    Template(Template),
}

#[derive(Debug, Clone, Serialize)]
pub struct Rest {
    pub method: String,
    pub docs_url: String,
    pub http: Http,
    /// Whether the client may send the call again after a timeout or a 5xx.
    pub safe_to_repeat: bool,
    /// Request fields with constant values: (field path, value).
    pub fixed: Vec<(String, String)>,
    /// The server called instead of the portal (a name of `Library::servers`).
    pub server: Option<String>,
    /// A two-step upload: the keys of the first answer's `result` that hold the upload URL and
    /// the form field's name.
    pub upload: Option<Upload>,
    /// A structure built from the answer instead of the answer.
    pub keys_of: Option<KeysOf>,
    /// How the method pages, for whole-list reads.
    pub list: Option<ListPaging>,
    /// (field, method): the method called when the field is not sent.
    pub or_method: Option<(String, String)>,
    /// (key, value): a structure built from a list `result`, each item's key to its value.
    pub map_of: Option<(String, String)>,
    /// (key of `result` holding the file's path, repeats): the file the answer names is read.
    pub download: Option<(String, u8)>,
}

/// How a list method pages.
#[derive(Debug, Clone, Serialize)]
pub struct ListPaging {
    pub items: Option<String>,
    pub start: String,
    pub by: Option<String>,
    pub id: String,
    pub filter: Option<String>,
    pub order: Option<String>,
    pub select: Option<String>,
}

/// How the request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Http {
    /// A JSON body.
    #[serde(rename = "POST")]
    Post,
    /// The fields in the query string.
    #[serde(rename = "GET")]
    Get,
    /// `multipart/form-data`: the fields as text parts, BinaryData parameters as file parts.
    #[serde(rename = "multipart")]
    Multipart,
}

#[derive(Debug, Clone, Serialize)]
pub struct Upload {
    pub url_key: String,
    pub field_key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeysOf {
    /// The key of each field's object that must be true for the field to be kept.
    pub where_: String,
    /// The key of each field's object whose value is kept.
    pub value: String,
    /// The Rust identifier of the Boolean parameter that empties the values.
    pub clear: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Template {
    /// JSON text with `"{Param}"` placeholders; empty with a hook.
    pub value: String,
    /// The runtime's builder instead of `value`.
    pub hook: Option<crate::spec::TemplateHook>,
    /// The Rust identifier of the Boolean parameter that empties the values.
    pub clear: Option<String>,
}

/// Prose in each of its library's languages, in `Library::languages` order. It reads (and
/// serializes) as the text in the first language, the one the client, the CLI and the OpenAPI
/// document speak; the docs pages of another language ask for theirs with [`Localized::get`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Localized(pub Vec<String>);

impl Localized {
    /// The text in the library's `language`-th language (the first when there is none).
    pub fn get(&self, language: usize) -> &str {
        self.0
            .get(language)
            .or(self.0.first())
            .map_or("", String::as_str)
    }

    /// The same change made to the text in every language.
    pub fn map(&self, change: impl Fn(&str) -> String) -> Localized {
        Localized(self.0.iter().map(|text| change(text)).collect())
    }
}

impl std::ops::Deref for Localized {
    type Target = str;
    fn deref(&self) -> &str {
        self.get(0)
    }
}

impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl Serialize for Localized {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

/// The crate users depend on, as examples name it.
pub const CRATE: &str = "oint";

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// As OPI writes it, e.g. `ChatID`.
    pub name: String,
    /// The Rust identifier, e.g. `chat_id` (`r#type` for a keyword).
    pub ident: String,
    /// The long option without dashes, e.g. `chat`.
    pub flag: String,
    /// The request field or path, e.g. `CHAT_ID` or `fields.TITLE`; `None` for a structure
    /// merged into the body, a part of an upload, or a parameter that is not sent.
    pub field: Option<String>,
    /// A structure whose keys go into the body itself.
    pub merge: bool,
    pub kind: ParamKind,
    /// How the value goes on the wire.
    pub wire: Wire,
    pub required: bool,
    /// OPI's default as a Rust expression, e.g. `false`; sent when the argument is `None`.
    pub default: Option<String>,
    /// OPI's default as the docs and help show it.
    pub default_shown: Option<String>,
    /// For a closed set: the enum and its values.
    pub choice: Option<Choice>,
    /// The Type column of the docs page, e.g. `String, Number`.
    pub docs_type: String,
    pub description: Localized,
    /// The client function's argument type.
    pub rust_type: String,
    /// The runtime function (in the library's `encode` module) that makes the JSON value.
    pub encoder: &'static str,
    /// The type the CLI parses the option into, and the value parser that does it.
    pub cli_type: String,
    pub cli_parser: String,
    /// Turns the CLI's `Option<cli_type>` into the client's optional argument.
    pub cli_optional_adapter: String,
    /// The field of another parameter: when that one is sent, this one is not.
    pub unless: Option<String>,
    /// A secret: masked wherever it could be shown.
    pub secret: bool,
    /// The environment variable the CLI reads when the option is not given.
    pub env: Option<String>,
    /// Its role in a multipart upload.
    pub part: Option<crate::spec::Part>,
    /// For a file part of a multipart call: the file name it is sent under, instead of the
    /// file's own.
    pub file_name: Option<String>,
    /// Why an empty value is refused.
    pub not_empty: Option<String>,
    /// Why the parameter changes nothing.
    pub ignored: Option<String>,
    /// For a structure: the only keys it may have, with their encodings.
    pub keys: Vec<(String, Encoding)>,
    /// For a file sent as `[name, base64]`: the Rust identifier of the parameter that names it.
    pub named_by: Option<String>,
    /// (separator, field of the second piece) of a value split in two.
    pub split: Option<(String, String)>,
    /// The hook that prepares the value, and the request field of the parameter it reads.
    pub prepare: Option<(crate::spec::Hook, String)>,
    /// The optional note of the docs table and the help, e.g. ` (optional, default UA)`.
    pub optional_note: String,
}

/// How a parameter's value goes on the wire, past its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Wire {
    /// As its type says (a string, a number, a JSON object, …).
    Plain,
    /// A base URL: `https://` in front unless a scheme is given, `/` at the end.
    BaseUrl,
    /// A Boolean as `"Y"`/`"N"`.
    Yn,
    /// A Boolean as `"N"` for true, `"Y"` for false.
    YnInverted,
    /// A Boolean as JSON `true`, left out when false.
    JsonBool,
    /// A date as `YYYY-MM-DDThh:mm:ss`.
    DateTime,
    /// A date as `YYYY-MM-DDThh:mm:ssZ`.
    DateTimeZ,
    /// A date as `YYYY-MM-DD`.
    Date,
    /// A file as `[name, base64]`.
    FilePair,
    /// A file as a bare base64 string.
    Base64,
    /// A number as a JSON string.
    NumberText,
    /// An ID as a JSON number when it is an integer, else as text.
    IdNumber,
    /// A date as seconds since the epoch.
    Unix,
    /// A Boolean as the number 1 or 0.
    OneZero,
    /// A file as a file part of a multipart call.
    FilePart,
}

/// A closed set of values: a Rust enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub enum_name: String,
    /// (value as sent, Rust variant).
    pub values: Vec<(String, String)>,
    pub description: String,
}

/// Item types of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Item {
    Text,
    Number,
    Id,
    Structure,
}

/// A parameter's type, with everything that follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamKind {
    /// `String`: sent as a JSON string.
    Text,
    /// `Number`: sent as a JSON number.
    Number,
    /// `String, Number`: an ID given either way, sent as a string as OPI does.
    Id,
    /// `Boolean`.
    Flag,
    /// `Date`: checked on input, sent as ISO 8601 text.
    Date,
    /// `String` with `values`: a Rust enum.
    Choice,
    /// `Structure`: a JSON object.
    Structure,
    /// `Array` of items; also one value or several (`String, Array of String`).
    Array(Item),
    /// `BinaryData`: a file's bytes.
    Binary,
    /// `Map` of file names to files: sent as a list of `[name, base64]` pairs.
    Files,
    /// `Map` of files to their kinds (`{"photo.jpg": "photo"}`): a media group, each file a
    /// part of a form (the hook `media_group`).
    Media,
    /// `String, Structure`: a JSON object or array, or a text that stands for a list of one
    /// (a keyboard).
    Collection,
}

impl ParamKind {
    /// The kind for a spec's type words, or `None` for a combination that has none.
    ///
    /// With `Array` in `types`, the other words say that one item alone may be given: they must
    /// be among the items' words (`[String, Array]` with `items: [String]`). `as_array` is the
    /// `array` encoding of a `String`, which makes it a list of strings on the wire.
    pub fn from_types(
        types: &[TypeName],
        items: Option<&[TypeName]>,
        has_values: bool,
        as_array: bool,
    ) -> Option<ParamKind> {
        let mut sorted = types.to_vec();
        sorted.sort();
        sorted.dedup();
        let item_of = |items: &[TypeName]| {
            let mut items = items.to_vec();
            items.sort();
            Some(match items.as_slice() {
                [TypeName::String] => Item::Text,
                [TypeName::Number] => Item::Number,
                [TypeName::String, TypeName::Number] => Item::Id,
                [TypeName::Structure] => Item::Structure,
                _ => return None,
            })
        };
        let kind = match sorted.as_slice() {
            [TypeName::String] if as_array => ParamKind::Array(Item::Text),
            [TypeName::String] if has_values => ParamKind::Choice,
            [TypeName::String] => ParamKind::Text,
            [TypeName::Number] => ParamKind::Number,
            [TypeName::String, TypeName::Number] => ParamKind::Id,
            [TypeName::Boolean] => ParamKind::Flag,
            [TypeName::Date] => ParamKind::Date,
            [TypeName::Structure] => ParamKind::Structure,
            [TypeName::String, TypeName::Structure] => ParamKind::Collection,
            [TypeName::BinaryData] | [TypeName::String, TypeName::BinaryData] => ParamKind::Binary,
            [TypeName::Map] if items == Some(&[TypeName::BinaryData][..]) => {
                return (!has_values && !as_array).then_some(ParamKind::Files);
            }
            [TypeName::Map] if items == Some(&[TypeName::String][..]) => {
                return (!has_values && !as_array).then_some(ParamKind::Media);
            }
            words if words.contains(&TypeName::Array) => {
                let items = items?;
                let single: Vec<TypeName> = words
                    .iter()
                    .copied()
                    .filter(|t| *t != TypeName::Array)
                    .collect();
                if !single.iter().all(|t| items.contains(t)) {
                    return None;
                }
                ParamKind::Array(item_of(items)?)
            }
            _ => return None,
        };
        if items.is_some() && !matches!(kind, ParamKind::Array(_)) {
            return None;
        }
        if has_values && kind != ParamKind::Choice {
            return None;
        }
        Some(kind)
    }

    /// The encodings a kind may be given. The first is the default of the kinds whose default
    /// the library does not name (`encodings` in `library.yaml` names Boolean, Date, BinaryData).
    pub fn encodings(self) -> &'static [Encoding] {
        match self {
            ParamKind::Flag => &[
                Encoding::Yn,
                Encoding::YnInverted,
                Encoding::Json,
                Encoding::OneZero,
            ],
            ParamKind::Date => &[
                Encoding::Datetime,
                Encoding::DatetimeZ,
                Encoding::Date,
                Encoding::Unix,
            ],
            ParamKind::Id => &[Encoding::Plain, Encoding::Numeric],
            ParamKind::Binary => &[Encoding::File, Encoding::Base64],
            ParamKind::Text => &[Encoding::Plain, Encoding::BaseUrl],
            ParamKind::Number => &[Encoding::Plain, Encoding::String],
            ParamKind::Array(Item::Text) => &[Encoding::Plain, Encoding::Array],
            _ => &[Encoding::Plain],
        }
    }

    /// The wire form of an encoding this kind accepts.
    pub fn wire(self, encoding: Encoding) -> Wire {
        match (self, encoding) {
            (_, Encoding::Yn) => Wire::Yn,
            (_, Encoding::YnInverted) => Wire::YnInverted,
            (_, Encoding::Json) => Wire::JsonBool,
            (_, Encoding::Datetime) => Wire::DateTime,
            (_, Encoding::DatetimeZ) => Wire::DateTimeZ,
            (_, Encoding::Date) => Wire::Date,
            (_, Encoding::File) => Wire::FilePair,
            (_, Encoding::Base64) => Wire::Base64,
            (_, Encoding::BaseUrl) => Wire::BaseUrl,
            (_, Encoding::String) => Wire::NumberText,
            (_, Encoding::Numeric) => Wire::IdNumber,
            (_, Encoding::Unix) => Wire::Unix,
            (_, Encoding::OneZero) => Wire::OneZero,
            (_, Encoding::Plain | Encoding::Array) => Wire::Plain,
        }
    }

    /// The client's argument type: (required, optional). `enum_name` for a choice.
    pub fn rust_types(self, enum_name: &str) -> (String, String) {
        let (required, optional) = match self {
            ParamKind::Text => ("impl Into<String>", "Option<&str>"),
            ParamKind::Number => ("i64", "Option<i64>"),
            ParamKind::Id => ("impl IntoId", "Option<Id>"),
            ParamKind::Flag => ("bool", "Option<bool>"),
            ParamKind::Date => ("impl Into<Date>", "Option<Date>"),
            ParamKind::Choice => return (enum_name.into(), format!("Option<{enum_name}>")),
            ParamKind::Structure | ParamKind::Collection => {
                ("serde_json::Value", "Option<serde_json::Value>")
            }
            ParamKind::Array(Item::Text) => (
                "impl IntoIterator<Item = impl Into<String>>",
                "Option<Vec<String>>",
            ),
            ParamKind::Array(Item::Number) => ("impl IntoIterator<Item = i64>", "Option<Vec<i64>>"),
            ParamKind::Array(Item::Id) => {
                ("impl IntoIterator<Item = impl IntoId>", "Option<Vec<Id>>")
            }
            ParamKind::Array(Item::Structure) => (
                "impl IntoIterator<Item = serde_json::Value>",
                "Option<Vec<serde_json::Value>>",
            ),
            ParamKind::Binary => ("impl Into<Binary>", "Option<Binary>"),
            ParamKind::Files => ("impl IntoIterator<Item = Binary>", "Option<Vec<Binary>>"),
            ParamKind::Media => (
                "impl IntoIterator<Item = (Binary, impl Into<String>)>",
                "Option<Vec<(Binary, String)>>",
            ),
        };
        (required.into(), optional.into())
    }

    /// The runtime function (in the library's `encode` module) that makes the JSON value.
    pub fn encoder(self, wire: Wire) -> &'static str {
        match (self, wire) {
            (_, Wire::BaseUrl) => "base_url",
            (_, Wire::Yn) => "flag",
            (_, Wire::YnInverted) => "flag_inverted",
            (_, Wire::JsonBool) => "json_flag",
            (_, Wire::DateTime) => "date_time",
            (_, Wire::DateTimeZ) => "date_time_z",
            (_, Wire::Date) => "date",
            (_, Wire::FilePair) => "file",
            (_, Wire::Base64) => "base64",
            (_, Wire::NumberText) => "number_text",
            (_, Wire::IdNumber) => "id_numeric",
            (_, Wire::Unix) => "date_unix",
            (_, Wire::OneZero) => "flag_one_zero",
            (_, Wire::FilePart) => "part_file",
            (ParamKind::Text | ParamKind::Choice, _) => "text",
            (ParamKind::Number, _) => "number",
            (ParamKind::Id, _) => "id",
            (ParamKind::Structure | ParamKind::Collection, _) => "structure",
            (ParamKind::Array(Item::Text), _) => "texts",
            (ParamKind::Array(Item::Number), _) => "numbers",
            (ParamKind::Array(Item::Id), _) => "ids",
            (ParamKind::Array(Item::Structure), _) => "structures",
            (ParamKind::Files, _) => "files",
            (ParamKind::Media, _) => "media_group",
            // Not reached: validation gives these kinds an encoding of their own.
            (ParamKind::Flag, _) => "flag",
            (ParamKind::Date, _) => "date_time",
            (ParamKind::Binary, _) => "file",
        }
    }

    /// What the CLI parses the option into, and with what: (type, value parser).
    pub fn cli(self, choice: Option<&Choice>, module: &str) -> (String, String) {
        let (ty, parser) = match self {
            ParamKind::Text | ParamKind::Id => ("String", "clap::value_parser!(String)"),
            ParamKind::Number => ("i64", "clap::value_parser!(i64)"),
            ParamKind::Flag => ("bool", "oint_runtime::cli::parse_flag"),
            ParamKind::Date => ("Date", "oint_runtime::cli::parse_date"),
            ParamKind::Structure => ("serde_json::Value", "oint_runtime::cli::parse_object"),
            ParamKind::Collection => ("serde_json::Value", "oint_runtime::cli::parse_collection"),
            ParamKind::Array(Item::Text) => ("Vec<String>", "oint_runtime::cli::parse_texts"),
            ParamKind::Array(Item::Number) => ("Vec<i64>", "oint_runtime::cli::parse_numbers"),
            ParamKind::Array(Item::Id) => ("Vec<Id>", "oint_runtime::cli::parse_ids"),
            ParamKind::Array(Item::Structure) => {
                ("Vec<serde_json::Value>", "oint_runtime::cli::parse_objects")
            }
            ParamKind::Binary => ("Binary", "oint_runtime::cli::parse_file"),
            ParamKind::Files => ("Vec<Binary>", "oint_runtime::cli::parse_files"),
            ParamKind::Media => ("Vec<(Binary, String)>", "oint_runtime::cli::parse_media"),
            ParamKind::Choice => {
                let Some(choice) = choice else {
                    return ("String".into(), "clap::value_parser!(String)".into());
                };
                let path = format!("crate::{module}::{}", choice.enum_name);
                let values: Vec<String> = choice
                    .values
                    .iter()
                    .map(|(v, _)| format!("{v:?}"))
                    .collect();
                return (
                    path.clone(),
                    format!(
                        "clap::builder::TypedValueParser::try_map(clap::builder::PossibleValuesParser::new([{}]), |value| value.parse::<{path}>())",
                        values.join(", ")
                    ),
                );
            }
        };
        let ty = ty
            .replace("Binary", &format!("crate::{module}::Binary"))
            .replace("Date", &format!("crate::{module}::Date"))
            .replace("Id>", &format!("crate::{module}::Id>"));
        (ty, parser.into())
    }

    /// Turns `Option<cli type>` into the client's optional argument type.
    pub fn cli_optional_adapter(self, module: &str) -> String {
        match self {
            ParamKind::Text => ".as_deref()".into(),
            ParamKind::Id => format!(".map(crate::{module}::Id::from)"),
            _ => String::new(),
        }
    }

    /// Whether an example value fits this type. A one-or-many parameter takes a list.
    pub fn accepts(self, value: &serde_yaml::Value) -> bool {
        use serde_yaml::Value as Y;
        let id = |v: &Y| v.is_string() || v.is_u64();
        match self {
            ParamKind::Text | ParamKind::Choice | ParamKind::Date => value.is_string(),
            ParamKind::Number => value.is_i64(),
            ParamKind::Id => id(value),
            ParamKind::Flag => value.is_bool(),
            ParamKind::Structure => value.is_mapping(),
            ParamKind::Collection => value.is_mapping() || value.is_sequence(),
            ParamKind::Binary => value.is_string(),
            ParamKind::Files | ParamKind::Media => value
                .as_mapping()
                .is_some_and(|m| m.iter().all(|(k, v)| k.is_string() && v.is_string())),
            ParamKind::Array(item) => value.as_sequence().is_some_and(|items| {
                items.iter().all(|v| match item {
                    Item::Text => v.is_string(),
                    Item::Number => v.is_i64(),
                    Item::Id => id(v),
                    Item::Structure => v.is_mapping(),
                })
            }),
        }
    }

    /// A default as a Rust expression of the optional argument's inner type, for the kinds
    /// that may have one; it is read inside the library's module.
    pub fn default_literal(
        self,
        value: &serde_yaml::Value,
        choice: Option<&Choice>,
    ) -> Option<String> {
        use serde_yaml::Value as Y;
        match (self, value) {
            (ParamKind::Flag, Y::Bool(b)) => Some(b.to_string()),
            (ParamKind::Number, Y::Number(n)) if n.is_i64() => Some(n.to_string()),
            (ParamKind::Text, Y::String(s)) => Some(format!("{s:?}")),
            (ParamKind::Id, Y::Number(n)) if n.is_u64() => Some(format!("Id::from({n}u64)")),
            (ParamKind::Id, Y::String(s)) => Some(format!("Id::from({s:?})")),
            (ParamKind::Array(Item::Text), Y::String(s)) => Some(format!("vec![{s:?}.to_owned()]")),
            (ParamKind::Choice, Y::String(s)) => {
                let choice = choice?;
                let (_, variant) = choice.values.iter().find(|(v, _)| v == s)?;
                Some(format!("{}::{variant}", choice.enum_name))
            }
            _ => None,
        }
    }

    /// OPI leaves "empty" values out of a request: `""`, `0`, `false` where a Boolean is not
    /// sent as `Y`/`N`. A default that is empty is therefore not sent.
    pub fn is_empty_default(self, wire: Wire, value: &serde_yaml::Value) -> bool {
        use serde_yaml::Value as Y;
        match value {
            Y::String(s) => s.is_empty(),
            Y::Number(n) => n.as_f64() == Some(0.0),
            Y::Bool(false) => wire != Wire::Yn && wire != Wire::YnInverted,
            Y::Sequence(items) => items.is_empty(),
            Y::Mapping(map) => map.is_empty(),
            _ => false,
        }
    }
}

/// The Type column of the docs page, in OPI's words: `String, Number`, `Array of String`,
/// `Structure Of KeyAndValue`.
pub fn docs_type(types: &[TypeName], items: Option<&[TypeName]>) -> String {
    let word = |t: &TypeName| match t {
        TypeName::Structure => "Structure Of KeyAndValue".to_owned(),
        TypeName::Map => "Map Of KeyAndValue".to_owned(),
        TypeName::Array => {
            let items: Vec<&str> = items
                .unwrap_or_default()
                .iter()
                .map(|t| match t {
                    TypeName::Structure => "Structure",
                    other => item_word(*other),
                })
                .collect();
            format!("Array of {}", items.join(", "))
        }
        other => item_word(*other).to_owned(),
    };
    let words: Vec<String> = types.iter().map(word).collect();
    words.join(", ")
}

fn item_word(t: TypeName) -> &'static str {
    match t {
        TypeName::String => "String",
        TypeName::Number => "Number",
        TypeName::Boolean => "Boolean",
        TypeName::Date => "Date",
        TypeName::Structure => "Structure",
        TypeName::Map => "Map",
        TypeName::Array => "Array",
        TypeName::BinaryData => "BinaryData",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Returns {
    /// In OPI's words, e.g. `Map Of KeyAndValue`.
    pub docs_type: String,
    pub description: Localized,
    /// The declared type of the answer's `result`.
    pub result: ResultType,
    /// The method returns a structure built from the answer (`rest.keys_of`), not the answer.
    pub builds_structure: bool,
    /// The method returns the bytes of a file its answer names.
    pub file: bool,
    /// The Rust type of the answer's `result`, e.g. `bool`; `None` keeps it as JSON.
    pub result_type: Option<&'static str>,
}

/// Whether a JSON `result` decodes as the declared type.
pub fn result_fits(declared: ResultType, result: &serde_json::Value) -> bool {
    match declared {
        ResultType::Bool => result.is_boolean(),
        ResultType::Id => result.is_u64(),
        ResultType::Ids => result
            .as_array()
            .is_some_and(|items| items.iter().all(serde_json::Value::is_u64)),
        ResultType::Text => result.is_string(),
        ResultType::Object => result.is_object(),
        ResultType::Keyed => result
            .as_object()
            .is_some_and(|map| map.values().all(serde_json::Value::is_object)),
        ResultType::List => result
            .as_array()
            .is_some_and(|items| items.iter().all(serde_json::Value::is_object)),
        ResultType::Any => true,
    }
}

/// The Rust type of a declared result.
pub fn result_type(result: ResultType) -> Option<&'static str> {
    match result {
        ResultType::Bool => Some("bool"),
        ResultType::Id => Some("u64"),
        ResultType::Ids => Some("Vec<u64>"),
        ResultType::Text => Some("String"),
        ResultType::Object | ResultType::Keyed => {
            Some("serde_json::Map<String, serde_json::Value>")
        }
        ResultType::List => Some("Vec<serde_json::Value>"),
        ResultType::Any => None,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodExample {
    /// One per parameter, in signature order.
    pub args: Vec<ExampleArg>,
    /// What the method returns, as written in the spec.
    pub result: String,
    /// The API's answer, as written in the spec: `result` itself unless the method builds
    /// something from the answer.
    pub answer: String,
}

impl MethodExample {
    /// The example arguments as a Rust argument list, e.g. `452, 10`.
    pub fn rust_args(&self) -> String {
        let args: Vec<&str> = self.args.iter().map(|a| a.rust.as_str()).collect();
        args.join(", ")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExampleArg {
    /// A Rust expression, e.g. `452`, `"452"` or `Some(true)`.
    pub rust: String,
    /// The value as the CLI receives it, unquoted.
    pub cli_raw: String,
    /// The JSON value sent for it (or put in a template).
    pub sent: serde_json::Value,
}

impl ExampleArg {
    /// Assumes `param.kind.accepts(value)`, which validation checked.
    pub fn new(param: &Param, library_command: &str, value: &serde_yaml::Value) -> ExampleArg {
        use serde_yaml::Value as Y;
        // JSON text straight from the YAML, in the YAML's key order: a `serde_json::Value`
        // would order keys by whatever features serde_json has in this build.
        let compact = |v: &Y| serde_json::to_string(v).unwrap_or_default();
        let json: serde_json::Value = serde_json::to_value(value).unwrap_or_default();
        let cli_raw = match value {
            Y::String(s) => s.clone(),
            Y::Sequence(_) | Y::Mapping(_) => compact(value),
            _ => json.to_string(),
        };
        let module = format!("{CRATE}::{library_command}");
        let json_macro = |v: &Y| format!("serde_json::json!({})", compact(v));
        let id_literal = |v: &Y| match v {
            Y::String(s) => format!("{s:?}"),
            other => compact(other),
        };
        // One value or several: a list either way.
        let items = || match value {
            Y::Sequence(items) => items.clone(),
            single => vec![single.clone()],
        };
        let list = |f: &dyn Fn(&Y) -> String| -> Vec<String> { items().iter().map(f).collect() };
        let (rust, optional) = match param.kind {
            ParamKind::Text | ParamKind::Choice if param.choice.is_none() => {
                (format!("{cli_raw:?}"), format!("Some({cli_raw:?})"))
            }
            ParamKind::Choice | ParamKind::Text => {
                let choice = param.choice.as_ref();
                let variant = choice
                    .and_then(|c| c.values.iter().find(|(v, _)| *v == cli_raw))
                    .map(|(_, variant)| variant.clone())
                    .unwrap_or_default();
                let enum_name = choice.map(|c| c.enum_name.as_str()).unwrap_or_default();
                let path = format!("{module}::{enum_name}::{variant}");
                (path.clone(), format!("Some({path})"))
            }
            ParamKind::Number | ParamKind::Flag => (cli_raw.clone(), format!("Some({cli_raw})")),
            ParamKind::Id => {
                let literal = id_literal(value);
                (literal.clone(), format!("Some({literal}.into())"))
            }
            ParamKind::Date => {
                let parse = format!("{module}::Date::parse({cli_raw:?})?");
                (parse.clone(), format!("Some({parse})"))
            }
            ParamKind::Structure | ParamKind::Collection => {
                (json_macro(value), format!("Some({})", json_macro(value)))
            }
            ParamKind::Array(Item::Id) => (
                format!("[{}]", list(&id_literal).join(", ")),
                format!(
                    "Some(vec![{}])",
                    list(&|v| format!("{}.into()", id_literal(v))).join(", ")
                ),
            ),
            ParamKind::Array(Item::Text) => (
                format!("[{}]", list(&id_literal).join(", ")),
                format!(
                    "Some(vec![{}])",
                    list(&|v| format!("{}.to_owned()", id_literal(v))).join(", ")
                ),
            ),
            ParamKind::Array(Item::Number) => {
                let numbers = list(&compact).join(", ");
                (format!("[{numbers}]"), format!("Some(vec![{numbers}])"))
            }
            ParamKind::Array(Item::Structure) => {
                let objects = list(&json_macro).join(", ");
                (format!("[{objects}]"), format!("Some(vec![{objects}])"))
            }
            ParamKind::Binary => {
                let read = format!("{module}::Binary::read({cli_raw:?})?");
                (read.clone(), format!("Some({read})"))
            }
            ParamKind::Files => {
                let files: Vec<String> = value
                    .as_mapping()
                    .into_iter()
                    .flatten()
                    .map(|(name, path)| {
                        format!(
                            "{module}::Binary::read({:?})?.named({:?})",
                            path.as_str().unwrap_or_default(),
                            name.as_str().unwrap_or_default()
                        )
                    })
                    .collect();
                (
                    format!("[{}]", files.join(", ")),
                    format!("Some(vec![{}])", files.join(", ")),
                )
            }
            ParamKind::Media => {
                let files: Vec<String> = value
                    .as_mapping()
                    .into_iter()
                    .flatten()
                    .map(|(path, kind)| {
                        format!(
                            "({module}::Binary::read({:?})?, {:?})",
                            path.as_str().unwrap_or_default(),
                            kind.as_str().unwrap_or_default()
                        )
                    })
                    .collect();
                (
                    format!("[{}]", files.join(", ")),
                    format!("Some(vec![{}])", files.join(", ")),
                )
            }
        };
        ExampleArg {
            rust: if param.required { rust } else { optional },
            cli_raw,
            sent: json,
        }
    }
}

/// Whether `text` is a date in a form the runtime's `Date::parse` takes: `YYYY-MM-DD`, or
/// `YYYY-MM-DDThh:mm:ss` with an optional `Z` or `±hh:mm`. A light check for examples; the
/// runtime parses with chrono.
pub fn is_date(text: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let date_ok = |d: &str| {
        let parts: Vec<&str> = d.split('-').collect();
        matches!(parts.as_slice(), [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2))
    };
    let time_ok = |t: &str| {
        let t = t.strip_suffix('Z').unwrap_or(t);
        let t = match t.len() {
            14 if t[8..9] == *"+" || t[8..9] == *"-" => &t[..8],
            _ => t,
        };
        let parts: Vec<&str> = t.split(':').collect();
        matches!(parts.as_slice(), [h, m, s] if digits(h, 2) && digits(m, 2) && digits(s, 2))
    };
    match text.split_once('T') {
        Some((date, time)) => date_ok(date) && time_ok(time),
        None => date_ok(text),
    }
}

/// `ChatID` → `chat_id`; a keyword becomes a raw identifier, and the few words that cannot be
/// raw (`self`, `super`, `crate`, `Self`) get a trailing `_`.
pub fn rust_ident(name: &str) -> String {
    let snake = plural_acronyms(name).to_snake_case();
    if syn::parse_str::<syn::Ident>(&snake).is_ok() {
        snake
    } else if syn::parse_str::<syn::Ident>(&format!("r#{snake}")).is_ok() {
        format!("r#{snake}")
    } else {
        format!("{snake}_")
    }
}

/// `UserIDs` → `UserIds`: a plural acronym is one word, so that it becomes `user_ids` and not
/// `user_i_ds`.
fn plural_acronyms(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let plural = run >= 2
            && chars.get(i + run) == Some(&'s')
            && chars
                .get(i + run + 1)
                .is_none_or(|c| !c.is_ascii_lowercase());
        if plural {
            out.push(chars[i]);
            out.extend(chars[i + 1..i + run].iter().map(|c| c.to_ascii_lowercase()));
            i += run;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// `LIGHT_BLUE` → `LightBlue`: an enum variant.
pub fn variant(value: &str) -> String {
    let variant = heck::ToUpperCamelCase::to_upper_camel_case(value.to_ascii_lowercase().as_str());
    // `Self` is the one PascalCase keyword, and cannot be raw.
    if variant == "Self" {
        "Self_".to_owned()
    } else {
        variant
    }
}

/// `DeleteUserFromChat` → `Delete user from chat`.
pub fn title(name: &str) -> String {
    let words = name.to_snake_case().replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn slug(name: &str) -> String {
    name.to_kebab_case()
}

/// The first sentence: up to the first `. ` or the end.
pub fn summary(description: &str) -> String {
    let text = description.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.find(". ") {
        Some(end) => text[..end].to_owned(),
        None => text.trim_end_matches('.').to_owned(),
    }
}

/// The Rust signature of a method, as the docs page shows it.
pub fn signature(fn_name: &str, params: &[Param], returns: &Returns, is_template: bool) -> String {
    // A method on `&self` even without a URL: the client's timeouts, retries and logging apply.
    let receiver = (!is_template).then(|| "&self".to_owned());
    let args: Vec<String> = receiver
        .into_iter()
        .chain(
            params
                .iter()
                .map(|p| format!("{}: {}", p.ident, p.rust_type)),
        )
        .collect();
    if is_template {
        format!("pub fn {fn_name}({}) -> serde_json::Value", args.join(", "))
    } else {
        format!(
            "pub fn {fn_name}({}) -> Pending<'_, {}>",
            args.join(", "),
            answer_type(returns)
        )
    }
}

/// What a REST method's call gives once awaited (inside `Pending<'_, …>`): `Answer`,
/// `Answer<bool>`, …, or `serde_json::Value` for a structure built from the answer.
pub fn answer_type(returns: &Returns) -> String {
    if returns.file {
        return "Vec<u8>".to_owned();
    }
    if returns.builds_structure {
        return "serde_json::Value".to_owned();
    }
    match returns.result_type {
        Some(ty) => format!("Answer<{ty}>"),
        None => "Answer".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(rust_ident("ChatID"), "chat_id");
        assert_eq!(rust_ident("URL"), "url");
        assert_eq!(rust_ident("Type"), "r#type");
        assert_eq!(rust_ident("Self"), "self_");
        assert_eq!(rust_ident("UserIDs"), "user_ids");
        assert_eq!(rust_ident("IDsOfURLs"), "ids_of_urls");
        assert_eq!(rust_ident("MessageID"), "message_id");
        assert_eq!(title("DeleteUserFromChat"), "Delete user from chat");
        assert_eq!(
            slug("Chats and dialogs management"),
            "chats-and-dialogs-management"
        );
        assert_eq!(summary("Removes a user. Then more."), "Removes a user");
    }
}
