//! The organized-crime assessment over HTTP, on SQLite and on PostgreSQL: country profiles with
//! the published composites and ranks (English and Urdu, chart data beside the tables), the
//! scoring form with every problem next to its field in the reader's language, saving, editing
//! (a stale edit refused), comparing, the agency boundary, and the JSON API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use http_body_util::BodyExt;
use nigehban_core::actor::Principal;
use nigehban_core::service::{AssessmentInput, IndexImport, NewUserInput};
use nigehban_core::Nigehban;
use nigehban_domain::reference::ReferenceData;
use nigehban_i18n::Catalog;
use nigehban_ocindex::Method;
use nigehban_storage::{DatabaseUrl, Keyring, SqlStore};
use nigehban_web::{router, AppState};
use serde_json::{json, Value};
use sqlx::Connection;
use std::sync::Arc;
use tower::ServiceExt;

const PASSWORD: &str = "long enough password";

struct World {
    app: Router,
    core: Nigehban,
    _dir: Option<tempfile::TempDir>,
}

async fn store(backend: &str) -> (SqlStore, Option<tempfile::TempDir>) {
    if backend == "sqlite" {
        let dir = tempfile::tempdir().unwrap();
        let s = SqlStore::connect(&DatabaseUrl::in_data_dir(dir.path()), Keyring::generate())
            .await
            .unwrap();
        return (s, Some(dir));
    }
    let admin = std::env::var("NIGEHBAN_TEST_POSTGRES_URL").expect(
        "NIGEHBAN_TEST_POSTGRES_URL is not set: these tests must also run on PostgreSQL (scripts/test.sh starts one)",
    );
    let name = format!("nigehban_assess_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::postgres::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap();
    let s = SqlStore::connect(
        &DatabaseUrl::parse(&format!("{base}/{name}")).unwrap(),
        Keyring::generate(),
    )
    .await
    .unwrap();
    (s, None)
}

async fn world(backend: &str) -> World {
    let (s, dir) = store(backend).await;
    let core = Nigehban::new(Arc::new(s), Arc::new(ReferenceData::embedded().unwrap()));
    core.bootstrap().await.unwrap();
    for (u, role, unit) in [
        ("analyst", "analyst", "FIA-AHTC-ISB"),
        ("inv", "investigator", "FIA-AHTC-LHE"),
        ("intake", "intake_officer", "FIA-IMM-KHI-SEAPORT"),
        ("pp.analyst", "analyst", "PP-RYK"),
    ] {
        core.add_user(
            &Principal::system("test"),
            NewUserInput {
                username: u.into(),
                display_name: format!("{u} name"),
                role: role.into(),
                unit_code: unit.into(),
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap();
    }
    let workbook = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../ocindex/data/global_oc_index.xlsx"),
    )
    .unwrap();
    let r = core
        .import_index(
            &Principal::system("test"),
            "global_oc_index.xlsx",
            &workbook,
        )
        .await
        .unwrap();
    assert!(matches!(r, IndexImport::Imported(_)));
    let state = AppState::new(core.clone(), Arc::new(Catalog::embedded().unwrap()), false);
    World {
        app: router(state),
        core,
        _dir: dir,
    }
}

struct Resp {
    status: u16,
    location: String,
    body: String,
}

async fn send(app: &Router, req: Request<Body>) -> Resp {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        location,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn get(uri: &str, s: &Session) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, s.cookie.clone())
        .body(Body::empty())
        .unwrap()
}

fn post_form(uri: &str, s: &Session, pairs: &[(String, String)]) -> Request<Body> {
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post(uri)
        .header(header::COOKIE, s.cookie.clone())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

/// Sign in through the form; roles with a second factor enrol on the way (the secret is shown
/// once on the second-factor page).
async fn sign_in(app: &Router, username: &str) -> Session {
    let resp = app
        .clone()
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "username={username}&password={}",
                    enc(PASSWORD)
                )))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 303);
    let cookie = resp
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let to = resp
        .headers()
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let mut s = Session {
        cookie,
        csrf: String::new(),
    };
    if to.starts_with("/login/totp") {
        let page = send(app, get("/login/totp", &s)).await;
        let secret = page
            .body
            .split("id=\"totp-secret\" dir=\"ltr\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .expect("the TOTP secret at enrolment")
            .to_string();
        let unix = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
        let code = nigehban_core::auth::totp::code_at(&secret, unix).unwrap();
        let r = send(
            app,
            Request::post("/login/totp")
                .header(header::COOKIE, s.cookie.clone())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("code={code}&next=/")))
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let home = send(app, get("/", &s)).await;
    s.csrf = home
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    s
}

/// The form fields of a whole assessment: every indicator of `edition` scored `score`.
fn fields(
    s: &Session,
    scope: &str,
    year: &str,
    edition: i32,
    score: &str,
) -> Vec<(String, String)> {
    let e = Method::embedded().unwrap().edition(edition).unwrap();
    let mut f = vec![
        ("csrf".to_string(), s.csrf.clone()),
        ("scope".into(), scope.into()),
        ("year".into(), year.into()),
        ("edition".into(), edition.to_string()),
    ];
    for i in e.indicators() {
        f.push((format!("score-{}", i.code), score.to_string()));
        f.push((
            format!("justification-{}", i.code),
            format!(
                "Cases registered in {scope} and interviews at intake ({}).",
                i.code
            ),
        ));
    }
    f
}

fn set(f: &mut [(String, String)], key: &str, value: &str) {
    for (k, v) in f.iter_mut() {
        if k == key {
            *v = value.to_string();
        }
    }
}

/// The text of the element with this id (its first line of content), for field errors.
fn element_text(body: &str, id: &str) -> String {
    body.split(&format!("id=\"{id}\">"))
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or("")
        .to_string()
}

async fn pages(backend: &str) {
    let w = world(backend).await;
    let inv = sign_in(&w.app, "inv").await;
    let analyst = sign_in(&w.app, "analyst").await;

    // The menu and the list: investigators read, but are not offered scoring.
    let r = send(&w.app, get("/assessments", &inv)).await;
    assert_eq!(r.status, 200, "{backend}: {}", r.body);
    assert!(r.body.contains("id=\"nav-assessments\""));
    assert!(r.body.contains("data-iso3=\"PAK\""));
    assert!(!r.body.contains("id=\"new-assessment\""));
    let r = send(&w.app, get("/assessments?q=pakis&edition=2021", &inv)).await;
    assert_eq!(r.body.matches("data-iso3=").count(), 1, "{backend}");

    // Pakistan 2021, as published.
    let r = send(&w.app, get("/assessments/countries/PAK?edition=2021", &inv)).await;
    assert_eq!(r.status, 200, "{backend}");
    for want in [
        "<strong class=\"big\">6.28</strong>",
        "<dd id=\"markets\">6.30</dd>",
        "<dd id=\"actors\">6.25</dd>",
        "<strong class=\"big\">4.00</strong>",
        "<li>29 of 193 countries</li>",
        "<li>10 of 46 in Asia</li>",
        "<li>2 of 8 in Southern Asia</li>",
        "<li>133 of 193 countries</li>",
        "<li>29 of 46 in Asia</li>",
        "<li>5 of 8 in Southern Asia</li>",
        "<tr data-indicator=\"human_trafficking\"><th scope=\"row\">Human trafficking</th><td class=\"num\">8.00</td>",
        "<script type=\"application/json\" id=\"profile-chart-data\">{\"kind\":\"bars\",\"dir\":\"ltr\"",
    ] {
        assert!(r.body.contains(want), "{backend}: `{want}` not in the profile");
    }
    // In Urdu, right to left.
    let r = send(
        &w.app,
        get("/assessments/countries/PAK?edition=2021&lang=ur", &inv),
    )
    .await;
    assert!(r.body.contains("dir=\"rtl\""));
    assert!(
        r.body.contains("<li>193 ممالک میں 29 واں</li>"),
        "{backend}"
    );
    assert!(r.body.contains("<li>جنوبی ایشیا کے 8 ممالک میں 2 واں</li>"));
    assert!(r.body.contains("{\"kind\":\"bars\",\"dir\":\"rtl\""));
    assert!(r.body.contains("انسانی ٹریفکنگ"));
    // Not a country of the Index.
    let r = send(&w.app, get("/assessments/countries/XKX", &inv)).await;
    assert_eq!(r.status, 404);

    // The form: refused to investigators before anything is read; the indicator sets.
    assert_eq!(
        send(&w.app, get("/assessments/new", &inv)).await.status,
        403
    );
    let r = send(&w.app, get("/assessments/new", &analyst)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body.matches("name=\"score-").count(), 32);
    let r = send(&w.app, get("/assessments/new?edition=2021", &analyst)).await;
    assert_eq!(r.body.matches("name=\"score-").count(), 26);

    // One score out of range: the form comes back with the error next to that field, everything
    // typed kept.
    let mut f = fields(&analyst, "district:gujrat", "2024", 2023, "7");
    set(&mut f, "score-human_smuggling", "11");
    set(&mut f, "justification-prevention", "");
    let r = send(&w.app, post_form("/assessments", &analyst, &f)).await;
    assert_eq!(r.status, 422, "{backend}: {}", r.body);
    assert_eq!(
        element_text(&r.body, "e-score-human_smuggling"),
        "Out of range: scores go from 1 to 10."
    );
    assert_eq!(
        element_text(&r.body, "e-justification-prevention"),
        "Required."
    );
    assert!(r
        .body
        .contains("<a href=\"#f-score-human_smuggling\">Human smuggling: score</a>"));
    assert!(r
        .body
        .contains("name=\"score-human_smuggling\" value=\"11\""));
    assert!(r.body.contains(
        "Cases registered in district:gujrat and interviews at intake (human_trafficking)."
    ));
    assert!(r
        .body
        .contains("<option value=\"district:gujrat\" selected>Gujrat</option>"));
    // In Urdu, the same problem in Urdu.
    let mut cookie_ur = analyst.clone();
    cookie_ur.cookie = format!("{}; nigehban_lang=ur", analyst.cookie);
    let r = send(&w.app, post_form("/assessments", &cookie_ur, &f)).await;
    assert_eq!(
        element_text(&r.body, "e-score-human_smuggling"),
        "حد سے باہر: نمبر 1 سے 10 تک ہوتے ہیں۔"
    );
    // Fixed and saved.
    set(&mut f, "score-human_smuggling", "9.5");
    set(
        &mut f,
        "justification-prevention",
        "No awareness work in the source villages.",
    );
    let r = send(&w.app, post_form("/assessments", &analyst, &f)).await;
    assert_eq!(r.status, 303, "{backend}: {}", r.body);
    assert!(r.location.ends_with("?msg=saved"));
    let id = r
        .location
        .trim_start_matches("/assessments/")
        .trim_end_matches("?msg=saved")
        .to_string();
    let r = send(&w.app, get(&r.location, &analyst)).await;
    assert!(r.body.contains("Assessment saved."));
    // Markets (14 x 7 + 9.5) / 15 = 7.1666.., actors 7: criminality 7.0833.. -> 7.08.
    assert!(
        r.body.contains("<strong class=\"big\">7.08</strong>"),
        "{backend}"
    );
    assert!(r.body.contains("No awareness work in the source villages."));
    // The investigator of the agency reads it; another agency does not find it.
    assert_eq!(
        send(&w.app, get(&format!("/assessments/{id}"), &inv))
            .await
            .status,
        200
    );
    let other = sign_in(&w.app, "pp.analyst").await;
    assert_eq!(
        send(&w.app, get(&format!("/assessments/{id}"), &other))
            .await
            .status,
        404
    );
    let r = send(&w.app, get("/assessments", &other)).await;
    assert!(r.body.contains("id=\"subnational-empty\""));

    // An edit from the version read; the same edit again is stale.
    let r = send(&w.app, get(&format!("/assessments/{id}/edit"), &analyst)).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body
            .contains("name=\"score-human_smuggling\" value=\"9.5\""),
        "{backend}"
    );
    assert!(r.body.contains("name=\"version\" value=\"1\""));
    let mut e = f.clone();
    e.push(("version".into(), "1".into()));
    set(&mut e, "score-human_smuggling", "10");
    let r = send(
        &w.app,
        post_form(&format!("/assessments/{id}"), &analyst, &e),
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = send(
        &w.app,
        post_form(&format!("/assessments/{id}"), &analyst, &e),
    )
    .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Someone changed this assessment"));

    // Compared with a province, Pakistan's published scores beside them; one place over years.
    let analyst_actor = w.core.cli_actor("analyst").await.unwrap();
    let pb = w
        .core
        .save_assessment(
            &analyst_actor,
            None,
            &input("province:PB", "2024", 2023, "6"),
        )
        .await
        .unwrap();
    w.core
        .save_assessment(
            &analyst_actor,
            None,
            &input("district:gujrat", "2023", 2023, "6.5"),
        )
        .await
        .unwrap();
    let r = send(
        &w.app,
        get(
            &format!("/assessments/compare?id={id}&id={}", pb.record.id),
            &inv,
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Gujrat <span class=\"muted\">2024</span>"));
    assert!(r.body.contains("Punjab <span class=\"muted\">2024</span>"));
    assert!(r.body.contains("Pakistan (published 2023)"));
    assert!(r
        .body
        .contains("id=\"compare-chart-data\">{\"kind\":\"bars\""));
    let r = send(
        &w.app,
        get("/assessments/compare?scope=district%3Agujrat", &inv),
    )
    .await;
    assert!(r.body.contains("id=\"compare-chart-data\">{\"kind\":\"lines\",\"dir\":\"ltr\",\"categories\":[\"2023\",\"2024\"]"), "{backend}: {}", r.body);
    let r = send(
        &w.app,
        get(&format!("/assessments/compare?id={id}"), &other),
    )
    .await;
    assert_eq!(r.status, 404);

    // Intake officers have no assessments at all.
    let intake = sign_in(&w.app, "intake").await;
    assert_eq!(send(&w.app, get("/assessments", &intake)).await.status, 403);
    let r = send(&w.app, get("/", &intake)).await;
    assert!(!r.body.contains("nav-assessments"));
}

fn input(scope: &str, year: &str, edition: i32, score: &str) -> AssessmentInput {
    let e = Method::embedded().unwrap().edition(edition).unwrap();
    AssessmentInput {
        scope: scope.into(),
        year: year.into(),
        edition: edition.to_string(),
        scores: e
            .indicators()
            .map(|i| (i.code.clone(), score.to_string()))
            .collect(),
        justifications: e
            .indicators()
            .map(|i| (i.code.clone(), "Seen in the cases of the year.".to_string()))
            .collect(),
        version: None,
    }
}

#[tokio::test]
async fn pages_on_sqlite() {
    pages("sqlite").await;
}

#[tokio::test]
async fn pages_on_postgres() {
    pages("postgres").await;
}

fn api(method: &str, uri: &str, s: &Session, body: Option<Value>) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, s.cookie.clone())
        .header("x-csrf-token", s.csrf.clone());
    if body.is_some() {
        b = b.header(header::CONTENT_TYPE, "application/json");
    }
    b.body(body.map(|v| Body::from(v.to_string())).unwrap_or_default())
        .unwrap()
}

#[tokio::test]
// 6.28 is Pakistan's published criminality, not an approximation of tau.
#[allow(clippy::approx_constant)]
async fn the_api_gives_profiles_and_takes_assessments() {
    let w = world("sqlite").await;
    let analyst = sign_in(&w.app, "analyst").await;
    let r = send(
        &w.app,
        api(
            "GET",
            "/api/v1/assessments/countries/pak?edition=2021",
            &analyst,
            None,
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["composites"]["criminality"], 6.28);
    assert_eq!(v["composites"]["markets"], 6.3);
    assert_eq!(v["composites"]["resilience"], 4.0);
    assert_eq!(
        v["criminality_rank"]["overall"],
        json!({"rank": 29, "of": 193})
    );
    assert_eq!(v["resilience_rank"]["region"], json!({"rank": 5, "of": 8}));
    assert_eq!(v["scores"]["heroin_trade"], 8.5);
    let r = send(
        &w.app,
        api("GET", "/api/v1/assessments/countries?q=PAK", &analyst, None),
    )
    .await;
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["edition"], 2023);

    // A score out of range and a missing justification: 422 naming both fields.
    let e = Method::embedded().unwrap().edition(2021).unwrap();
    let mut scores = serde_json::Map::new();
    let mut why = serde_json::Map::new();
    for i in e.indicators() {
        scores.insert(i.code.clone(), json!(5.5));
        why.insert(i.code.clone(), json!("From the year's cases."));
    }
    scores.insert("cocaine_trade".into(), json!(0));
    why.remove("prevention");
    let mut body = json!({"scope": "district:quetta", "year": 2022, "edition": 2021, "scores": scores, "justifications": why});
    let r = send(
        &w.app,
        api(
            "POST",
            "/api/v1/assessments/subnational",
            &analyst,
            Some(body.clone()),
        ),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    let got: Vec<(String, String)> = v["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "score-cocaine_trade".to_string(),
                "score-out-of-range".to_string()
            ),
            (
                "justification-prevention".to_string(),
                "required".to_string()
            )
        ]
    );
    body["scores"]["cocaine_trade"] = json!("2,5");
    body["justifications"]["prevention"] = json!("No prevention programme.");
    let r = send(
        &w.app,
        api(
            "POST",
            "/api/v1/assessments/subnational",
            &analyst,
            Some(body.clone()),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["scope"], "district:quetta");
    assert_eq!(v["composites"]["resilience"], 5.5);
    assert_eq!(v["version"], 1);
    let id = v["id"].as_str().unwrap().to_string();
    // An edit at version 1, then the same again: 409.
    body["version"] = json!(1);
    let uri = format!("/api/v1/assessments/subnational/{id}");
    assert_eq!(
        send(&w.app, api("POST", &uri, &analyst, Some(body.clone())))
            .await
            .status,
        200
    );
    assert_eq!(
        send(&w.app, api("POST", &uri, &analyst, Some(body.clone())))
            .await
            .status,
        409
    );
    let r = send(
        &w.app,
        api(
            "GET",
            "/api/v1/assessments/subnational?scope=district:quetta",
            &analyst,
            None,
        ),
    )
    .await;
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v[0]["version"], 2);
    let r = send(
        &w.app,
        api(
            "GET",
            &format!("/api/v1/assessments/compare?id={id}"),
            &analyst,
            None,
        ),
    )
    .await;
    assert_eq!(r.status, 200);
    // The OpenAPI document describes the endpoints.
    let r = send(
        &w.app,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    for p in [
        "/api/v1/assessments/countries/{id}",
        "/api/v1/assessments/subnational",
        "/api/v1/assessments/compare",
        "AssessmentRequest",
    ] {
        assert!(r.body.contains(p), "{p} not in the OpenAPI document");
    }
}
