//! The oracle of Telegram's request tests: what OPI sends for a function, computed from the
//! shared reference beside the workspace (`../shared/reference/opi-telegram-requests.json`,
//! each field with how OPI converts it, and `opi-telegram-methods.json`, the defaults) and the
//! example values alone, knowing nothing of the spec's encodings or the generated
//! code. One decision of oint's differs from OPI and is applied here on purpose: a date goes as
//! its true Unix time (OPI sends an hour less).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

/// What one call must carry.
#[derive(Debug, PartialEq)]
pub struct Request {
    pub verb: &'static str,
    /// The method in the path after `bot<token>/`.
    pub method: String,
    /// Every request field: a GET's query values as text, a POST's body as JSON.
    pub fields: Map<String, Value>,
}

/// One function of the reference, with OPI's parameter facts.
pub struct Entry {
    record: Value,
    /// Parameter name → (required, OPI's default).
    params: BTreeMap<String, (bool, Value)>,
}

/// Every function, by name.
pub fn reference() -> BTreeMap<String, Entry> {
    // `../shared/reference` beside the workspace (CI puts it there), from the root package or
    // from `generated/`.
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = [
        manifest.join("../shared/reference"),
        manifest.join("../../shared/reference"),
    ]
    .into_iter()
    .find(|dir| dir.join("opi-telegram-requests.json").exists())
    .expect("the shared reference beside the workspace (../shared/reference)");
    let read = |name: &str| -> Vec<Value> {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let methods: BTreeMap<String, Value> = read("opi-telegram-methods.json")
        .into_iter()
        .map(|m| (m["function"].as_str().unwrap().to_owned(), m))
        .collect();
    read("opi-telegram-requests.json")
        .into_iter()
        .map(|record| {
            let name = record["function"].as_str().unwrap().to_owned();
            let params = methods[&name]["params"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let name = p["name"].as_str().unwrap().to_owned();
                    let required = p["required"].as_bool().unwrap_or(false);
                    (
                        name,
                        (required, p.get("default").cloned().unwrap_or(Value::Null)),
                    )
                })
                .collect();
            (name, Entry { record, params })
        })
        .collect()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// OPI's "as Number": integer text becomes a number.
fn as_number(value: &Value) -> Value {
    let text = text(value);
    match text.parse::<i64>() {
        Ok(n) if n.to_string() == text => json!(n),
        _ => Value::String(text),
    }
}

/// OPI's "not filled": `""`, 0, false, null.
fn filled(value: &Value) -> bool {
    !matches!(value, Value::Null | Value::Bool(false)) && value != &json!("") && value != &json!(0)
}

/// OPI's text preparation (the reference README's "Text preparation").
fn prepared(text: &str, markup: &str) -> String {
    let escaped = match markup {
        "HTML" => text.replace('&', "&amp;"),
        "MarkdownV2" => {
            let mut out = String::new();
            let mut previous = ' ';
            for c in text.chars() {
                if "-+#={}.".contains(c) && previous != '\\' {
                    out.push('\\');
                }
                out.push(c);
                previous = c;
            }
            out
        }
        _ => text.to_owned(),
    };
    let bytes = escaped.as_bytes();
    let mut decoded = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            decoded.push((h * 16 + l) as u8);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

impl Entry {
    /// The request OPI makes with these arguments (by parameter name; a parameter left out
    /// takes OPI's default).
    pub fn request(&self, args: &Map<String, Value>) -> Request {
        let record = &self.record;
        let http = record["http"].as_str().unwrap();
        let post = http.starts_with("POST");
        let value_of = |param: &str| -> Value {
            match args.get(param) {
                Some(value) => value.clone(),
                None => self
                    .params
                    .get(param)
                    .map(|(_, d)| d.clone())
                    .unwrap_or(Value::Null),
            }
        };
        let mut fields = Map::new();
        for (key, value) in record["fixed"].as_object().unwrap() {
            fields.insert(key.clone(), value.clone());
        }
        for field in record["fields"].as_array().unwrap() {
            let param = field["param"].as_str().unwrap();
            let name = field["field"].as_str().unwrap();
            let how = field["how"].as_str().unwrap();
            if name.starts_with('(') {
                continue;
            }
            let value = value_of(param);
            let sent = if how.starts_with("ChatID*TopicID rule: only when") {
                let t = text(&value);
                let pieces: Vec<&str> = t.split('*').filter(|p| !p.is_empty()).collect();
                (pieces.len() >= 2).then(|| as_number(&json!(pieces[1])))
            } else if how.starts_with("ChatID*TopicID rule: value") {
                let t = text(&value);
                let pieces: Vec<&str> = t.split('*').filter(|p| !p.is_empty()).collect();
                Some(json!(if pieces.len() >= 2 {
                    pieces[0]
                } else {
                    t.as_str()
                }))
            } else if !filled(&value) && !how.contains("always sent") {
                None
            } else if how.starts_with("prepared text") {
                let markup = text(&value_of("Markup"));
                let markup = if filled(&value_of("Markup")) {
                    markup
                } else {
                    String::new()
                };
                Some(json!(prepared(&text(&value), &markup)))
            } else if how.starts_with("collection") {
                Some(match &value {
                    Value::String(s) => json!([s]),
                    other => other.clone(),
                })
            } else if how.starts_with("Boolean turned into the number") {
                Some(json!(if value == json!(true) { 1 } else { 0 }))
            } else if how.starts_with("Date") {
                let date = chrono::DateTime::parse_from_rfc3339(&text(&value)).unwrap();
                Some(json!(date.timestamp()))
            } else if how.starts_with("as Number") {
                Some(as_number(&value))
            } else {
                Some(json!(text(&value)))
            };
            if let Some(sent) = sent {
                fields.insert(name.to_owned(), sent);
            }
        }
        if !post {
            // A query carries text: objects and arrays as JSON.
            for value in fields.values_mut() {
                let text = text(value);
                *value = Value::String(text);
            }
        }
        let endpoint = record["endpoint"].as_str().unwrap();
        let mut method = endpoint
            .split('/')
            .nth(4)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_owned();
        // "X (TopicID filled) or …/Y (TopicID empty)": Y when no topic is sent.
        if let Some((_, general)) = endpoint.split_once(" or ")
            && !fields.contains_key("message_thread_id")
        {
            method = general
                .rsplit('/')
                .next()
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .to_owned();
        }
        Request {
            verb: if post { "POST" } else { "GET" },
            method,
            fields,
        }
    }
}

/// The fields a request carries, as [`Entry::request`] writes them: a GET's query values as
/// text, a POST's JSON body.
pub fn fields_of(request: &wiremock::Request) -> Map<String, Value> {
    if request.method.as_str() == "GET" {
        request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect()
    } else {
        serde_json::from_slice::<Value>(&request.body)
            .ok()
            .and_then(|body| body.as_object().cloned())
            .unwrap_or_default()
    }
}
