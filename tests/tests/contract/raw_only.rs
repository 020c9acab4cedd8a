//! What the contract tests of the operations only the raw client covers
//! (`RAW_ONLY` in `main.rs`: audio separation, stories, translated
//! stories, subtitles, project setup, live streams) share: the request
//! every operation's typed mock checks, and the tests of its error answers.

/// One raw contract test per documented error answer of an operation: its
/// typed mock (`$mock`, which checks the request) answers `$status` with
/// [`error_body`], and the raw call (`$call`) reads it as
/// [`assert_raw_error`] says.
macro_rules! raw_error_tests {
    (
        $operation:literal, $mock:expr, $then:ident, |$client:ident| $call:expr;
        $( $status:literal => $name:ident ),+ $(,)?
    ) => {
        $(
            camb_tests::contract_test! {
                client = Raw, operation = $operation, status = $status,
                async fn $name() {
                    let server = httpmock::MockServer::start_async().await;
                    let body = $crate::task_families::error_body($status);
                    let mock = $mock(&server, |then: $then| {
                        $then::new(then.into_inner().status($status).json_body(body))
                    });
                    let $client = camb_tests::clients::raw_client(
                        &server.base_url(),
                        camb_tests::clients::API_KEY,
                    );
                    $crate::task_families::assert_raw_error($call.await, $status);
                    mock.assert_async().await;
                }
            }
        )+
    };
}
