//! Dictionaries and folders end to end: `Camb` against the simulator (a
//! dictionary made, read, filled, used by a dub and deleted; folders made
//! and searched), and the simulator's bodies against the spec's schemas.

use camb_api_ext::{
    Camb, DictionaryId, DubRequest, Error, Language, NewDictionary, Search, TermTranslation,
};
use camb_simulator::{Route, Simulator};
use camb_tests::clients::{API_KEY, http_client, loopback_http};
use camb_tests::spec::Schemas;
use serde_json::{Value, json};

/// The boundary of the forms these tests write by hand.
const BOUNDARY: &str = "camb-tests-boundary";

/// A `multipart/form-data` body with a dictionary's name and term file.
fn form(name: &str, term_file: &str) -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"dictionary_name\"\r\n\r\n{name}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"dictionary_description\"\r\n\r\nFor talks\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"dictionary_file\"; filename=\"terms.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{term_file}\r\n--{BOUNDARY}--\r\n"
    )
    .into_bytes()
}

/// Sends a form to `POST /dictionaries/create-from-file`; the status and body.
async fn create_from_file(sim: &Simulator, body: Vec<u8>) -> (u16, Value) {
    let response = http_client(&sim.api_key())
        .post(format!("{}/dictionaries/create-from-file", sim.base_url()))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("the simulator answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}

/// A `GET` of the simulator; the status and body.
async fn get(sim: &Simulator, path: &str) -> (u16, Value) {
    let response = http_client(&sim.api_key())
        .get(format!("{}{path}", sim.base_url()))
        .send()
        .await
        .expect("the simulator answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}

fn assert_valid(schema: &str, body: &Value) {
    let violations = Schemas::get().violations(schema, body);
    assert!(
        violations.is_empty(),
        "{body} is not a valid {schema}: {violations:?}"
    );
}

fn camb(sim: &Simulator) -> Camb {
    Camb::builder()
        .api_key(sim.api_key())
        .base_url(sim.base_url())
        .http_client(loopback_http())
        .build()
        .expect("a client for the simulator")
}

#[tokio::test]
async fn a_dictionary_is_made_read_filled_used_by_a_dub_and_deleted() {
    let sim = Simulator::builder().start().await;
    let camb = camb(&sim);

    let terms = std::env::temp_dir().join(format!("camb-tests-{}-brands.csv", std::process::id()));
    std::fs::write(&terms, "en-us,fr-fr\nCAMB.AI,CAMB.AI\ndub,doublage\n").expect("a term file");
    let created = camb
        .create_dictionary(&NewDictionary::from_path("Brands", &terms).description("For talks"))
        .await;
    std::fs::remove_file(&terms).expect("the term file is removed");
    let created = created.expect("the dictionary is made from the file");
    assert_valid("DictionaryWithTerms", &created);
    let id = DictionaryId(created["id"].as_i64().expect("an id"));

    // Listed, then read whole and searched.
    let listed = camb.dictionaries().await.expect("the list");
    assert_eq!(
        listed
            .iter()
            .map(|d| (d.id, d.name.as_str()))
            .collect::<Vec<_>>(),
        [(id, "Brands")]
    );
    let read = camb.dictionary(id).await.expect("the dictionary");
    assert_eq!(read.description.as_deref(), Some("For talks"));
    assert_eq!(
        read.languages.as_deref(),
        Some(&[Language::EN_US, Language::FR_FR][..])
    );
    let terms = read.terms.expect("its terms");
    assert_eq!(terms.len(), 2);
    assert_eq!(
        terms[1].translations,
        [
            TermTranslation::new(Language::EN_US, "dub"),
            TermTranslation::new(Language::FR_FR, "doublage"),
        ]
    );
    let found = camb
        .dictionary_details(id, &Search::all().matching("DOUBL"))
        .await
        .expect("the search");
    assert_eq!(found.terms.map(|terms| terms.len()), Some(1));

    // A term added, changed, deleted.
    let added = camb
        .add_dictionary_term(id, &[TermTranslation::new(Language::ES_ES, "doblaje")])
        .await
        .expect("the term is added");
    assert_valid("DictionaryTerm", &added);
    let term_id = camb_api_ext::TermId(added["id"].as_i64().expect("a term id"));
    camb.update_dictionary_term(
        id,
        term_id,
        &[TermTranslation::new(Language::ES_ES, "doblado")],
    )
    .await
    .expect("the term is changed");
    let changed = camb
        .dictionary_details(id, &Search::all().matching("doblado"))
        .await
        .expect("the search");
    assert_eq!(changed.terms.map(|terms| terms.len()), Some(1));
    camb.delete_dictionary_term(id, term_id)
        .await
        .expect("the term is deleted");
    let gone = camb.delete_dictionary_term(id, term_id).await;
    assert!(
        matches!(gone, Err(Error::DictionaryNotFound { term_id: Some(t), .. }) if t == term_id),
        "{gone:?}"
    );

    // Its id works in a dub, until it is deleted.
    let request = DubRequest::new(
        "https://example.com/talk.mp4",
        Language::EN_US,
        [Language::FR_FR],
    )
    .chosen_dictionaries([id]);
    camb.create_dub(&request)
        .await
        .expect("a dub with the dictionary");
    camb.delete_dictionary(id)
        .await
        .expect("the dictionary is deleted");
    let after = camb.dictionary(id).await;
    assert!(
        matches!(after, Err(Error::DictionaryNotFound { dictionary_id, term_id: None, .. }) if dictionary_id == id),
        "{after:?}"
    );
    assert!(camb.dictionaries().await.expect("the list").is_empty());
    let refused = camb.create_dub(&request).await;
    assert!(
        matches!(refused, Err(Error::NotFound { .. })),
        "{refused:?}"
    );
    assert_eq!(sim.task_ids().len(), 1, "the refused dub made no task");
}

#[tokio::test]
async fn every_dictionary_body_follows_the_spec() {
    let sim = Simulator::builder().start().await;
    let (_, created) = create_from_file(&sim, form("Brands", "1,76\nCAMB,CAMB\n")).await;
    let id = created["id"].as_i64().expect("an id");

    let (status, listed) = get(&sim, "/dictionaries").await;
    assert_eq!(status, 200);
    for dictionary in listed.as_array().expect("a list") {
        assert_valid("DictionaryWithTerms", dictionary);
    }
    for path in [
        format!("/dictionaries/{id}"),
        format!("/dictionaries/{id}/full-details?limit=1&search_term=camb"),
    ] {
        let (status, body) = get(&sim, &path).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_valid("DictionaryWithTerms", &body);
        assert_eq!(
            body["dictionary_terms"][0]["term_translations"][1]["language"],
            76
        );
    }

    // FastAPI's answers to what is not a valid request.
    for (path, location) in [
        (
            "/dictionaries/abc".to_owned(),
            json!(["path", "dictionary_id"]),
        ),
        (
            format!("/dictionaries/{id}/full-details?limit=many"),
            json!(["query", "limit"]),
        ),
    ] {
        let (status, body) = get(&sim, &path).await;
        assert_eq!(status, 422, "{path}: {body}");
        assert_valid("HTTPValidationError", &body);
        assert_eq!(body["detail"][0]["loc"], location, "{path}");
    }
    let (status, body) = create_from_file(&sim, form("Bad", "klingon\nQapla'\n")).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "dictionary_file"]));
    let (status, body) = get(&sim, "/dictionaries/999").await;
    assert_eq!((status, body["detail"].is_string()), (404, true), "{body}");
    assert_eq!(sim.requests(Route::Dictionaries), 8);
}

#[tokio::test]
async fn folders_are_made_then_listed_and_searched() {
    let sim = Simulator::builder().start().await;
    let camb = camb(&sim);

    for name in ["Talks", "Ads", "Talk shows"] {
        let created = camb.create_folder(name).await.expect("the folder is made");
        assert_valid("Folder", &created);
    }
    let all = camb.folders(&Search::all()).await.expect("the folders");
    assert_eq!(
        all.iter()
            .map(|folder| (folder.name.as_str(), folder.extra.get("folder_id")))
            .collect::<Vec<_>>(),
        [
            ("Talks", Some(&json!(1))),
            ("Ads", Some(&json!(2))),
            ("Talk shows", Some(&json!(3)))
        ]
    );
    let talks = camb
        .folders(&Search::all().matching("talk").limit(1))
        .await
        .expect("the search");
    assert_eq!(
        talks.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ["Talks"]
    );

    let (status, listed) = get(&sim, "/folders?search_query=ads").await;
    assert_eq!(status, 200);
    let listed = listed.as_array().expect("a list").clone();
    assert_eq!(listed.len(), 1);
    assert_valid("Folder", &listed[0]);
    let (status, body) = get(&sim, "/folders?limit=x").await;
    assert_eq!(
        (status, &body["detail"][0]["loc"]),
        (422, &json!(["query", "limit"]))
    );
    assert_eq!(sim.requests(Route::Folders), 7);
}

#[tokio::test]
async fn dictionaries_need_the_api_key() {
    let sim = Simulator::builder().start().await;
    let response = http_client(API_KEY)
        .get(format!("{}/dictionaries", sim.base_url()))
        .send()
        .await
        .expect("the simulator answers");
    assert_eq!(response.status(), 401);
}
