//! The fake gateway's ledger file, written by one thread that commits the lines that arrive
//! together with one `fsync`, as a provider's database commits concurrent payments in a
//! group. No answer leaves before its line is on disk, and concurrent charges do not queue
//! behind one another's disk writes, nor hold up the threads that serve requests.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc;

enum Reply {
    Async(tokio::sync::oneshot::Sender<Result<(), String>>),
    Blocking(mpsc::Sender<Result<(), String>>),
}

/// Appends lines to the ledger file; its thread ends when the writer is dropped.
#[derive(Debug)]
pub(super) struct LedgerWriter {
    lines: mpsc::Sender<(String, Reply)>,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reply")
    }
}

impl LedgerWriter {
    pub(super) fn open(path: &Path) -> std::io::Result<Self> {
        let mut file = OpenOptions::new().create(true).append(true).open(path)?;
        let (lines, queue) = mpsc::channel::<(String, Reply)>();
        std::thread::Builder::new()
            .name("fake-ledger".into())
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    let batch: Vec<(String, Reply)> =
                        std::iter::once(first).chain(queue.try_iter()).collect();
                    let mut text = String::new();
                    for (line, _) in &batch {
                        text.push_str(line);
                        text.push('\n');
                    }
                    let done = file
                        .write_all(text.as_bytes())
                        .and_then(|()| file.sync_data())
                        .map_err(|e| e.to_string());
                    for (_, reply) in batch {
                        // A caller that gave up waiting no longer needs the answer.
                        let _ = match reply {
                            Reply::Async(tx) => tx.send(done.clone()).map_err(drop),
                            Reply::Blocking(tx) => tx.send(done.clone()).map_err(drop),
                        };
                    }
                }
            })?;
        Ok(Self { lines })
    }

    /// Appends `line`; resolves once it is on disk.
    pub(super) async fn append(&self, line: String) -> Result<(), String> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.lines
            .send((line, Reply::Async(tx)))
            .map_err(|_| "the ledger writer stopped".to_owned())?;
        rx.await
            .map_err(|_| "the ledger writer stopped".to_owned())?
    }

    /// [`Self::append`] for callers that hold a lock and cannot await.
    pub(super) fn append_blocking(&self, line: String) -> Result<(), String> {
        let (tx, rx) = mpsc::channel();
        self.lines
            .send((line, Reply::Blocking(tx)))
            .map_err(|_| "the ledger writer stopped".to_owned())?;
        rx.recv()
            .map_err(|_| "the ledger writer stopped".to_owned())?
    }
}
