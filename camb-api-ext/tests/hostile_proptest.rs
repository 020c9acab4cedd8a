//! Arbitrary statuses, headers and bodies thrown at `status`, `result` and a
//! wait: no panic, no wait past its deadline, and the key in no error text.
//! On tokio's paused clock, so hours of hinted waiting take no time.

mod common;

use std::time::Duration;

use camb_api_ext::{Language, PollPolicy, RunId};
use common::{KEY, builder, task};
use httpmock::MockServer;
use proptest::prelude::*;
use tokio::time::Instant;

/// One answer the server gives to every request.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

fn hint_values() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..100_000).prop_map(|n| n.to_string()),
        Just("0".to_owned()),
        Just("1e19".to_owned()),
        Just("-1".to_owned()),
        Just("NaN".to_owned()),
        Just("inf".to_owned()),
        Just("10000000000000000000".to_owned()),
        Just("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        "[ -~]{0,20}",
    ]
}

fn headers() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let name = prop_oneof![
        Just("retry-after"),
        Just("retry-after-ms"),
        Just("x-ratelimit-reset"),
        Just("location"),
        Just("content-type"),
    ];
    let value = prop_oneof![
        hint_values(),
        Just(format!("https://elsewhere.example/?key={KEY}")),
        Just(format!("/dub/t1?key={KEY}")),
        Just("application/json".to_owned()),
    ];
    prop::collection::vec((name, value), 0..4)
}

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let status = prop_oneof![
        Just("PENDING".to_owned()),
        Just("SUCCESS".to_owned()),
        Just("ERROR".to_owned()),
        Just("TIMEOUT".to_owned()),
        Just("PAYMENT_REQUIRED".to_owned()),
        "[A-Z_]{0,12}",
    ];
    let run_id = prop_oneof![
        Just("null".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("\"7\"".to_owned()),
        Just("1e400".to_owned()),
    ];
    prop_oneof![
        (status, run_id).prop_map(|(status, run_id)| {
            format!(r#"{{"status":"{status}","run_id":{run_id},"message":"{KEY}"}}"#).into_bytes()
        }),
        prop::collection::vec(any::<u8>(), 0..300),
        "[ -~]{0,100}".prop_map(|text| format!("{text}{KEY}{text}").into_bytes()),
    ]
}

fn answers() -> impl Strategy<Value = Answer> {
    // 1xx statuses are interim answers, not responses: left out.
    let status = prop_oneof![Just(200u16), Just(429), Just(503), 200u16..600];
    (status, headers(), bodies()).prop_map(|(status, headers, body)| Answer {
        status,
        headers,
        body,
    })
}

/// Fails if `err`, or any error in its source chain, shows the key.
fn assert_no_key(err: &(dyn std::error::Error + 'static)) {
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(KEY), "the key leaked: {shown}");
    if let Some(source) = err.source() {
        assert_no_key(source);
    }
}

const DEADLINE: Duration = Duration::from_secs(600);

async fn exercise(server: &MockServer, answer: &Answer) {
    server.reset_async().await;
    server
        .mock_async(|_, then| {
            let mut then = then.status(answer.status).body(answer.body.clone());
            for (name, value) in &answer.headers {
                then = then.header(*name, value.clone());
            }
        })
        .await;
    let camb = builder(server)
        .poll_policy(PollPolicy::default().with_deadline(Some(DEADLINE)))
        .build()
        .unwrap();
    // No tokio timeout around the calls: on the paused clock, its timer
    // would fire while a request is in flight. Real time guards against a
    // hang instead (see `within_real_time`); paused time is checked here.
    let started = Instant::now();
    if let Err(err) = camb.status(&task("t1")).await {
        assert_no_key(&err);
    }
    assert!(started.elapsed() <= RETRY_BUDGET, "{:?}", started.elapsed());
    let started = Instant::now();
    if let Err(err) = camb.result(RunId(1), [Language::FR_FR]).await {
        assert_no_key(&err);
    }
    assert!(started.elapsed() <= RETRY_BUDGET, "{:?}", started.elapsed());
    let started = Instant::now();
    if let Err(err) = camb.wait_for_dub(&task("t1")).await {
        assert_no_key(&err);
    }
    assert!(started.elapsed() <= DEADLINE, "{:?}", started.elapsed());
}

/// The default retry policy's sleep budget.
const RETRY_BUDGET: Duration = Duration::from_secs(120);

/// Runs `case` on a paused-clock runtime of its own thread; fails if it
/// panics or has not ended after a minute of real time.
fn within_real_time(case: impl FnOnce(&MockServer) + Send + 'static) {
    let (done, ended) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let server = SERVER.get_or_init(MockServer::start);
        case(server);
        let _ = done.send(());
    });
    ended
        .recv_timeout(Duration::from_secs(60))
        .expect("the case ended, without a panic, within a minute");
}

proptest! {
    // Each case is a handful of local requests: 32 keep CI fast.
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn hostile_answers_end_in_a_typed_outcome_without_the_key(answer in answers()) {
        within_real_time(move |server| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .unwrap();
            runtime.block_on(exercise(server, &answer));
        });
    }
}

/// One server for all cases (each case resets it).
static SERVER: std::sync::OnceLock<MockServer> = std::sync::OnceLock::new();
