//! A schema-checking reader over spanned TOML tables.
//!
//! Serde would stop at the first problem in a file; authors want all of them at once, each with
//! its span, so the parsers walk `toml`'s spanned document tree through this reader instead.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::context::Ctx;
use super::diagnostic::{Code, Diagnostic, did_you_mean};
use super::syntax;
use super::text::check_text;

impl Ctx<'_> {
    /// Parses a TOML document. When it has syntax errors, each broken top-level table is
    /// reported once, at the slip that broke it, with `cost` (what the file's failure leaves
    /// out) as a note, and nothing is returned.
    pub fn parse<'i>(&mut self, text: &'i str, cost: &str) -> Option<DeTable<'i>> {
        let (doc, errors) = DeTable::parse_recoverable(text);
        if errors.is_empty() {
            return Some(doc.into_inner());
        }
        let mut reported = false;
        for piece in syntax::pieces(text) {
            if let Err(d) = self.parse_piece(text, piece) {
                self.diags.push((*d).note(cost));
                reported = true;
            }
        }
        if !reported {
            // Every table parses alone: the slip is between them (a table declared twice).
            self.diags
                .push((*self.syntax_error(text, 0, &errors)).note(cost));
        }
        None
    }

    /// Parses one piece of a document (see [`syntax::pieces`]) on its own; a broken piece
    /// comes back as its diagnostic, for the caller to add what was skipped.
    pub fn parse_piece<'i>(
        &self,
        text: &'i str,
        piece: Range<usize>,
    ) -> Result<DeTable<'i>, Box<Diagnostic>> {
        let slice = &text[piece.clone()];
        let (doc, errors) = DeTable::parse_recoverable(slice);
        if errors.is_empty() {
            return Ok(doc.into_inner());
        }
        Err(self.syntax_error(slice, piece.start, &errors))
    }

    /// The diagnostic for syntax errors in `slice`, which starts at `start` in the text.
    pub fn syntax_error(
        &self,
        slice: &str,
        start: usize,
        errors: &[toml::de::Error],
    ) -> Box<Diagnostic> {
        let e = syntax::explain(slice, errors);
        let shift = |r: Range<usize>| self.span(r.start + start..r.end + start);
        let mut d = Diagnostic::error(Code::TomlSyntax, self.file, e.message)
            .at(shift(e.span), e.label)
            .hint_opt(e.hint);
        if let Some((span, label)) = e.related {
            d = d.related(self.file, shift(span), label);
        }
        Box::new(d)
    }
}

/// A string value with the span of its source text.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Text {
    pub value: String,
    pub span: Range<usize>,
}

/// One TOML table and the keys it may hold.
pub(crate) struct Table<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    what: &'static str,
    known: &'static [&'static str],
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'t, 'i> Table<'t, 'i> {
    /// `span` is where "missing key" errors point: the table header or the whole document start.
    pub fn new(
        table: &'t DeTable<'i>,
        span: Range<usize>,
        what: &'static str,
        known: &'static [&'static str],
    ) -> Self {
        Self {
            table,
            span,
            what,
            known,
        }
    }

    /// The table's first line in file coordinates: where "this card" diagnostics point.
    pub fn header(&self, ctx: &Ctx<'_>) -> Range<usize> {
        ctx.first_line(ctx.span(self.span.clone()))
    }

    /// Where `key` is written, in file coordinates.
    pub fn key_span(&self, ctx: &Ctx<'_>, key: &str) -> Option<Range<usize>> {
        let (k, _) = self.table.get_key_value(key)?;
        Some(ctx.span(k.span()))
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    fn value(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        debug_assert!(
            self.known.contains(&key),
            "{key} is not declared for {}",
            self.what
        );
        self.table.get(key)
    }

    /// Reports every key that is not part of this table's schema.
    pub fn check_unknown(&self, ctx: &mut Ctx<'_>) {
        for (key, value) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if self.known.contains(&name) {
                continue;
            }
            let hint = match did_you_mean(name, self.known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("a {} has: {}", self.what, self.known.join(", ")),
            };
            let mut d = Diagnostic::error(
                Code::UnknownKey,
                ctx.file,
                format!("unknown key `{name}` in {}", self.what),
            )
            .at(
                ctx.span(key.span()),
                format!("not a key of a {}", self.what),
            )
            .hint(hint);
            // `[[card]]` for `[[cards]]`: say that the tables under it are not loaded.
            let tables = match value.get_ref() {
                DeValue::Table(_) => 1,
                DeValue::Array(items) => items
                    .iter()
                    .filter(|i| matches!(i.get_ref(), DeValue::Table(_)))
                    .count(),
                _ => 0,
            };
            match tables {
                0 => {}
                1 => d = d.note("the table under it is not loaded"),
                n => d = d.note(format!("the {n} tables under it are not loaded")),
            }
            ctx.push(d);
        }
    }

    fn missing(&self, ctx: &mut Ctx<'_>, key: &str) {
        let d = Diagnostic::error(
            Code::MissingKey,
            ctx.file,
            format!("{} is missing the required key `{key}`", self.what),
        )
        .at(
            self.header(ctx),
            format!("this {} has no `{key}`", self.what),
        )
        .hint(format!("add `{key} = ...` to this {}", self.what));
        ctx.push(d);
    }

    fn wrong_type(&self, ctx: &mut Ctx<'_>, key: &str, v: &Spanned<DeValue<'_>>, want: &str) {
        let found = type_name(v.get_ref());
        let d = Diagnostic::error(
            Code::WrongType,
            ctx.file,
            format!("`{key}` must be {want}, found {found}"),
        )
        .at(ctx.span(v.span()), format!("expected {want}"));
        ctx.push(d);
    }

    /// A text field: a non-empty string free of control characters.
    /// Surrounding white space is dropped: a `"""` string's closing line would otherwise leave a
    /// trailing newline that renders as a stray blank line.
    pub fn text(&self, ctx: &mut Ctx<'_>, key: &str, required: bool) -> Option<Text> {
        let mut raw = self.raw_str(ctx, key, required)?;
        if !check_text(ctx, key, &raw.value, raw.span.clone()) {
            return None;
        }
        let trimmed = raw.value.trim();
        if trimmed.len() != raw.value.len() {
            raw.value = trimmed.to_string();
        }
        Some(raw)
    }

    /// A string field whose content is checked elsewhere (ids, references).
    pub fn raw_str(&self, ctx: &mut Ctx<'_>, key: &str, required: bool) -> Option<Text> {
        let Some(v) = self.value(key) else {
            if required {
                self.missing(ctx, key);
            }
            return None;
        };
        match v.get_ref() {
            DeValue::String(s) => Some(Text {
                value: s.to_string(),
                span: ctx.span(v.span()),
            }),
            _ => {
                self.wrong_type(ctx, key, v, "a string");
                None
            }
        }
    }

    pub fn bool(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<bool> {
        let v = self.value(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(ctx, key, v, "a boolean (true or false)");
                None
            }
        }
    }

    pub fn int(&self, ctx: &mut Ctx<'_>, key: &str, required: bool) -> Option<(i64, Range<usize>)> {
        let Some(v) = self.value(key) else {
            if required {
                self.missing(ctx, key);
            }
            return None;
        };
        let DeValue::Integer(i) = v.get_ref() else {
            self.wrong_type(ctx, key, v, "an integer");
            return None;
        };
        let parsed = i64::from_str_radix(i.as_str(), i.radix()).ok();
        if parsed.is_none() {
            // An integer, but one too large to use: saying "found an integer" would be a riddle.
            let d = Diagnostic::error(
                Code::BadValue,
                ctx.file,
                format!("`{key}` is too large a number to use"),
            )
            .at(ctx.span(v.span()), "out of range")
            .hint("write a whole number between -9223372036854775808 and 9223372036854775807");
            ctx.push(d);
        }
        parsed.map(|n| (n, ctx.span(v.span())))
    }

    /// An integer that must lie in `range`; out-of-range values are reported.
    pub fn int_in(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        required: bool,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let (n, span) = self.int(ctx, key, required)?;
        if range.contains(&n) {
            return Some(n);
        }
        let d = Diagnostic::error(
            Code::BadValue,
            ctx.file,
            format!(
                "`{key}` is {n}; it must be from {} to {}",
                range.start(),
                range.end()
            ),
        )
        .at(span, "out of range");
        ctx.push(d);
        None
    }

    /// A whole number or a range `[low, high]` of them, as written (order unchecked), with the
    /// value's span; the one number `n` is the range `[n, n]`.
    pub fn int_range(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<((i64, i64), Range<usize>)> {
        let v = self.value(key)?;
        let want = "a whole number or a range [low, high]";
        let int = |item: &Spanned<DeValue<'_>>| match item.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        let span = ctx.span(v.span());
        match v.get_ref() {
            DeValue::Integer(_) => int(v).map(|n| ((n, n), span)),
            DeValue::Array(items) if items.len() == 2 => match (int(&items[0]), int(&items[1])) {
                (Some(lo), Some(hi)) => Some(((lo, hi), span)),
                _ => {
                    self.wrong_type(ctx, key, v, want);
                    None
                }
            },
            _ => {
                self.wrong_type(ctx, key, v, want);
                None
            }
        }
    }

    /// An array of strings; a wrong element is reported and skipped.
    pub fn str_list(&self, ctx: &mut Ctx<'_>, key: &str) -> Vec<Text> {
        let Some(v) = self.value(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(ctx, key, v, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => {
                    let t = Text {
                        value: s.to_string(),
                        span: ctx.span(item.span()),
                    };
                    if check_text(ctx, key, &t.value, t.span.clone()) {
                        out.push(t);
                    }
                }
                _ => self.wrong_type(ctx, key, item, "a string"),
            }
        }
        out
    }

    /// A sub-table such as `[exam]`.
    pub fn table(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        what: &'static str,
        known: &'static [&'static str],
    ) -> Option<Table<'t, 'i>> {
        let v = self.value(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Table::new(t, v.span(), what, known)),
            _ => {
                self.wrong_type(ctx, key, v, "a table");
                None
            }
        }
    }

    /// An array of tables such as `[[cards]]`.
    pub fn tables(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        what: &'static str,
        known: &'static [&'static str],
    ) -> Vec<Table<'t, 'i>> {
        let Some(v) = self.value(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(ctx, key, v, &format!("an array of tables (`[[{key}]]`)"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::Table(t) => out.push(Table::new(t, item.span(), what, known)),
                _ => self.wrong_type(ctx, key, item, "a table"),
            }
        }
        out
    }
}
