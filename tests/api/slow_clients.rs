//! Slow clients cannot hold connections: headers and bodies have deadlines, and idle
//! connections are closed.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;

async fn open(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Everything the server sends until it closes the connection, and how long that took;
/// `None` if it is still open after `within`.
async fn until_closed(stream: &mut TcpStream, within: Duration) -> Option<(String, Duration)> {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((started + within).into(), stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => {
                return Some((
                    String::from_utf8_lossy(&got).into_owned(),
                    started.elapsed(),
                ));
            }
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

fn with_deadlines(headers_ms: u64, body_ms: u64) -> impl FnOnce(&mut marquee::config::Settings) {
    move |s| {
        s.http_header_timeout_ms = headers_ms;
        s.http_body_timeout_ms = body_ms;
    }
}

#[tokio::test]
async fn a_client_that_connects_and_says_nothing_is_disconnected_in_time() {
    let app = spawn_app_with(with_deadlines(500, 10_000)).await;
    let mut stream = open(&app).await;
    let (_, after) = until_closed(&mut stream, Duration::from_secs(5))
        .await
        .expect("the silent connection is still open");
    assert!(
        after >= Duration::from_millis(400),
        "closed after {after:?}"
    );
}

#[tokio::test]
async fn a_client_that_stalls_in_its_headers_is_disconnected_in_time() {
    let app = spawn_app_with(with_deadlines(500, 10_000)).await;
    let mut stream = open(&app).await;
    stream
        .write_all(b"POST /graphql HTTP/1.1\r\nHost: marquee\r\nContent-Type: appl")
        .await
        .unwrap();
    // Trickling more of the headers does not buy time.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        if stream.write_all(b"i").await.is_err() {
            break;
        }
    }
    let closed = until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(closed.is_some(), "the stalled connection is still open");
}

#[tokio::test]
async fn a_client_that_stalls_in_its_body_is_answered_408_and_disconnected() {
    let app = spawn_app_with(with_deadlines(10_000, 500)).await;
    let mut stream = open(&app).await;
    stream
        .write_all(
            b"POST /graphql HTTP/1.1\r\nHost: marquee\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\": ",
        )
        .await
        .unwrap();
    let started = Instant::now();
    // A byte now and then does not buy time either.
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let _ = stream.write_all(b" ").await;
    }
    let (answer, _) = until_closed(&mut stream, Duration::from_secs(5))
        .await
        .expect("the stalled connection is still open");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_its_answer_and_a_prompt_client_is_served() {
    let app = spawn_app_with(with_deadlines(500, 500)).await;
    let mut stream = open(&app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: marquee\r\n\r\n")
        .await
        .unwrap();
    let (answer, after) = until_closed(&mut stream, Duration::from_secs(5))
        .await
        .expect("the idle connection is still open");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        after >= Duration::from_millis(400),
        "closed after {after:?}"
    );
    // Requests that arrive in time are answered as ever.
    app.ok(
        "{ movies { edges { cursor } } }",
        serde_json::json!({}),
        None,
    )
    .await;
}

#[tokio::test]
async fn on_shutdown_the_server_closes_idle_connections_stops_accepting_and_returns() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(dir.path()).await;
    settings.http_header_timeout_ms = 60_000;
    let app = marquee::Application::build(settings).await.unwrap();
    let addr = app.addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    // A client that was answered and keeps its connection open, idle; the header deadline
    // is far off, so only the shutdown can close it in time.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: marquee\r\n\r\n")
        .await
        .unwrap();
    let mut answer = [0u8; 12];
    idle.read_exact(&mut answer).await.unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("the server did not return")
        .unwrap()
        .unwrap();
    // The server hung up on the idle connection (its end of the stream)...
    until_closed(&mut idle, Duration::from_secs(2))
        .await
        .expect("the idle connection is still open after shutdown");
    // ...and accepts no new ones.
    assert!(TcpStream::connect(addr).await.is_err());
}
