//! Contract tests of the dictionary operations, through the raw generated
//! client and `Camb`: what each sends, and how each reads every documented
//! answer.

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    AddTermToDictionaryThen, CreateDictionaryFromFileThen, DeleteDictionaryTermThen,
    DeleteDictionaryThen, GetDictionariesThen, GetDictionaryDetailsThen, GetDictionaryInfoThen,
    UpdateTermTranslationInDictionaryUsingTermIdThen,
};
use camb_api::multipart::FilePart;
use camb_api::types::{
    BodyCreateDictionaryFromFileDictionariesCreateFromFilePost, CreateDictionaryFromFileResponse,
    DictionaryWithTerms, HttpValidationError, TermTranslationsRequestPayload,
};
use camb_api_ext::{DictionaryId, Error, Language, NewDictionary, Search, TermId, TermTranslation};
use camb_tests::clients::{API_KEY, camb_client, raw_client};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};
use serde_json::{Value, json};

use crate::expect::{self, authenticated, no_query};

const DICTIONARY_ID: i64 = 41;
const TERM_ID: i64 = 907;

/// A dictionary with every field set.
fn dictionary() -> DictionaryWithTerms {
    serde_json::from_value(json!({
        "id": DICTIONARY_ID,
        "name": "Brands",
        "description": "Names we never translate",
        "created_at": "2026-03-01T09:30:00Z",
        "last_edited_at": "2026-03-02T10:00:00Z",
        "dictionary_terms": [{
            "id": TERM_ID,
            "term_translations": [
                {"language": 1, "term_text": "CAMB.AI"},
                {"language": 76, "term_text": "CAMB.AI"},
            ],
        }],
        "languages": [1, 76],
    }))
    .expect("a valid dictionary")
}

/// The translations every term call sends, as `Camb` takes them.
fn translations() -> [TermTranslation; 2] {
    [
        TermTranslation::new(Language::EN_US, "dub"),
        TermTranslation::new(Language::FR_FR, "doublage"),
    ]
}

/// [`translations`] as the generated client types the body.
fn term_body() -> TermTranslationsRequestPayload {
    serde_json::from_value(json!({"translations": [
        {"language": 1, "translation": "dub"},
        {"language": 76, "translation": "doublage"},
    ]}))
    .expect("a valid term body")
}

/// What the operations typed `Any` answer in these tests.
fn confirmation() -> Value {
    json!({"message": "done"})
}

/// Asserts that `Camb` read [`dictionary`] whole.
fn assert_dictionary(read: &camb_api_ext::Dictionary) {
    assert_eq!(read.id, DictionaryId(DICTIONARY_ID));
    assert_eq!(read.name, "Brands");
    assert_eq!(
        read.description.as_deref(),
        Some("Names we never translate")
    );
    assert_eq!(
        read.created_at,
        Some("2026-03-01T09:30:00Z".parse().unwrap())
    );
    assert_eq!(
        read.last_edited_at,
        Some("2026-03-02T10:00:00Z".parse().unwrap())
    );
    assert_eq!(
        read.languages.as_deref(),
        Some(&[Language::EN_US, Language::FR_FR][..])
    );
    let terms = read.terms.as_deref().expect("the terms");
    let [term] = terms else {
        panic!("one term, got {terms:?}")
    };
    assert_eq!(term.id, TermId(TERM_ID));
    assert_eq!(
        term.translations,
        [
            TermTranslation::new(Language::EN_US, "CAMB.AI"),
            TermTranslation::new(Language::FR_FR, "CAMB.AI"),
        ]
    );
}

/// The body of a 422, which the raw client returns as an error.
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

/// The problems of an [`Error::Validation`].
fn validation<T: std::fmt::Debug>(result: Result<T, Error>) -> HttpValidationError {
    match result {
        Err(Error::Validation { detail }) => HttpValidationError { detail },
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

// What each operation must send.

/// `GET /dictionaries`, no query.
fn list<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetDictionariesThen) -> GetDictionariesThen,
) -> Mock<'a> {
    server.get_dictionaries(|when, then| {
        authenticated(when.into_inner()).is_true(no_query);
        respond(then);
    })
}

/// The term file the create tests send.
const TERM_FILE: &str = "en-us,fr-fr\nCAMB.AI,CAMB.AI\n";

/// The form's text fields as the generated client types them.
fn create_fields() -> BodyCreateDictionaryFromFileDictionariesCreateFromFilePost {
    BodyCreateDictionaryFromFileDictionariesCreateFromFilePost {
        dictionary_name: "Brands".into(),
        dictionary_description: Some("Names we never translate".into()),
    }
}

/// `POST /dictionaries/create-from-file`: a multipart form with the name,
/// the description and `brands.csv`, no query.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateDictionaryFromFileThen) -> CreateDictionaryFromFileThen,
) -> Mock<'a> {
    let part = |name: &str, text: &str| {
        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}\r\n")
    };
    server.create_dictionary_from_file(|when, then| {
        authenticated(when.into_inner())
            .header_matches("content-type", "^multipart/form-data; boundary=")
            .body_includes(part("dictionary_name", "Brands"))
            .body_includes(part("dictionary_description", "Names we never translate"))
            .body_includes("name=\"dictionary_file\"; filename=\"brands.csv\"\r\n")
            .body_includes(format!("\r\n\r\n{TERM_FILE}\r\n--"))
            .is_true(no_query);
        respond(then);
    })
}

/// The new dictionary, as `Camb` takes it.
fn new_dictionary() -> NewDictionary {
    NewDictionary::from_bytes("Brands", "brands.csv", TERM_FILE)
        .description("Names we never translate")
}

/// `GET /dictionaries/{DICTIONARY_ID}`, no query.
fn info<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetDictionaryInfoThen) -> GetDictionaryInfoThen,
) -> Mock<'a> {
    server.get_dictionary_info(|when, then| {
        authenticated(when.dictionary_id(DICTIONARY_ID).into_inner()).is_true(no_query);
        respond(then);
    })
}

/// `GET /dictionaries/{DICTIONARY_ID}/full-details?limit=2&search_term=dub`.
fn details<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetDictionaryDetailsThen) -> GetDictionaryDetailsThen,
) -> Mock<'a> {
    server.get_dictionary_details(|when, then| {
        let when = when
            .dictionary_id(DICTIONARY_ID)
            .limit(2)
            .search_term("dub")
            .run_id(None)
            .into_inner();
        authenticated(when).is_true(|request| request.query_params().len() == 2);
        respond(then);
    })
}

/// `POST /dictionaries/{DICTIONARY_ID}/add-term` with [`term_body`].
fn add_term<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(AddTermToDictionaryThen) -> AddTermToDictionaryThen,
) -> Mock<'a> {
    server.add_term_to_dictionary(|when, then| {
        let when = when
            .dictionary_id(DICTIONARY_ID)
            .body(&term_body())
            .into_inner();
        authenticated(when)
            .header("content-type", "application/json")
            .is_true(no_query);
        respond(then);
    })
}

/// `PUT /dictionaries/term/{DICTIONARY_ID}/{TERM_ID}` with [`term_body`].
fn update_term<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(
        UpdateTermTranslationInDictionaryUsingTermIdThen,
    ) -> UpdateTermTranslationInDictionaryUsingTermIdThen,
) -> Mock<'a> {
    server.update_term_translation_in_dictionary_using_term_id(|when, then| {
        let when = when
            .dictionary_id(DICTIONARY_ID)
            .term_id(TERM_ID)
            .body(&term_body())
            .into_inner();
        authenticated(when)
            .header("content-type", "application/json")
            .is_true(no_query);
        respond(then);
    })
}

/// `DELETE /dictionaries/term/{DICTIONARY_ID}/{TERM_ID}`, no query.
fn delete_term<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(DeleteDictionaryTermThen) -> DeleteDictionaryTermThen,
) -> Mock<'a> {
    server.delete_dictionary_term(|when, then| {
        let when = when
            .dictionary_id(DICTIONARY_ID)
            .term_id(TERM_ID)
            .into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

/// `DELETE /dictionaries/{DICTIONARY_ID}`, no query.
fn delete<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(DeleteDictionaryThen) -> DeleteDictionaryThen,
) -> Mock<'a> {
    server.delete_dictionary(|when, then| {
        authenticated(when.dictionary_id(DICTIONARY_ID).into_inner()).is_true(no_query);
        respond(then);
    })
}

// The answers, through each client.

contract_test! {
    client = Raw, operation = "get_dictionaries", status = 200,
    async fn raw_list_decodes_the_dictionaries() {
        let server = MockServer::start_async().await;
        let mock = list(&server, |then| then.ok(&vec![dictionary()]));
        let client = raw_client(&server.base_url(), API_KEY);

        let listed = client.get_dictionaries().send().await.expect("list succeeds").into_inner();

        assert_eq!(serde_json::to_value(&listed).unwrap(), json!([dictionary()]));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dictionaries", status = 200,
    async fn camb_list_reads_each_dictionary() {
        let server = MockServer::start_async().await;
        let mock = list(&server, |then| then.ok(&vec![dictionary()]));
        let camb = camb_client(&server.base_url(), API_KEY);

        let listed = camb.dictionaries().await.expect("list succeeds");

        let [read] = listed.as_slice() else { panic!("one dictionary, got {listed:?}") };
        assert_dictionary(read);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "create_dictionary_from_file", status = 200,
    async fn raw_create_sends_the_form_with_the_file() {
        let server = MockServer::start_async().await;
        let answer = CreateDictionaryFromFileResponse(serde_json::to_value(dictionary()).unwrap());
        let mock = create(&server, |then| then.ok(&answer));
        let client = raw_client(&server.base_url(), API_KEY);

        let created = client
            .create_dictionary_from_file()
            .body(create_fields())
            .dictionary_file(FilePart::bytes(TERM_FILE.as_bytes(), "brands.csv"))
            .send()
            .await
            .expect("create succeeds");

        assert_eq!(created.into_inner().0, answer.0);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_dictionary_from_file", status = 200,
    async fn camb_create_dictionary_sends_the_form_and_returns_the_answer() {
        let server = MockServer::start_async().await;
        let answer = CreateDictionaryFromFileResponse(serde_json::to_value(dictionary()).unwrap());
        let mock = create(&server, |then| then.ok(&answer));
        let camb = camb_client(&server.base_url(), API_KEY);

        let created = camb.create_dictionary(&new_dictionary()).await.expect("create succeeds");

        assert_eq!(created, answer.0);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dictionary_info", status = 200,
    async fn raw_info_sends_the_id_in_the_path() {
        let server = MockServer::start_async().await;
        let mock = info(&server, |then| then.ok(&dictionary()));
        let client = raw_client(&server.base_url(), API_KEY);

        let read = client
            .get_dictionary_info()
            .dictionary_id(DICTIONARY_ID)
            .send()
            .await
            .expect("info succeeds")
            .into_inner();

        assert_eq!(serde_json::to_value(&read).unwrap(), serde_json::to_value(dictionary()).unwrap());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dictionary_info", status = 200,
    async fn camb_dictionary_reads_one_dictionary() {
        let server = MockServer::start_async().await;
        let mock = info(&server, |then| then.ok(&dictionary()));
        let camb = camb_client(&server.base_url(), API_KEY);

        let read = camb.dictionary(DictionaryId(DICTIONARY_ID)).await.expect("info succeeds");

        assert_dictionary(&read);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_dictionary_details", status = 200,
    async fn raw_details_sends_the_limit_and_the_search() {
        let server = MockServer::start_async().await;
        let mock = details(&server, |then| then.ok(&dictionary()));
        let client = raw_client(&server.base_url(), API_KEY);

        let read = client
            .get_dictionary_details()
            .dictionary_id(DICTIONARY_ID)
            .limit(2)
            .search_term("dub")
            .send()
            .await
            .expect("details succeed")
            .into_inner();

        assert_eq!(read.dictionary_terms.map(|terms| terms.len()), Some(1));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_dictionary_details", status = 200,
    async fn camb_details_send_the_search_and_read_the_terms() {
        let server = MockServer::start_async().await;
        let mock = details(&server, |then| then.ok(&dictionary()));
        let camb = camb_client(&server.base_url(), API_KEY);

        let read = camb
            .dictionary_details(DictionaryId(DICTIONARY_ID), &Search::all().limit(2).matching("dub"))
            .await
            .expect("details succeed");

        assert_dictionary(&read);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "add_term_to_dictionary", status = 200,
    async fn raw_add_term_sends_the_translations() {
        let server = MockServer::start_async().await;
        let mock = add_term(&server, |then| then.ok(&confirmation()));
        let client = raw_client(&server.base_url(), API_KEY);

        let answer = client
            .add_term_to_dictionary()
            .dictionary_id(DICTIONARY_ID)
            .body(term_body())
            .send()
            .await
            .expect("add succeeds");

        assert_eq!(answer.into_inner(), confirmation());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "add_term_to_dictionary", status = 200,
    async fn camb_add_term_sends_each_language_by_id() {
        let server = MockServer::start_async().await;
        let mock = add_term(&server, |then| then.ok(&confirmation()));
        let camb = camb_client(&server.base_url(), API_KEY);

        let answer = camb
            .add_dictionary_term(DictionaryId(DICTIONARY_ID), &translations())
            .await
            .expect("add succeeds");

        assert_eq!(answer, confirmation());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "update_term_translation_in_dictionary_using_term_id", status = 200,
    async fn raw_update_term_sends_both_ids_and_the_translations() {
        let server = MockServer::start_async().await;
        let mock = update_term(&server, |then| then.ok(&confirmation()));
        let client = raw_client(&server.base_url(), API_KEY);

        let answer = client
            .update_term_translation_in_dictionary_using_term_id()
            .dictionary_id(DICTIONARY_ID)
            .term_id(TERM_ID)
            .body(term_body())
            .send()
            .await
            .expect("update succeeds");

        assert_eq!(answer.into_inner(), confirmation());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "update_term_translation_in_dictionary_using_term_id", status = 200,
    async fn camb_update_term_replaces_the_translations() {
        let server = MockServer::start_async().await;
        let mock = update_term(&server, |then| then.ok(&confirmation()));
        let camb = camb_client(&server.base_url(), API_KEY);

        let answer = camb
            .update_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(TERM_ID), &translations())
            .await
            .expect("update succeeds");

        assert_eq!(answer, confirmation());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "delete_dictionary_term", status = 200,
    async fn raw_delete_term_sends_both_ids() {
        let server = MockServer::start_async().await;
        let mock = delete_term(&server, |then| then.ok(&confirmation()));
        let client = raw_client(&server.base_url(), API_KEY);

        let answer = client
            .delete_dictionary_term()
            .dictionary_id(DICTIONARY_ID)
            .term_id(TERM_ID)
            .send()
            .await
            .expect("delete succeeds");

        assert_eq!(answer.into_inner(), confirmation());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "delete_dictionary_term", status = 200,
    async fn camb_delete_term_returns_the_answer() {
        let server = MockServer::start_async().await;
        let mock = delete_term(&server, |then| then.ok(&confirmation()));
        let camb = camb_client(&server.base_url(), API_KEY);

        let answer = camb
            .delete_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(TERM_ID))
            .await
            .expect("delete succeeds");

        assert_eq!(answer, confirmation());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "delete_dictionary", status = 200,
    async fn raw_delete_sends_the_id() {
        let server = MockServer::start_async().await;
        let mock = delete(&server, |then| then.ok(&confirmation()));
        let client = raw_client(&server.base_url(), API_KEY);

        let answer = client
            .delete_dictionary()
            .dictionary_id(DICTIONARY_ID)
            .send()
            .await
            .expect("delete succeeds");

        assert_eq!(answer.into_inner(), confirmation());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "delete_dictionary", status = 200,
    async fn camb_delete_reads_an_empty_answer_as_null() {
        let server = MockServer::start_async().await;
        // CAMB.AI's SDK reads an empty body of this `Any` answer as none.
        let mock = delete(&server, |then| {
            DeleteDictionaryThen::new(then.into_inner().status(200))
        });
        let camb = camb_client(&server.base_url(), API_KEY);

        let answer = camb.delete_dictionary(DictionaryId(DICTIONARY_ID)).await.expect("delete succeeds");

        assert_eq!(answer, Value::Null);
        mock.assert_async().await;
    }
}

/// The raw and the `Camb` test of an operation's documented 422.
macro_rules! validation_error_tests {
    (
        $operation:literal, $expect:ident,
        $raw_test:ident, |$client:ident| $raw_call:expr,
        $camb_test:ident, |$camb:ident| $camb_call:expr $(,)?
    ) => {
        contract_test! {
            client = Raw, operation = $operation, status = 422,
            async fn $raw_test() {
                let server = MockServer::start_async().await;
                let mock = $expect(&server, |then| then.unprocessable_entity(&expect::validation_error()));
                let $client = raw_client(&server.base_url(), API_KEY);

                expect::assert_validation_error(&unprocessable($raw_call.await));
                mock.assert_async().await;
            }
        }

        contract_test! {
            client = Camb, operation = $operation, status = 422,
            async fn $camb_test() {
                let server = MockServer::start_async().await;
                let mock = $expect(&server, |then| then.unprocessable_entity(&expect::validation_error()));
                let $camb = camb_client(&server.base_url(), API_KEY);

                expect::assert_validation_error(&validation($camb_call.await));
                mock.assert_async().await;
            }
        }
    };
}

validation_error_tests! {
    "get_dictionaries", list,
    raw_list_decodes_a_validation_error, |client| client.get_dictionaries().send(),
    camb_list_turns_a_validation_error_into_error_validation, |camb| camb.dictionaries(),
}

validation_error_tests! {
    "create_dictionary_from_file", create,
    raw_create_decodes_a_validation_error,
    |client| client
        .create_dictionary_from_file()
        .body(create_fields())
        .dictionary_file(FilePart::bytes(TERM_FILE.as_bytes(), "brands.csv"))
        .send(),
    camb_create_dictionary_turns_a_validation_error_into_error_validation,
    |camb| camb.create_dictionary(&new_dictionary()),
}

validation_error_tests! {
    "get_dictionary_info", info,
    raw_info_decodes_a_validation_error,
    |client| client.get_dictionary_info().dictionary_id(DICTIONARY_ID).send(),
    camb_dictionary_turns_a_validation_error_into_error_validation,
    |camb| camb.dictionary(DictionaryId(DICTIONARY_ID)),
}

validation_error_tests! {
    "get_dictionary_details", details,
    raw_details_decode_a_validation_error,
    |client| client
        .get_dictionary_details()
        .dictionary_id(DICTIONARY_ID)
        .limit(2)
        .search_term("dub")
        .send(),
    camb_details_turn_a_validation_error_into_error_validation,
    |camb| camb.dictionary_details(DictionaryId(DICTIONARY_ID), &Search::all().limit(2).matching("dub")),
}

validation_error_tests! {
    "add_term_to_dictionary", add_term,
    raw_add_term_decodes_a_validation_error,
    |client| client
        .add_term_to_dictionary()
        .dictionary_id(DICTIONARY_ID)
        .body(term_body())
        .send(),
    camb_add_term_turns_a_validation_error_into_error_validation,
    |camb| camb.add_dictionary_term(DictionaryId(DICTIONARY_ID), &translations()),
}

validation_error_tests! {
    "update_term_translation_in_dictionary_using_term_id", update_term,
    raw_update_term_decodes_a_validation_error,
    |client| client
        .update_term_translation_in_dictionary_using_term_id()
        .dictionary_id(DICTIONARY_ID)
        .term_id(TERM_ID)
        .body(term_body())
        .send(),
    camb_update_term_turns_a_validation_error_into_error_validation,
    |camb| camb.update_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(TERM_ID), &translations()),
}

validation_error_tests! {
    "delete_dictionary_term", delete_term,
    raw_delete_term_decodes_a_validation_error,
    |client| client
        .delete_dictionary_term()
        .dictionary_id(DICTIONARY_ID)
        .term_id(TERM_ID)
        .send(),
    camb_delete_term_turns_a_validation_error_into_error_validation,
    |camb| camb.delete_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(TERM_ID)),
}

validation_error_tests! {
    "delete_dictionary", delete,
    raw_delete_decodes_a_validation_error,
    |client| client.delete_dictionary().dictionary_id(DICTIONARY_ID).send(),
    camb_delete_turns_a_validation_error_into_error_validation,
    |camb| camb.delete_dictionary(DictionaryId(DICTIONARY_ID)),
}

// The documented 401 and 404 (FastAPI's `{"detail": ...}`).

error_answer_tests! {
    "get_dictionaries", 401, list, GetDictionariesThen,
    raw_list_401_is_an_unexpected_response, |client| client.get_dictionaries().send(),
    camb_list_401_is_a_typed_error, |camb| camb.dictionaries(),
}

error_answer_tests! {
    "create_dictionary_from_file", 401, create, CreateDictionaryFromFileThen,
    raw_create_401_is_an_unexpected_response, |client| client.create_dictionary_from_file().body(create_fields()).dictionary_file(FilePart::bytes(TERM_FILE.as_bytes(), "brands.csv")).send(),
    camb_create_401_is_a_typed_error, |camb| camb.create_dictionary(&new_dictionary()),
}

error_answer_tests! {
    "get_dictionary_info", 401, info, GetDictionaryInfoThen,
    raw_info_401_is_an_unexpected_response, |client| client.get_dictionary_info().dictionary_id(DICTIONARY_ID).send(),
    camb_info_401_is_a_typed_error, |camb| camb.dictionary(DictionaryId(DICTIONARY_ID)),
}

error_answer_tests! {
    "get_dictionary_info", 404, info, GetDictionaryInfoThen,
    raw_info_404_is_an_unexpected_response, |client| client.get_dictionary_info().dictionary_id(DICTIONARY_ID).send(),
    camb_info_404_is_a_typed_error, |camb| camb.dictionary(DictionaryId(DICTIONARY_ID)),
}

error_answer_tests! {
    "get_dictionary_details", 401, details, GetDictionaryDetailsThen,
    raw_details_401_is_an_unexpected_response, |client| client.get_dictionary_details().dictionary_id(DICTIONARY_ID).limit(2).search_term("dub").send(),
    camb_details_401_is_a_typed_error, |camb| camb.dictionary_details(DictionaryId(DICTIONARY_ID), &Search::all().limit(2).matching("dub")),
}

error_answer_tests! {
    "get_dictionary_details", 404, details, GetDictionaryDetailsThen,
    raw_details_404_is_an_unexpected_response, |client| client.get_dictionary_details().dictionary_id(DICTIONARY_ID).limit(2).search_term("dub").send(),
    camb_details_404_is_a_typed_error, |camb| camb.dictionary_details(DictionaryId(DICTIONARY_ID), &Search::all().limit(2).matching("dub")),
}

error_answer_tests! {
    "add_term_to_dictionary", 401, add_term, AddTermToDictionaryThen,
    raw_add_term_401_is_an_unexpected_response, |client| client.add_term_to_dictionary().dictionary_id(DICTIONARY_ID).body(term_body()).send(),
    camb_add_term_401_is_a_typed_error, |camb| camb.add_dictionary_term(DictionaryId(DICTIONARY_ID), &translations()),
}

error_answer_tests! {
    "add_term_to_dictionary", 404, add_term, AddTermToDictionaryThen,
    raw_add_term_404_is_an_unexpected_response, |client| client.add_term_to_dictionary().dictionary_id(DICTIONARY_ID).body(term_body()).send(),
    camb_add_term_404_is_a_typed_error, |camb| camb.add_dictionary_term(DictionaryId(DICTIONARY_ID), &translations()),
}

error_answer_tests! {
    "update_term_translation_in_dictionary_using_term_id", 401, update_term, UpdateTermTranslationInDictionaryUsingTermIdThen,
    raw_update_term_401_is_an_unexpected_response, |client| client.update_term_translation_in_dictionary_using_term_id().dictionary_id(DICTIONARY_ID).term_id(TERM_ID).body(term_body()).send(),
    camb_update_term_401_is_a_typed_error, |camb| camb.update_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(TERM_ID), &translations()),
}

error_answer_tests! {
    "update_term_translation_in_dictionary_using_term_id", 404, update_term, UpdateTermTranslationInDictionaryUsingTermIdThen,
    raw_update_term_404_is_an_unexpected_response, |client| client.update_term_translation_in_dictionary_using_term_id().dictionary_id(DICTIONARY_ID).term_id(TERM_ID).body(term_body()).send(),
    camb_update_term_404_is_a_typed_error, |camb| camb.update_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(TERM_ID), &translations()),
}

error_answer_tests! {
    "delete_dictionary_term", 401, delete_term, DeleteDictionaryTermThen,
    raw_delete_term_401_is_an_unexpected_response, |client| client.delete_dictionary_term().dictionary_id(DICTIONARY_ID).term_id(TERM_ID).send(),
    camb_delete_term_401_is_a_typed_error, |camb| camb.delete_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(TERM_ID)),
}

error_answer_tests! {
    "delete_dictionary_term", 404, delete_term, DeleteDictionaryTermThen,
    raw_delete_term_404_is_an_unexpected_response, |client| client.delete_dictionary_term().dictionary_id(DICTIONARY_ID).term_id(TERM_ID).send(),
    camb_delete_term_404_is_a_typed_error, |camb| camb.delete_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(TERM_ID)),
}

error_answer_tests! {
    "delete_dictionary", 401, delete, DeleteDictionaryThen,
    raw_delete_401_is_an_unexpected_response, |client| client.delete_dictionary().dictionary_id(DICTIONARY_ID).send(),
    camb_delete_401_is_a_typed_error, |camb| camb.delete_dictionary(DictionaryId(DICTIONARY_ID)),
}

error_answer_tests! {
    "delete_dictionary", 404, delete, DeleteDictionaryThen,
    raw_delete_404_is_an_unexpected_response, |client| client.delete_dictionary().dictionary_id(DICTIONARY_ID).send(),
    camb_delete_404_is_a_typed_error, |camb| camb.delete_dictionary(DictionaryId(DICTIONARY_ID)),
}

// Beyond the documented answers.

#[tokio::test]
async fn a_404_names_the_dictionary_and_the_term() {
    let server = MockServer::start_async().await;
    let camb = camb_client(&server.base_url(), API_KEY);
    let _gone = server.delete_dictionary_term(|when, then| {
        when.dictionary_id(DICTIONARY_ID).term_id(TERM_ID);
        then.into_inner()
            .status(404)
            .json_body(json!({"detail": "Term not found"}));
    });

    let error = camb
        .delete_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(TERM_ID))
        .await
        .unwrap_err();

    match &error {
        Error::DictionaryNotFound {
            dictionary_id,
            term_id,
            message,
        } => {
            assert_eq!(*dictionary_id, DictionaryId(DICTIONARY_ID));
            assert_eq!(*term_id, Some(TermId(TERM_ID)));
            assert!(message.contains("Term not found"), "{message}");
        }
        other => panic!("expected Error::DictionaryNotFound, got {other:?}"),
    }
    assert_eq!(error.status_code().map(|s| s.as_u16()), Some(404));
    assert!(!error.is_retryable());
    assert!(
        error
            .to_string()
            .contains("dictionary 41's term 907 not found"),
        "{error}"
    );
}

#[tokio::test]
async fn negative_ids_and_bad_terms_are_refused_before_any_request() {
    // No mocks: any request would be answered 404, not InvalidInput.
    let server = MockServer::start_async().await;
    let camb = camb_client(&server.base_url(), API_KEY);
    let refused = |result: Result<Value, Error>, wanted: &str| match result {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, wanted),
        other => panic!("expected InvalidInput for {wanted}, got {other:?}"),
    };

    refused(
        camb.delete_dictionary(DictionaryId(-1)).await,
        "dictionary_id",
    );
    refused(
        camb.delete_dictionary_term(DictionaryId(DICTIONARY_ID), TermId(-5))
            .await,
        "term_id",
    );
    refused(
        camb.add_dictionary_term(DictionaryId(DICTIONARY_ID), &[])
            .await,
        "translations",
    );
    refused(
        camb.update_dictionary_term(
            DictionaryId(DICTIONARY_ID),
            TermId(TERM_ID),
            &[TermTranslation::new(Language::FR_FR, "")],
        )
        .await,
        "translations",
    );
    assert!(matches!(
        camb.dictionary(DictionaryId(-3)).await,
        Err(Error::InvalidInput {
            field: "dictionary_id",
            ..
        })
    ));
}
