//! How deep a YAML file nests, measured before tree-sitter-yaml sees it: the grammar's external
//! scanner aborts the process past about 253 block levels, so deeper files must never reach it.

/// Block nesting the grammar's external scanner can hold. It serialises its indentation stack
/// (10 bytes plus 4 per level) into tree-sitter's 1,024-byte buffer and *aborts the process*
/// (a C `assert`) past about 253 levels, so deeper files must never reach it.
const MAX_BLOCK_LEVELS: usize = 200;

/// The byte offset of the first line nested deeper than the grammar can parse without aborting,
/// or `None` when the file is safe to parse. An over-estimate of the scanner's indentation stack:
/// every structural line pushes its column and each compact `- `/`? ` indicator on it, and a
/// column may hold two levels (a sequence under a mapping key at the same indentation). Lines
/// inside block scalars (`run: |`) are text and are skipped. One pass, no allocation per line.
pub fn too_deep(text: &str) -> Option<usize> {
    let mut stack: Vec<usize> = Vec::new();
    // Indentation of the line that opened a block scalar: deeper lines are its content.
    let mut scalar_parent: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let rest = &body[indent..];
        if rest.trim().is_empty() || rest.starts_with('#') {
            continue;
        }
        if let Some(parent) = scalar_parent {
            if indent > parent {
                continue;
            }
            scalar_parent = None;
        }
        while stack.last().is_some_and(|&c| c >= indent) {
            stack.pop();
        }
        stack.push(indent);
        // Compact nesting on one line: `- - key: v`, `? - a`.
        let mut col = indent;
        let mut r = rest;
        while let Some(after) = r
            .strip_prefix("- ")
            .or_else(|| r.strip_prefix("? "))
            .or_else(|| r.strip_prefix("-\t"))
        {
            let skipped = after.len() - after.trim_start_matches([' ', '\t']).len();
            col += 2 + skipped;
            r = &after[skipped..];
            stack.push(col);
        }
        if stack.len() * 2 > MAX_BLOCK_LEVELS {
            return Some(start);
        }
        if opens_block_scalar(body) {
            scalar_parent = Some(indent);
        }
    }
    None
}

/// Whether a line ends with a block scalar indicator (`|`, `>-`, `|2+`), before any comment.
fn opens_block_scalar(line: &str) -> bool {
    let code = match line.find(" #") {
        Some(at) => &line[..at],
        None => line,
    };
    let code = code.trim_end();
    let head = code.trim_end_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit());
    (head.ends_with('|') || head.ends_with('>'))
        && head[..head.len() - 1]
            .chars()
            .next_back()
            .is_none_or(|c| c == ' ' || c == ':' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::too_deep;

    fn nested(levels: usize) -> String {
        (0..levels)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect()
    }

    #[test]
    fn deep_block_nesting_is_refused_before_the_grammar_aborts() {
        assert_eq!(too_deep(&nested(50)), None);
        assert!(too_deep(&nested(300)).is_some());
        let compact = format!("{}x\n", "- ".repeat(300));
        assert!(too_deep(&compact).is_some());
    }

    #[test]
    fn block_scalar_text_and_dedents_do_not_count() {
        let mut text = String::from("run: |\n");
        for i in 0..400 {
            text.push_str(&format!("{}echo {i}\n", " ".repeat(2 + i)));
        }
        text.push_str("other: 1\n");
        for _ in 0..500 {
            text.push_str(&nested(20));
        }
        assert_eq!(too_deep(&text), None);
    }
}
