//! Contract tests of the folder operations, through the raw generated
//! client and `Camb`.

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{CreateFolderThen, ListFoldersThen};
use camb_api::types::{CreateFolderRequestPayload, Folder, HttpValidationError};
use camb_api_ext::{Error, Search};
use camb_tests::clients::{API_KEY, camb_client, raw_client};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};
use serde_json::{Value, json};

use crate::expect::{self, authenticated, no_query};

/// A folder with a field CAMB.AI's SDK does not name (its id).
fn folder() -> Folder {
    serde_json::from_value(json!({"team_id": 5, "name": "Talks", "folder_id": 31}))
        .expect("a valid folder")
}

/// `GET /folders?limit=10&search_query=talk`.
fn list<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(ListFoldersThen) -> ListFoldersThen,
) -> Mock<'a> {
    server.list_folders(|when, then| {
        let when = when
            .limit(10)
            .search_query("talk")
            .run_id(None)
            .into_inner();
        authenticated(when).is_true(|request| request.query_params().len() == 2);
        respond(then);
    })
}

/// `POST /folders/create` with `{"folder_name": "Talks"}`, no query.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateFolderThen) -> CreateFolderThen,
) -> Mock<'a> {
    server.create_folder(|when, then| {
        let body = CreateFolderRequestPayload {
            folder_name: "Talks".into(),
        };
        authenticated(when.body(&body).into_inner())
            .header("content-type", "application/json")
            .is_true(no_query);
        respond(then);
    })
}

fn unprocessable<T: std::fmt::Debug>(
    result: Result<T, camb_api::Error<HttpValidationError>>,
) -> HttpValidationError {
    match result {
        Err(camb_api::Error::ErrorResponse(response)) => {
            assert_eq!(response.status(), 422);
            response.into_inner()
        }
        other => panic!("expected a 422 error response, got {other:?}"),
    }
}

fn validation<T: std::fmt::Debug>(result: Result<T, Error>) -> HttpValidationError {
    match result {
        Err(Error::Validation { detail }) => HttpValidationError { detail },
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

contract_test! {
    client = Raw, operation = "list_folders", status = 200,
    async fn raw_list_sends_the_search_and_keeps_extra_fields() {
        let server = MockServer::start_async().await;
        let mock = list(&server, |then| then.ok(&vec![folder()]));
        let client = raw_client(&server.base_url(), API_KEY);

        let listed = client
            .list_folders()
            .limit(10)
            .search_query("talk")
            .send()
            .await
            .expect("list succeeds")
            .into_inner();

        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].extra.get("folder_id"), Some(&json!(31)));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "list_folders", status = 200,
    async fn camb_folders_send_the_search_and_keep_extra_fields() {
        let server = MockServer::start_async().await;
        let mock = list(&server, |then| then.ok(&vec![folder()]));
        let camb = camb_client(&server.base_url(), API_KEY);

        let listed = camb
            .folders(&Search::all().limit(10).matching("talk"))
            .await
            .expect("list succeeds");

        let [talks] = listed.as_slice() else { panic!("one folder, got {listed:?}") };
        assert_eq!((talks.team_id, talks.name.as_str()), (5, "Talks"));
        assert_eq!(talks.extra.get("folder_id"), Some(&json!(31)));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "list_folders", status = 422,
    async fn raw_list_decodes_a_validation_error() {
        let server = MockServer::start_async().await;
        let mock = list(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let client = raw_client(&server.base_url(), API_KEY);

        let result = client.list_folders().limit(10).search_query("talk").send().await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "list_folders", status = 422,
    async fn camb_folders_turn_a_validation_error_into_error_validation() {
        let server = MockServer::start_async().await;
        let mock = list(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let camb = camb_client(&server.base_url(), API_KEY);

        let result = camb.folders(&Search::all().limit(10).matching("talk")).await;

        expect::assert_validation_error(&validation(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "create_folder", status = 200,
    async fn raw_create_sends_the_name() {
        let server = MockServer::start_async().await;
        let answer = serde_json::to_value(folder()).unwrap();
        let mock = create(&server, |then| then.ok(&answer));
        let client = raw_client(&server.base_url(), API_KEY);

        let created = client
            .create_folder()
            .body(CreateFolderRequestPayload { folder_name: "Talks".into() })
            .send()
            .await
            .expect("create succeeds");

        assert_eq!(created.into_inner(), answer);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_folder", status = 200,
    async fn camb_create_folder_returns_the_answer_as_sent() {
        let server = MockServer::start_async().await;
        let answer = serde_json::to_value(folder()).unwrap();
        let mock = create(&server, |then| then.ok(&answer));
        let camb = camb_client(&server.base_url(), API_KEY);

        let created: Value = camb.create_folder("Talks").await.expect("create succeeds");

        assert_eq!(created, answer);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "create_folder", status = 422,
    async fn raw_create_decodes_a_validation_error() {
        let server = MockServer::start_async().await;
        let mock = create(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let client = raw_client(&server.base_url(), API_KEY);

        let result = client
            .create_folder()
            .body(CreateFolderRequestPayload { folder_name: "Talks".into() })
            .send()
            .await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_folder", status = 422,
    async fn camb_create_folder_turns_a_validation_error_into_error_validation() {
        let server = MockServer::start_async().await;
        let mock = create(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let camb = camb_client(&server.base_url(), API_KEY);

        let result = camb.create_folder("Talks").await;

        expect::assert_validation_error(&validation(result));
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn a_folder_without_a_name_is_refused_before_any_request() {
    let server = MockServer::start_async().await;
    let camb = camb_client(&server.base_url(), API_KEY);
    assert!(matches!(
        camb.create_folder("  ").await,
        Err(Error::InvalidInput {
            field: "folder_name",
            ..
        })
    ));
}

// The documented 401 (FastAPI's `{"detail": ...}`).

error_answer_tests! {
    "list_folders", 401, list, ListFoldersThen,
    raw_list_401_is_an_unexpected_response, |client| client.list_folders().limit(10).search_query("talk").send(),
    camb_list_401_is_a_typed_error, |camb| camb.folders(&Search::all().limit(10).matching("talk")),
}

error_answer_tests! {
    "create_folder", 401, create, CreateFolderThen,
    raw_create_401_is_an_unexpected_response, |client| client.create_folder().body(CreateFolderRequestPayload { folder_name: "Talks".into() }).send(),
    camb_create_401_is_a_typed_error, |camb| camb.create_folder("Talks"),
}
