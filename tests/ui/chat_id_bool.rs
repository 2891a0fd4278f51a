// A bool is not a Bitrix24 ID.
#[tokio::main]
async fn main() {
    let client = oint::bitrix24::Client::webhook("https://portal.bitrix24.by/rest/1/secret/").unwrap();
    let _ = client.delete_user_from_chat(true, 10).await;
}
