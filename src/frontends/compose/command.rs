//! The words of `command:`/`entrypoint:` (a list as is, a string split the way Compose splits it),
//! and the shell script of `sh -c "…"` in either form, with its offset map into the file and
//! Compose's `$$` escape undone, for the shell front-end to read.
//!
//! Splits and maps text only: it neither parses shell nor decides anything about it.

use crate::frontends::compose::nodes::spanned_scalar;
use crate::model::store::Spanned;
use crate::source::OffsetMap;
use crate::syntax::yaml::Node;

/// The words of `command:`/`entrypoint:`: a list as is, a string split the way Compose splits it
/// (shell-like quoting, no expansion).
pub(super) fn argv_of(node: &Node) -> Vec<Spanned> {
    if let Some(items) = node.as_sequence() {
        return items.iter().filter_map(spanned_scalar).collect();
    }
    let Some(s) = node.as_scalar() else {
        return Vec::new();
    };
    split_words(&s.value)
        .into_iter()
        .map(|(word, start, end)| Spanned {
            value: word,
            span: s.host_span(start, end),
        })
        .collect()
}

/// Split a command line into words with shell-like quoting: `(word, start, end)` in `text`.
fn split_words(text: &str) -> Vec<(String, usize, usize)> {
    split_words_mapped(text)
        .into_iter()
        .map(|(word, _, start, end)| (word, start, end))
        .collect()
}

/// Like [`split_words`], with each word's map from its decoded offsets into `text`.
fn split_words_mapped(text: &str) -> Vec<(String, OffsetMap, usize, usize)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut map = OffsetMap::default();
    let mut start = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    out.push((std::mem::take(&mut word), std::mem::take(&mut map), s, i));
                }
            }
            (None, '\'' | '"') => {
                start.get_or_insert(i);
                quote = Some(c);
            }
            (Some(q), c) if c == q => quote = None,
            (None | Some('"'), '\\') => {
                start.get_or_insert(i);
                if let Some((j, next)) = chars.next() {
                    map.push(word.len(), j, next.len_utf8());
                    word.push(next);
                }
            }
            _ => {
                start.get_or_insert(i);
                map.push(word.len(), i, c.len_utf8());
                word.push(c);
            }
        }
    }
    if let Some(s) = start {
        out.push((word, map, s, text.len()));
    }
    out
}

/// The shell script of `sh -c "…"` (list or string form), with its map to host offsets; `$$` is
/// Compose's escape for `$` and is undone.
pub(super) fn shell_script(node: &Node) -> Option<(String, OffsetMap)> {
    const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];
    let is_shell = |w: &str| SHELLS.contains(&w.rsplit('/').next().unwrap_or(w));
    if let Some(items) = node.as_sequence() {
        let words: Vec<&str> = items.iter().map(|i| i.as_str().unwrap_or("")).collect();
        let shell_at = words.iter().position(|w| is_shell(w))?;
        let c_at = words[shell_at + 1..]
            .iter()
            .position(|w| w.starts_with('-') && w.contains('c'))?
            + shell_at
            + 1;
        let script = items.get(c_at + 1)?.as_scalar()?;
        return Some(unescape_dollars(&script.value, &script.map));
    }
    let s = node.as_scalar()?;
    let words = split_words_mapped(&s.value);
    let shell_at = words.iter().position(|(w, ..)| is_shell(w))?;
    let c_at = words[shell_at + 1..]
        .iter()
        .position(|(w, ..)| w.starts_with('-') && w.contains('c'))?
        + shell_at
        + 1;
    let (script, map, _, _) = words.get(c_at + 1)?;
    let map = s.map.then(map);
    Some(unescape_dollars(script, &map))
}

fn unescape_dollars(text: &str, map: &OffsetMap) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut runs = OffsetMap::default();
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i <= bytes.len() {
        let at_escape = i < bytes.len() && bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'$');
        if at_escape || i == bytes.len() {
            // Keep the first `$` of `$$`, drop the second.
            let end = if at_escape { i + 1 } else { i };
            if let Some(run) = text.get(run_start..end) {
                runs.push(out.len(), run_start, run.len());
                out.push_str(run);
            }
            run_start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    (out, map.then(&runs))
}
