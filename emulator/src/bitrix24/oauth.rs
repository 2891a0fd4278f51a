//! Bitrix24's OAuth server (`/oauth/token/`): an authorization code or a refresh token, with the
//! app's client_id and client_secret, becomes a new access token (which expires) and a new
//! refresh token. Codes and refresh tokens work once.

use serde_json::{Map, Value, json};

use super::portal::Portal;

/// The status and body of the token endpoint's answer to `fields` (its query or form).
pub(crate) fn token(portal: &mut Portal, fields: &Map<String, Value>) -> (u16, Value) {
    let text = |key: &str| fields.get(key).and_then(Value::as_str).unwrap_or_default();
    let refused = |status: u16, code: &str, description: &str| {
        (
            status,
            json!({"error": code, "error_description": description}),
        )
    };
    let client_id = text("client_id");
    match portal.apps.get(client_id) {
        Some(secret) if secret == text("client_secret") => {}
        _ => return refused(401, "invalid_client", "Invalid client credentials"),
    }
    let grant = match text("grant_type") {
        "authorization_code" => portal.codes.remove(text("code")),
        "refresh_token" => portal.refresh_tokens.remove(text("refresh_token")),
        _ => return refused(400, "invalid_request", "Unknown grant_type"),
    };
    let user = match grant {
        Some((user, app)) if app == client_id => user,
        _ => {
            return refused(
                400,
                "invalid_grant",
                "Invalid authorization code or refresh token",
            );
        }
    };
    let lifetime = portal.token_lifetime;
    let access = portal.issue_token_for(user, Some(lifetime));
    let refresh = portal.authorization_code(user, client_id);
    // A refresh token is a one-time grant like a code, kept apart.
    if let Some(grant) = portal.codes.remove(&refresh) {
        portal.refresh_tokens.insert(refresh.clone(), grant);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let endpoint = format!("{}/rest/", portal.base_url);
    (
        200,
        json!({
            "access_token": access,
            "expires": now + lifetime.as_secs(),
            "expires_in": lifetime.as_secs(),
            "scope": "app",
            "domain": portal.base_url.trim_start_matches("http://"),
            "server_endpoint": endpoint,
            "status": "L",
            "client_endpoint": endpoint,
            "member_id": "00000000000000000000000000000001",
            "user_id": user,
            "refresh_token": refresh,
        }),
    )
}
