//! Reading a query string as Bitrix24 (PHP) does: `filter[>ID]=5&select[]=ID` becomes
//! `{"filter": {">ID": "5"}, "select": ["ID"]}`; every value is text. Indexes out of order, or
//! mixed with names, make an object keyed by them, as PHP keeps them.

use serde_json::{Map, Value};

/// Brackets deeper than this are cut (PHP's `max_input_nesting_level` is 64).
const MAX_DEPTH: usize = 64;

/// The fields of a query string.
pub(crate) fn parse(query: &str) -> Map<String, Value> {
    let mut root = Value::Object(Map::new());
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key);
        let (head, mut rest) = match key.find('[') {
            Some(at) => (&key[..at], &key[at..]),
            None => (key.as_str(), ""),
        };
        let mut path = vec![head.to_owned()];
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(close) = inner.find(']') else { break };
            if path.len() > MAX_DEPTH {
                break;
            }
            path.push(inner[..close].to_owned());
            rest = &inner[close + 1..];
        }
        put(&mut root, &path, Value::String(decode(value)));
    }
    match root {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn put(target: &mut Value, path: &[String], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        *target = value;
        return;
    };
    if !target.is_array() && !target.is_object() {
        *target = Value::Array(Vec::new());
    }
    // A list takes `[]` (the next place) and the next index; anything else makes it an object
    // keyed by its indexes, as PHP's arrays are.
    if let Value::Array(items) = target {
        let at = if first.is_empty() {
            Some(items.len())
        } else {
            first.parse::<usize>().ok().filter(|at| *at <= items.len())
        };
        match at {
            Some(at) => {
                if at == items.len() {
                    items.push(Value::Null);
                }
                return put(&mut items[at], rest, value);
            }
            None => {
                let keyed = std::mem::take(items)
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| (i.to_string(), item))
                    .collect();
                *target = Value::Object(keyed);
            }
        }
    }
    if let Value::Object(map) = target {
        let key = if first.is_empty() {
            map.len().to_string()
        } else {
            first.clone()
        };
        let inner = map.entry(key).or_insert(Value::Null);
        put(inner, rest, value);
    }
}

fn decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_what_php_keeps_and_stops_at_its_depth() {
        let fields = parse("a[1]=x&a[0]=y&b[0]=x&b[k]=y");
        assert_eq!(
            Value::Object(fields),
            json!({"a": {"1": "x", "0": "y"}, "b": {"0": "x", "k": "y"}})
        );
        let deep = format!("a{}=1", "[]".repeat(100_000));
        assert_eq!(parse(&deep).len(), 1);
    }

    #[test]
    fn reads_nested_values_as_php_does() {
        let fields = parse(
            "id=7&filter[%3EID]=5&select[]=ID&select[]=TITLE&rows[0][N]=a%26b&rows[1][N]=c&t=a+b&auth=x",
        );
        assert_eq!(
            Value::Object(fields),
            json!({
                "id": "7",
                "filter": {">ID": "5"},
                "select": ["ID", "TITLE"],
                "rows": [{"N": "a&b"}, {"N": "c"}],
                "t": "a b",
                "auth": "x"
            })
        );
    }
}
