//! Any bytes as the answer of a call: an answer or a typed error, never a panic; no secret and
//! no raw control character in what an error shows. The first byte picks the HTTP status, the
//! second whether the server answers whole (like the OAuth server); the rest is the body.

#![no_main]

use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 12] = [200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503];

fuzz_target!(|data: &[u8]| {
    let [status, whole, body @ ..] = data else {
        return;
    };
    let status = STATUSES[usize::from(*status) % STATUSES.len()];
    oint_runtime::fuzzing::answer(&oint::bitrix24::LIBRARY, status, whole & 1 == 1, body);
});
