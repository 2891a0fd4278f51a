// The user to remove is not optional.
#[tokio::main]
async fn main() {
    let client = oint::bitrix24::Client::webhook("https://portal.bitrix24.by/rest/1/secret/").unwrap();
    let _ = client.delete_user_from_chat(452).await;
}
