//! The oracle of the request tests: what OPI sends for a function, computed from the reference
//! record (`tests/fixtures/opi-bitrix24-requests.json`, derived from the shared reference by
//! `tests/fixtures/derive-opi-requests.py`) and the example values alone. It knows nothing of
//! the spec's encodings, the model or the generated code, so a test that compares a request
//! with it checks the spec and the generator against OPI's facts.
//!
//! Shared by `tests/compile.rs` (the Rust client) and `generated/tests/cli.rs` (the CLI).

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use serde_json::{Map, Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The content of every file an example names.
pub const FILE_BYTES: &[u8] = b"\x89PNG fake picture";

/// One conversion of a parameter on its way into a request.
#[derive(Debug, Clone)]
pub struct Field {
    pub param: String,
    pub path: Option<String>,
    pub conv: String,
    /// Whether OPI's signature requires the parameter.
    pub required: bool,
    /// OPI's default; `None` for a required parameter.
    pub default: Option<Value>,
}

/// What OPI sends for one function.
#[derive(Debug, Clone)]
pub struct Entry {
    pub function: String,
    /// `GET`, `POST`, or `None` for a function that makes no call.
    pub verb: Option<String>,
    /// `portal` or `oauth`.
    pub host: Option<String>,
    pub method: Option<String>,
    pub upload: bool,
    pub fields: Vec<Field>,
    pub fixed: Map<String, Value>,
    pub structure_keys: Option<Vec<String>>,
}

/// Every function of the reference, by name.
pub fn reference() -> BTreeMap<String, Entry> {
    let text = include_str!("../fixtures/opi-bitrix24-requests.json");
    let entries: Vec<Value> = serde_json::from_str(text).expect("the fixture is JSON");
    let text_of = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    entries
        .iter()
        .map(|e| {
            let entry = Entry {
                function: text_of(e, "function").unwrap(),
                verb: text_of(e, "verb"),
                host: text_of(e, "host"),
                method: text_of(e, "method"),
                upload: e["upload"].as_bool().unwrap_or(false),
                fields: e["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| Field {
                        param: text_of(f, "param").unwrap(),
                        path: text_of(f, "path"),
                        conv: text_of(f, "conv").unwrap(),
                        required: f["required"].as_bool().unwrap_or(false),
                        default: f.get("default").cloned(),
                    })
                    .collect(),
                fixed: e["fixed"].as_object().cloned().unwrap_or_default(),
                structure_keys: e["structure_keys"].as_array().map(|keys| {
                    keys.iter()
                        .map(|k| k.as_str().unwrap().to_owned())
                        .collect()
                }),
            };
            (entry.function.clone(), entry)
        })
        .collect()
}

/// How the call authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// The secret is in the URL: `/rest/<user>/<secret>/`.
    Webhook { user: u32, secret: &'a str },
    /// The token goes as `auth`, under `/rest/`.
    OAuth(&'a str),
}

/// A request as OPI would make it.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub verb: String,
    pub path: String,
    /// The JSON body of a POST, or the query of a GET (every value as text, nested as PHP
    /// reads `a[b][]=c`).
    pub fields: Value,
    /// The second step of an upload: the form field is the one the first answer names; the
    /// file name and the bytes.
    pub upload: Option<(String, Vec<u8>)>,
}

/// OPI's empty check: these values are not sent.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(b) => !b,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
    }
}

fn as_text(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.clone()),
        other => Value::String(other.to_string()),
    }
}

/// `2025-06-30` or `2025-06-30T17:00:00` (as the examples write dates) as OPI formats them.
fn date_form(value: &Value, form: &str) -> Value {
    let text = value.as_str().expect("a date example is text");
    let day = &text[..10];
    let time = text.get(11..19).unwrap_or("00:00:00");
    Value::String(match form {
        "date" => day.to_owned(),
        "datetime" => format!("{day}T{time}"),
        _ => format!("{day}T{time}Z"),
    })
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn insert_at(target: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            target.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let inner = target
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            insert_at(inner.as_object_mut().unwrap(), rest, value);
        }
    }
}

/// The request OPI makes for `entry` called with `args` (example values by parameter name;
/// a parameter left out takes OPI's default).
pub fn expected(entry: &Entry, args: &Map<String, Value>, auth: Auth<'_>) -> Expected {
    let verb = entry.verb.clone().expect("a function that calls");
    let method = entry.method.clone().unwrap();
    let value_of = |field: &Field| -> Value {
        args.get(&field.param)
            .cloned()
            .or_else(|| field.default.clone())
            .unwrap_or(Value::Null)
    };
    let mut body = Map::new();
    let mut merged = Map::new();
    let mut upload_name = None;
    // Fields that give way to another: (path, the other parameter).
    let mut unless = Vec::new();
    for field in &entry.fields {
        let value = value_of(field);
        let mut convs = field.conv.split(';');
        let conv = convs.next().unwrap();
        for extra in convs {
            if let Some(other) = extra.strip_prefix("unless:") {
                unless.push((field.path.clone().unwrap(), other.to_owned()));
            }
        }
        let sent = match conv {
            "auth" | "local" | "upload_file" => None,
            "upload_name" => {
                upload_name = value.as_str().map(str::to_owned);
                None
            }
            "yn" => Some(json!(if value == json!(true) { "Y" } else { "N" })),
            "yn_inverted" => Some(json!(if value == json!(true) { "N" } else { "Y" })),
            _ if is_empty(&value) && !(conv == "string_keep_zero" && value == json!(0)) => None,
            "string" | "string_keep_zero" => Some(match &value {
                Value::Array(_) | Value::Object(_) => Value::String(value.to_string()),
                other => as_text(other),
            }),
            "array" => Some(match value {
                Value::Array(items) => Value::Array(items),
                single => Value::Array(vec![single]),
            }),
            "as_given" => Some(value),
            "json_bool" => Some(value),
            "datetime" | "datetime_z" | "date" => Some(date_form(&value, conv)),
            "files" => Some(Value::Array(
                value
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(|name| json!([name, base64(FILE_BYTES)]))
                    .collect(),
            )),
            "base64" => Some(json!(base64(FILE_BYTES))),
            "merge" => {
                merged.extend(value.as_object().cloned().unwrap_or_default());
                None
            }
            other => {
                if let Some(name_param) = other.strip_prefix("file_pair_named:") {
                    let name = args.get(name_param).cloned().unwrap_or(Value::Null);
                    Some(json!([name, base64(FILE_BYTES)]))
                } else if let Some(keys) = other.strip_prefix("merge_keys:") {
                    let rules: Vec<(&str, &str)> = keys
                        .split(',')
                        .map(|rule| rule.split_once('=').unwrap())
                        .collect();
                    for (key, item) in value.as_object().unwrap() {
                        let (_, rule) = rules
                            .iter()
                            .find(|(k, _)| k == key)
                            .unwrap_or_else(|| panic!("{}: `{key}` is dropped", entry.function));
                        let item = match *rule {
                            "array" => match item {
                                Value::Array(_) => item.clone(),
                                single => json!([single]),
                            },
                            _ => date_form(item, "date"),
                        };
                        merged.insert(key.clone(), item);
                    }
                    None
                } else {
                    panic!("{}: no oracle for the conversion `{other}`", entry.function)
                }
            }
        };
        if let (Some(sent), Some(path)) = (sent, &field.path) {
            insert_at(&mut body, path, sent);
        }
    }
    for (path, other) in unless {
        let other_sent = entry
            .fields
            .iter()
            .any(|f| f.param == other && f.path.as_ref().is_some_and(|p| body.contains_key(p)));
        if other_sent {
            body.remove(&path);
        }
    }
    for (key, value) in &entry.fixed {
        insert_at(&mut body, key, value.clone());
    }
    // The merged structure's keys, under the fields.
    let mut fields = merged;
    fields.extend(body);
    let path = match (entry.host.as_deref(), auth) {
        (Some("oauth"), _) => format!("/{method}"),
        (_, Auth::OAuth(token)) => {
            fields.insert("auth".into(), json!(token));
            format!("/rest/{method}")
        }
        (_, Auth::Webhook { user, secret }) => format!("/rest/{user}/{secret}/{method}"),
    };
    let mut fields = Value::Object(fields);
    if verb == "GET" {
        fields = query_form(&fields);
    }
    Expected {
        verb,
        path,
        fields,
        upload: entry
            .upload
            .then(|| (upload_name.unwrap_or_default(), FILE_BYTES.to_vec())),
    }
}

/// What a value becomes in a query string: every scalar as text.
fn query_form(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), query_form(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(query_form).collect()),
        Value::Bool(b) => json!(if *b { "true" } else { "false" }),
        other => as_text(other),
    }
}

/// A query string read the way PHP reads it: `a[b]=1&c[]=2&c[]=3` → `{"a": {"b": "1"},
/// "c": ["2", "3"]}`. Written here, apart from the client's encoder, on purpose.
pub fn parse_query(query: &str) -> Value {
    let mut root = Value::Object(Map::new());
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            let bytes = s.replace('+', " ");
            percent_decode(&bytes)
        };
        let key = decode(key);
        let value = Value::String(decode(value));
        let (head, rest) = match key.find('[') {
            Some(at) => (&key[..at], &key[at..]),
            None => (key.as_str(), ""),
        };
        let mut parts: Vec<&str> = vec![head];
        let mut rest = rest;
        while let Some(stripped) = rest.strip_prefix('[') {
            let close = stripped.find(']').unwrap();
            parts.push(&stripped[..close]);
            rest = &stripped[close + 1..];
        }
        place(&mut root, &parts, value);
    }
    root
}

fn place(target: &mut Value, parts: &[&str], value: Value) {
    let Some((first, rest)) = parts.split_first() else {
        *target = value;
        return;
    };
    if first.is_empty() || first.parse::<usize>().is_ok() && target.is_array() {
        if !target.is_array() {
            *target = Value::Array(Vec::new());
        }
        let items = target.as_array_mut().unwrap();
        let index = if first.is_empty() {
            items.len()
        } else {
            first.parse().unwrap()
        };
        if index >= items.len() {
            items.resize(index + 1, Value::Null);
        }
        place(&mut items[index], rest, value);
        return;
    }
    if !target.is_object() {
        // An index under a key not seen before starts a list.
        if first.parse::<usize>().is_ok() {
            *target = Value::Array(Vec::new());
            return place(target, parts, value);
        }
        *target = Value::Object(Map::new());
    }
    let inner = target
        .as_object_mut()
        .unwrap()
        .entry((*first).to_owned())
        .or_insert(Value::Null);
    place(inner, rest, value);
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 3 <= bytes.len())
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        if let Some(byte) = escaped {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Matches exactly the request OPI makes: verb, path, and the whole body (POST) or query (GET).
#[derive(Debug, Clone)]
pub struct Exactly(pub Expected);

impl wiremock::Match for Exactly {
    fn matches(&self, request: &Request) -> bool {
        let expected = &self.0;
        if request.method.as_str() != expected.verb || request.url.path() != expected.path {
            return false;
        }
        if expected.verb == "GET" {
            return parse_query(request.url.query().unwrap_or_default()) == expected.fields;
        }
        let is_json = request.headers.get("content-type").is_some_and(|t| {
            t.to_str()
                .unwrap_or_default()
                .starts_with("application/json")
        });
        is_json
            && serde_json::from_slice::<Value>(&request.body).ok().as_ref()
                == Some(&expected.fields)
    }
}

/// Matches the second step of an upload: a multipart POST with one file part of this name and
/// these bytes, in the form field the first answer named.
#[derive(Debug, Clone)]
pub struct Multipart {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// None of these may be in the request.
    pub credentials: Vec<String>,
}

impl wiremock::Match for Multipart {
    fn matches(&self, request: &Request) -> bool {
        let is_multipart = request.headers.get("content-type").is_some_and(|t| {
            t.to_str()
                .unwrap_or_default()
                .starts_with("multipart/form-data")
        });
        let head = format!(
            "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"",
            self.field, self.file_name
        );
        let body = &request.body;
        let contains = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
        let url = request.url.to_string();
        let no_credential = self.credentials.iter().all(|credential| {
            !contains(credential.as_bytes())
                && !url.contains(credential.as_str())
                && request
                    .headers
                    .values()
                    .all(|v| !v.to_str().unwrap_or_default().contains(credential.as_str()))
        });
        request.method.as_str() == "POST"
            && is_multipart
            && contains(head.as_bytes())
            && contains(&self.bytes)
            && no_credential
    }
}

/// Mounts on `server` the answer to the request OPI makes (named for error messages with
/// `label`), expected `times` times: the recorded `answer` (an error answer with its error
/// status). An upload gets its first step answered with an address on the same server.
pub async fn mount(
    server: &MockServer,
    label: &str,
    expected: Expected,
    answer: &str,
    times: u64,
    credentials: &[&str],
) {
    let answer_json: Value = serde_json::from_str(answer).unwrap();
    let status = if answer_json.get("error").is_some() {
        400
    } else {
        200
    };
    let respond = |body: String| {
        ResponseTemplate::new(status)
            .set_body_string(body)
            .insert_header("content-type", "application/json")
    };
    match &expected.upload {
        None => {
            Mock::given(Exactly(expected.clone()))
                .respond_with(respond(answer.to_owned()))
                .expect(times)
                .named(label)
                .mount(server)
                .await;
        }
        Some((file_name, bytes)) => {
            let target = format!("/upload/{}", label.replace(' ', "-"));
            let first = json!({
                "result": {"field": "file", "uploadUrl": format!("{}{target}?token=one-time", server.uri())},
            });
            Mock::given(Exactly(expected.clone()))
                .respond_with(respond(first.to_string()))
                .expect(times)
                .named(format!("{label}: the upload address"))
                .mount(server)
                .await;
            Mock::given(wiremock::matchers::path(target))
                .and(Multipart {
                    field: "file".into(),
                    file_name: file_name.clone(),
                    bytes: bytes.clone(),
                    credentials: credentials.iter().map(|c| (*c).to_owned()).collect(),
                })
                .respond_with(respond(answer.to_owned()))
                .expect(times)
                .named(format!("{label}: the file"))
                .mount(server)
                .await;
        }
    }
}

/// A structure built without a call has the keys OPI's helper builds, in its order. Returns
/// whether there was a structure to compare (the reference records the keys of most helpers).
pub fn assert_opis_keys(entry: &Entry, built: &Value) -> bool {
    let (Some(keys), Some(object)) = (&entry.structure_keys, built.as_object()) else {
        return false;
    };
    let built_keys: Vec<&String> = object.keys().collect();
    let keys: Vec<&String> = keys.iter().collect();
    assert_eq!(
        built_keys, keys,
        "{}: the keys of OPI's structure",
        entry.function
    );
    true
}

/// Mounts the two calls of a method — every argument in OAuth mode, the required ones through
/// a webhook — once each, or once for both when they make the same request (a method of
/// another host with required parameters only).
pub async fn mount_both(
    server: &MockServer,
    name: &str,
    entry: &Entry,
    (all, required): (&Map<String, Value>, &Map<String, Value>),
    (token, secret): (&str, &str),
    answer: &str,
) {
    // Every parameter OPI's function sends is one of the method's, and only those OPI requires
    // are required.
    for field in &entry.fields {
        if matches!(field.conv.as_str(), "auth" | "local") {
            continue;
        }
        assert!(
            all.contains_key(&field.param),
            "{name}: OPI's parameter {} is missing from the spec",
            field.param
        );
        assert_eq!(
            required.contains_key(&field.param),
            field.required,
            "{name}: {} is required in OPI's signature exactly when it is in the spec",
            field.param
        );
    }
    let full = expected(entry, all, Auth::OAuth(token));
    let minimal = expected(entry, required, Auth::Webhook { user: 1, secret });
    let credentials = [token, secret];
    if full == minimal {
        let label = format!("{name} (both calls)");
        mount(server, &label, full, answer, 2, &credentials).await;
    } else {
        let label = format!("{name} (every argument)");
        mount(server, &label, full, answer, 1, &credentials).await;
        let label = format!("{name} (required arguments)");
        mount(server, &label, minimal, answer, 1, &credentials).await;
    }
}

/// Writes, under `dir`, the files the example values of `entry`'s file parameters name.
pub fn write_files(dir: &Path, entry: &Entry, args: &Map<String, Value>) {
    for field in &entry.fields {
        let is_file = matches!(field.conv.as_str(), "base64" | "files" | "upload_file")
            || field.conv.starts_with("file_pair");
        let paths: Vec<&str> = match args.get(&field.param) {
            Some(Value::String(path)) if is_file => vec![path],
            Some(Value::Object(map)) if is_file => map.values().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for path in paths {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, FILE_BYTES).unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_queries_as_php_does() {
        assert_eq!(
            parse_query("a=1&f[%3EID]=5&s[]=x&s[]=y&r[0][N]=a%26b&t=a+b"),
            json!({"a": "1", "f": {">ID": "5"}, "s": ["x", "y"], "r": [{"N": "a&b"}], "t": "a b"})
        );
    }
}
