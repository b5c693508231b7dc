//! The few lines of a file the human report shows for one finding, cut out of the kept text
//! through its line index (never a copy of the whole file per finding), with long lines cut
//! around the span (miette cannot lay out a column past 65,535, and a minified one-line dump is
//! no use to read whole).

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::{LineIndex, Span, floor_char_boundary};

/// Lines longer than this (in bytes) are cut around the span.
pub const MAX_LINE: usize = 400;

/// Bytes kept on either side of a span in a cut line.
const SIDE: usize = 80;

/// Bytes of a span kept in a cut line.
const MAX_SPAN: usize = 200;

/// A multi-line span shows at most this many lines.
const MAX_SPAN_LINES: usize = 30;

/// A related location in the same file is drawn in the excerpt when it is this close to the
/// primary span (in lines); farther ones are listed below it.
const NEAR: usize = 200;

/// The text miette renders for one finding: some lines of a file, numbered from `first_line`.
pub struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the excerpt's first line in the file.
    first_line: usize,
}

impl Excerpt {
    /// Bytes of text in the excerpt.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count() + self.first_line,
        )))
    }
}

/// A label to draw: a span in the file and its text.
#[derive(Clone, Debug)]
pub struct Label {
    pub span: Span,
    pub text: Option<String>,
}

/// What to draw: the excerpt, the primary label's span in it, the related labels drawn in it,
/// and the indexes of the related labels left out (too far, or the line was cut).
pub struct Cut {
    pub excerpt: Excerpt,
    pub primary: (usize, usize),
    pub drawn: Vec<(Option<String>, (usize, usize))>,
    pub left_out: Vec<usize>,
}

/// Cut the excerpt of `primary` (and of the `related` labels near it) out of `text`.
pub fn cut(name: &str, text: &str, index: &LineIndex, primary: Span, related: &[Label]) -> Cut {
    let clamp = |s: Span| {
        let end = s.end().min(text.len());
        (s.start().min(end), end)
    };
    let (ps, pe) = clamp(primary);
    let l0 = index.line_of(ps);
    let l1 = index
        .line_of(pe.saturating_sub(1).max(ps))
        .min(l0 + MAX_SPAN_LINES);
    let (line_start, line_end) = line_bounds(text, index, l0);
    if line_end - line_start > MAX_LINE {
        return cut_line(name, text, l0, (line_start, line_end), (ps, pe), related);
    }
    // Related labels close by are drawn; the window grows to hold them.
    let mut first = l0;
    let mut last = l1;
    let mut near = Vec::new();
    let mut left_out = Vec::new();
    for (i, label) in related.iter().enumerate() {
        let (s, e) = clamp(label.span);
        let (a, b) = (index.line_of(s), index.line_of(e.saturating_sub(1).max(s)));
        if a + NEAR >= l0 && a <= l1 + NEAR && b <= a + MAX_SPAN_LINES {
            first = first.min(a);
            last = last.max(b);
            near.push((i, s, e));
        } else {
            left_out.push(i);
        }
    }
    first = first.saturating_sub(1);
    last = (last + 1).min(index.line_count().saturating_sub(1));
    // A long line in the window (a context line, a related label's): cut the primary line alone.
    if (first..=last).any(|l| {
        let (s, e) = line_bounds(text, index, l);
        e - s > MAX_LINE
    }) {
        return cut_line(name, text, l0, (line_start, line_end), (ps, pe), related);
    }
    let start = index.line_start(first);
    let end = line_bounds(text, index, last).1;
    let end = end.max(start);
    let local = |s: usize, e: usize| {
        let s = s.clamp(start, end);
        (s - start, e.clamp(s, end) - s)
    };
    // A span running past the window (a very long statement) is drawn up to its end.
    let (pa, plen) = local(ps, pe);
    let drawn = near
        .into_iter()
        .map(|(i, s, e)| (related[i].text.clone(), local(s, e)))
        .collect();
    Cut {
        excerpt: Excerpt {
            name: name.to_string(),
            text: lone_cr_to_lf(&text[start..end]),
            first_line: first,
        },
        primary: (pa, plen),
        drawn,
        left_out,
    }
}

/// One long line, cut around the primary span: `…` marks where text was left out.
fn cut_line(
    name: &str,
    text: &str,
    line: usize,
    (line_start, line_end): (usize, usize),
    (ps, pe): (usize, usize),
    related: &[Label],
) -> Cut {
    let ps = ps.clamp(line_start, line_end);
    let pe = pe.clamp(ps, line_end).min(ps + MAX_SPAN);
    let from = floor_char_boundary(text, ps.saturating_sub(SIDE).max(line_start));
    let to = ceil_char_boundary(text, (pe + SIDE).min(line_end));
    let pe = ceil_char_boundary(text, pe).min(to);
    let mut shown = String::new();
    if from > line_start {
        shown.push('…');
    }
    let offset = shown.len();
    shown.push_str(&text[from..to]);
    if to < line_end {
        shown.push('…');
    }
    Cut {
        excerpt: Excerpt {
            name: name.to_string(),
            text: shown.replace('\r', " "),
            first_line: line,
        },
        primary: (offset + ps - from, pe - ps),
        drawn: Vec::new(),
        left_out: (0..related.len()).collect(),
    }
}

/// Byte range of a 0-based line without its terminator.
fn line_bounds(text: &str, index: &LineIndex, line: usize) -> (usize, usize) {
    index.line_range(text, u32::try_from(line + 1).unwrap_or(u32::MAX))
}

fn ceil_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// miette ends lines only at `\n`: a file with old Mac line endings (a bare `\r`) would show as
/// one line, with the terminal's carriage returns drawing lines over each other. Each bare `\r`
/// becomes `\n` (one byte for one, so spans stay valid); `\r\n` is left alone.
fn lone_cr_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let text = format!(
            "{}DROP TABLE users;{}\nnext\n",
            "x".repeat(70_000),
            "y".repeat(500)
        );
        let index = LineIndex::new(&text);
        let at = 70_000;
        let c = cut("a.sql", &text, &index, Span::new(at, at + 17), &[]);
        assert!(c.excerpt.text.len() < 400, "{}", c.excerpt.text.len());
        let (s, len) = c.primary;
        assert_eq!(&c.excerpt.text[s..s + len], "DROP TABLE users;");
        assert_eq!(c.excerpt.first_line, 0);
    }

    #[test]
    fn short_lines_keep_their_context() {
        let text = "a\nb\nDROP TABLE t;\nc\nd\n";
        let index = LineIndex::new(text);
        let at = text.find("DROP").unwrap_or(0);
        let c = cut("a.sql", text, &index, Span::new(at, at + 4), &[]);
        assert_eq!(c.excerpt.text, "b\nDROP TABLE t;\nc");
        assert_eq!(c.excerpt.first_line, 1);
        assert_eq!(c.primary, (2, 4));
    }
}
