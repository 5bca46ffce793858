//! The HTTP face of Nigehban: server-rendered pages (English and Urdu, working without
//! JavaScript) and the JSON API under `/api/v1` with its OpenAPI document. Handlers translate HTTP
//! to calls on `nigehban_core::Nigehban` and back; they never decide who may do what — the core
//! does, for the actor the session extractor established.

mod api;
mod api_exchange;
mod api_intake;
mod api_linkage;
mod api_ocindex;
mod api_statistics;
mod api_victims;
mod assets;
mod ctx;
mod exchange_pages;
mod intake_pages;
mod linkage_pages;
mod ocindex_pages;
mod pages;
mod statistics_pages;
mod victim_pages;
mod views;

pub use ctx::AppState;

use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// Strict Content Security Policy: no inline script or style, nothing from elsewhere.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Refuse state-changing requests that a browser says come from another site. (The
/// Referrer-Policy is `same-origin`: with `no-referrer` browsers send `Origin: null` on our own
/// forms.) Browsers send
/// `Origin` with every form post and script request; comparing it with `Host` protects the forms
/// that come before a session exists (sign-in, second factor), and backs up the CSRF tokens of all
/// others. Requests without `Origin` (command-line clients, older browsers) rely on the tokens.
async fn same_origin_only(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let method = req.method().clone();
    if !(method == axum::http::Method::GET || method == axum::http::Method::HEAD) {
        let origin_host = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .map(|o| {
                o.split("://")
                    .nth(1)
                    .unwrap_or(o)
                    .trim_end_matches('/')
                    .to_string()
            });
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string);
        if let Some(origin) = origin_host {
            if origin == "null" || host.as_deref() != Some(origin.as_str()) {
                return (
                    axum::http::StatusCode::FORBIDDEN,
                    "cross-site request refused",
                )
                    .into_response();
            }
        }
    }
    next.run(req).await
}

/// All routes of the application.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/login/totp", get(pages::totp_form).post(pages::totp))
        .route("/logout", post(pages::logout))
        .route("/lang", get(pages::switch_lang))
        .route("/cases", get(pages::cases).post(pages::create_case))
        .route("/cases/new", get(pages::new_case))
        .route("/cases/{id}", get(pages::case))
        .route("/cases/{id}/transition", post(pages::move_case))
        .route("/cases/{id}/persons/new", get(pages::new_person))
        .route("/cases/{id}/persons", post(pages::add_person))
        .route("/cases/{id}/shares", post(pages::share_case))
        .route(
            "/cases/{id}/shares/{share}/revoke",
            post(pages::revoke_share),
        )
        .route("/cases/{id}/assign", post(pages::assign_case))
        .route("/cases/{id}/seal", post(pages::seal_case))
        .route("/persons/{id}", get(pages::person))
        .route("/persons/{id}/reveal", post(pages::reveal_identity))
        .route("/persons/{id}/seal", post(pages::seal_person))
        .route("/search", get(pages::search))
        .route(
            "/account/password",
            get(pages::account).post(pages::change_password),
        )
        .route(
            "/admin/users",
            get(pages::admin_users).post(pages::admin_add_user),
        )
        .route("/admin/units", post(pages::admin_add_unit))
        .route(
            "/admin/users/{username}/active",
            post(pages::admin_set_active),
        )
        .route(
            "/admin/users/{username}/reset-password",
            post(pages::admin_reset_password),
        )
        .route(
            "/admin/users/{username}/reset-totp",
            post(pages::admin_reset_totp),
        )
        .route("/audit", get(pages::audit))
        .route("/audit/alerts/{id}/ack", post(pages::acknowledge_alert))
        .route("/intake", get(intake_pages::intake))
        .route("/intake/batches", post(intake_pages::create_batch))
        .route("/intake/batches/{id}", get(intake_pages::batch))
        .route(
            "/intake/batches/{id}/persons",
            post(intake_pages::quick_add),
        )
        .route(
            "/intake/batches/{id}/report.csv",
            get(intake_pages::batch_report_csv),
        )
        .route(
            "/intake/batches/{id}/report.xlsx",
            get(intake_pages::batch_report_xlsx),
        )
        .route("/intake/entries/{id}", get(intake_pages::entry))
        .route("/intake/entries/{id}/draft", post(intake_pages::save_draft))
        .route(
            "/intake/entries/{id}/interview",
            post(intake_pages::complete_interview),
        )
        .route(
            "/intake/entries/{id}/outcome",
            post(intake_pages::record_outcome),
        )
        .route(
            "/watchlist",
            get(intake_pages::watchlist).post(intake_pages::add_watchlist),
        )
        .route(
            "/watchlist/{id}/remove",
            post(intake_pages::remove_watchlist),
        )
        .route("/duplicates", get(linkage_pages::duplicates))
        .route(
            "/duplicates/{id}/confirm",
            post(linkage_pages::confirm_duplicate),
        )
        .route(
            "/duplicates/{id}/reject",
            post(linkage_pages::reject_duplicate),
        )
        .route("/duplicates/{id}/undo", post(linkage_pages::undo_merge))
        .route("/agents", get(linkage_pages::agents))
        .route(
            "/agents/alerts/{id}/ack",
            post(linkage_pages::ack_agent_link),
        )
        .route("/network", get(linkage_pages::network))
        .route("/network/export", get(linkage_pages::network_export))
        .route("/statistics", get(statistics_pages::dashboard))
        .route(
            "/statistics/download/{chart}",
            get(statistics_pages::dashboard_download),
        )
        .route("/statistics/explore", get(statistics_pages::explore))
        .route("/statistics/refresh", post(statistics_pages::refresh))
        .route("/reports", get(statistics_pages::reports))
        .route("/reports/{code}", get(statistics_pages::report))
        .route(
            "/services",
            get(victim_pages::services).post(victim_pages::add_service),
        )
        .route(
            "/services/{id}",
            get(victim_pages::service).post(victim_pages::save_service),
        )
        .route("/victims", get(victim_pages::victims))
        .route("/victims/{id}", get(victim_pages::victim_file))
        .route("/victims/{id}/needs", post(victim_pages::save_needs))
        .route("/victims/{id}/consents", post(victim_pages::grant_consent))
        .route(
            "/victims/{id}/consents/{consent}/withdraw",
            post(victim_pages::withdraw_consent),
        )
        .route("/victims/{id}/referrals", post(victim_pages::refer))
        .route("/victims/{id}/plan", post(victim_pages::add_plan))
        .route("/victims/{id}/plan/{item}", post(victim_pages::set_plan))
        .route(
            "/victims/{id}/cooperation",
            post(victim_pages::save_cooperation),
        )
        .route("/victims/{id}/phase", post(victim_pages::set_phase))
        .route("/victims/{id}/close", post(victim_pages::close_file))
        .route("/persons/{id}/victim", post(victim_pages::identify_person))
        .route(
            "/intake/entries/{id}/victim",
            post(victim_pages::identify_at_intake),
        )
        .route("/referrals", get(victim_pages::referrals))
        .route("/referrals/{id}", get(victim_pages::referral))
        .route(
            "/referrals/{id}/respond",
            post(victim_pages::respond_referral),
        )
        .route(
            "/referrals/{id}/service",
            post(victim_pages::record_service),
        )
        .route("/referrals/{id}/close", post(victim_pages::close_referral))
        .route(
            "/referrals/{id}/cancel",
            post(victim_pages::cancel_referral),
        )
        .route("/measures", get(victim_pages::measures))
        .route("/measures/export", get(victim_pages::measures_download))
        .route("/exchange", get(exchange_pages::exchange))
        .route("/exchange/htcds/export", get(exchange_pages::htcds_export))
        .route("/exchange/ctdc", post(exchange_pages::ctdc))
        .route("/exchange/ctdc/export", get(exchange_pages::ctdc_export))
        .route(
            "/assessments",
            get(ocindex_pages::index).post(ocindex_pages::create),
        )
        .route("/assessments/new", get(ocindex_pages::new_form))
        .route("/assessments/compare", get(ocindex_pages::compare))
        .route("/assessments/countries/{id}", get(ocindex_pages::country))
        .route(
            "/assessments/{id}",
            get(ocindex_pages::assessment).post(ocindex_pages::update),
        )
        .route("/assessments/{id}/edit", get(ocindex_pages::edit_form));
    // Manifests are the one large upload: their route alone accepts up to MAX_UPLOAD bytes.
    let uploads = Router::new()
        .route(
            "/intake/batches/{id}/manifest",
            post(intake_pages::upload_manifest),
        )
        .route("/exchange/htcds/import", post(exchange_pages::htcds_import))
        .layer(axum::extract::DefaultBodyLimit::max(
            intake_pages::MAX_UPLOAD,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            intake_pages::MAX_UPLOAD,
        ));
    let small = Router::new()
        .merge(pages)
        .nest("/api/v1", api::router())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        ));
    Router::new()
        .merge(small)
        .merge(uploads)
        .route("/assets/{*path}", get(assets::serve))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(same_origin_only))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}

/// Serve until the shutdown signal resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
