//! The one normalized representation of a spec. Every name in every case, the Rust type, the CLI
//! option, the request field and the docs type text are decided here; the emitters only read it.

use heck::{ToKebabCase, ToSnakeCase};
use serde::Serialize;

use crate::spec::{ResultType, TypeName};

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
    pub description: String,
    /// The spec file, as shown in preambles, e.g. `spec/bitrix24/library.yaml`.
    pub source: String,
    pub url: ConnectionParam,
    pub token: ConnectionParam,
    /// Sorted by position.
    pub groups: Vec<Group>,
    pub example: ConnectionExample,
}

impl Library {
    pub fn methods(&self) -> impl Iterator<Item = &Method> {
        self.groups.iter().flat_map(|group| group.methods.iter())
    }
}

/// URL or Token: declared once per library, taken by every method.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionParam {
    /// As OPI writes it, e.g. `URL`.
    pub name: String,
    /// The long option without dashes, e.g. `url`.
    pub flag: String,
    pub description: String,
    pub env: String,
    pub docs_type: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConnectionExample {
    pub webhook: String,
    pub domain: String,
    pub token: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: String,
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
    /// The name as words, e.g. `Delete user from chat`.
    pub title: String,
    /// The Rust function, e.g. `delete_user_from_chat`.
    pub fn_name: String,
    /// The docs page's file stem, e.g. `delete-user-from-chat`.
    pub slug: String,
    pub description: String,
    /// The first sentence of the description, for one-line listings.
    pub summary: String,
    pub position: u32,
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
    /// The REST call, unless the method is a template.
    pub fn rest(&self) -> Option<&Rest> {
        match &self.action {
            Action::Rest(rest) => Some(rest),
            Action::Template(_) => None,
        }
    }
}

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
    /// Whether the client may send the call again after a timeout or a 5xx.
    pub safe_to_repeat: bool,
    /// Request fields with constant values: (field, value).
    pub fixed: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Template {
    /// JSON text with `"{Param}"` placeholders.
    pub value: String,
    /// The Rust identifier of the Boolean parameter that empties the values.
    pub clear: Option<String>,
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
    /// The request field, e.g. `CHAT_ID`; `None` for a structure merged into the body.
    pub field: Option<String>,
    pub kind: ParamKind,
    pub required: bool,
    /// OPI's default as a Rust expression, e.g. `false`; sent when the argument is `None`.
    pub default: Option<String>,
    /// OPI's default as the docs and help show it.
    pub default_shown: Option<String>,
    /// For a closed set: the enum and its values.
    pub choice: Option<Choice>,
    /// The Type column of the docs page, e.g. `String, Number`.
    pub docs_type: String,
    pub description: String,
    /// The client function's argument type.
    pub rust_type: String,
    /// The runtime function (in the library's `encode` module) that makes the JSON value.
    pub encoder: &'static str,
    /// The type the CLI parses the option into, and the value parser that does it.
    pub cli_type: String,
    pub cli_parser: String,
    /// Turns the CLI's `Option<cli_type>` into the client's optional argument.
    pub cli_optional_adapter: String,
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
    /// `Boolean`: sent as `"Y"` or `"N"`.
    Flag,
    /// `String` with `values`: a Rust enum.
    Choice,
    /// `Structure`: a JSON object.
    Structure,
    /// `Array` of items.
    Array(Item),
    /// `BinaryData`: a file's bytes, sent as `[name, base64]` or as bare base64.
    Binary { bare_base64: bool },
}

impl ParamKind {
    /// The kind for a spec's type words, or `None` for a combination that has none.
    pub fn from_types(
        types: &[TypeName],
        items: Option<&[TypeName]>,
        has_values: bool,
        bare_base64: bool,
    ) -> Option<ParamKind> {
        let mut sorted = types.to_vec();
        sorted.sort();
        let kind = match sorted.as_slice() {
            [TypeName::String] if has_values => ParamKind::Choice,
            [TypeName::String] => ParamKind::Text,
            [TypeName::Number] => ParamKind::Number,
            [TypeName::String, TypeName::Number] => ParamKind::Id,
            [TypeName::Boolean] => ParamKind::Flag,
            [TypeName::Structure] => ParamKind::Structure,
            [TypeName::BinaryData] | [TypeName::String, TypeName::BinaryData] => {
                ParamKind::Binary { bare_base64 }
            }
            [TypeName::Array] => {
                let mut items = items?.to_vec();
                items.sort();
                ParamKind::Array(match items.as_slice() {
                    [TypeName::String] => Item::Text,
                    [TypeName::Number] => Item::Number,
                    [TypeName::String, TypeName::Number] => Item::Id,
                    [TypeName::Structure] => Item::Structure,
                    _ => return None,
                })
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

    /// The Type column of the docs page, in OPI's words.
    pub fn docs_type(self, types: &[TypeName]) -> String {
        match self {
            ParamKind::Text | ParamKind::Choice => "String".into(),
            ParamKind::Number => "Number".into(),
            ParamKind::Id => "String, Number".into(),
            ParamKind::Flag => "Boolean".into(),
            ParamKind::Structure => "Structure Of KeyAndValue".into(),
            ParamKind::Array(item) => format!(
                "Array of {}",
                match item {
                    Item::Text => "String",
                    Item::Number => "Number",
                    Item::Id => "String, Number",
                    Item::Structure => "Structure",
                }
            ),
            ParamKind::Binary { .. } => {
                let words: Vec<String> = types.iter().map(|t| format!("{t:?}")).collect();
                words.join(", ")
            }
        }
    }

    /// The client's argument type: (required, optional). `enum_name` for a choice.
    pub fn rust_types(self, enum_name: &str) -> (String, String) {
        let (required, optional) = match self {
            ParamKind::Text => ("impl Into<String>", "Option<&str>"),
            ParamKind::Number => ("i64", "Option<i64>"),
            ParamKind::Id => ("impl IntoId", "Option<Id>"),
            ParamKind::Flag => ("bool", "Option<bool>"),
            ParamKind::Choice => return (enum_name.into(), format!("Option<{enum_name}>")),
            ParamKind::Structure => ("serde_json::Value", "Option<serde_json::Value>"),
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
            ParamKind::Binary { .. } => ("impl Into<Binary>", "Option<Binary>"),
        };
        (required.into(), optional.into())
    }

    /// The runtime function (in the library's `encode` module) that makes the JSON value.
    pub fn encoder(self) -> &'static str {
        match self {
            ParamKind::Text | ParamKind::Choice => "text",
            ParamKind::Number => "number",
            ParamKind::Id => "id",
            ParamKind::Flag => "flag",
            ParamKind::Structure => "structure",
            ParamKind::Array(Item::Text) => "texts",
            ParamKind::Array(Item::Number) => "numbers",
            ParamKind::Array(Item::Id) => "ids",
            ParamKind::Array(Item::Structure) => "structures",
            ParamKind::Binary { bare_base64: false } => "file",
            ParamKind::Binary { bare_base64: true } => "base64",
        }
    }

    /// What the CLI parses the option into, and with what: (type, value parser).
    pub fn cli(self, choice: Option<&Choice>, module: &str) -> (String, String) {
        let (ty, parser) = match self {
            ParamKind::Text | ParamKind::Id => ("String", "clap::value_parser!(String)"),
            ParamKind::Number => ("i64", "clap::value_parser!(i64)"),
            ParamKind::Flag => ("bool", "crate::cli::parse_flag"),
            ParamKind::Structure => ("serde_json::Value", "crate::cli::parse_object"),
            ParamKind::Array(Item::Text) => ("Vec<String>", "crate::cli::parse_texts"),
            ParamKind::Array(Item::Number) => ("Vec<i64>", "crate::cli::parse_numbers"),
            ParamKind::Array(Item::Id) => ("Vec<String>", "crate::cli::parse_ids"),
            ParamKind::Array(Item::Structure) => {
                ("Vec<serde_json::Value>", "crate::cli::parse_objects")
            }
            ParamKind::Binary { .. } => ("Binary", "crate::cli::parse_file"),
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
        let ty = ty.replace("Binary", &format!("crate::{module}::Binary"));
        (ty, parser.into())
    }

    /// Turns `Option<cli type>` into the client's optional argument type.
    pub fn cli_optional_adapter(self, module: &str) -> String {
        match self {
            ParamKind::Text => ".as_deref()".into(),
            ParamKind::Id => format!(".map(crate::{module}::Id::from)"),
            ParamKind::Array(Item::Id) => {
                format!(".map(|ids| ids.into_iter().map(crate::{module}::Id::from).collect())")
            }
            _ => String::new(),
        }
    }

    /// Whether an example value fits this type.
    pub fn accepts(self, value: &serde_yaml::Value) -> bool {
        use serde_yaml::Value as Y;
        let id = |v: &Y| v.is_string() || v.is_u64();
        match self {
            ParamKind::Text | ParamKind::Choice => value.is_string(),
            ParamKind::Number => value.is_i64(),
            ParamKind::Id => id(value),
            ParamKind::Flag => value.is_bool(),
            ParamKind::Structure => value.is_mapping(),
            ParamKind::Binary { .. } => value.is_string(),
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

    /// Kinds that may have a default, as a Rust literal.
    pub fn default_literal(self, value: &serde_yaml::Value) -> Option<String> {
        match (self, value) {
            (ParamKind::Flag, serde_yaml::Value::Bool(b)) => Some(b.to_string()),
            (ParamKind::Number, serde_yaml::Value::Number(n)) if n.is_i64() => Some(n.to_string()),
            (ParamKind::Text, serde_yaml::Value::String(s)) => Some(format!("{s:?}")),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Returns {
    /// In OPI's words, e.g. `Map Of KeyAndValue`.
    pub docs_type: String,
    pub description: String,
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
        ResultType::Object => result.is_object(),
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
        ResultType::Object => Some("serde_json::Map<String, serde_json::Value>"),
        ResultType::List => Some("Vec<serde_json::Value>"),
        ResultType::Any => None,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodExample {
    /// One per parameter, in signature order.
    pub args: Vec<ExampleArg>,
    /// The recorded answer, as written in the spec.
    pub result: String,
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
    /// The value on a command line, quoted for a POSIX shell, e.g. `"452"` or `'[1,2]'`.
    pub cli: String,
    /// The value as the CLI receives it, unquoted.
    pub cli_raw: String,
    /// The JSON value sent for it (or put in a template).
    pub sent: serde_json::Value,
}

impl ExampleArg {
    /// Assumes `param.kind.accepts(value)`, which validation checked.
    pub fn new(param: &Param, library_command: &str, value: &serde_yaml::Value) -> ExampleArg {
        // JSON text straight from the YAML, in the YAML's key order: a `serde_json::Value`
        // would order keys by whatever features serde_json has in this build.
        let compact = |v: &serde_yaml::Value| serde_json::to_string(v).unwrap_or_default();
        let json: serde_json::Value = serde_json::to_value(value).unwrap_or_default();
        let cli_raw = match value {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Sequence(_) | serde_yaml::Value::Mapping(_) => compact(value),
            _ => json.to_string(),
        };
        // Double quotes as OPI writes them, unless the shell would read something in them.
        let cli = if cli_raw.contains(['"', '$', '`', '\\', '!']) {
            format!("'{}'", cli_raw.replace('\'', "'\\''"))
        } else {
            format!("\"{cli_raw}\"")
        };
        let json_macro = |v: &serde_yaml::Value| format!("serde_json::json!({})", compact(v));
        let id_literal = |v: &serde_yaml::Value| match v {
            serde_yaml::Value::String(s) => format!("{s:?}"),
            other => compact(other),
        };
        let items = || value.as_sequence().cloned().unwrap_or_default();
        let list = |f: &dyn Fn(&serde_yaml::Value) -> String| -> Vec<String> {
            items().iter().map(f).collect()
        };
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
                let path = format!("{CRATE}::{library_command}::{enum_name}::{variant}");
                (path.clone(), format!("Some({path})"))
            }
            ParamKind::Number | ParamKind::Flag => (cli_raw.clone(), format!("Some({cli_raw})")),
            ParamKind::Id => {
                let literal = id_literal(value);
                (literal.clone(), format!("Some({literal}.into())"))
            }
            ParamKind::Structure => (json_macro(value), format!("Some({})", json_macro(value))),
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
            ParamKind::Binary { .. } => {
                let read = format!("{CRATE}::{library_command}::Binary::read({cli_raw:?})?");
                (read.clone(), format!("Some({read})"))
            }
        };
        ExampleArg {
            rust: if param.required { rust } else { optional },
            cli,
            cli_raw,
            sent: json,
        }
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
            "pub async fn {fn_name}({}) -> {}",
            args.join(", "),
            answer_type(returns)
        )
    }
}

/// What a REST method returns when the spec declares no result type.
pub const RETURN_TYPE: &str = "Result<Answer, Error>";

/// What a REST method returns: `Result<Answer, Error>` or `Result<Answer<bool>, Error>`.
pub fn answer_type(returns: &Returns) -> String {
    match returns.result_type {
        Some(ty) => format!("Result<Answer<{ty}>, Error>"),
        None => RETURN_TYPE.to_owned(),
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
