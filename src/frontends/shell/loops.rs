//! Loops over known lists and calls of functions with known arguments: `for d in "${DIRS[@]}";
//! do rm -rf "$d"/*; done` runs its body once per value, and `wipe "$d"` runs `wipe`'s body with
//! `$1` set. The body is walked once per value (up to a limit); a command that comes out the same
//! as one already recorded at the same place is not recorded twice.

use super::*;

/// A loop over more values than this is walked once, with its variable unknown.
const MAX_LOOP_VALUES: usize = 8;

/// Second walks (loop rounds after the first, calls of functions) per shell source: past this,
/// the first walk stands (nested loops would otherwise multiply).
const MAX_REWALKS: usize = 64;

/// Positional parameters bound at a call (`$1` … `$9`).
const MAX_POSITIONAL: usize = 9;

impl<'a> Walker<'a> {
    /// `for NAME in WORDS; do BODY; done`.
    pub(super) fn for_loop(&mut self, node: Node, depth: usize) {
        // `for v in $(docker volume ls -q)`: the list's substitutions run.
        let mut cursor = node.walk();
        let heads: Vec<Node> = node.children_by_field_name("value", &mut cursor).collect();
        for head in &heads {
            self.substitutions(*head, depth);
        }
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        let name = node
            .child_by_field_name("variable")
            .map(|v| self.node_text(v).to_string());
        let values = match &name {
            Some(_) if node.kind() == "for_statement" => self.loop_values(&heads),
            _ => None,
        };
        let (Some(name), Some(values)) = (name, values) else {
            self.with_scope(Scope::Loop, |w| w.statement_list(body, depth));
            return;
        };
        for (k, value) in values.into_iter().enumerate() {
            self.st.vars.insert(name.clone(), value);
            if k == 0 {
                self.with_scope(Scope::Loop, |w| w.statement_list(body, depth));
            } else if self.take_rewalk() {
                self.again(|w| w.with_scope(Scope::Loop, |w| w.statement_list(body, depth)));
            }
        }
        // What the loop leaves in its variable is not followed.
        self.st.vars.remove(&name);
    }

    /// The values a `for` list stands for, when every one is known text (and there are few).
    fn loop_values(&mut self, heads: &[Node]) -> Option<Vec<Vec<Piece>>> {
        if heads.is_empty() {
            return None;
        }
        let mut argv = Vec::new();
        let mut raws = Vec::new();
        for head in heads {
            self.push_words(&mut argv, &mut raws, *head);
            if argv.len() > MAX_LOOP_VALUES {
                return None;
            }
        }
        argv.iter()
            .map(|w| w.literal().map(|text| vec![Piece::Lit(text)]))
            .collect::<Option<Vec<_>>>()
            .filter(|values| !values.is_empty())
    }

    /// A function of this source called with known arguments (`wipe "$d"` in a loop): walk its
    /// body again with `$1`… set, as the call runs it.
    pub(super) fn call_function(&mut self, command: usize, depth: usize) {
        let Some(call) = self.out.commands.get(command) else {
            return;
        };
        let Some(name) = call.argv.first().and_then(Word::literal) else {
            return;
        };
        let Some(&(start, end)) = self.bodies.get(&name) else {
            return;
        };
        let args: Vec<Option<String>> = call
            .args()
            .take(MAX_POSITIONAL)
            .map(Word::literal)
            .collect();
        let Some(body) = self.text.get(start..end) else {
            return;
        };
        if args.iter().all(Option::is_none) || !uses_positional(body) {
            return;
        }
        if !self.take_rewalk() {
            return;
        }
        let mut state = self.st.clone();
        for k in 1..=MAX_POSITIONAL {
            state.vars.remove(&k.to_string());
        }
        for (k, arg) in args.into_iter().enumerate() {
            if let Some(arg) = arg {
                state
                    .vars
                    .insert((k + 1).to_string(), vec![Piece::Lit(arg)]);
            }
        }
        state.pipe_in = None;
        state.payload = None;
        state.pending_heredocs.clear();
        let map = self.map.then(&OffsetMap::verbatim(start, end - start));
        self.again(|w| {
            let after = w
                .out
                .add_nested(body, &map, ShellOrigin::Nested, state, depth + 8);
            w.st.next_id = after.next_id;
        });
    }

    /// Count one second walk against the source's budget; false once it is spent.
    fn take_rewalk(&mut self) -> bool {
        let done = self.st.rewalks.get();
        if done >= MAX_REWALKS {
            // Silent: the first walk of every body is there, as before loops were followed.
            return false;
        }
        self.st.rewalks.set(done + 1);
        true
    }

    /// Run `walk` into scratch facts, then keep the commands it found that differ from those
    /// already recorded at the same place (with the SQL they run). Guards, functions and
    /// assignments of a second walk are those of the first.
    fn again(&mut self, walk: impl FnOnce(&mut Self)) {
        let known_sources = self.out.sources.len();
        let mut scratch = ShellFacts {
            sources: self.out.sources.clone(),
            ..ShellFacts::default()
        };
        std::mem::swap(self.out, &mut scratch);
        let pipe_in = self.st.pipe_in.take();
        walk(self);
        self.st.pipe_in = pipe_in;
        std::mem::swap(self.out, &mut scratch);
        let ShellFacts {
            sources,
            commands,
            embedded_sql,
            ..
        } = scratch;
        self.out
            .sources
            .extend(sources.into_iter().skip(known_sources));
        let mut moved: HashMap<usize, usize> = HashMap::new();
        for (i, command) in commands.into_iter().enumerate() {
            let seen = self
                .out
                .commands
                .iter()
                .any(|c| c.span == command.span && c.argv == command.argv);
            if !seen {
                moved.insert(i, self.out.commands.len());
                self.out.commands.push(command);
            }
        }
        for mut sql in embedded_sql {
            if let Some(&to) = moved.get(&sql.command) {
                sql.command = to;
                self.out.embedded_sql.push(sql);
            }
        }
    }
}

/// Whether a function body reads its arguments (`$1`, `${2}`, `"$@"`).
fn uses_positional(body: &str) -> bool {
    let bytes = body.as_bytes();
    bytes.windows(2).enumerate().any(|(i, w)| {
        w[0] == b'$'
            && (w[1].is_ascii_digit() && w[1] != b'0'
                || w[1] == b'@'
                || w[1] == b'{'
                    && bytes
                        .get(i + 2)
                        .is_some_and(|b| b.is_ascii_digit() && *b != b'0'))
    })
}
