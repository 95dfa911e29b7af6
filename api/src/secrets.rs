//! The token-signing key of a single-node install: generated once, kept in the data dir.

use std::fs;
use std::io::Write;
use std::path::Path;

use secrecy::SecretString;

const FILE: &str = "jwt-secret";

/// Reads `<data_dir>/jwt-secret`, creating it with 256 random bits on first start.
pub fn load_or_create_jwt_secret(data_dir: &Path) -> anyhow::Result<SecretString> {
    let path = data_dir.join(FILE);
    if let Ok(existing) = fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= 32 {
            return Ok(SecretString::from(existing));
        }
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no randomness for the token key: {e}"))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path)?;
    file.write_all(hex.as_bytes())?;
    tracing::info!(path = %path.display(), "generated a token-signing key; set MARQUEE_JWT_SECRET to share one between instances");
    Ok(SecretString::from(hex))
}
