//! Tables of records — tasks, leads, deals, users — with what Bitrix24's list methods do to them:
//! pages of 50 from `start` (with `total` and `next`, or neither with `start=-1`), a `filter`
//! whose keys may carry a comparison (`=`, `!`/`!=`, `>`, `>=`, `<`, `<=`, `%`/`=%`/`%=` for
//! "contains", `!%`, `@`/`!@` for "one of", `><`/`!><` for "between"), an `order` and a
//! `select`.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Bitrix24's page size.
pub(crate) const PAGE: usize = 50;

/// Records by ID, each a map of upper-case field names to values.
#[derive(Default)]
pub(crate) struct Table {
    pub rows: BTreeMap<u64, Map<String, Value>>,
    next_id: u64,
}

/// A page of a list, as Bitrix24 answers it.
pub(crate) struct Page {
    pub items: Vec<Map<String, Value>>,
    /// How many records the filter finds; `None` with `start=-1`.
    pub total: Option<u64>,
    /// The `start` of the next page, when there is one.
    pub next: Option<u64>,
}

impl Table {
    /// Adds a record with the next ID, and returns the ID.
    pub fn insert(&mut self, mut fields: Map<String, Value>) -> u64 {
        self.next_id = self
            .next_id
            .max(self.rows.keys().next_back().copied().unwrap_or(0))
            + 1;
        let id = self.next_id;
        fields.insert("ID".into(), Value::String(id.to_string()));
        self.rows.insert(id, fields);
        id
    }

    /// Changes the fields given; `false` when there is no such record.
    pub fn update(&mut self, id: u64, fields: &Map<String, Value>) -> bool {
        match self.rows.get_mut(&id) {
            Some(row) => {
                for (key, value) in fields {
                    if key != "ID" {
                        row.insert(key.clone(), value.clone());
                    }
                }
                true
            }
            None => false,
        }
    }

    /// A page of the records `filter` finds, in `order`, from `start` (`-1`: the first page,
    /// without counting), with the `select`ed fields (`ID` always).
    pub fn list(
        &self,
        filter: &Map<String, Value>,
        order: &Map<String, Value>,
        select: &[String],
        start: i64,
    ) -> Page {
        // An empty value conditions nothing, as in PHP (a `$result[…]` that points at nothing
        // becomes one).
        let conditions: Vec<Condition> = filter
            .iter()
            .filter(|(_, v)| !matches!(v, Value::String(s) if s.is_empty()) && !v.is_null())
            .map(|(k, v)| Condition::new(k, v))
            .collect();
        let counted = start >= 0;
        // In ID order (the rows' own), without counting: read from the first ID the filter
        // allows, and stop at a page — how a walk over a big table stays fast.
        let by_id = order.is_empty()
            || (order.len() == 1
                && order.keys().all(|k| k == "ID")
                && order
                    .values()
                    .all(|d| !d.as_str().is_some_and(|d| d.eq_ignore_ascii_case("desc"))));
        if by_id && !counted {
            let from = conditions
                .iter()
                .filter(|c| c.field == "ID" && !c.negated)
                .filter_map(|c| {
                    let id = text(c.values.first()).parse::<u64>().ok()?;
                    match c.comparison {
                        ">" => Some(id.saturating_add(1)),
                        ">=" => Some(id),
                        _ => None,
                    }
                })
                .max()
                .unwrap_or(0);
            let items = self
                .rows
                .range(from..)
                .map(|(_, row)| row)
                .filter(|row| conditions.iter().all(|c| c.holds(row)))
                .take(PAGE)
                .map(|row| project(row, select))
                .collect();
            return Page {
                items,
                total: None,
                next: None,
            };
        }
        let mut found: Vec<&Map<String, Value>> = self
            .rows
            .values()
            .filter(|row| conditions.iter().all(|c| c.holds(row)))
            .collect();
        // The rows are in ID order already.
        if !by_id {
            found.sort_by(|a, b| {
                for (key, direction) in order {
                    let descending = direction
                        .as_str()
                        .is_some_and(|d| d.eq_ignore_ascii_case("desc"));
                    let ordering = compare(a.get(key), b.get(key));
                    let ordering = if descending {
                        ordering.reverse()
                    } else {
                        ordering
                    };
                    if ordering != Ordering::Equal {
                        return ordering;
                    }
                }
                Ordering::Equal
            });
        }
        let from = usize::try_from(start.max(0)).unwrap_or(usize::MAX);
        let total = found.len();
        let items: Vec<Map<String, Value>> = found
            .into_iter()
            .skip(from)
            .take(PAGE)
            .map(|row| project(row, select))
            .collect();
        let next = from + PAGE;
        Page {
            items,
            total: counted.then_some(total as u64),
            next: (counted && next < total).then_some(next as u64),
        }
    }
}

/// The fields of `row` that `select` names (all of them for none, `*` or `UF_*`); `ID` always.
fn project(row: &Map<String, Value>, select: &[String]) -> Map<String, Value> {
    if select.is_empty() || select.iter().any(|s| s == "*") {
        return row.clone();
    }
    row.iter()
        .filter(|(key, _)| *key == "ID" || select.iter().any(|s| s.eq_ignore_ascii_case(key)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// One key of a filter: a field, how it compares, and with what.
struct Condition {
    field: String,
    /// The comparison without its `!`.
    comparison: &'static str,
    negated: bool,
    values: Vec<Value>,
}

/// Bitrix24's comparison prefixes, longest first.
const PREFIXES: &[&str] = &[
    "!><", "!=%", "!%=", "><", "=%", "%=", "!%", "!@", "!=", ">=", "<=", "@", "!", ">", "<", "=",
    "%",
];

impl Condition {
    fn new(key: &str, value: &Value) -> Condition {
        let prefix = PREFIXES
            .iter()
            .find(|prefix| key.starts_with(**prefix))
            .copied()
            .unwrap_or("");
        let negated = prefix.starts_with('!');
        let comparison = match prefix.trim_start_matches('!') {
            "" | "=" => "=",
            "=%" | "%=" | "%" => "%",
            other => PREFIXES
                .iter()
                .find(|p| **p == other)
                .copied()
                .unwrap_or("="),
        };
        let field = key[prefix.len()..].to_uppercase();
        let values = match value {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        Condition {
            field,
            comparison,
            negated,
            values,
        }
    }

    fn holds(&self, row: &Map<String, Value>) -> bool {
        let actual = row.get(&self.field);
        let matches = |wanted: &Value| match self.comparison {
            ">" => compare(actual, Some(wanted)) == Ordering::Greater,
            ">=" => compare(actual, Some(wanted)) != Ordering::Less,
            "<" => compare(actual, Some(wanted)) == Ordering::Less,
            "<=" => compare(actual, Some(wanted)) != Ordering::Greater,
            "%" => text(actual)
                .to_lowercase()
                .contains(&text(Some(wanted)).to_lowercase()),
            _ => compare(actual, Some(wanted)) == Ordering::Equal,
        };
        let holds = match self.comparison {
            "><" => match self.values.as_slice() {
                [low, high] => {
                    compare(actual, Some(low)) != Ordering::Less
                        && compare(actual, Some(high)) != Ordering::Greater
                }
                _ => false,
            },
            _ => self.values.iter().any(matches),
        };
        holds != self.negated
    }
}

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Numbers compare as numbers (Bitrix24 keeps IDs as text) and come before other text, which
/// compares as text: a total order, as sorting needs.
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let number = |text: &str| text.parse::<f64>().ok().filter(|n| n.is_finite());
    let (a, b) = (text(a), text(b));
    match (number(&a), number(&b)) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.cmp(&b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(&b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(n: u64) -> Table {
        let mut table = Table::default();
        for i in 1..=n {
            let fields = json!({"TITLE": format!("Lead {i}"), "STATUS_ID": if i % 2 == 0 { "NEW" } else { "JUNK" }});
            table.insert(fields.as_object().unwrap().clone());
        }
        table
    }

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn pages_by_fifty_with_total_and_next() {
        let table = table(120);
        let first = table.list(&Map::new(), &Map::new(), &[], 0);
        assert_eq!(
            (first.items.len(), first.total, first.next),
            (50, Some(120), Some(50))
        );
        let last = table.list(&Map::new(), &Map::new(), &[], 100);
        assert_eq!(
            (last.items.len(), last.total, last.next),
            (20, Some(120), None)
        );
        let uncounted = table.list(&Map::new(), &Map::new(), &[], -1);
        assert_eq!(
            (uncounted.items.len(), uncounted.total, uncounted.next),
            (50, None, None)
        );
    }

    #[test]
    fn filters_orders_and_selects() {
        let table = table(120);
        let filter = map(json!({">ID": 100, "=STATUS_ID": "NEW"}));
        let page = table.list(&filter, &map(json!({"ID": "DESC"})), &["TITLE".into()], 0);
        let ids: Vec<&str> = page
            .items
            .iter()
            .map(|r| r["ID"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "120", "118", "116", "114", "112", "110", "108", "106", "104", "102"
            ]
        );
        assert_eq!(
            page.items[0],
            map(json!({"ID": "120", "TITLE": "Lead 120"}))
        );
        let contains = table.list(&map(json!({"%TITLE": "lead 11"})), &Map::new(), &[], 0);
        assert_eq!(contains.total, Some(11));
        let not = table.list(&map(json!({"!STATUS_ID": ["NEW"]})), &Map::new(), &[], 0);
        assert_eq!(not.total, Some(60));
        let between = table.list(&map(json!({"><ID": [10, 19]})), &Map::new(), &[], 0);
        assert_eq!(between.total, Some(10));
        let one_of = table.list(&map(json!({"@ID": [3, 5, 500]})), &Map::new(), &[], 0);
        assert_eq!(one_of.total, Some(2));
        let not_containing = table.list(&map(json!({"!%TITLE": "lead 1"})), &Map::new(), &[], 0);
        assert_eq!(not_containing.total, Some(120 - 32));
    }

    #[test]
    fn orders_mixed_numbers_and_text_totally() {
        let mut table = Table::default();
        for title in ["9", "10", "1a", "b", "2", "NaN", "1a"] {
            table.insert(json!({"TITLE": title}).as_object().unwrap().clone());
        }
        let order = map(json!({"TITLE": "ASC"}));
        let page = table.list(&Map::new(), &order, &["TITLE".into()], 0);
        let titles: Vec<&str> = page
            .items
            .iter()
            .map(|r| r["TITLE"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["2", "9", "10", "1a", "1a", "NaN", "b"]);
    }
}
