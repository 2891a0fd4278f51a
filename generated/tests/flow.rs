//! A user's flow against the emulator, through the client and through the `oint` process:
//! create a chat, add users, remove one, and list the members to see them gone.

use std::process::Command;

use oint::bitrix24::Client;
use oint::testing::Emulator;
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
