//! Reading: each candidate file is opened once, checked (size, binary, encoding) and decoded, then
//! handed to its front-end. Every problem becomes a notice naming the file; nothing here aborts
//! the scan.

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::classify::{FileKind, NameClass, classify_head, looks_binary};
use crate::engine::options::Resolved;
use crate::frontends::{self, ExtractOptions};
use crate::levels::path_context;
use crate::model::FileFacts;
use crate::notice::{Notice, NoticeKind};
use crate::source::{self, Encoding, SourceFile};
use crate::walk::Candidate;

/// Read one candidate once, classify it (sniffing extensionless files), and extract its facts.
pub(crate) fn analyse_file(
    candidate: &Candidate,
    setup: &Resolved,
) -> (Option<FileFacts>, Vec<Notice>) {
    let rel = &candidate.rel;
    let mut notices = Vec::new();
    let stdin = setup
        .stdin
        .as_ref()
        .filter(|(name, _)| name == rel)
        .map(|(_, bytes)| bytes.as_slice());
    let (text, encoding) = match read_candidate(candidate, setup.max_file_size, stdin) {
        Ok(Some(t)) => t,
        Ok(None) => return (None, notices),
        Err(notice) => {
            notices.push(notice);
            return (None, notices);
        }
    };
    let kind = match candidate.class {
        NameClass::Kind(kind) => kind,
        // Sniffed (read only because its shebang names a shell or a program's interpreter) or
        // deferred (a program file a command runs).
        NameClass::Sniff => classify_head(text.as_bytes()).unwrap_or(FileKind::Shell),
        _ => FileKind::Program,
    };
    let in_config = setup.config_path(rel);
    let context = setup
        .overrides
        .context_for(&in_config)
        .unwrap_or_else(|| path_context(rel));
    let mut file = SourceFile::new(rel.clone(), text);
    file.encoding = encoding;
    let options = ExtractOptions {
        sql_dialect: setup.dialects.dialect_for(&in_config),
        password_variables: &setup.password_variables,
        stateful: setup.stateful.as_ref(),
    };
    match catch_unwind(AssertUnwindSafe(|| {
        frontends::extract(file, kind, context, &options)
    })) {
        Ok(facts) => (Some(facts), notices),
        Err(_) => {
            notices.push(Notice::file(
                rel,
                NoticeKind::InternalError,
                "internal error while analysing this file; it was skipped (please report it)",
            ));
            (None, notices)
        }
    }
}

/// `Ok(None)` means "not a file we analyse" (an extensionless file without a shell shebang).
/// `stdin`: the file's text as read from standard input, in place of the file.
pub(crate) fn read_candidate(
    candidate: &Candidate,
    max: u64,
    stdin: Option<&[u8]>,
) -> Result<Option<(String, Encoding)>, Notice> {
    let rel = &candidate.rel;
    let unreadable = |e: std::io::Error| {
        Notice::file(
            rel,
            NoticeKind::Unreadable,
            format!("skipped: cannot read ({})", io_reason(&e)),
        )
    };
    let (mut file, len): (Box<dyn Read>, u64) = match stdin {
        Some(bytes) => (Box::new(bytes), bytes.len() as u64),
        None => {
            let file = crate::walk::open_regular(&candidate.abs).map_err(unreadable)?;
            let meta = file.metadata().map_err(unreadable)?;
            if !meta.is_file() {
                // Swapped for a FIFO or a device since the walk saw it: never read it.
                return Err(Notice::file(
                    rel,
                    NoticeKind::SpecialFile,
                    "skipped: not a regular file (device, FIFO or socket)",
                ));
            }
            (Box::new(file), meta.len())
        }
    };
    // The size is known: one allocation of the right size, not a doubling series ending up to
    // twice the file (the text is kept for the whole scan when the file has findings).
    let mut bytes = Vec::with_capacity(usize::try_from(len.min(max)).unwrap_or(0));
    if candidate.class == NameClass::Sniff {
        // Only the first bytes decide; the rest is read only for scripts.
        let mut head = [0u8; 256];
        let n = read_up_to(&mut file, &mut head).map_err(unreadable)?;
        if classify_head(&decoded_head(&head[..n])).is_none() {
            return Ok(None);
        }
        bytes.extend_from_slice(&head[..n]);
    }
    if len > max {
        return Err(Notice::file(
            rel,
            NoticeKind::TooLarge,
            format!("skipped: {len} bytes is over the {max}-byte limit"),
        ));
    }
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    // Application code is read only for its ORM set-up: without the bytes that could write one,
    // it is not a file we analyse (no decoding, no parse).
    if candidate.class == NameClass::Kind(FileKind::AppCode)
        && !crate::knowledge::orm_settings::orm_settings().code_may_hold(&bytes)
    {
        return Ok(None);
    }
    // UTF-16 text is full of NUL bytes: its byte-order mark decides before the binary test. The
    // file is in memory whole, so a NUL anywhere (not only in the first 8 KiB, where git and
    // ripgrep stop looking) makes it binary: text tools would not treat it as text either.
    if !is_utf16(&bytes) && looks_binary(&bytes) {
        return Err(Notice::file(
            rel,
            NoticeKind::Binary,
            "skipped: binary file",
        ));
    }
    match source::decode(bytes) {
        Ok(decoded) => Ok(Some(decoded)),
        Err(source::DecodeError::NotUtf8 { line }) => {
            Err(
                Notice::file(rel, NoticeKind::NotUtf8, "skipped: not valid UTF-8")
                    .at_line(u32::try_from(line).unwrap_or(u32::MAX)),
            )
        }
        Err(source::DecodeError::BadUtf16) => Err(Notice::file(
            rel,
            NoticeKind::NotUtf8,
            "skipped: starts with a UTF-16 byte-order mark but is not valid UTF-16",
        )),
    }
}

/// A UTF-16 byte-order mark (and not a UTF-32 one, which starts with the same two bytes).
fn is_utf16(bytes: &[u8]) -> bool {
    matches!(bytes, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) && !bytes.starts_with(&[0xFF, 0xFE, 0, 0])
}

/// The first bytes of a file as UTF-8 for the shebang sniff: a UTF-8 byte-order mark dropped,
/// UTF-16 decoded as far as it goes (the head may end inside a character).
fn decoded_head(head: &[u8]) -> Vec<u8> {
    if is_utf16(head) {
        let le = head[0] == 0xFF;
        let units = head[2..].chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        return char::decode_utf16(units)
            .map_while(Result::ok)
            .collect::<String>()
            .into_bytes();
    }
    head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).to_vec()
}

fn read_up_to(file: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "not found".into(),
        _ => e.to_string(),
    }
}
