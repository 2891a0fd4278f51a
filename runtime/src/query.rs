//! The query string of a GET request, with nested values in the form the library declares:
//! PHP's brackets (`filter[>ID]=5&select[]=ID&select[]=TITLE&fields[0][NAME]=a`; brackets stay
//! as they are, everything else is percent-encoded), or a field holding compact JSON.

use serde_json::{Map, Value};

use crate::library::QueryForm;

/// The query string of `fields`, in their order.
pub(crate) fn encode(fields: &Map<String, Value>, form: QueryForm) -> String {
    let mut pairs = Vec::new();
    for (key, value) in fields {
        match (form, value) {
            (QueryForm::Json, Value::Object(_) | Value::Array(_)) => {
                pairs.push(format!("{}={}", escape(key), escape(&value.to_string())));
            }
            _ => push(&mut pairs, escape(key), value),
        }
    }
    pairs.join("&")
}

fn push(pairs: &mut Vec<String>, key: String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (inner, item) in map {
                push(pairs, format!("{key}[{}]", escape(inner)), item);
            }
        }
        Value::Array(items) => {
            // `[]` appends in PHP; a nested item needs its index to stay one item.
            let nested = items.iter().any(|i| i.is_object() || i.is_array());
            for (index, item) in items.iter().enumerate() {
                let key = if nested {
                    format!("{key}[{index}]")
                } else {
                    format!("{key}[]")
                };
                push(pairs, key, item);
            }
        }
        Value::String(text) => pairs.push(format!("{key}={}", escape(text))),
        Value::Bool(flag) => pairs.push(format!("{key}={}", if *flag { "true" } else { "false" })),
        Value::Number(number) => pairs.push(format!("{key}={number}")),
    }
}

fn escape(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nests_as_php_reads_it() {
        let fields = json!({
            "id": "7",
            "filter": {">ID": 5, "=STATUS": ["NEW", "IN PROCESS"]},
            "select": ["ID", "TITLE"],
            "rows": [{"NAME": "a&b"}],
            "skipped": null,
            "auth": "t+k/n"
        });
        assert_eq!(
            encode(fields.as_object().unwrap(), QueryForm::Brackets),
            "id=7&filter[%3EID]=5&filter[%3DSTATUS][]=NEW&filter[%3DSTATUS][]=IN+PROCESS\
             &select[]=ID&select[]=TITLE&rows[0][NAME]=a%26b&auth=t%2Bk%2Fn"
        );
    }

    #[test]
    fn nests_as_json_when_the_library_says_so() {
        let fields = json!({
            "chat_id": "-100",
            "reply_markup": {"keyboard": [["a b"]]},
            "skipped": null,
            "flag": true
        });
        assert_eq!(
            encode(fields.as_object().unwrap(), QueryForm::Json),
            "chat_id=-100&reply_markup=%7B%22keyboard%22%3A%5B%5B%22a+b%22%5D%5D%7D&flag=true"
        );
    }
}
