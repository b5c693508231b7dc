//! Source text and positions: `SourceFile`, byte `Span`s in host-file coordinates, and the
//! `LineIndex` that turns a byte offset into line/column only when a report is written.
//!
//! Spans are byte ranges; nothing here knows about parsers. Lines end at `\n`, `\r\n` or a bare
//! `\r` (never `str::lines`, which gets `\r` wrong). Columns are counted two ways: in UTF-16 code
//! units (SARIF, GitHub) and in characters (people).

use std::fmt;

/// A byte range `[start, end)` into a [`SourceFile`]'s text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// Shift a span found in a slice of the host text by the slice's start.
    pub fn offset(self, by: usize) -> Self {
        Span::new(self.start() + by, self.end() + by)
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn cover(self, other: Span) -> Self {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// How a file's bytes became its text. Spans, lines and columns are always in the decoded text
/// (a byte-order mark is not part of it, so it takes no column); reports that must see the bytes
/// the way another tool reads them (GitHub's line hash) ask for this.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark: text and bytes are the same.
    #[default]
    Utf8,
    /// UTF-8 whose leading byte-order mark was dropped.
    Utf8Bom,
    /// UTF-16 (little- or big-endian, told by its byte-order mark), decoded to UTF-8.
    Utf16,
}

/// Why a file's bytes could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Not valid UTF-8; the 1-based line of the first bad byte.
    NotUtf8 { line: usize },
    /// A UTF-16 byte-order mark, then an odd byte count or an unpaired surrogate.
    BadUtf16,
}

/// Decode a file's bytes: UTF-8 (a leading byte-order mark dropped), or UTF-16 when it starts with
/// a UTF-16 byte-order mark (Windows tools such as SSMS and PowerShell's `>` write it). A UTF-32
/// mark (`FF FE 00 00`) is not UTF-16; such text is full of NUL bytes and is treated as binary by
/// the caller before it gets here.
pub fn decode(bytes: Vec<u8>) -> Result<(String, Encoding), DecodeError> {
    const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
    let utf16 = |le: bool| {
        let body = &bytes[2..];
        if !body.len().is_multiple_of(2) {
            return Err(DecodeError::BadUtf16);
        }
        let units = body.chunks_exact(2).map(|p| {
            let pair = [p[0], p[1]];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(|text| (text, Encoding::Utf16))
            .map_err(|_| DecodeError::BadUtf16)
    };
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => return utf16(true),
        Some([0xFE, 0xFF]) => return utf16(false),
        _ => {}
    }
    let (skip, encoding) = if bytes.starts_with(UTF8_BOM) {
        (UTF8_BOM.len(), Encoding::Utf8Bom)
    } else {
        (0, Encoding::Utf8)
    };
    let mut bytes = bytes;
    bytes.drain(..skip);
    String::from_utf8(bytes)
        .map(|text| (text, encoding))
        .map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            DecodeError::NotUtf8 { line }
        })
}

/// One file of the scanned repository, read once.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the scan root, with `/` separators.
    pub path: String,
    pub text: String,
    pub line_index: LineIndex,
    /// How the bytes on disk became `text`.
    pub encoding: Encoding,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_index = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            text,
            line_index,
            encoding: Encoding::Utf8,
        }
    }

    /// The text under a span, clamped to the file and to character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        let end = floor_char_boundary(&self.text, span.end());
        let start = floor_char_boundary(&self.text, span.start().min(end));
        &self.text[start..end]
    }

    pub fn position(&self, offset: usize) -> Position {
        self.line_index.position(&self.text, offset)
    }

    /// The full text of a 1-based line, without its terminator.
    pub fn line_text(&self, line: u32) -> &str {
        self.line_index.line_text(&self.text, line)
    }
}

/// Maps offsets in a piece of extracted text (a YAML block scalar without its indentation, a
/// Makefile recipe with `$$` unescaped, a `bash -c` string) back to offsets in the host file.
///
/// It is a sorted list of verbatim segments: `len` bytes at `text_start` in the extracted text came
/// from `host_start` in the host file. Offsets between segments map to the end of the segment before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segments: Vec<(u32, u32, u32)>,
}

impl OffsetMap {
    /// Every host offset `delta` bytes on (the host text was parsed from a shorter copy).
    pub fn shift_host(&mut self, delta: usize) {
        let delta = u32::try_from(delta).unwrap_or(u32::MAX);
        for segment in &mut self.segments {
            segment.1 = segment.1.saturating_add(delta);
        }
    }

    /// The text is a verbatim slice of the host starting at `host_start`.
    pub fn verbatim(host_start: usize, len: usize) -> Self {
        let mut map = OffsetMap::default();
        map.push(0, host_start, len);
        map
    }

    /// Record that `len` bytes at `text_start` came verbatim from `host_start`.
    pub fn push(&mut self, text_start: usize, host_start: usize, len: usize) {
        self.segments
            .push((to_u32(text_start), to_u32(host_start), to_u32(len)));
    }

    /// The segments as (text start, host start, length).
    pub fn segments(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.segments
            .iter()
            .map(|&(t, h, l)| (t as usize, h as usize, l as usize))
    }

    /// How many bytes of the text were copied verbatim from the host (0 when the text is a
    /// variable's value, known but written elsewhere: every offset then stands for the word).
    pub fn verbatim_len(&self) -> usize {
        self.segments.iter().map(|s| s.2 as usize).sum()
    }

    pub fn to_host(&self, offset: usize) -> usize {
        let offset = to_u32(offset);
        let idx = match self.segments.binary_search_by_key(&offset, |s| s.0) {
            Ok(i) => i,
            Err(0) => return self.segments.first().map_or(0, |s| s.1 as usize),
            Err(i) => i - 1,
        };
        let (text_start, host_start, len) = self.segments[idx];
        (host_start + (offset - text_start).min(len)) as usize
    }

    pub fn span_to_host(&self, span: Span) -> Span {
        let start = self.to_host(span.start());
        let end = if span.is_empty() {
            start
        } else {
            // Map the last byte, not the end, so an end at a segment boundary stays in the segment.
            self.to_host(span.end() - 1) + 1
        };
        Span::new(start, end.max(start))
    }

    /// Compose: `inner` maps a sub-slice's offsets into this map's text.
    pub fn then(&self, inner: &OffsetMap) -> OffsetMap {
        let mut out = OffsetMap::default();
        for &(t, h, len) in &inner.segments {
            // Split the inner segment wherever the outer map changes segment.
            let mut done = 0u32;
            while done < len {
                let at = (h + done) as usize;
                let host = self.to_host(at);
                let mut run = 1u32;
                while done + run < len && self.to_host(at + run as usize) == host + run as usize {
                    run += 1;
                }
                out.push((t + done) as usize, host, run as usize);
                done += run;
            }
        }
        out
    }
}

/// A 1-based line and 1-based columns, in UTF-16 code units and in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column_utf16: u32,
    pub column_chars: u32,
}

/// Start offsets of every line, for offset → line/column conversion.
#[derive(Debug, Default, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        let mut i = 0;
        // Line ends by memchr: `\n`, `\r\n` and a lone `\r` each end a line.
        while let Some(k) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + k;
            i = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(to_u32(i));
        }
        LineIndex { starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = to_u32(offset);
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset where the 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(0) as usize
    }

    /// Byte range of the 1-based `line`'s content, without the terminator.
    pub fn line_range(&self, text: &str, line: u32) -> (usize, usize) {
        let idx = (line.max(1) - 1) as usize;
        let Some(&start) = self.starts.get(idx) else {
            return (text.len(), text.len());
        };
        let start = start as usize;
        let mut end = self.starts.get(idx + 1).map_or(text.len(), |&s| s as usize);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        (start, end)
    }

    pub fn line_text<'a>(&self, text: &'a str, line: u32) -> &'a str {
        let (start, end) = self.line_range(text, line);
        &text[start..end]
    }

    /// Like [`LineIndex::position`], counting columns on from `from` (an earlier offset on the
    /// same line and its position) instead of from the line start when it can: findings come
    /// sorted, and a one-line file would otherwise be counted from its start for each.
    pub fn position_after(
        &self,
        text: &str,
        offset: usize,
        from: Option<(usize, Position)>,
    ) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        match from {
            Some((at, p))
                if at <= offset
                    && at >= self.line_start(line)
                    && p.line as usize == line + 1
                    && text.is_char_boundary(at) =>
            {
                let gap = &text[at..offset];
                Position {
                    line: p.line,
                    column_utf16: p
                        .column_utf16
                        .saturating_add(to_u32(gap.encode_utf16().count())),
                    column_chars: p.column_chars.saturating_add(to_u32(gap.chars().count())),
                }
            }
            _ => self.position(text, offset),
        }
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let prefix = &text[start..offset];
        Position {
            line: to_u32(line + 1),
            column_utf16: to_u32(prefix.encode_utf16().count() + 1),
            column_chars: to_u32(prefix.chars().count() + 1),
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The largest char boundary `<= i` (stable replacement for `str::floor_char_boundary`).
pub fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_crlf_and_cr() {
        let text = "a\nb\r\nc\rd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.position(text, 0).line, 1);
        assert_eq!(idx.position(text, 2).line, 2);
        assert_eq!(idx.position(text, 5).line, 3);
        assert_eq!(idx.position(text, 7).line, 4);
        assert_eq!(idx.line_text(text, 2), "b");
        assert_eq!(idx.line_text(text, 3), "c");
    }

    #[test]
    fn columns_count_utf16_and_chars() {
        // "é" is 2 bytes, 1 UTF-16 unit; "😀" is 4 bytes, 2 UTF-16 units.
        let text = "xé😀\tDROP";
        let idx = LineIndex::new(text);
        let at = text.find("DROP").expect("present");
        let p = idx.position(text, at);
        assert_eq!(p.column_chars, 5);
        assert_eq!(p.column_utf16, 6);
    }

    #[test]
    fn byte_order_marks_are_decoded_and_dropped() {
        let plain = decode(b"DROP\n".to_vec()).expect("utf-8");
        assert_eq!(plain, ("DROP\n".to_string(), Encoding::Utf8));
        let bom = decode(b"\xEF\xBB\xBF#!/bin/sh\n".to_vec()).expect("utf-8 with a mark");
        assert_eq!(bom, ("#!/bin/sh\n".to_string(), Encoding::Utf8Bom));
        let mut le = vec![0xFF, 0xFE];
        le.extend("é😀\r\n".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(le), Ok(("é😀\r\n".to_string(), Encoding::Utf16)));
        let mut be = vec![0xFE, 0xFF];
        be.extend("ok".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(be), Ok(("ok".to_string(), Encoding::Utf16)));
        // An odd byte count, or a lone surrogate, is not UTF-16.
        assert_eq!(decode(vec![0xFF, 0xFE, b'a']), Err(DecodeError::BadUtf16));
        assert_eq!(
            decode(vec![0xFF, 0xFE, 0x00, 0xD8]),
            Err(DecodeError::BadUtf16)
        );
        // Invalid UTF-8 names the line of the first bad byte.
        assert_eq!(
            decode(b"a\nb\n\xFF\n".to_vec()),
            Err(DecodeError::NotUtf8 { line: 3 })
        );
        // A mark alone is an empty file.
        assert_eq!(
            decode(b"\xEF\xBB\xBF".to_vec()),
            Ok((String::new(), Encoding::Utf8Bom))
        );
    }

    #[test]
    fn offsets_inside_a_char_round_down() {
        let text = "é";
        assert_eq!(LineIndex::new(text).position(text, 1).column_chars, 1);
    }
}
