// The method returns the whole answer, not just its `result`.
#[tokio::main]
async fn main() {
    let client = oint::bitrix24::Client::webhook("https://portal.bitrix24.by/rest/1/secret/").unwrap();
    let removed: Result<bool, oint::bitrix24::Error> = client.delete_user_from_chat(452, 10).await;
    let _ = removed;
}
