//! The one normalized representation of a spec. Every name in every case, the Rust type, the CLI
//! option, the request field and the docs type text are decided here; the emitters only read it.

use heck::{ToKebabCase, ToSnakeCase};
use serde::Serialize;

use crate::spec::TypeName;

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
    pub rest_method: String,
    pub docs_url: String,
    /// Whether the client may send the call again after a timeout or a 5xx.
    pub safe_to_repeat: bool,
    pub position: u32,
    pub params: Vec<Param>,
    pub returns: Returns,
    pub example: MethodExample,
    /// The spec file, as shown in preambles.
    pub source: String,
    /// The Rust signature, as shown on the docs page.
    pub signature: String,
}

/// What every generated client function returns.
pub const RETURN_TYPE: &str = "Result<Answer, Error>";

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// As OPI writes it, e.g. `ChatID`.
    pub name: String,
    /// The Rust identifier, e.g. `chat_id` (`r#type` for a keyword).
    pub ident: String,
    /// The long option without dashes, e.g. `chat`.
    pub flag: String,
    /// The request field, e.g. `CHAT_ID`.
    pub field: String,
    pub kind: ParamKind,
    /// The Type column of the docs page, e.g. `String, Number`.
    pub docs_type: &'static str,
    pub description: String,
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
}

/// How the CLI reads an option's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliValue {
    /// Any text.
    String,
    /// A signed integer.
    Integer,
    /// `true`/`false`/`Y`/`N`.
    Flag,
}

impl ParamKind {
    /// The kind for a spec's list of type words, or `None` for a combination that has none.
    pub fn from_types(types: &[TypeName]) -> Option<ParamKind> {
        let mut sorted = types.to_vec();
        sorted.sort();
        match sorted.as_slice() {
            [TypeName::String] => Some(ParamKind::Text),
            [TypeName::Number] => Some(ParamKind::Number),
            [TypeName::String, TypeName::Number] => Some(ParamKind::Id),
            [TypeName::Boolean] => Some(ParamKind::Flag),
            _ => None,
        }
    }

    /// The Type column of the docs page, in OPI's words.
    pub fn docs_type(self) -> &'static str {
        match self {
            ParamKind::Text => "String",
            ParamKind::Number => "Number",
            ParamKind::Id => "String, Number",
            ParamKind::Flag => "Boolean",
        }
    }

    /// The type of the client function's argument.
    pub fn rust_type(self) -> &'static str {
        match self {
            ParamKind::Text => "impl Into<String>",
            ParamKind::Number => "i64",
            ParamKind::Id => "impl IntoId",
            ParamKind::Flag => "bool",
        }
    }

    /// The runtime function (in the library's `encode` module) that turns the argument into
    /// the request field's JSON value.
    pub fn encoder(self) -> &'static str {
        match self {
            ParamKind::Text => "text",
            ParamKind::Number => "number",
            ParamKind::Id => "id",
            ParamKind::Flag => "flag",
        }
    }

    pub fn cli_value(self) -> CliValue {
        match self {
            ParamKind::Text | ParamKind::Id => CliValue::String,
            ParamKind::Number => CliValue::Integer,
            ParamKind::Flag => CliValue::Flag,
        }
    }

    /// Whether an example value fits this type.
    pub fn accepts(self, value: &serde_yaml::Value) -> bool {
        match self {
            ParamKind::Text => value.is_string(),
            ParamKind::Number => value.is_i64(),
            ParamKind::Id => value.is_string() || value.is_u64(),
            ParamKind::Flag => value.is_bool(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Returns {
    /// In OPI's words, e.g. `Map Of KeyAndValue`.
    pub docs_type: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodExample {
    /// One per parameter, in signature order.
    pub args: Vec<ExampleArg>,
    /// The recorded answer, as written in the spec.
    pub result: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExampleArg {
    /// A Rust expression, e.g. `452` or `"452"`.
    pub rust: String,
    /// The value as typed on a command line, unquoted.
    pub cli: String,
}

impl ExampleArg {
    /// Assumes `kind.accepts(value)`, which validation checked.
    pub fn new(kind: ParamKind, value: &serde_yaml::Value) -> ExampleArg {
        let cli = match value {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Bool(b) => b.to_string(),
            serde_yaml::Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        let rust = match (kind, value) {
            (_, serde_yaml::Value::String(s)) => format!("{s:?}"),
            _ => cli.clone(),
        };
        ExampleArg { rust, cli }
    }
}

/// `ChatID` → `chat_id`; a keyword becomes a raw identifier, and the few words that cannot be
/// raw (`self`, `super`, `crate`, `Self`) get a trailing `_`.
pub fn rust_ident(name: &str) -> String {
    let snake = name.to_snake_case();
    if syn::parse_str::<syn::Ident>(&snake).is_ok() {
        snake
    } else if syn::parse_str::<syn::Ident>(&format!("r#{snake}")).is_ok() {
        format!("r#{snake}")
    } else {
        format!("{snake}_")
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

pub fn signature(fn_name: &str, params: &[Param]) -> String {
    let args: Vec<String> = std::iter::once("&self".to_owned())
        .chain(
            params
                .iter()
                .map(|p| format!("{}: {}", p.ident, p.kind.rust_type())),
        )
        .collect();
    format!(
        "pub async fn {fn_name}({}) -> {RETURN_TYPE}",
        args.join(", ")
    )
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
        assert_eq!(title("DeleteUserFromChat"), "Delete user from chat");
        assert_eq!(
            slug("Chats and dialogs management"),
            "chats-and-dialogs-management"
        );
        assert_eq!(summary("Removes a user. Then more."), "Removes a user");
    }
}
