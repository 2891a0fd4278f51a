//! The spec as written in YAML: serde structs that refuse unknown keys.
//!
//! Checks that need a single value (the shape of a flag, a name, a URL, a type) run while the
//! value is deserialized, through `try_from` newtypes: serde_yaml then reports them with the
//! file's line and column and the path inside the document. Checks across values live in
//! `validate`.

use serde::Deserialize;

/// `spec/<library>/library.yaml`: what every method of a library shares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibrarySpec {
    /// Display name, e.g. `Bitrix24`.
    pub name: Text,
    /// The CLI subcommand and the Rust module, e.g. `bitrix24`.
    pub command: Word,
    /// The languages its prose is written in (`[en, ru]`); the first is the language of the
    /// Rust client, the CLI and the OpenAPI document; each has its own docs pages. `[en]` when
    /// left out.
    #[serde(default)]
    pub languages: Option<Vec<Language>>,
    pub description: Prose,
    pub connection: ConnectionSpec,
    pub groups: Vec<GroupSpec>,
    /// Other hosts some methods call instead of the portal, by name (e.g. the OAuth server).
    #[serde(default)]
    pub servers: std::collections::BTreeMap<Word, ServerSpec>,
    /// How the service says a call failed.
    pub errors: ErrorsSpec,
    /// How values of each type go on the wire when a parameter names no encoding.
    pub encodings: EncodingsSpec,
    /// The limits the service sets; none when left out.
    #[serde(default)]
    pub limits: Option<LimitsSpec>,
    /// How requests and answers are shaped.
    pub wire: WireSpec,
    /// What the OpenAPI document says of the service beyond the methods; nothing when left out.
    #[serde(default)]
    pub openapi: Option<OpenApiSpec>,
    pub example: LibraryExample,
}

/// A host that some methods call instead of the portal: they take no URL or token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSpec {
    /// The base URL, ending with `/`; the method's `rest.method` is appended.
    pub url: ServerUrl,
    /// The variable that replaces the base URL (for tests and proxies).
    pub env: EnvVar,
    pub description: Text,
    /// How the answer is wrapped.
    #[serde(default)]
    pub answer: AnswerEnvelope,
}

/// How the service says a call failed: the keys of its error answer, and the codes that mean
/// more than "refused".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorsSpec {
    /// The key whose presence makes an answer an error, holding the error's code.
    pub code: FieldName,
    /// The key that holds the service's explanation.
    pub description: FieldName,
    /// Codes the client acts on, each with what it means.
    #[serde(default)]
    pub signals: Vec<SignalSpec>,
}

/// The service's own wire form of the types that have several: the encoding a parameter of
/// that type gets when it names none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodingsSpec {
    /// `Boolean`: `yn`, `yn_inverted` or `json`.
    pub boolean: Encoding,
    /// `Date`: `datetime`, `datetime_z` or `date`.
    pub date: Encoding,
    /// `BinaryData`: `file` or `base64`.
    pub file: Encoding,
}

/// The limits a service sets, which its clients keep to by waiting.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsSpec {
    /// Its request limit: `burst` requests at once, then `per_second`.
    #[serde(default)]
    pub rate: Option<RateSpec>,
    /// Seconds of running time a method may use per period, as its answers count them.
    #[serde(default)]
    pub time_budget: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateSpec {
    pub burst: u32,
    pub per_second: f64,
}

/// An error code the client acts on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalSpec {
    /// The code as the service writes it (a number in quotes).
    pub code: Text,
    pub means: SignalKind,
    /// For `time_budget`: where the answer says when the budget starts again (unix time), a
    /// path into the answer such as `time.operating_reset_at`.
    #[serde(default)]
    pub reset_at: Option<FieldPath>,
    /// For `rate_limited`: where the answer says how many seconds to wait, a path into the
    /// answer such as `parameters.retry_after`.
    #[serde(default)]
    pub retry_after: Option<FieldPath>,
}

/// What an error code means to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// The access token has expired: renew it (a renewing client does) and call again.
    TokenExpired,
    /// The service limits requests: nothing was done, wait and try again (always retried).
    RateLimited,
    /// The method used up its time budget; blocked until `reset_at`.
    TimeBudget,
    /// A block only the service's support lifts: an API error that is never retried, even
    /// for reads.
    Blocked,
}

/// How a server wraps what a method returns.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerEnvelope {
    /// `{"result": …, "time": …}`, as the portal answers.
    #[default]
    Wrapped,
    /// The whole JSON body is the result (the OAuth server's answers).
    Whole,
}

/// How a client reaches the service: the values a user gives (every method that calls the
/// service takes them) and the auth modes they make.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionSpec {
    pub params: Vec<ConnectionParamSpec>,
    /// The ways to reach the service; the generated client has a constructor for each.
    pub modes: Vec<ModeSpec>,
    /// The method that renews an expired access token: it takes the app's client ID, its
    /// client secret and the refresh token (three required `String` parameters, in that order)
    /// and answers `access_token` and `refresh_token`. With it, the client has a constructor
    /// that renews its token (`<mode>_renewing`, for the first mode with a `credential`).
    #[serde(default)]
    pub renewal: Option<MethodName>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionParamSpec {
    pub name: ParamName,
    pub cli: CliFlag,
    pub description: Prose,
    /// Environment variable the CLI reads when the option is not given.
    pub env: EnvVar,
    /// `false`: the value may be left out (it then picks another mode).
    #[serde(default = "yes")]
    pub required: bool,
    /// A credential: never shown, and cut out of every text a person may see.
    #[serde(default)]
    pub secret: bool,
    /// Where the value sits among a method's parameters (docs, help, examples): `first` (the
    /// default) or `last`.
    #[serde(default)]
    pub place: Place,
}

fn yes() -> bool {
    true
}

/// Where a connection value sits among a method's parameters.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    #[default]
    First,
    Last,
}

/// One way to reach and authenticate to the service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModeSpec {
    /// The constructor's name, e.g. `webhook`.
    pub name: Word,
    /// The constructor's documentation.
    pub description: Text,
    /// The mode is chosen (by `Client::new` and the CLI) when this connection value is given
    /// and not empty; a mode without one is chosen otherwise.
    #[serde(default)]
    pub when: Option<ParamName>,
    pub address: AddressSpec,
    /// The request field or header that carries a connection value in every call to the
    /// service.
    #[serde(default)]
    pub credential: Option<CredentialSpec>,
    /// For an address whose path holds a secret: the segments that are not secret; every other
    /// segment but a number is, and is shown as `***`.
    #[serde(default)]
    pub public_segments: Option<Vec<Word>>,
    /// A path put in front of the address' path, under which the files a method's answer
    /// names are read (`file/`: Telegram's `https://api.telegram.org/file/bot<token>/…`).
    #[serde(default)]
    pub downloads: Option<Text>,
    /// The comment above this mode's lines in the docs' code example.
    pub example_note: Prose,
    /// Example values of the connection values the mode takes, by name.
    pub example: std::collections::BTreeMap<ParamName, Text>,
}

/// Where a mode's address comes from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressSpec {
    /// A connection value a user gives, e.g. `URL`: https when no scheme is given, `/` at the end.
    #[serde(default)]
    pub given: Option<ParamName>,
    /// With `given`: a path added unless the path ends with it already, e.g. `rest/`.
    #[serde(default)]
    pub append: Option<Text>,
    /// Instead of `given`: a fixed https URL ending with `/` whose `{Name}` places take
    /// connection values, e.g. `https://api.example.org/bot{Token}/`.
    #[serde(default)]
    pub url: Option<Text>,
}

/// Where a connection value goes in every call to the service: a request field or a header.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialSpec {
    pub param: ParamName,
    /// The request field that carries it: in the JSON body of a POST, the query of a GET
    /// (Bitrix24's `auth`).
    #[serde(default)]
    pub field: Option<FieldName>,
    /// Instead of `field`: the HTTP header that carries it, e.g. `Authorization`.
    #[serde(default)]
    pub header: Option<HeaderName>,
    /// With `header`: the text before the value, e.g. `"Bearer "`.
    #[serde(default)]
    pub prefix: Option<String>,
}

/// How requests and answers are shaped.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireSpec {
    /// The key of a successful answer that holds the result, e.g. `result`.
    pub result: FieldName,
    /// How an object or an array goes in a query string: `brackets` (PHP's `a[b]=1`) or
    /// `json` (one field holding compact JSON).
    pub query: QueryForm,
    /// The key beside the result that holds the call's timing (needed by a time budget).
    #[serde(default)]
    pub time: Option<FieldName>,
    /// The keys beside a list's result: how many items in all, and the next page's `start`
    /// (needed by a method that reads a list).
    #[serde(default)]
    pub total: Option<FieldName>,
    #[serde(default)]
    pub next: Option<FieldName>,
    /// Several calls in one request (needed by a method that reads a whole list).
    #[serde(default)]
    pub batch: Option<BatchSpec>,
}

/// How several calls go in one request: the method, its request fields, and the keys of its
/// answer's result that hold each call's outcome by the call's key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchSpec {
    pub method: FieldName,
    pub commands: FieldName,
    pub halt: FieldName,
    pub results: FieldName,
    pub errors: FieldName,
    pub totals: FieldName,
    pub nexts: FieldName,
    pub times: FieldName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryForm {
    Brackets,
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// The group's label; methods name their group by its text in the first language.
    pub name: Prose,
    /// 1-based place of the group in the docs sidebar.
    pub position: Position,
}

/// The OpenAPI document's own texts: how the service is reached and how it fails.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenApiSpec {
    /// Added to the library's description: how a call is made and authenticated.
    pub about: Text,
    /// The document's servers, one per way in.
    pub servers: Vec<OpenApiServerSpec>,
    /// The credential as a security scheme, when one goes in each request.
    #[serde(default)]
    pub security: Option<OpenApiSecuritySpec>,
    /// The error answers every method may give, each with an example.
    pub errors: Vec<OpenApiErrorSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenApiServerSpec {
    pub url: Text,
    pub description: Text,
    #[serde(default)]
    pub variables: Vec<OpenApiVariableSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenApiVariableSpec {
    pub name: Text,
    pub default: Text,
    pub description: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenApiSecuritySpec {
    /// The scheme's name in the document, e.g. `oauthToken`.
    pub scheme: Text,
    /// The parameter that carries the credential, e.g. `auth`.
    pub field: FieldName,
    pub description: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenApiErrorSpec {
    /// The HTTP status, e.g. `"400"`.
    pub status: Text,
    /// The response's name among the document's components, e.g. `BadRequest`.
    pub name: Text,
    pub description: Text,
    /// An example: the service's code and its explanation.
    pub code: Text,
    pub text: Text,
}

/// What the examples on every page show.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryExample {
    /// The mode whose example values the command-line examples use.
    pub cli: Word,
    /// The method the getting-started guide calls first, in Rust and on the command line.
    #[serde(default)]
    pub first_call: Option<MethodName>,
}

/// `spec/<library>/methods/<Name>.yaml`: one API method.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodSpec {
    pub name: MethodName,
    /// The page's title; the name as words (`Delete user from chat`) when left out. A library
    /// with more than one language gives it in each.
    pub title: Option<Prose>,
    pub description: Prose,
    /// What a user should know beyond the description: where the wire behaviour differs from
    /// what one would guess, and why (shown on the docs page and in rustdoc).
    pub notes: Option<Prose>,
    /// Why the method should no longer be used, and what to use instead.
    pub deprecated: Option<Prose>,
    pub group: Text,
    /// 1-based place of the method in its group.
    pub position: Position,
    /// `false`: the method is in the Rust client and the docs, but not a command of the CLI
    /// (OPI's `!NOCLI`); its parameters then have no `cli`.
    #[serde(default = "yes")]
    pub cli: bool,
    /// The REST call; absent for a method that returns a `template` instead.
    pub rest: Option<RestSpec>,
    pub template: Option<TemplateSpec>,
    /// Request fields sent with constant values.
    #[serde(default)]
    pub fixed: serde_yaml::Mapping,
    #[serde(default)]
    pub params: Vec<ParamSpec>,
    pub returns: ReturnsSpec,
    pub example: MethodExample,
}

/// A method that makes no HTTP call and returns a structure to fill in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSpec {
    /// JSON text; a string `"{Param}"` is replaced by that parameter's value.
    pub value: Option<JsonText>,
    /// Instead of `value`: a named hook of the runtime builds the structure from the
    /// parameters, in their order.
    pub hook: Option<TemplateHook>,
    /// A Boolean parameter that, when true, empties every value.
    pub clear: Option<ParamName>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestSpec {
    pub method: RestMethod,
    #[serde(default)]
    pub http: HttpVerb,
    pub docs: DocsUrl,
    /// Whether sending the call twice does no harm (reads): the client then retries it after
    /// a timeout, a lost connection or a 5xx. Writes are not retried then.
    #[serde(default)]
    pub safe_to_repeat: bool,
    /// A server of `library.yaml` to call instead of the portal.
    pub server: Option<Word>,
    /// A two-step upload: the first answer names where to send the file.
    pub upload: Option<UploadSpec>,
    /// The method reads a list in pages: how, for whole-list reads.
    pub list: Option<ListSpec>,
    /// Another method called when a parameter is not sent (OPI calls the General topic's
    /// method when no topic is given).
    pub when_absent: Option<WhenAbsentSpec>,
    /// After the call, the file its answer names is read: the method returns its bytes.
    pub download: Option<DownloadSpec>,
}

/// After the call, the file at the path the answer's `result` holds at `path` is read from the
/// auth mode's `downloads` address.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DownloadSpec {
    pub path: FieldName,
    /// While the answer names no file, the call is made again, up to this many more times,
    /// waiting 1 s, 2 s, … before each (OPI's getFile loop). 0 by default.
    #[serde(default)]
    pub repeats: u8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhenAbsentSpec {
    pub param: ParamName,
    pub method: RestMethod,
}

/// A parameter's text split in two on the way out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSpec {
    /// What separates the pieces, e.g. `*`.
    pub on: Text,
    /// The request field of the second piece, sent as a number when it is one.
    pub then: FieldPath,
}

/// A named hook that prepares a text before it is sent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrepareSpec {
    pub hook: Hook,
    /// The parameter whose value the hook reads (the markup's name).
    pub by: ParamName,
}

/// The builders of the runtime a template may name instead of a `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateHook {
    /// `template::button_keyboard(buttons, under_message, one_per_row)`: OPI's keyboard from
    /// an array of texts, as single-quoted JSON text.
    ButtonKeyboard,
    /// `template::init_data(data, token)`: a Telegram Mini App's `initData`, its fields
    /// decoded, and whether its `hash` is the HMAC-SHA256 signature the bot's token makes.
    InitData,
}

impl TemplateHook {
    /// As the spec writes it, e.g. `button_keyboard`: the key of the tip on its method's page
    /// that says what the method does (`template_does` in `codegen/templates/words.yaml`).
    pub fn name(self) -> &'static str {
        match self {
            TemplateHook::ButtonKeyboard => "button_keyboard",
            TemplateHook::InitData => "init_data",
        }
    }
}

/// The hooks of the runtime a spec may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hook {
    /// `encode::markup_text`: escaping for the parse mode named by `by`, then `%XX` decoding.
    Markup,
    /// `encode::media_group`: a map of files to their kinds as a media group — one file part
    /// each, and the list of them (`type`, `attach://<part>`) at the parameter's field, whose
    /// first item takes the text of `by` as its caption.
    MediaGroup,
}

/// A structure built from a list answer: each item's `key` mapped to its `value`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapOfSpec {
    pub key: FieldName,
    pub value: FieldName,
}

/// How a list method pages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSpec {
    /// Where the items are in `result` (`tasks`); absent when `result` is the list.
    pub items: Option<FieldName>,
    /// The request field of the page's offset; `start` by default.
    pub start: Option<FieldName>,
    /// The field to walk the list by (`ID`): a filter `>ID` and an order by it. Absent: pages
    /// are read by `start`.
    pub by: Option<FieldName>,
    /// How each item names that field in the answer, when not as `by` does (`id`).
    pub id: Option<FieldName>,
    /// The request fields of the filter, the order and the selected fields.
    pub filter: Option<FieldName>,
    pub order: Option<FieldName>,
    pub select: Option<FieldName>,
}

/// After the call, the file goes as `multipart/form-data` to the URL the answer's `result`
/// holds at `url`, in a form field named by the answer's `result` at `field`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadSpec {
    pub url: FieldName,
    pub field: FieldName,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum HttpVerb {
    /// A JSON body.
    #[default]
    #[serde(rename = "POST")]
    Post,
    /// The fields in the query string, in PHP's `a[b][]=c` form.
    #[serde(rename = "GET")]
    Get,
    /// `multipart/form-data`: each field a text part, each BinaryData parameter a file part.
    #[serde(rename = "multipart")]
    Multipart,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    pub name: ParamName,
    /// The long option; absent exactly in a method that is not a command (`cli: false`).
    pub cli: Option<CliFlag>,
    /// OPI's type words; `[String, Number]` is an ID that may be given either way.
    pub types: Vec<TypeName>,
    /// With `types: [Array]`: the items' type words.
    pub items: Option<Vec<TypeName>>,
    /// A closed set of values for a `String`, and the Rust enum generated for it.
    pub values: Option<Vec<EnumValue>>,
    #[serde(rename = "enum")]
    pub enum_name: Option<MethodName>,
    /// How the value goes on the wire, where its type allows more than one way.
    pub encoding: Option<Encoding>,
    /// The request field Bitrix24 reads, e.g. `CHAT_ID`, or a path into a nested object, e.g.
    /// `fields.TITLE`; absent with `merge`, `part` or `ignored`.
    pub field: Option<FieldPath>,
    /// A `Structure` whose keys go into the request body itself.
    #[serde(default)]
    pub merge: bool,
    /// For a `Structure`: the only keys it may have, each with its encoding.
    pub keys: Option<std::collections::BTreeMap<FieldName, Encoding>>,
    pub description: Prose,
    pub required: Option<bool>,
    /// OPI's default; implies `required: false`.
    pub default: Option<serde_yaml::Value>,
    /// Send the default even though it is an empty value (`0`), which OPI's rule would leave out.
    #[serde(default)]
    pub send_default: bool,
    /// Another parameter: when it is sent, this one is not.
    pub unless: Option<ParamName>,
    /// The value is a secret: masked wherever it could be shown.
    #[serde(default)]
    pub secret: bool,
    /// The environment variable the CLI reads when the option is not given.
    pub env: Option<EnvVar>,
    /// With `rest.upload`: the file, or its name, in the multipart upload; with `http:
    /// multipart`, `filename` only.
    pub part: Option<Part>,
    /// With `http: multipart`, for a BinaryData parameter: the file name its part is sent
    /// under (`photo`), instead of the file's own.
    pub file_name: Option<Text>,
    /// Refuse an empty value, for this reason, before anything is sent.
    pub not_empty: Option<Text>,
    /// Why the parameter changes nothing (kept so OPI's command lines still work).
    pub ignored: Option<Text>,
    /// For `BinaryData` sent as `[name, base64]`: the `String` parameter whose value is the
    /// name, instead of the file's own.
    pub named_by: Option<ParamName>,
    /// The value's text split in two: `{on: "*", then: message_thread_id}`.
    pub split: Option<SplitSpec>,
    /// A hook that prepares the text: `{hook: markup, by: Markup}`.
    pub prepare: Option<PrepareSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum TypeName {
    String,
    Number,
    Boolean,
    Date,
    Structure,
    Map,
    Array,
    BinaryData,
}

/// How a value goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// As given.
    Plain,
    /// `BinaryData`: `[name, base64]`, as OPI uploads files to Bitrix24.
    File,
    /// `BinaryData`: a bare base64 string.
    Base64,
    /// `Boolean`: `"Y"` or `"N"`, always sent.
    Yn,
    /// `Boolean`: `"N"` for true and `"Y"` for false, always sent.
    YnInverted,
    /// `Boolean`: JSON `true`, and not sent when false.
    Json,
    /// `Date`: `YYYY-MM-DDThh:mm:ss`.
    Datetime,
    /// `Date`: `YYYY-MM-DDThh:mm:ssZ`.
    DatetimeZ,
    /// `Date`: `YYYY-MM-DD`.
    Date,
    /// `String`: one value or several, always sent as a JSON array.
    Array,
    /// `String`: a base URL: `https://` in front unless a scheme is given, `/` at the end.
    BaseUrl,
    /// `Number`: sent as a JSON string, as OPI sends some IDs typed as numbers.
    String,
    /// `String, Number` (an ID): a JSON number when the text is an integer, else the text
    /// (`@channel`), as OPI sends IDs "as Number" to services that read numbers.
    Numeric,
    /// `Date`: seconds since 1970-01-01T00:00:00Z (a time without offset read as UTC).
    Unix,
    /// `Boolean`: the JSON number `1` or `0`, always sent.
    OneZero,
}

/// The role of a parameter in a multipart upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    File,
    Filename,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultType {
    Bool,
    Id,
    Ids,
    Text,
    Object,
    /// An object keyed by ID, each value an object.
    Keyed,
    List,
    Any,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnsSpec {
    /// OPI's words for what comes back, shown on the docs page.
    #[serde(rename = "type")]
    pub docs_type: Text,
    pub description: Prose,
    /// The type of `result`, decoded by the client.
    pub result: Option<ResultType>,
    /// Instead of the answer, a structure built from it: the keys of `result` whose object has
    /// `where` set, each with the value at `value`.
    pub keys_of: Option<KeysOfSpec>,
    /// Instead of the answer, a structure built from `result`, a list: each item's `key`
    /// mapped to its `value`; the whole answer when the list is empty.
    pub map_of: Option<MapOfSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysOfSpec {
    #[serde(rename = "where")]
    pub where_: FieldName,
    pub value: FieldName,
    /// A Boolean parameter that, when true, leaves every value empty.
    pub clear: Option<ParamName>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodExample {
    /// Example value of each parameter, by parameter name, in signature order.
    #[serde(default)]
    pub args: serde_yaml::Mapping,
    /// What the method returns, as JSON text: a recorded answer of the API, or what a
    /// template or a `keys_of` method builds.
    pub result: JsonText,
    /// With `returns.keys_of`: the API's answer the structure is built from.
    pub answer: Option<JsonText>,
}

/// Declares a `String` newtype whose deserialization runs a check. The check runs inside the
/// scalar's own deserialization, so serde_yaml reports a failure at the scalar's line and column
/// with its full path.
macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub String);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Check;
                impl serde::de::Visitor<'_> for Check {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<$name, E> {
                        let check: fn(&str) -> Result<(), String> = $check;
                        check(value).map(|()| $name(value.to_owned())).map_err(E::custom)
                    }
                    // `null`, `~` or nothing is not the text "null": say so.
                    fn visit_unit<E: serde::de::Error>(self) -> Result<$name, E> {
                        Err(E::custom("is empty (null): write the text"))
                    }
                    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<$name, E> {
                        Err(E::custom(format!("is the boolean {value}, not text: put it in quotes")))
                    }
                    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<$name, E> {
                        Err(E::custom(format!("is the number {value}, not text: put it in quotes")))
                    }
                    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<$name, E> {
                        Err(E::custom(format!("is the number {value}, not text: put it in quotes")))
                    }
                    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<$name, E> {
                        Err(E::custom(format!("is the number {value}, not text: put it in quotes")))
                    }
                }
                deserializer.deserialize_any(Check)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
    };
}

checked_string!(
    /// Prose: not empty.
    Text,
    |s| {
        if s.trim().is_empty() {
            Err("must not be empty".into())
        } else {
            Ok(())
        }
    }
);

checked_string!(
    /// A value of a closed set, e.g. `LIGHT_BLUE`: it becomes an enum variant (`LightBlue`).
    EnumValue,
    |s| {
        let ok = s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ok {
            Ok(())
        } else {
            Err(format!("`{s}` cannot become an enum variant: ASCII letters, digits and `_`"))
        }
    }
);

checked_string!(
    /// A lower-case word: a CLI subcommand and a Rust module.
    Word,
    |s| {
        let ok = s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if ok {
            Ok(())
        } else {
            Err(format!("`{s}` must be lower-case ASCII letters and digits, starting with a letter"))
        }
    }
);

checked_string!(
    /// A method name in PascalCase, e.g. `DeleteUserFromChat`: it becomes the CLI subcommand
    /// as written and the Rust function in snake_case.
    MethodName,
    |s| {
        let ok = s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.chars().all(|c| c.is_ascii_alphanumeric());
        if ok {
            Ok(())
        } else {
            Err(format!(
                "`{s}` cannot become a Rust identifier and a command: a method name is PascalCase ASCII letters and digits, e.g. `DeleteUserFromChat`"
            ))
        }
    }
);

checked_string!(
    /// A parameter name as OPI writes it, e.g. `ChatID`: it becomes a Rust identifier in
    /// snake_case (a Rust keyword becomes a raw identifier).
    ParamName,
    |s| {
        let ok = s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ok {
            Ok(())
        } else {
            Err(format!(
                "`{s}` cannot become a Rust identifier: a parameter name is ASCII letters, digits and `_`, starting with a letter"
            ))
        }
    }
);

checked_string!(
    /// A long CLI option, e.g. `--chat`.
    CliFlag,
    |s| {
        let name = s.strip_prefix("--").unwrap_or("");
        let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(())
        } else {
            Err(format!(
                "`{s}` is not a CLI option: write `--` then lower-case letters, digits and `-`, e.g. `--chat`"
            ))
        }
    }
);

checked_string!(
    /// A request field, e.g. `CHAT_ID`.
    FieldName,
    |s| {
        let ok = s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ok {
            Ok(())
        } else {
            Err(format!("`{s}` is not a request field name: ASCII letters, digits and `_`"))
        }
    }
);

checked_string!(
    /// An HTTP header's name, e.g. `Authorization`.
    HeaderName,
    |s| {
        let ok = s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if ok {
            Ok(())
        } else {
            Err(format!("`{s}` is not a header name: ASCII letters, digits and `-`, e.g. `Authorization`"))
        }
    }
);

checked_string!(
    /// A request field or a path into nested objects, e.g. `CHAT_ID` or `fields.TITLE`.
    FieldPath,
    |s| {
        let ok = s.split('.').all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if ok {
            Ok(())
        } else {
            Err(format!("`{s}` is not a request field: ASCII letters, digits and `_`, with `.` between the names of nested objects"))
        }
    }
);

checked_string!(
    /// A REST method, e.g. `im.chat.user.delete`, or a path on a server, e.g. `oauth/token/`.
    RestMethod,
    |s| {
        let word = |part: &str| {
            part.starts_with(|c: char| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        let ok = !s.is_empty()
            && s.trim_end_matches('/')
                .split(['.', '/'])
                .all(word);
        if ok {
            Ok(())
        } else {
            Err(format!("`{s}` is not a REST method name: dot-separated words, e.g. `im.chat.user.delete` (or a path such as `oauth/token/`)"))
        }
    }
);

checked_string!(
    /// A server's base URL: https, ending with `/`.
    ServerUrl,
    |s| {
        let ok = s.starts_with("https://")
            && s.ends_with('/')
            && !s.contains(char::is_whitespace)
            && !s.contains(['?', '#', '@']);
        if ok {
            Ok(())
        } else {
            Err(format!("`{s}` is not a server's base URL: https://, no query, ending with `/`"))
        }
    }
);

checked_string!(
    /// A link to the API's own documentation.
    DocsUrl,
    |s| {
        let ok = s.starts_with("https://") && !s.contains(char::is_whitespace) && !s.contains(')');
        if ok {
            Ok(())
        } else {
            Err(format!("`{s}` is not an https:// link"))
        }
    }
);

checked_string!(
    /// An environment variable name, e.g. `OINT_BITRIX24_TOKEN`.
    EnvVar,
    |s| {
        let ok = s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(())
        } else {
            Err(format!("`{s}` is not an environment variable name: upper-case letters, digits and `_`"))
        }
    }
);

checked_string!(
    /// An example secret, cut short so that no page shows a whole one.
    ShortenedSecret,
    |s| {
        if s.ends_with("...") {
            Ok(())
        } else {
            Err(format!("`{s}` looks like a whole secret: cut examples short with `...`"))
        }
    }
);

checked_string!(
    /// JSON text, e.g. a recorded answer.
    JsonText,
    |s| serde_json::from_str::<serde_json::Value>(s)
        .map(drop)
        .map_err(|e| format!("is not valid JSON: {e}"))
);

checked_string!(
    /// A language of the docs, as its two-letter code: `en`, `ru`.
    Language,
    |s| {
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(())
        } else {
            Err(format!("`{s}` is not a language code: two lowercase letters, e.g. `en`, `ru`"))
        }
    }
);

/// Prose in the library's languages: one text, in the first language alone, or a map with a
/// text per language (`{en: …, ru: …}`). Whether every language has its text is checked in
/// `validate`, which knows the library's languages.
#[derive(Debug, Clone)]
pub enum Prose {
    One(Text),
    Each(Vec<(Language, Text)>),
}

impl Prose {
    /// The text in the first language: the one text, or the first of the map.
    pub fn first(&self) -> &str {
        match self {
            Prose::One(text) => text,
            Prose::Each(texts) => texts.first().map_or("", |(_, text)| text),
        }
    }
}

impl<'de> Deserialize<'de> for Prose {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Check;
        impl<'de> serde::de::Visitor<'de> for Check {
            type Value = Prose;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a text, or a text per language (`{en: …, ru: …}`)")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Prose, E> {
                Text::deserialize(serde::de::value::StrDeserializer::new(value)).map(Prose::One)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Prose, A::Error> {
                let mut texts: Vec<(Language, Text)> = Vec::new();
                while let Some(language) = map.next_key::<Language>()? {
                    if texts.iter().any(|(l, _)| *l == language) {
                        return Err(serde::de::Error::custom(format!(
                            "`{}` is given twice",
                            &*language
                        )));
                    }
                    texts.push((language, map.next_value()?));
                }
                if texts.is_empty() {
                    return Err(serde::de::Error::custom("has no text in any language"));
                }
                Ok(Prose::Each(texts))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Prose, E> {
                Err(E::custom("is empty (null): write the text"))
            }
            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Prose, E> {
                Err(E::custom(format!(
                    "is the boolean {value}, not text: put it in quotes"
                )))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Prose, E> {
                Err(E::custom(format!(
                    "is the number {value}, not text: put it in quotes"
                )))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Prose, E> {
                Err(E::custom(format!(
                    "is the number {value}, not text: put it in quotes"
                )))
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Prose, E> {
                Err(E::custom(format!(
                    "is the number {value}, not text: put it in quotes"
                )))
            }
        }
        deserializer.deserialize_any(Check)
    }
}

/// A 1-based position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position(pub u32);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Check;
        impl serde::de::Visitor<'_> for Check {
            type Value = Position;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a position from 1 up")
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Position, E> {
                match u32::try_from(value) {
                    Ok(0) => Err(E::custom("positions start at 1")),
                    Ok(position) => Ok(Position(position)),
                    Err(_) => Err(E::custom("position is too large")),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Position, E> {
                match u64::try_from(value) {
                    Ok(value) => self.visit_u64(value),
                    Err(_) => Err(E::custom("positions start at 1")),
                }
            }
        }
        deserializer.deserialize_u32(Check)
    }
}
