//! HTTP tests of pages and API against a real store (SQLite in a temporary directory).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use nigehban_core::actor::Principal;
use nigehban_core::service::NewUserInput;
use nigehban_core::Nigehban;
use nigehban_domain::reference::ReferenceData;
use nigehban_i18n::Catalog;
use nigehban_storage::{DatabaseUrl, SqlStore};
use nigehban_web::{router, AppState};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

struct Harness {
    app: Router,
    core: Nigehban,
    _dir: tempfile::TempDir,
}

async fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::connect(
        &DatabaseUrl::in_data_dir(dir.path()),
        nigehban_storage::Keyring::generate(),
    )
    .await
    .unwrap();
    let core = Nigehban::new(
        Arc::new(store),
        Arc::new(ReferenceData::embedded().unwrap()),
    );
    core.bootstrap().await.unwrap();
    for (u, role, unit) in [
        ("inv", "investigator", "FIA-AHTC-LHE"),
        ("ngo", "ngo_case_worker", "NGO-DASTAK-LHE"),
    ] {
        core.add_user(
            &Principal::system("test"),
            NewUserInput {
                username: u.into(),
                display_name: u.into(),
                role: role.into(),
                unit_code: unit.into(),
                password: "long enough password".into(),
            },
        )
        .await
        .unwrap();
    }
    let state = AppState::new(core.clone(), Arc::new(Catalog::embedded().unwrap()), false);
    Harness {
        app: router(state),
        core,
        _dir: dir,
    }
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn json_req(method: &str, uri: &str, token: Option<&str>, body: Option<Value>) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    b.body(body.map(|v| Body::from(v.to_string())).unwrap_or_default())
        .unwrap()
}

async fn token(app: &Router, user: &str) -> String {
    let (s, _, body) = send(
        app,
        json_req(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": user, "password": "long enough password"})),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    serde_json::from_str::<Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn pages_and_api_require_a_session() {
    let h = harness().await;
    let (s, headers, _) = send(&h.app, Request::get("/cases").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/login?next=/cases");
    let (s, _, body) = send(&h.app, json_req("GET", "/api/v1/cases", None, None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"]["code"],
        "unauthenticated"
    );
    let (s, _, _) = send(
        &h.app,
        json_req("GET", "/api/v1/cases", Some("forged-token"), None),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, headers, body) =
        send(&h.app, Request::get("/login").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("name=\"username\""));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(!body.contains("<script>"), "no inline script");
}

#[tokio::test]
async fn the_api_registers_moves_and_explains_errors() {
    let h = harness().await;
    let t = token(&h.app, "inv").await;
    let case = json!({"title": "Deportees from Oman", "crime_types": ["som"], "provisions": ["PSMA-2018-S3"],
        "province": "SD", "district": "keamari", "offence_date": "2025-04-01"});
    let (s, _, body) = send(
        &h.app,
        json_req("POST", "/api/v1/cases", Some(&t), Some(case)),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let id = created["id"].as_str().unwrap();
    assert!(created["number"]
        .as_str()
        .unwrap()
        .starts_with("FIA-AHTC-LHE-"));

    // Invalid person, with the messages in Urdu when asked.
    let bad = json!({"role": "smuggled_migrant", "person": {"name_roman": "Ali", "sex": "male", "cnic": "12345"}});
    let mut req = json_req(
        "POST",
        &format!("/api/v1/cases/{id}/persons"),
        Some(&t),
        Some(bad),
    );
    req.headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "ur".parse().unwrap());
    let (s, _, body) = send(&h.app, req).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(err["error"]["code"], "invalid");
    assert_eq!(err["error"]["fields"][0]["field"], "cnic");
    assert_eq!(err["error"]["fields"][0]["code"], "cnic-format");
    assert!(err["error"]["fields"][0]["message"]
        .as_str()
        .unwrap()
        .chars()
        .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));

    let good = json!({"role": "suspect", "chain_role": "transporter", "person": {"name_roman": "Abdul Ghani", "name_urdu": "عبدالغنی", "sex": "male"}});
    let (s, _, body) = send(
        &h.app,
        json_req(
            "POST",
            &format!("/api/v1/cases/{id}/persons"),
            Some(&t),
            Some(good),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");

    let (s, _, body) = send(
        &h.app,
        json_req(
            "POST",
            &format!("/api/v1/cases/{id}/transitions"),
            Some(&t),
            Some(json!({"to": "trial"})),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("illegal-transition"));
    let (s, _, body) = send(
        &h.app,
        json_req(
            "POST",
            &format!("/api/v1/cases/{id}/transitions"),
            Some(&t),
            Some(json!({"to": "fir", "reference": "FIR 7/2025"})),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let detail: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(detail["stage"], "fir");
    assert_eq!(detail["persons"][0]["chain_role"], "transporter");

    let (s, _, body) = send(
        &h.app,
        json_req(
            "GET",
            &format!(
                "/api/v1/persons?q={}",
                "%D8%B9%D8%A8%D8%AF%D8%A7%D9%84%D8%BA%D9%86%DB%8C"
            ),
            Some(&t),
            None,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Abdul Ghani"), "{body}");

    // Another organisation cannot read it, by id or by search.
    let n = token(&h.app, "ngo").await;
    let (s, _, _) = send(
        &h.app,
        json_req("GET", &format!("/api/v1/cases/{id}"), Some(&n), None),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = send(
        &h.app,
        json_req("GET", "/api/v1/cases/not-a-uuid", Some(&t), None),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(h.core.verify_audit().await.unwrap().first_bad.is_none());
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let h = harness().await;
    let (s, _, body) = send(
        &h.app,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/transitions",
        "/api/v1/cases/{id}/persons",
        "/api/v1/persons",
        "/api/v1/session",
        "/api/v1/assessments/classify",
        "/api/v1/reference/indicators",
        "/api/v1/exchange/htcds",
        "/api/v1/exchange/ctdc",
    ] {
        assert!(doc["paths"].get(path).is_some(), "missing {path}");
    }
    assert!(doc["components"]["schemas"].get("CaseRequest").is_some());
    assert!(doc["components"]["schemas"]
        .get("ClassifyRequest")
        .is_some());
}

#[tokio::test]
async fn the_assessment_api_classifies_any_facts_with_reasons() {
    let h = harness().await;
    let t = token(&h.app, "inv").await;
    let classify =
        |body: Value| json_req("POST", "/api/v1/assessments/classify", Some(&t), Some(body));
    // A child recruited and moved for forced labour: trafficking, with no means needed.
    let (s, _, body) = send(
        &h.app,
        classify(json!({"age_years": 15, "indicators": ["recruitment", "transportation", "purpose_forced_labour"]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["suggestion"], "trafficking", "{body}");
    let codes: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"tip_child_means_not_required"), "{codes:?}");
    assert!(v["reasons"][0]["text"].as_str().unwrap().len() > 10);
    // A paid, irregular border crossing: smuggling.
    let (_, _, body) = send(
        &h.app,
        classify(json!({"crossed_border": true, "irregular_crossing": true, "benefit_to_facilitator": true,
                        "indicators": [], "age_years": 30, "exploited_en_route": false})),
    )
    .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["suggestion"], "smuggling", "{body}");
    // Smuggled and exploited on the way: both.
    let (_, _, body) = send(
        &h.app,
        classify(json!({"crossed_border": true, "irregular_crossing": true, "benefit_to_facilitator": true,
                        "exploited_en_route": true, "age_years": 30, "indicators": ["transportation", "purpose_forced_labour"]})),
    )
    .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["suggestion"], "both", "{body}");
    // Unknown codes are located errors; unknown fields are refused; a session is needed.
    let (s, _, body) = send(
        &h.app,
        classify(json!({"indicators": ["no_such_indicator"]})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("\"field\":\"indicators\""), "{body}");
    let (s, _, _) = send(&h.app, classify(json!({"colour": "blue"}))).await;
    assert!(s.is_client_error());
    let (s, _, _) = send(
        &h.app,
        json_req(
            "POST",
            "/api/v1/assessments/classify",
            None,
            Some(json!({})),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // The indicator catalogue is there for clients to build their forms from.
    let (s, _, body) = send(
        &h.app,
        json_req("GET", "/api/v1/reference/indicators", Some(&t), None),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["code"] == "ilo_debt_bondage" && i["category"] == "forced_labour"));
}

#[tokio::test]
async fn forms_need_the_csrf_token_and_keep_input_on_errors() {
    let h = harness().await;
    let (s, headers, _) = send(
        &h.app,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(
                "username=inv&password=long+enough+password&next=/cases",
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/cases");
    let cookie = headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert!(headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("HttpOnly"));

    let form = "title=%3Cscript%3Ealert(1)%3C%2Fscript%3E&crime_types=tip&province=PB&district=karachi-south&offence_date=2025-01-01&provisions=PSMA-2018-S3";
    let post = |body: String| {
        Request::post("/cases")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie.clone())
            .body(Body::from(body))
            .unwrap()
    };
    let (s, _, _) = send(&h.app, post(format!("{form}&csrf=wrong"))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, _, page) = send(
        &h.app,
        Request::get("/cases/new")
            .header(header::COOKIE, cookie.clone())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let (s, _, page) = send(&h.app, post(format!("{form}&csrf={csrf}"))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "typed title kept, escaped"
    );
    assert!(!page.contains("<script>alert(1)"));
    assert!(
        page.contains("is not in Punjab") || page.contains("not in"),
        "district error shown"
    );
    assert!(page.contains("does not apply to the chosen crime types"));
    assert_eq!(h.core.store().count_cases().await.unwrap(), 0);

    // A sign-in posted from another site is refused, whatever the credentials.
    let (s, _, _) = send(
        &h.app,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "nigehban.local")
            .header(header::ORIGIN, "https://evil.example")
            .body(Body::from("username=inv&password=long+enough+password"))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = send(
        &h.app,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "nigehban.local")
            .header(header::ORIGIN, "http://nigehban.local")
            .body(Body::from("username=inv&password=long+enough+password"))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "same-site sign-in works");

    // Open redirects are refused.
    let (_, headers, _) = send(
        &h.app,
        Request::get("/lang?to=ur&next=//evil.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(headers[header::LOCATION], "/");
}
