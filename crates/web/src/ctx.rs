//! Request context: the application state, the language, and the signed-in actor. The extractors
//! here are the only place a session cookie or bearer token becomes an `Actor`.

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use nigehban_core::{Actor, CoreError, Nigehban};
use nigehban_i18n::{Catalog, Lang};
use std::net::SocketAddr;
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "nigehban_session";
pub const LANG_COOKIE: &str = "nigehban_lang";

#[derive(Clone)]
pub struct AppState {
    pub app: Nigehban,
    pub i18n: Arc<Catalog>,
    /// Mark cookies `Secure` (when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(app: Nigehban, i18n: Arc<Catalog>, secure_cookies: bool) -> Self {
        AppState {
            app,
            i18n,
            secure_cookies,
        }
    }
}

/// A translator bound to one language.
#[derive(Clone)]
pub struct Tr {
    pub cat: Arc<Catalog>,
    pub lang: Lang,
}

impl Tr {
    pub fn t(&self, key: &str) -> String {
        self.cat.text(self.lang, key)
    }
    pub fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        self.cat.text_args(self.lang, key, args)
    }
    /// The label of a code, e.g. `("stage", "fir")` gives "FIR registered".
    pub fn code(&self, prefix: &str, code: &str) -> String {
        self.t(&format!("{prefix}-{code}"))
    }
    /// A message around one value, split so the page can wrap the value itself (e.g. in `<bdi>`):
    /// returns the text before and after where `arg` goes, in the message's own word order.
    pub fn around(&self, key: &str, arg: &str) -> (String, String) {
        const MARK: &str = "\u{1}";
        let full = self.ta(key, &[(arg, MARK.to_string())]);
        match full.split_once(MARK) {
            Some((a, b)) => (a.to_string(), b.to_string()),
            None => (full, String::new()),
        }
    }
    pub fn urdu(&self) -> bool {
        self.lang == Lang::Ur
    }
}

/// The language of a request: `?lang=`, then the language cookie, then Accept-Language.
pub fn request_lang(parts: &Parts) -> Lang {
    if let Some(q) = parts.uri.query() {
        for pair in q.split('&') {
            if let Some(v) = pair.strip_prefix("lang=") {
                if let Some(l) = Lang::parse(v) {
                    return l;
                }
            }
        }
    }
    let jar = CookieJar::from_headers(&parts.headers);
    if let Some(l) = jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
        return l;
    }
    parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

pub fn origin(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Anyone, signed in or not: for the sign-in page and errors.
pub struct Anon {
    pub state: AppState,
    pub tr: Tr,
    pub origin: String,
    pub path: String,
}

impl<S> FromRequestParts<S> for Anon
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let tr = Tr {
            cat: state.i18n.clone(),
            lang: request_lang(parts),
        };
        Ok(Anon {
            origin: origin(parts),
            path: path_of(parts),
            state,
            tr,
        })
    }
}

fn path_of(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into())
}

/// A signed-in user on a page. Without a valid session the request is sent to the sign-in page.
pub struct Ctx {
    pub state: AppState,
    pub tr: Tr,
    pub actor: Actor,
    pub csrf: String,
    pub path: String,
}

impl<S> FromRequestParts<S> for Ctx
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let anon = Anon::from_request_parts(parts, state)
            .await
            .map_err(|e| match e {})?;
        let jar = CookieJar::from_headers(&parts.headers);
        let to_login = || {
            let next = if parts.method == axum::http::Method::GET {
                anon.path.clone()
            } else {
                "/".into()
            };
            Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response()
        };
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
            return Err(to_login());
        };
        match anon.state.app.authenticate(&token, &anon.origin).await {
            Ok((actor, csrf)) => Ok(Ctx {
                state: anon.state,
                tr: anon.tr,
                actor,
                csrf,
                path: anon.path,
            }),
            Err(CoreError::Unauthenticated) => Err(to_login()),
            Err(CoreError::SecondFactorRequired) => Err(Redirect::to(&format!(
                "/login/totp?next={}",
                urlencode(&anon.path)
            ))
            .into_response()),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                Err((StatusCode::INTERNAL_SERVER_ERROR, anon.tr.t("error-server")).into_response())
            }
        }
    }
}

impl Ctx {
    /// Check the CSRF token of a submitted form, in constant time.
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        let a = self.csrf.as_bytes();
        let b = submitted.as_bytes();
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Only local paths may be redirect targets (no `//host` or `https://`), so links cannot send
/// an officer to another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.contains("://") =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}
