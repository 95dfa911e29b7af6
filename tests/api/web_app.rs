//! The built web app served at `/` by the same server as the API: client-side routes fall
//! back to `index.html` for browsers, hashed assets are cached for a year and the rest is
//! revalidated, API clients still get coded 404s, and without a build `/` says how to make one.

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY,
};
use serde_json::{Value, json};

use crate::helpers::*;

const PAGE: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// A build as Vite writes it.
fn build_into(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Marquee</title><div id=\"app\" data-build=\"b1\"></div>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/index-Bx7f3k2A.js"), "console.log('app')").unwrap();
    std::fs::write(
        dir.join("sw.js"),
        "self.addEventListener('fetch', () => {})",
    )
    .unwrap();
}

async fn get(app: &TestApp, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.address));
    if let Some(a) = accept {
        req = req.header(ACCEPT, a);
    }
    req.send().await.unwrap()
}

fn cache(resp: &reqwest::Response) -> String {
    resp.headers()
        .get(CACHE_CONTROL)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn coded_404(resp: reqwest::Response) {
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
}

#[tokio::test]
async fn the_built_app_is_served_at_the_root_with_client_routes_and_cache_lifetimes() {
    let web = tempfile::tempdir().unwrap();
    let dist = web.path().join("dist");
    build_into(&dist);
    // Beside the build, never served.
    std::fs::write(web.path().join("secret.txt"), "not for the web").unwrap();
    let dir = dist.clone();
    let app = spawn_app_with(move |s| s.web_dir = dir).await;

    let root = get(&app, "/", None).await;
    assert_eq!(root.status(), StatusCode::OK);
    assert_eq!(cache(&root), "no-cache");
    assert!(root.text().await.unwrap().contains("data-build=\"b1\""));

    // A browser opening a client-side route gets the app, which routes itself.
    let route = get(&app, "/movies/0193a0f2-demo", Some(PAGE)).await;
    assert_eq!(route.status(), StatusCode::OK);
    assert_eq!(cache(&route), "no-cache");
    assert!(route.text().await.unwrap().contains("data-build=\"b1\""));

    let asset = get(&app, "/assets/index-Bx7f3k2A.js", None).await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(cache(&asset), "public, max-age=31536000, immutable");
    assert!(
        asset.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(asset.text().await.unwrap(), "console.log('app')");

    // The service worker is revalidated like the page, so a new build takes over.
    let worker = get(&app, "/sw.js", None).await;
    assert_eq!(worker.status(), StatusCode::OK);
    assert_eq!(cache(&worker), "no-cache");

    // An old build's asset is missing, not replaced by the page; an API client's unknown
    // path is a coded 404; and nothing outside the build is reachable.
    coded_404(get(&app, "/assets/index-OLD.js", Some(PAGE)).await).await;
    coded_404(get(&app, "/nope", None).await).await;
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
    ] {
        let resp = get(&app, path, None).await;
        assert_ne!(resp.status(), StatusCode::OK, "{path}");
        assert!(
            !resp.text().await.unwrap().contains("not for the web"),
            "{path}"
        );
    }
    let post = app
        .client
        .post(format!("{}/movies/1", app.address))
        .header(ACCEPT, PAGE)
        .send()
        .await
        .unwrap();
    coded_404(post).await;

    // The API and GraphiQL are where they were, GraphiQL also at /graphiql.
    app.ok("{ movies { edges { cursor } } }", json!({}), None)
        .await;
    let graphiql = get(&app, "/graphiql", Some(PAGE)).await;
    assert_eq!(graphiql.status(), StatusCode::OK);
    assert!(
        graphiql
            .text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );
}

#[tokio::test]
async fn files_the_build_compressed_are_sent_compressed_to_clients_that_take_it() {
    let web = tempfile::tempdir().unwrap();
    let dist = web.path().join("dist");
    build_into(&dist);
    // What the web build writes beside each large file (the bytes stand for compressed ones).
    std::fs::write(dist.join("assets/index-Bx7f3k2A.js.br"), "BROTLI").unwrap();
    std::fs::write(dist.join("assets/index-Bx7f3k2A.js.gz"), "GZIP").unwrap();
    std::fs::write(dist.join("index.html.gz"), "GZIP PAGE").unwrap();
    let dir = dist.clone();
    let app = spawn_app_with(move |s| s.web_dir = dir).await;
    let fetch =
        |path: &'static str, encoding: Option<&'static str>, accept: Option<&'static str>| {
            let mut req = app.client.get(format!("{}{path}", app.address));
            if let Some(e) = encoding {
                req = req.header(ACCEPT_ENCODING, e);
            }
            if let Some(a) = accept {
                req = req.header(ACCEPT, a);
            }
            req.send()
        };
    let header = |resp: &reqwest::Response, name| {
        resp.headers()
            .get(name)
            .map(|v: &reqwest::header::HeaderValue| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };

    let br = fetch("/assets/index-Bx7f3k2A.js", Some("gzip, deflate, br"), None)
        .await
        .unwrap();
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(header(&br, CONTENT_ENCODING), "br");
    assert_eq!(header(&br, VARY), "accept-encoding");
    assert!(header(&br, CONTENT_TYPE).contains("javascript"));
    assert_eq!(
        header(&br, CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(br.text().await.unwrap(), "BROTLI");

    let gz = fetch("/assets/index-Bx7f3k2A.js", Some("gzip"), None)
        .await
        .unwrap();
    assert_eq!(header(&gz, CONTENT_ENCODING), "gzip");
    assert_eq!(gz.text().await.unwrap(), "GZIP");

    let plain = fetch("/assets/index-Bx7f3k2A.js", None, None)
        .await
        .unwrap();
    assert_eq!(header(&plain, CONTENT_ENCODING), "");
    assert_eq!(plain.text().await.unwrap(), "console.log('app')");

    // A client-side route gets the page compressed too, still revalidated.
    let page = fetch("/bookings", Some("gzip"), Some(PAGE)).await.unwrap();
    assert_eq!(header(&page, CONTENT_ENCODING), "gzip");
    assert_eq!(header(&page, CACHE_CONTROL), "no-cache");
    assert_eq!(page.text().await.unwrap(), "GZIP PAGE");
}

#[tokio::test]
async fn without_a_build_the_root_says_how_to_build_it_and_a_build_made_later_is_served() {
    let web = tempfile::tempdir().unwrap();
    let dist = web.path().join("dist");
    let dir = dist.clone();
    let app = spawn_app_with(move |s| s.web_dir = dir).await;

    let root = get(&app, "/", Some(PAGE)).await;
    assert_eq!(root.status(), StatusCode::OK);
    let text = root.text().await.unwrap();
    assert!(text.contains("npm --prefix web run build"), "{text}");
    assert!(text.contains("/graphiql"), "{text}");
    coded_404(get(&app, "/movies/1", Some(PAGE)).await).await;

    // Built while the server runs: served at once.
    build_into(&dist);
    let root = get(&app, "/", Some(PAGE)).await;
    assert!(root.text().await.unwrap().contains("data-build=\"b1\""));
}
