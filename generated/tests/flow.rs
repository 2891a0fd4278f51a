//! Users' flows against the emulator, through the client and through the `oint` process:
//! create a chat, add users, remove one, and list the members to see them gone; create, list
//! in pages, update and delete tasks, leads and deals; upload a file in two steps; get and
//! refresh OAuth tokens.

use std::process::Command;

use oint::bitrix24::Client;
use oint_emulator::bitrix24::{Emulator, EmulatorConfig, Entity};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_add_remove_list_through_the_client() {
    let portal = Emulator::start().await.unwrap();
    let (owner, ann, bob) = (portal.add_user(), portal.add_user(), portal.add_user());
    let client = Client::oauth(&portal.url(), portal.issue_token(owner)).unwrap();

    let created = client
        .create_chat(json!({"TYPE": "CHAT", "TITLE": "Release", "USERS": [ann]}))
        .await
        .unwrap();
    let chat = created.result;
    assert_eq!(portal.chat_title(chat).as_deref(), Some("Release"));

    let added = client.add_users_to_chat(chat, [bob], None).await.unwrap();
    assert!(added.result);
    let removed = client.delete_user_from_chat(chat, ann).await.unwrap();
    assert!(removed.result);
    let members = client.get_chat_users(chat).await.unwrap();
    assert_eq!(members.result, vec![owner, bob]);
    assert_eq!(portal.chat_members(chat), Some(vec![owner, bob]));

    // What went over the wire is what OPI sends: the IDs as given, HideHistory's default as "N".
    let add = portal
        .received()
        .into_iter()
        .find(|r| r.method == "im.chat.user.add")
        .unwrap();
    assert_eq!(add.body["USERS"], json!([bob]));
    assert_eq!(add.body["HIDE_HISTORY"], json!("N"));
}

fn oint(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_oint"))
        .args(args)
        .env_remove("OINT_BITRIX24_URL")
        .env_remove("OINT_BITRIX24_TOKEN")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_add_remove_list_through_the_cli() {
    let portal = Emulator::start().await.unwrap();
    let (owner, ann, bob) = (portal.add_user(), portal.add_user(), portal.add_user());
    let url = portal.webhook_url(owner);
    let (ann_s, bob_s) = (ann.to_string(), bob.to_string());
    let run = |args: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            oint(&args)
        })
    };
    let words = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    let fields = format!(r#"{{"TITLE": "Release", "USERS": [{ann}]}}"#);
    let created = run(words(&[
        "bitrix24",
        "CreateChat",
        "--url",
        &url,
        "--fields",
        &fields,
    ]))
    .await
    .unwrap();
    let chat = created["result"].as_u64().unwrap().to_string();
    let users = format!("[{bob_s}]");
    run(words(&[
        "bitrix24",
        "AddUsersToChat",
        "--url",
        &url,
        "--chat",
        &chat,
        "--users",
        &users,
        "--hide",
        "true",
    ]))
    .await
    .unwrap();
    run(words(&[
        "bitrix24",
        "DeleteUserFromChat",
        "--url",
        &url,
        "--chat",
        &chat,
        "--user",
        &ann_s,
    ]))
    .await
    .unwrap();
    let members = run(words(&[
        "bitrix24",
        "GetChatUsers",
        "--url",
        &url,
        "--chat",
        &chat,
    ]))
    .await
    .unwrap();
    assert_eq!(members["result"], json!([owner, bob]));
    let add = portal
        .received()
        .into_iter()
        .find(|r| r.method == "im.chat.user.add")
        .unwrap();
    assert_eq!(add.body["HIDE_HISTORY"], json!("Y"));
}

/// Reads every page through `page` (each time from the `next` of the answer before) and gives
/// the IDs listed, in order, with the first answer's `total`.
async fn all_pages<F, Fut>(page: F) -> (Vec<u64>, Option<u64>)
where
    F: Fn(Option<oint::bitrix24::Id>) -> Fut,
    Fut: std::future::Future<Output = (Vec<u64>, Option<u64>, Option<u64>)>,
{
    let mut ids = Vec::new();
    let mut start = None;
    let mut total = None;
    let mut pages = 0;
    loop {
        let (found, page_total, next) = page(start.map(oint::bitrix24::Id::from)).await;
        ids.extend(found);
        total = total.or(page_total);
        pages += 1;
        assert!(pages < 10, "the pages do not end");
        match next {
            Some(next) => start = Some(next),
            None => return (ids, total),
        }
    }
}

fn id_of(value: &Value, key: &str) -> u64 {
    match &value[key] {
        Value::String(s) => s.parse().unwrap(),
        other => other.as_u64().unwrap(),
    }
}

/// Tasks: create, list in pages of 50, update, get, delete — through the client, on records
/// the emulator keeps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_are_created_listed_in_pages_updated_and_deleted() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    for n in 1..=110 {
        portal.insert(
            Entity::Task,
            json!({"TITLE": format!("Task {n}"), "RESPONSIBLE_ID": "1"}),
        );
    }
    let client = Client::webhook(&portal.webhook_url(owner)).unwrap();

    let created = client
        .create_task(json!({"TITLE": "Release notes", "RESPONSIBLE_ID": owner}))
        .await
        .unwrap();
    let task = id_of(&created.result["task"], "id");
    assert_eq!(task, 111);

    let (ids, total) = all_pages(|start| {
        let client = client.clone();
        async move {
            let page = client
                .get_tasks_list(None, start, Some(vec!["ID".into(), "TITLE".into()]))
                .await
                .unwrap();
            let ids = page.result["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| id_of(t, "id"))
                .collect();
            (ids, page.total, page.next)
        }
    })
    .await;
    assert_eq!(ids, (1..=111).collect::<Vec<_>>());
    assert_eq!(total, Some(111));

    let filtered = client
        .get_tasks_list(
            Some(json!({">ID": 100, "RESPONSIBLE_ID": owner})),
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(filtered.total, Some(1));

    client
        .update_task(task, json!({"TITLE": "Release notes, final"}))
        .await
        .unwrap();
    let read = client.get_task(task).await.unwrap();
    assert_eq!(read.result["task"]["title"], "Release notes, final");
    client.delete_task(task).await.unwrap();
    assert_eq!(portal.record(Entity::Task, task), None);
    let gone = client.get_task(task).await.unwrap_err();
    assert!(
        matches!(gone, oint::bitrix24::Error::Api { .. }),
        "{gone:?}"
    );
}

/// Leads and deals: the same flow through the CRM methods, in OAuth mode.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leads_and_deals_are_created_listed_in_pages_updated_and_deleted() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    let client = Client::oauth(&portal.url(), portal.issue_token(owner)).unwrap();
    for entity in [Entity::Lead, Entity::Deal] {
        for n in 1..=120 {
            let stage = if n % 3 == 0 { "NEW" } else { "IN_PROCESS" };
            portal.insert(
                entity,
                json!({"TITLE": format!("Item {n}"), "STATUS_ID": stage, "STAGE_ID": stage}),
            );
        }
        let fields = json!({"TITLE": "From oint", "STATUS_ID": "NEW", "STAGE_ID": "NEW"});
        let created = match entity {
            Entity::Lead => client.create_lead(fields).await.unwrap().result,
            _ => client.create_deal(fields).await.unwrap().result,
        };
        assert_eq!(created, 121);

        let (ids, total) = all_pages(|start| {
            let client = client.clone();
            async move {
                let page = match entity {
                    Entity::Lead => client.get_leads_list(None, start).await.unwrap(),
                    _ => client.get_deals_list(None, start).await.unwrap(),
                };
                let ids = page.result.iter().map(|item| id_of(item, "ID")).collect();
                (ids, page.total, page.next)
            }
        })
        .await;
        assert_eq!(ids, (1..=121).collect::<Vec<_>>(), "{entity:?}");
        assert_eq!(total, Some(121));

        let key = if entity == Entity::Lead {
            "STATUS_ID"
        } else {
            "STAGE_ID"
        };
        let new = json!({ format!("={key}"): "NEW" });
        let found = match entity {
            Entity::Lead => client.get_leads_list(Some(new), None).await.unwrap(),
            _ => client.get_deals_list(Some(new), None).await.unwrap(),
        };
        assert_eq!(found.total, Some(41), "{entity:?}");

        let changed = json!({"TITLE": "From oint, changed"});
        let read = match entity {
            Entity::Lead => {
                assert!(client.update_lead(created, changed).await.unwrap().result);
                client.get_lead(created).await.unwrap().result
            }
            _ => {
                assert!(client.update_deal(created, changed).await.unwrap().result);
                client.get_deal(created).await.unwrap().result
            }
        };
        assert_eq!(read["TITLE"], "From oint, changed");
        let deleted = match entity {
            Entity::Lead => client.delete_lead(created).await.unwrap().result,
            _ => client.delete_deal(created).await.unwrap().result,
        };
        assert!(deleted);
        assert_eq!(portal.record(entity, created), None);
        assert_eq!(portal.count(entity), 120);
    }
}

/// A file goes to a folder in two requests: the address, then the multipart upload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_is_uploaded_in_two_steps() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    let client = Client::oauth(&portal.url(), portal.issue_token(owner)).unwrap();
    let bytes = b"%PDF-1.4 release notes".to_vec();
    let answer = client
        .upload_file_to_folder("notes.pdf", bytes.clone(), "44952")
        .await
        .unwrap();
    let id = id_of(&Value::Object(answer.result.clone()), "ID");
    assert_eq!(
        portal.file(id),
        Some(("notes.pdf".into(), "44952".into(), bytes))
    );
    // The first request asked for the address with a GET and the token in the query; the
    // second one carried no token.
    let asked = portal
        .received()
        .into_iter()
        .find(|r| r.method.eq_ignore_ascii_case("disk.folder.uploadFile"))
        .unwrap();
    assert_eq!(asked.body["id"], "44952");

    // The same through the CLI, from a file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("picture.jpg");
    std::fs::write(&path, b"\xff\xd8 a picture").unwrap();
    let url = portal.webhook_url(owner);
    let path = path.to_string_lossy().into_owned();
    let printed = tokio::task::spawn_blocking(move || {
        oint(&[
            "bitrix24",
            "UploadFileToFolder",
            "--url",
            &url,
            "--title",
            "Picture1.jpg",
            "--file",
            &path,
            "--folderid",
            "7",
        ])
    })
    .await
    .unwrap();
    let id = id_of(&printed["result"], "ID");
    assert_eq!(
        portal.file(id),
        Some((
            "Picture1.jpg".into(),
            "7".into(),
            b"\xff\xd8 a picture".to_vec()
        ))
    );
}

/// An app's OAuth flow against the emulator's OAuth server, through the client: a code becomes
/// tokens, the access token works, and once it has expired the refresh token gives new ones
/// (and works once).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_oauth_grants_work_through_the_client() {
    let config = EmulatorConfig {
        // Access tokens that expire at once: the second call meets `expired_token`.
        token_lifetime: std::time::Duration::ZERO,
        ..EmulatorConfig::default()
    };
    let portal = Emulator::start_with(config, 0).await.unwrap();
    let user = portal.add_user();
    portal.register_app("local.app.1", "app-secret-1");
    let code = portal.authorization_code(user, "local.app.1");
    let server = Client::without_portal()
        .unwrap()
        .with_server_url("oauth", &portal.url())
        .unwrap();

    let tokens = server
        .get_token("local.app.1", "app-secret-1", code.clone())
        .await
        .unwrap()
        .result;
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(tokens["user_id"], json!(user));
    assert_eq!(tokens["expires_in"], json!(0));

    // The code worked once.
    let again = server
        .get_token("local.app.1", "app-secret-1", code)
        .await
        .unwrap_err();
    assert!(
        matches!(&again, oint::bitrix24::Error::Api { code, .. } if code == "invalid_grant"),
        "{again:?}"
    );

    let client = Client::oauth(&portal.url(), access).unwrap();
    let expired = client.server_time().await.unwrap_err();
    assert!(
        matches!(expired, oint::bitrix24::Error::TokenExpired { .. }),
        "{expired:?}"
    );

    let renewed = server
        .refresh_token("local.app.1", "app-secret-1", refresh.clone())
        .await
        .unwrap()
        .result;
    assert_ne!(renewed["refresh_token"].as_str().unwrap(), refresh);
    let reused = server
        .refresh_token("local.app.1", "app-secret-1", refresh)
        .await
        .unwrap_err();
    assert!(
        matches!(&reused, oint::bitrix24::Error::Api { code, .. } if code == "invalid_grant"),
        "{reused:?}"
    );
    let wrong_secret = server
        .refresh_token(
            "local.app.1",
            "not-the-secret",
            renewed["refresh_token"].as_str().unwrap(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&wrong_secret, oint::bitrix24::Error::Api { code, .. } if code == "invalid_client")
    );
    // The secret is in no error.
    assert!(!format!("{wrong_secret} {wrong_secret:?}").contains("not-the-secret"));
}

/// The same grants through the CLI, with the OAuth server's address in its variable; the
/// client secret is masked in `--debug`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_oauth_grants_work_through_the_cli() {
    let portal = Emulator::start().await.unwrap();
    let user = portal.add_user();
    portal.register_app("local.app.2", "app-secret-2");
    let code = portal.authorization_code(user, "local.app.2");
    let url = portal.url();
    let run = move |args: Vec<String>| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_oint"))
                .args(&args)
                .env("OINT_BITRIX24_OAUTH_URL", url)
                .env_remove("OINT_BITRIX24_CLIENT_SECRET")
                .output()
                .unwrap()
        })
    };
    let words = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let output = run(words(&[
        "--debug",
        "bitrix24",
        "GetToken",
        "--clientid",
        "local.app.2",
        "--clientsecret",
        "app-secret-2",
        "--code",
        &code,
    ]))
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let debug = String::from_utf8_lossy(&output.stderr);
    assert!(debug.contains("GET http://127.0.0.1:"), "{debug}");
    assert!(
        debug.contains("client_secret=***") && debug.contains("code=***"),
        "{debug}"
    );
    assert!(
        !debug.contains("app-secret-2") && !debug.contains(&code),
        "{debug}"
    );
    let tokens: Value = serde_json::from_slice(&output.stdout).unwrap();

    let time = run(words(&[
        "bitrix24",
        "ServerTime",
        "--url",
        &portal.url(),
        "--token",
        tokens["access_token"].as_str().unwrap(),
    ]))
    .await
    .unwrap();
    assert!(
        time.status.success(),
        "{}",
        String::from_utf8_lossy(&time.stderr)
    );

    let refreshed = run(words(&[
        "bitrix24",
        "RefreshToken",
        "--clientid",
        "local.app.2",
        "--clientsecret",
        "app-secret-2",
        "--refresh",
        tokens["refresh_token"].as_str().unwrap(),
    ]))
    .await
    .unwrap();
    assert!(
        refreshed.status.success(),
        "{}",
        String::from_utf8_lossy(&refreshed.stderr)
    );
    let again = run(words(&[
        "bitrix24",
        "RefreshToken",
        "--clientid",
        "local.app.2",
        "--clientsecret",
        "app-secret-2",
        "--refresh",
        tokens["refresh_token"].as_str().unwrap(),
    ]))
    .await
    .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("invalid_grant"));
}

/// A batch of 120 calls of three methods goes as three `batch` requests; each answer comes back
/// typed as its method's, and a call that fails fails alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_many_calls_gives_each_answer_typed() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    for n in 1..=100 {
        portal.insert(Entity::Lead, json!({"TITLE": format!("Lead {n}")}));
    }
    let client = Client::webhook(&portal.webhook_url(owner)).unwrap();
    let mut batch = client.batch();
    let leads: Vec<_> = (1..=100).map(|id| batch.add(client.get_lead(id))).collect();
    let missing = batch.add(client.get_lead(5_000));
    let deals: Vec<_> = (0..18)
        .map(|n| batch.add(client.create_deal(json!({"TITLE": format!("Deal {n}")}))))
        .collect();
    let page = batch.add(client.get_leads_list(Some(json!({">ID": 90, "%TITLE": "Lead"})), None));
    assert_eq!(batch.len(), 120);
    let before = portal.stats().requests;
    let mut results = batch.send().await;
    assert_eq!(results.requests, 3);
    assert_eq!(portal.stats().requests - before, 3);
    for (n, key) in leads.into_iter().enumerate() {
        let lead = results.take(key).unwrap();
        assert_eq!(lead.result["TITLE"], format!("Lead {}", n + 1));
    }
    let error = results.take(missing).unwrap_err();
    assert!(
        matches!(&error, oint::bitrix24::Error::Api { description, .. } if description == "Not found"),
        "{error:?}"
    );
    let ids: Vec<u64> = deals
        .into_iter()
        .map(|key| results.take(key).unwrap().result)
        .collect();
    assert_eq!(ids, (1..=18).collect::<Vec<u64>>());
    let page = results.take(page).unwrap();
    assert_eq!(page.total, Some(10));
    assert_eq!(page.result.len(), 10);
    assert_eq!(portal.count(Entity::Deal), 18);
    assert_eq!(portal.stats().methods["crm.lead.get"], 101);
}

/// With halt, the calls after the first failure are not made, nor are the batches after it; a
/// call that cannot go in a batch says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halting_batch_stops_at_the_first_failure() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    let client = Client::webhook(&portal.webhook_url(owner)).unwrap();
    let mut batch = client.batch().halt(true);
    let first = batch.add(client.create_lead(json!({"TITLE": "First"})));
    let failing = batch.add(client.get_lead(999));
    let after: Vec<_> = (0..60)
        .map(|n| batch.add(client.create_lead(json!({"TITLE": format!("After {n}")}))))
        .collect();
    let mut results = batch.send().await;
    assert_eq!(results.requests, 1, "the second batch is not sent");
    assert_eq!(results.take(first).unwrap().result, 1);
    assert!(matches!(
        results.take(failing),
        Err(oint::bitrix24::Error::Api { .. })
    ));
    for key in after {
        let error = results.take(key).unwrap_err();
        assert!(
            matches!(error, oint::bitrix24::Error::NotDone { .. }),
            "{error:?}"
        );
    }
    assert_eq!(portal.count(Entity::Lead), 1);

    let mut batch = client.batch();
    let elsewhere = batch.add(client.get_token("local.app", "secret", "code"));
    let here = batch.add(client.server_time());
    let mut results = batch.send().await;
    let refused = results.take(elsewhere).unwrap_err();
    assert!(
        refused.to_string().contains("cannot go in a batch"),
        "{refused}"
    );
    results.take(here).unwrap();
}

/// Every lead, in ID order, at 2,500 to a request (50 chained pages to a batch).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_list_is_read_by_id_fifty_pages_to_a_request() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    for n in 1..=6_000 {
        let status = if n % 3 == 0 { "NEW" } else { "IN_PROCESS" };
        portal.insert(
            Entity::Lead,
            json!({"TITLE": format!("Lead {n}"), "STATUS_ID": status}),
        );
    }
    let client = Client::webhook(&portal.webhook_url(owner)).unwrap();
    let before = portal.stats().requests;
    let all = client
        .get_leads_list(None, Some(300.into()))
        .all()
        .await
        .unwrap();
    let ids: Vec<u64> = all.iter().map(|lead| id_of(lead, "ID")).collect();
    assert_eq!(ids, (1..=6_000).collect::<Vec<u64>>());
    assert_eq!(portal.stats().requests - before, 3);
    assert_eq!(portal.stats().refused, 0);

    let new = client
        .get_leads_list(Some(json!({"STATUS_ID": "NEW"})), None)
        .all()
        .await
        .unwrap();
    assert_eq!(new.len(), 2_000);
    assert_eq!(portal.stats().requests - before, 4);

    // A filter on the ID itself: read by `start`, which counts first.
    let some = client
        .get_leads_list(Some(json!({"<ID": 120})), None)
        .all()
        .await
        .unwrap();
    assert_eq!(some.len(), 119);
}

/// Records added and removed during the read: none twice, none missing that was there all along.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_that_changes_during_the_read_is_read_right() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    for n in 1..=6_000 {
        portal.insert(Entity::Deal, json!({"TITLE": format!("Deal {n}")}));
    }
    let client = Client::webhook(&portal.webhook_url(owner)).unwrap();
    let mut ids = Vec::new();
    let mut changed = false;
    client
        .get_deals_list(None, None)
        .each_page(|page| {
            ids.extend(page.items.iter().map(|deal| id_of(deal, "ID")));
            if !changed {
                changed = true;
                // Between two requests: one read already gone, one not read yet gone, and
                // three new ones.
                assert!(portal.remove(Entity::Deal, 10));
                assert!(portal.remove(Entity::Deal, 4_000));
                for n in 0..3 {
                    portal.insert(Entity::Deal, json!({"TITLE": format!("New {n}")}));
                }
            }
        })
        .await
        .unwrap();
    let unique: std::collections::BTreeSet<u64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no deal twice");
    for id in (1..=6_000).filter(|id| *id != 10 && *id != 4_000) {
        assert!(unique.contains(&id), "deal {id} was there throughout");
    }
    assert!(!unique.contains(&4_000));
    // The new ones come after every old one; the read may end before them (it counted the
    // list at its start), and never between two old ones.
    let last_old = ids.iter().position(|id| *id == 6_000).unwrap();
    assert!(ids[last_old + 1..].iter().all(|id| *id > 6_000));
    let first_new = ids.iter().position(|id| *id > 6_000);
    assert!(
        first_new.is_none_or(|at| at > last_old),
        "a new deal among the old"
    );
}

/// Tasks as a stream of items; deals through `--all` as one JSON array, quiet in a pipe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_list_is_a_stream_and_a_cli_option() {
    use futures_util::StreamExt;
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    for n in 1..=120 {
        portal.insert(Entity::Task, json!({"TITLE": format!("Task {n}")}));
        portal.insert(Entity::Deal, json!({"TITLE": format!("Deal {n}")}));
    }
    let client = Client::webhook(&portal.webhook_url(owner)).unwrap();
    let items: Vec<_> = client
        .get_tasks_list(None, None, Some(vec!["TITLE".into()]))
        .stream()
        .collect()
        .await;
    let ids: Vec<u64> = items
        .iter()
        .map(|t| id_of(t.as_ref().unwrap(), "id"))
        .collect();
    assert_eq!(ids, (1..=120).collect::<Vec<u64>>());

    let url = portal.webhook_url(owner);
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_oint"))
            .args(["bitrix24", "GetDealsList", "--url", &url, "--all"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "no progress in a pipe"
    );
    let deals: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(deals.as_array().unwrap().len(), 120);
    assert_eq!(deals[119]["TITLE"], "Deal 120");
}

/// The client keeps to the portal's request limit: 150 calls from five clones at once, and no
/// 503 — where a client that does not keep to it meets some.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_keeps_to_the_request_limit() {
    use oint::bitrix24::{Config, Limit, RateLimit};
    let limit = EmulatorConfig {
        burst: 10.0,
        drain_per_second: 50.0,
        ..EmulatorConfig::default()
    };
    let run = |rate_limit: Limit<RateLimit>| {
        let limit = limit.clone();
        async move {
            let portal = Emulator::start_with(limit, 0).await.unwrap();
            let owner = portal.add_user();
            let config = Config {
                rate_limit,
                max_attempts: 1,
                ..Config::default()
            };
            let client = Client::webhook(&portal.webhook_url(owner))
                .unwrap()
                .with_config(config)
                .unwrap();
            let tasks: Vec<_> = (0..5)
                .map(|_| {
                    let client = client.clone();
                    tokio::spawn(async move {
                        let mut failed = 0;
                        for _ in 0..30 {
                            if client.server_time().await.is_err() {
                                failed += 1;
                            }
                        }
                        failed
                    })
                })
                .collect();
            let mut failed = 0;
            for task in tasks {
                failed += task.await.unwrap();
            }
            (failed, portal.stats().refused)
        }
    };
    let (failed, refused) = run(Limit::Set(RateLimit {
        burst: 10,
        per_second: 50.0,
    }))
    .await;
    assert_eq!((failed, refused), (0, 0));
    let (failed, refused) = run(Limit::Off).await;
    assert!(
        failed > 0 && refused > 0,
        "without the limit: {failed} failed"
    );
}

/// A thousand calls at Bitrix24's default limits: twenty batches, and no 503.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_at_the_default_limits_meet_no_refusal() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    let client = Client::webhook(&portal.webhook_url(owner)).unwrap();
    let mut batch = client.batch();
    let keys: Vec<_> = (0..1_000)
        .map(|n| batch.add(client.create_lead(json!({"TITLE": format!("Lead {n}")}))))
        .collect();
    let mut results = batch.send().await;
    for key in keys {
        results.take(key).unwrap();
    }
    assert_eq!(results.requests, 20);
    assert_eq!(portal.count(Entity::Lead), 1_000);
    assert_eq!(portal.stats().refused, 0);
}

/// Once a method has used most of its time budget, its next call waits for the period to end
/// instead of meeting 429 `OPERATION_TIME_LIMIT` — which a client without the budget meets.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_waits_for_a_spent_time_budget() {
    use oint::bitrix24::{Config, Error, Limit};
    use std::time::Duration;
    let budget = EmulatorConfig {
        operating_cost: Duration::from_millis(300),
        operating_limit: Duration::from_secs(1),
        operating_period: Duration::from_secs(2),
        ..EmulatorConfig::default()
    };
    let portal = Emulator::start_with(budget.clone(), 0).await.unwrap();
    let owner = portal.add_user();
    let config = Config {
        operating_budget: Limit::Set(1.0),
        ..Config::default()
    };
    let client = Client::webhook(&portal.webhook_url(owner))
        .unwrap()
        .with_config(config)
        .unwrap();
    for _ in 0..8 {
        client.server_time().await.unwrap();
    }

    let portal = Emulator::start_with(budget, 0).await.unwrap();
    let owner = portal.add_user();
    let config = Config {
        operating_budget: Limit::Off,
        ..Config::default()
    };
    let client = Client::webhook(&portal.webhook_url(owner))
        .unwrap()
        .with_config(config)
        .unwrap();
    let mut limited = None;
    for _ in 0..8 {
        if let Err(error) = client.server_time().await {
            limited = Some(error);
            break;
        }
    }
    assert!(
        matches!(
            limited,
            Some(Error::OperationTimeLimit {
                reset_at: Some(_),
                ..
            })
        ),
        "{limited:?}"
    );
}

/// A client built with the refresh token renews an expired access token once — whatever the
/// number of clones that meet the expiry at once — hands the new tokens over, and goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_renewed_once_and_the_calls_go_on() {
    use oint::bitrix24::{App, Tokens};
    use std::sync::{Arc, Mutex};
    let portal = Emulator::start().await.unwrap();
    let user = portal.add_user();
    portal.register_app("local.app.3", "app-secret-3");
    let code = portal.authorization_code(user, "local.app.3");
    let server = Client::without_portal()
        .unwrap()
        .with_server_url("oauth", &portal.url())
        .unwrap();
    let first = server
        .get_token("local.app.3", "app-secret-3", code)
        .await
        .unwrap()
        .result;
    let text = |key: &str| first[key].as_str().unwrap().to_owned();
    let stored: Arc<Mutex<Vec<Tokens>>> = Arc::default();
    let store = Arc::clone(&stored);
    let app = App {
        client_id: "local.app.3".into(),
        client_secret: "app-secret-3".into(),
    };
    let tokens = Tokens {
        access_token: text("access_token"),
        refresh_token: text("refresh_token"),
    };
    let client = Client::oauth_renewing(&portal.url(), tokens, app)
        .unwrap()
        .with_server_url("oauth", &portal.url())
        .unwrap()
        .on_tokens(move |tokens| store.lock().unwrap().push(tokens.clone()));
    client.server_time().await.unwrap();

    portal.expire_token(&text("access_token"));
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.server_time().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(stored.lock().unwrap().len(), 1, "one renewal for ten calls");
    assert_eq!(portal.stats().methods["oauth/token/"], 2);
    let renewed = stored.lock().unwrap()[0].clone();
    assert_ne!(renewed.access_token, text("access_token"));

    // The next expiry renews with the new refresh token.
    portal.expire_token(&renewed.access_token);
    client.server_time().await.unwrap();
    assert_eq!(stored.lock().unwrap().len(), 2);
    // No token in what a person sees.
    let shown = format!("{client:?} {:?}", stored.lock().unwrap());
    assert!(
        !shown.contains(&renewed.access_token) && !shown.contains("app-secret-3"),
        "{shown}"
    );

    // A client without the refresh token meets the expiry.
    let plain = Client::oauth(&portal.url(), renewed.access_token.clone()).unwrap();
    let error = plain.server_time().await.unwrap_err();
    assert!(
        matches!(error, oint::bitrix24::Error::TokenExpired { .. }),
        "{error:?}"
    );
}

/// A bot against the Telegram emulator, through the client and the `oint` process: who it is,
/// a message into a forum topic with MarkdownV2 (what arrives is split and escaped), a 429 that
/// says how long to wait (the client waits exactly that), a wrong token, and the General topic
/// when no topic is given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_talks_to_the_telegram_emulator_and_waits_when_told() {
    const TOKEN: &str = "6129457865:AAFemulated_token-1";
    let bot = oint_emulator::telegram::Emulator::start(TOKEN)
        .await
        .unwrap();
    let waits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = waits.clone();
    let client = oint::telegram::Client::bot(TOKEN)
        .unwrap()
        .with_api_url(&bot.url())
        .unwrap()
        .observe(move |event| {
            if let oint::telegram::Event::Retry { wait, .. } = event {
                seen.lock().unwrap().push(*wait);
            }
        });
    assert!(!format!("{client:?}").contains(TOKEN));

    let me = client.get_bot_information().await.unwrap();
    assert_eq!(me.result["is_bot"], json!(true));

    let sent = client
        .send_text_message(
            "-1001893407333*45",
            "v1.2 is out",
            None,
            Some("MarkdownV2"),
            None,
        )
        .await
        .unwrap();
    assert!(sent.result.contains_key("message_id"));
    let (method, fields) = bot.received().pop().unwrap();
    assert_eq!(method, "sendMessage");
    assert_eq!(fields["chat_id"], json!("-1001893407333"));
    assert_eq!(fields["message_thread_id"], json!(45));
    assert_eq!(fields["text"], json!("v1\\.2 is out"));

    // Too fast: Telegram says how long to wait, and the client waits that long, not its own
    // backoff.
    bot.refuse_next(1, 1);
    let count = client
        .get_participant_count("-1001893407333")
        .await
        .unwrap();
    assert_eq!(count.result, 2);
    assert_eq!(*waits.lock().unwrap(), [std::time::Duration::from_secs(1)]);

    // The General topic when no topic is given.
    client
        .close_forum_topic("-1001971186208", None::<oint::telegram::Id>)
        .await
        .unwrap();
    assert_eq!(bot.received().pop().unwrap().0, "closeGeneralForumTopic");

    // A file, read where getFile says, under the address of files (the token in its path).
    let file = client.download_file("CQACAgIAAxkDAAJH52k5").await.unwrap();
    assert_eq!(
        file,
        oint_emulator::telegram::file_bytes("music/file_0.mp3")
    );
    let calls: Vec<String> = bot.received().into_iter().map(|(m, _)| m).collect();
    assert_eq!(
        calls[calls.len() - 2..],
        ["getFile", "file/music/file_0.mp3"]
    );

    // A photo as a file part of a form, under the name Telegram is told.
    let photo = oint::telegram::Binary::from(b"\xFF\xD8 a picture".to_vec());
    client
        .send_image("461699897", "A & B", photo, None, Some("HTML"))
        .await
        .unwrap();
    let (method, fields) = bot.received().pop().unwrap();
    assert_eq!(method, "sendPhoto");
    assert_eq!(fields["photo"], json!({"file": "photo", "bytes": 12}));
    assert_eq!(fields["caption"], json!("A &amp; B"));
    assert_eq!(fields["chat_id"], json!("461699897"));

    // Another bot's token: Telegram's 401, with the token nowhere in the error.
    let stranger = oint::telegram::Client::bot("42:not-this-bot")
        .unwrap()
        .with_api_url(&bot.url())
        .unwrap();
    let error = stranger.get_bot_information().await.unwrap_err();
    match &error {
        oint::telegram::Error::Api { status, code, .. } => {
            assert_eq!((*status, code.as_str()), (401, "401"))
        }
        other => panic!("{other:?}"),
    }
    assert!(!error.to_string().contains("not-this-bot"), "{error}");

    // The CLI, with the address from OINT_TELEGRAM_API_URL and the token from the environment.
    let output = Command::new(env!("CARGO_BIN_EXE_oint"))
        .args([
            "telegram",
            "DeleteMessage",
            "--chat",
            "-1001893407333",
            "--message",
            "18399",
        ])
        .env("OINT_TELEGRAM_API_URL", bot.url())
        .env("OINT_TELEGRAM_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed, json!({"ok": true, "result": true}));
    let (method, fields) = bot.received().pop().unwrap();
    assert_eq!(method, "deleteMessage");
    assert_eq!(fields["message_id"], json!("18399"));
}
