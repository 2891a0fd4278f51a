//! Tasks, CRM leads and deals, and users, kept as records: what their add, get, update, delete
//! and list methods do on a portal, with the answer shapes Bitrix24 gives each family
//! (`tasks.task.*` answers camelCase keys under `task`/`tasks`; `crm.*` and `user.*` answer
//! upper-case keys).

use serde_json::{Map, Value, json};

use super::methods::{Answered, Reply, error, id};
use super::portal::Portal;
use super::records::Table;

/// The kinds of record the emulator keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Entity {
    Task,
    Lead,
    Deal,
    User,
}

impl Portal {
    pub(crate) fn table(&mut self, entity: Entity) -> &mut Table {
        self.tables.entry(entity).or_default()
    }
}

/// Answers `method` when it is one of the record methods; `None` otherwise.
pub(crate) fn call(portal: &mut Portal, user: u64, method: &str, body: &Value) -> Option<Reply> {
    let method = method.to_ascii_lowercase();
    Some(match method.as_str() {
        "tasks.task.add" => task_add(portal, user, body),
        "tasks.task.get" => task_get(portal, body),
        "tasks.task.update" => task_update(portal, body),
        "tasks.task.delete" => task_delete(portal, body),
        "tasks.task.list" => task_list(portal, body),
        "crm.lead.add" => crm_add(portal, Entity::Lead, user, body),
        "crm.lead.get" => crm_get(portal, Entity::Lead, body),
        "crm.lead.update" => crm_update(portal, Entity::Lead, body),
        "crm.lead.delete" => crm_delete(portal, Entity::Lead, body),
        "crm.lead.list" => crm_list(portal, Entity::Lead, body),
        "crm.deal.add" => crm_add(portal, Entity::Deal, user, body),
        "crm.deal.get" => crm_get(portal, Entity::Deal, body),
        "crm.deal.update" => crm_update(portal, Entity::Deal, body),
        "crm.deal.delete" => crm_delete(portal, Entity::Deal, body),
        "crm.deal.list" => crm_list(portal, Entity::Deal, body),
        "user.add" => user_add(portal, body),
        "user.get" => user_get(portal, body),
        "user.current" => user_current(portal, user),
        "user.update" => user_update(portal, body),
        "user.search" => user_search(portal, body),
        _ => return None,
    })
}

fn object(value: Option<&Value>) -> Map<String, Value> {
    value
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// `select`: a list of field names, or one name.
fn select(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_uppercase)
            .collect(),
        Some(Value::String(one)) => vec![one.to_uppercase()],
        _ => Vec::new(),
    }
}

/// `start`: a page's offset, `-1` for no counting; 0 when missing.
fn start(body: &Value) -> i64 {
    match body.get("start") {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

/// Keys in upper case, as the filter and select of every family name fields.
fn upper(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .map(|(key, value)| {
            let prefix_len = key.len() - key.trim_start_matches(['>', '<', '=', '!', '%']).len();
            let (prefix, name) = key.split_at(prefix_len);
            (format!("{prefix}{}", to_upper_snake(name)), value)
        })
        .collect()
}

/// `responsibleId` → `RESPONSIBLE_ID`; `TITLE` stays.
fn to_upper_snake(name: &str) -> String {
    if name.chars().all(|c| !c.is_ascii_lowercase()) {
        return name.to_owned();
    }
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// `RESPONSIBLE_ID` → `responsibleId`: how `tasks.task.*` names fields in its answers.
fn to_camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper_next = false;
    for c in name.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn camel(row: &Map<String, Value>) -> Value {
    Value::Object(row.iter().map(|(k, v)| (to_camel(k), v.clone())).collect())
}

fn task_add(portal: &mut Portal, user: u64, body: &Value) -> Reply {
    let mut fields = upper(object(body.get("fields")));
    let title = fields
        .get("TITLE")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if title.trim().is_empty() {
        return error(400, "ERROR_CORE", "Task title is empty");
    }
    fields
        .entry("RESPONSIBLE_ID")
        .or_insert(json!(user.to_string()));
    fields
        .entry("CREATED_BY")
        .or_insert(json!(user.to_string()));
    fields.entry("STATUS").or_insert(json!("2"));
    let table = portal.table(Entity::Task);
    let id = table.insert(fields);
    Ok(json!({"task": camel(&table.rows[&id])}).into())
}

fn task_id(body: &Value) -> Option<u64> {
    id(body, "taskId").or_else(|| id(body, "TASKID"))
}

fn task_not_found() -> Reply {
    error(400, "ERROR_CORE", "Task not found or not accessible")
}

fn task_get(portal: &mut Portal, body: &Value) -> Reply {
    let Some(row) = task_id(body).and_then(|id| portal.table(Entity::Task).rows.get(&id)) else {
        return task_not_found();
    };
    Ok(json!({"task": camel(row)}).into())
}

fn task_update(portal: &mut Portal, body: &Value) -> Reply {
    let fields = upper(object(body.get("fields")));
    let table = portal.table(Entity::Task);
    match task_id(body) {
        Some(id) if table.update(id, &fields) => {
            Ok(json!({"task": camel(&table.rows[&id])}).into())
        }
        _ => task_not_found(),
    }
}

fn task_delete(portal: &mut Portal, body: &Value) -> Reply {
    match task_id(body) {
        Some(id) if portal.table(Entity::Task).rows.remove(&id).is_some() => {
            Ok(json!({"task": true}).into())
        }
        _ => task_not_found(),
    }
}

fn task_list(portal: &mut Portal, body: &Value) -> Reply {
    let filter = upper(object(body.get("filter")));
    let order = upper(object(body.get("order")));
    let page =
        portal
            .table(Entity::Task)
            .list(&filter, &order, &select(body.get("select")), start(body));
    Ok(Answered {
        result: json!({"tasks": page.items.iter().map(camel).collect::<Vec<_>>()}),
        total: page.total,
        next: page.next,
    })
}

fn crm_add(portal: &mut Portal, entity: Entity, user: u64, body: &Value) -> Reply {
    let mut fields = upper(object(body.get("fields")));
    fields
        .entry("ASSIGNED_BY_ID")
        .or_insert(json!(user.to_string()));
    fields
        .entry("CREATED_BY_ID")
        .or_insert(json!(user.to_string()));
    let id = portal.table(entity).insert(fields);
    Ok(json!(id).into())
}

fn crm_get(portal: &mut Portal, entity: Entity, body: &Value) -> Reply {
    match id(body, "id").and_then(|id| portal.table(entity).rows.get(&id)) {
        Some(row) => Ok(Value::Object(row.clone()).into()),
        None => error(400, "", "Not found"),
    }
}

fn crm_update(portal: &mut Portal, entity: Entity, body: &Value) -> Reply {
    let fields = upper(object(body.get("fields")));
    match id(body, "id") {
        Some(id) if portal.table(entity).update(id, &fields) => Ok(json!(true).into()),
        _ => error(400, "", "Not found"),
    }
}

fn crm_delete(portal: &mut Portal, entity: Entity, body: &Value) -> Reply {
    match id(body, "id") {
        Some(id) if portal.table(entity).rows.remove(&id).is_some() => Ok(json!(true).into()),
        _ => error(400, "", "Not found"),
    }
}

fn crm_list(portal: &mut Portal, entity: Entity, body: &Value) -> Reply {
    let filter = upper(object(body.get("filter")));
    let order = upper(object(body.get("order")));
    let page = portal
        .table(entity)
        .list(&filter, &order, &select(body.get("select")), start(body));
    Ok(Answered {
        result: Value::Array(page.items.into_iter().map(Value::Object).collect()),
        total: page.total,
        next: page.next,
    })
}

/// The fields of a user given at the top level of the body.
fn user_fields(body: &Value) -> Map<String, Value> {
    upper(object(Some(body)))
        .into_iter()
        .filter(|(key, _)| !matches!(key.as_str(), "AUTH" | "ID" | "START" | "SORT" | "ORDER"))
        .collect()
}

fn user_add(portal: &mut Portal, body: &Value) -> Reply {
    let fields = user_fields(body);
    if fields
        .get("EMAIL")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return error(400, "", "Email is required");
    }
    let id = portal.add_user_with(fields);
    Ok(json!(id).into())
}

fn user_list(portal: &mut Portal, filter: Map<String, Value>, body: &Value) -> Reply {
    let mut order = Map::new();
    if let Some(sort) = body.get("sort").and_then(Value::as_str) {
        let direction = body.get("order").cloned().unwrap_or(json!("ASC"));
        order.insert(sort.to_uppercase(), direction);
    }
    let page = portal
        .table(Entity::User)
        .list(&filter, &order, &[], start(body));
    Ok(Answered {
        result: Value::Array(page.items.into_iter().map(Value::Object).collect()),
        total: page.total,
        next: page.next,
    })
}

fn user_get(portal: &mut Portal, body: &Value) -> Reply {
    // `user.get` filters by its top-level keys, or by `FILTER`.
    let mut filter = match body.get("FILTER").or_else(|| body.get("filter")) {
        Some(inner) => upper(object(Some(inner))),
        None => user_fields(body),
    };
    if let Some(id) = id(body, "ID") {
        filter.insert("ID".into(), json!(id.to_string()));
    }
    user_list(portal, filter, body)
}

fn user_search(portal: &mut Portal, body: &Value) -> Reply {
    let filter = upper(object(body.get("FILTER").or_else(|| body.get("filter"))));
    user_list(portal, filter, body)
}

fn user_current(portal: &mut Portal, user: u64) -> Reply {
    match portal.table(Entity::User).rows.get(&user) {
        Some(row) => Ok(Value::Object(row.clone()).into()),
        None => error(401, "NO_AUTH_FOUND", "Wrong authorization data"),
    }
}

fn user_update(portal: &mut Portal, body: &Value) -> Reply {
    let fields = user_fields(body);
    match id(body, "ID") {
        Some(id) if portal.table(Entity::User).update(id, &fields) => Ok(json!(true).into()),
        _ => error(400, "", "User not found"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fields_as_each_family_does() {
        assert_eq!(to_camel("RESPONSIBLE_ID"), "responsibleId");
        assert_eq!(to_upper_snake("responsibleId"), "RESPONSIBLE_ID");
        assert_eq!(to_upper_snake("TITLE"), "TITLE");
        let upper = upper(
            json!({">id": 1, "STATUS_ID": "NEW"})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert!(upper.contains_key(">ID") && upper.contains_key("STATUS_ID"));
    }
}
