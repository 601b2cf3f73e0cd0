//! The server's two secrets, each created on first run in the server's folder and reused:
//! the SSH host key (ed25519, OpenSSH format) that trainees' clients remember, and the key that
//! signs every record the server writes. Both files are readable by their owner only.

use crate::messages::{K, Msg};
use russh::keys::ssh_key::{self, HashAlg, LineEnding, PrivateKey};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// File name of the host key in the server's folder.
pub const HOST_KEY_FILE: &str = "host_ed25519";
/// File name of the record-signing key in the server's folder.
pub const RECORD_KEY_FILE: &str = "record.key";

/// What went wrong with a key file; [`KeyError::message`] says it for the instructor.
#[derive(Debug)]
pub enum KeyError {
    /// The file could not be read, created or written.
    Io {
        /// What was being done: a catalogue entry with the file and the reason as `{0}`, `{1}`.
        what: K,
        /// The file.
        path: PathBuf,
        /// The system's reason.
        err: std::io::Error,
    },
    /// The record-signing key file is empty.
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file is not a usable key.
    Bad {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: Msg,
    },
}

impl KeyError {
    /// What failed and where, and how to get out of it, in words (the operating system's
    /// reason as it gives it).
    #[must_use]
    pub fn message(&self) -> Msg {
        match self {
            KeyError::Io { what, path, err } => Msg::new(
                *what,
                vec![path.display().to_string().into(), err.to_string().into()],
            ),
            KeyError::Empty { path } => crate::msg!(KeyEmpty, path.display().to_string()),
            KeyError::Bad { path, reason } => {
                crate::msg!(KeyBad, path.display().to_string(), reason)
            }
        }
    }
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en())
    }
}

impl std::error::Error for KeyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KeyError::Io { err, .. } => Some(err),
            _ => None,
        }
    }
}

fn io_err(what: K, path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |err| KeyError::Io {
        what,
        path: path.to_path_buf(),
        err,
    }
}

/// Write a new file readable by its owner only; never replaces an existing file.
fn create_private(path: &Path, body: &[u8]) -> Result<(), KeyError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_err(K::KeyCreateFolder, path))?;
    }
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io_err(K::KeyCreate, path))?;
    f.write_all(body)
        .and_then(|()| f.sync_all())
        .map_err(io_err(K::KeyWrite, path))?;
    Ok(())
}

/// Make an existing key file owner-only if it is not (a copy may have loosened it). Returns
/// whether it had to be changed.
fn tighten(path: &Path) -> Result<bool, KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let meta = fs::metadata(path).map_err(io_err(K::KeyRead, path))?;
        if meta.permissions().mode() & 0o077 != 0 {
            fs::set_permissions(path, fs::Permissions::from_mode(0o600))
                .map_err(io_err(K::KeyRestrict, path))?;
            return Ok(true);
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(false)
}

/// A key file and whether this run created it or tightened its permissions.
#[derive(Debug)]
pub struct Loaded<T> {
    /// The key.
    pub key: T,
    /// Created on this run.
    pub created: bool,
    /// Its permissions were too open and were restricted to the owner.
    pub tightened: bool,
}

/// Load the host key from `dir`, creating it on first run.
///
/// # Errors
/// The file cannot be created, read, or is not an ed25519 key.
pub fn host_key(dir: &Path) -> Result<Loaded<PrivateKey>, KeyError> {
    let path = dir.join(HOST_KEY_FILE);
    if !path.exists() {
        let key =
            PrivateKey::random(&mut rand::rng(), ssh_key::Algorithm::Ed25519).map_err(|e| {
                KeyError::Bad {
                    path: path.clone(),
                    reason: Msg::raw(e.to_string()),
                }
            })?;
        let text = key.to_openssh(LineEnding::LF).map_err(|e| KeyError::Bad {
            path: path.clone(),
            reason: Msg::raw(e.to_string()),
        })?;
        match create_private(&path, text.as_bytes()) {
            Ok(()) => {
                return Ok(Loaded {
                    key,
                    created: true,
                    tightened: false,
                });
            }
            // Another server started at the same moment wrote it first: use that one.
            Err(KeyError::Io { err, .. }) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    let tightened = tighten(&path)?;
    let text = fs::read(&path).map_err(io_err(K::KeyRead, &path))?;
    let key = PrivateKey::from_openssh(&text).map_err(|e| KeyError::Bad {
        path: path.clone(),
        reason: Msg::raw(e.to_string()),
    })?;
    if key.algorithm() != ssh_key::Algorithm::Ed25519 {
        return Err(KeyError::Bad {
            path,
            reason: crate::msg!(KeyIsAlgorithm, key.algorithm().to_string()),
        });
    }
    Ok(Loaded {
        key,
        created: false,
        tightened,
    })
}

/// The host key's fingerprint as OpenSSH prints it (`SHA256:...`), for trainees to compare.
#[must_use]
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

/// Load the record-signing key from `dir`, creating it on first run: 32 random bytes written as
/// 64 hexadecimal characters. The key is the file's bytes, as `TIPQUIZ_KEY_FILE` reads them, so
/// that `report` run with that variable set to this file checks every signature.
///
/// # Errors
/// The file cannot be created or read, or is empty.
pub fn record_key(dir: &Path) -> Result<Loaded<Vec<u8>>, KeyError> {
    let path = dir.join(RECORD_KEY_FILE);
    let mut created = false;
    if !path.exists() {
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes);
        match create_private(&path, hex::encode(bytes).as_bytes()) {
            Ok(()) => created = true,
            Err(KeyError::Io { err, .. }) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    let tightened = tighten(&path)?;
    let key = fs::read(&path).map_err(io_err(K::KeyRead, &path))?;
    if key.is_empty() {
        return Err(KeyError::Empty { path });
    }
    Ok(Loaded {
        key,
        created,
        tightened,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_key_is_created_private_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = host_key(dir.path()).unwrap();
        assert!(first.created);
        let again = host_key(dir.path()).unwrap();
        assert!(!again.created);
        assert_eq!(fingerprint(&first.key), fingerprint(&again.key));
        assert!(fingerprint(&first.key).starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = fs::metadata(dir.path().join(HOST_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_loosened_key_file_is_restricted_again() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let _ = record_key(dir.path()).unwrap();
        let path = dir.path().join(RECORD_KEY_FILE);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let k = record_key(dir.path()).unwrap();
        assert!(k.tightened && !k.created);
        assert_eq!(k.key.len(), 64);
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn a_damaged_host_key_is_refused_with_the_way_out() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(HOST_KEY_FILE), "not a key").unwrap();
        let err = host_key(dir.path()).unwrap_err();
        let en = err.to_string();
        assert!(en.contains("move it away"), "{en}");
        // In Arabic: the file, and the same way out, from the catalogue.
        let ar = err.message().render(crate::text::Lang::Ar);
        let path = dir.path().join(HOST_KEY_FILE).display().to_string();
        assert!(
            ar.starts_with(&path) && ar.contains("انقله إلى مكان آخر"),
            "{ar}"
        );
        assert!(!ar.contains("move it away"), "{ar}");
    }
}
