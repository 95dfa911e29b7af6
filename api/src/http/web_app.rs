//! The built web app at `/`: content-hashed files under `/assets/` are cached for a year,
//! everything else (`index.html`, the service worker, the manifest) is revalidated on every
//! load so a new build is seen at once, and client-side routes fall back to `index.html`
//! for browsers. Files the build also wrote compressed (`.br`, `.gz`) are sent that way to
//! clients that take it, with no compression work per request. Without a build, `/` says how to make one; API clients asking for an
//! unknown path still get the coded 404.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

use super::AppState;
use super::errors::not_found;

/// Content-hashed build output: never changes under its name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else is checked with the server before each use.
const REVALIDATE: &str = "no-cache";

/// Where the built app is.
#[derive(Debug, Clone)]
pub struct WebApp {
    dir: PathBuf,
}

impl WebApp {
    /// The app built into `dir` (it may be built after the server starts).
    pub fn new(dir: &Path) -> Self {
        if !dir.join("index.html").is_file() {
            tracing::info!(dir = %dir.display(), "the web app is not built; / says how to build it");
        }
        Self {
            dir: dir.to_path_buf(),
        }
    }

    fn built(&self) -> bool {
        self.dir.join("index.html").is_file()
    }
}

/// Every path no API route took.
pub async fn serve(State(state): State<AppState>, req: Request) -> Response {
    let method = req.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return not_found().await;
    }
    let web = &state.web;
    let path = req.uri().path().to_owned();
    let page = path == "/" || wants_html(req.headers());
    let encodings = req.headers().get(header::ACCEPT_ENCODING).cloned();
    if !web.built() {
        return if path == "/" {
            not_built(&web.dir)
        } else {
            not_found().await
        };
    }
    let found = match ServeDir::new(&web.dir)
        .precompressed_br()
        .precompressed_gzip()
        .try_call(req)
        .await
    {
        Ok(resp) => Some(resp.map(Body::new)).filter(|r| r.status() != StatusCode::NOT_FOUND),
        // A path through a folder that is not there.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            tracing::warn!(error = %e, path, "reading the web app failed");
            return not_found().await;
        }
    };
    if let Some(found) = found {
        let cache = if path.starts_with("/assets/") {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        return with_cache(found, cache);
    }
    // A missing asset is a 404 (a stale page asking for an old build's file must not get
    // HTML in its place); any other path a browser navigates to is a client-side route.
    if path.starts_with("/assets/") || !page {
        return not_found().await;
    }
    let mut index = Request::builder()
        .method(method)
        .uri("/index.html")
        .body(Body::empty())
        .unwrap_or_default();
    if let Some(encodings) = encodings {
        index
            .headers_mut()
            .insert(header::ACCEPT_ENCODING, encodings);
    }
    match ServeFile::new(web.dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip()
        .try_call(index)
        .await
    {
        Ok(resp) => with_cache(resp.map(Body::new), REVALIDATE),
        Err(_) => not_found().await,
    }
}

fn with_cache(mut resp: Response, cache: &'static str) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    resp
}

/// A browser navigating (not a script or an API client asking for data).
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn not_built(dir: &Path) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Marquee</title></head><body><main>\
         <h1>Marquee</h1>\
         <p>The web app is not built on this server (nothing in <code>{}</code>).</p>\
         <p>Build it with Node.js 20 or later, from the repository's root:</p>\
         <pre>npm --prefix web ci\nnpm --prefix web run build</pre>\
         <p>then reload this page. The API is at <a href=\"/graphql\">/graphql</a>, \
         GraphiQL at <a href=\"/graphiql\">/graphiql</a>.</p>\
         </main></body></html>",
        html_escape(&dir.display().to_string())
    );
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, REVALIDATE)],
        Html(page),
    )
        .into_response()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
