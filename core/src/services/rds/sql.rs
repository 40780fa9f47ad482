//! The SQL subset a simulated Aurora cluster understands, and psql's table
//! format for answers:
//!
//! - `CREATE TABLE name (column type, ...)`
//! - `INSERT INTO name [(columns)] VALUES (v, ...), (v, ...)`
//! - `SELECT * FROM name`
//!
//! Values are integers or single-quoted strings (`''` escapes a quote).

use crate::secret::SecretString;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// A parsed statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    /// `CREATE TABLE`.
    CreateTable {
        /// Table name.
        table: String,
        /// Column names, in order.
        columns: Vec<String>,
    },
    /// `INSERT INTO`.
    Insert {
        /// Table name.
        table: String,
        /// Columns named in the statement, if any.
        columns: Option<Vec<String>>,
        /// Rows of values.
        rows: Vec<Vec<String>>,
    },
    /// `SELECT * FROM`.
    SelectAll {
        /// Table name.
        table: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Text(String),
    Number(String),
    Symbol(char),
}

fn tokenize(sql: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut word = String::new();
            while let Some(&c) = chars
                .peek()
                .filter(|c| c.is_ascii_alphanumeric() || **c == '_')
            {
                word.push(c);
                chars.next();
            }
            tokens.push(Token::Word(word));
        } else if c.is_ascii_digit() || c == '-' {
            let mut number = String::new();
            number.push(c);
            chars.next();
            while let Some(&c) = chars.peek().filter(|c| c.is_ascii_digit() || **c == '.') {
                number.push(c);
                chars.next();
            }
            if number == "-" {
                return Err("a lone '-' is not a value".into());
            }
            tokens.push(Token::Number(number));
        } else if c == '\'' {
            chars.next();
            let mut text = String::new();
            loop {
                match chars.next() {
                    Some('\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                        text.push('\'');
                    }
                    Some('\'') => break,
                    Some(c) => text.push(c),
                    None => return Err("unterminated quoted string".into()),
                }
            }
            tokens.push(Token::Text(text));
        } else if "(),;*".contains(c) {
            tokens.push(Token::Symbol(c));
            chars.next();
        } else {
            return Err(format!("syntax error at or near \"{c}\""));
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn keyword(&mut self, word: &str) -> Result<(), String> {
        match self.next() {
            Some(Token::Word(w)) if w.eq_ignore_ascii_case(word) => Ok(()),
            other => Err(format!(
                "syntax error: expected {word}, found {}",
                show(other)
            )),
        }
    }

    fn symbol(&mut self, symbol: char) -> Result<(), String> {
        match self.next() {
            Some(Token::Symbol(c)) if c == symbol => Ok(()),
            other => Err(format!(
                "syntax error: expected \"{symbol}\", found {}",
                show(other)
            )),
        }
    }

    fn name(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Word(w)) => Ok(w.to_ascii_lowercase()),
            other => Err(format!(
                "syntax error: expected a name, found {}",
                show(other)
            )),
        }
    }

    fn peek_symbol(&self, symbol: char) -> bool {
        self.tokens.get(self.at) == Some(&Token::Symbol(symbol))
    }

    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        self.symbol('(')?;
        let mut out = alloc::vec![item(self)?];
        while self.peek_symbol(',') {
            self.at += 1;
            out.push(item(self)?);
        }
        self.symbol(')')?;
        Ok(out)
    }

    fn value(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Text(t)) | Some(Token::Number(t)) => Ok(t),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("null") => Ok(String::new()),
            other => Err(format!(
                "syntax error: expected a value, found {}",
                show(other)
            )),
        }
    }

    fn end(&mut self) -> Result<(), String> {
        if self.peek_symbol(';') {
            self.at += 1;
        }
        match self.next() {
            None => Ok(()),
            other => Err(format!("syntax error at or near {}", show(other))),
        }
    }
}

fn show(token: Option<Token>) -> String {
    match token {
        None => "end of input".into(),
        Some(Token::Word(w)) => format!("\"{w}\""),
        // A quoted value is row data: errors never repeat it.
        Some(Token::Text(_)) => "a quoted value".into(),
        Some(Token::Number(n)) => n,
        Some(Token::Symbol(c)) => format!("\"{c}\""),
    }
}

/// Parses one statement; errors read like PostgreSQL's.
pub fn parse(sql: &str) -> Result<Statement, String> {
    let mut p = Parser {
        tokens: tokenize(sql)?,
        at: 0,
    };
    let statement = match p.next() {
        Some(Token::Word(w)) if w.eq_ignore_ascii_case("create") => {
            p.keyword("table")?;
            let table = p.name()?;
            let columns = p.list(|p| {
                let column = p.name()?;
                // The type is accepted and ignored: every value is stored as text.
                while let Some(Token::Word(_)) = p.tokens.get(p.at) {
                    p.at += 1;
                }
                if p.peek_symbol('(') {
                    p.list(|p| p.value())?;
                }
                Ok(column)
            })?;
            if columns.len() > MAX_COLUMNS {
                return Err(format!("tables can have at most {MAX_COLUMNS} columns"));
            }
            Statement::CreateTable { table, columns }
        }
        Some(Token::Word(w)) if w.eq_ignore_ascii_case("insert") => {
            p.keyword("into")?;
            let table = p.name()?;
            let columns = if p.peek_symbol('(') {
                Some(p.list(|p| p.name())?)
            } else {
                None
            };
            p.keyword("values")?;
            let mut rows = alloc::vec![p.list(|p| p.value())?];
            while p.peek_symbol(',') {
                p.at += 1;
                rows.push(p.list(|p| p.value())?);
            }
            Statement::Insert {
                table,
                columns,
                rows,
            }
        }
        Some(Token::Word(w)) if w.eq_ignore_ascii_case("select") => {
            p.symbol('*')?;
            p.keyword("from")?;
            Statement::SelectAll { table: p.name()? }
        }
        other => {
            return Err(format!(
                "syntax error at or near {} (this cluster understands CREATE TABLE, INSERT INTO ... VALUES and SELECT * FROM)",
                show(other)
            ));
        }
    };
    p.end()?;
    Ok(statement)
}

/// The widest a cell is drawn, in characters; a longer value is cut and
/// ends in `…` (the records of the response still hold it whole).
pub const MAX_CELL_WIDTH: usize = 120;
/// The most rows drawn; the footer still counts them all.
pub const MAX_ROWS_SHOWN: usize = 500;
/// The most bytes of rows drawn, so one answer never costs more than this
/// however wide its values are.
pub const MAX_DRAWN_BYTES: usize = 64 * 1024;
/// PostgreSQL's limit of columns in a table.
pub const MAX_COLUMNS: usize = 1600;

fn cell(v: &str) -> (usize, &str) {
    match v.char_indices().nth(MAX_CELL_WIDTH - 1) {
        Some((cut, _)) if v.chars().count() > MAX_CELL_WIDTH => (MAX_CELL_WIDTH, &v[..cut]),
        _ => (v.chars().count(), v),
    }
}

/// Renders rows as psql does: centred headers, numbers right-aligned, text
/// left-aligned, and a `(N rows)` footer. Bounded whatever the data: cells
/// are cut at [`MAX_CELL_WIDTH`] characters, and at most
/// [`MAX_ROWS_SHOWN`] rows or [`MAX_DRAWN_BYTES`] are drawn.
pub fn psql_table<V: AsRef<str>>(columns: &[String], rows: &[Vec<V>]) -> SecretString {
    let numeric = |v: &str| {
        !v.is_empty()
            && v.trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.')
    };
    let sample = &rows[..rows.len().min(MAX_ROWS_SHOWN)];
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            sample
                .iter()
                .map(|r| r.get(i).map_or(0, |v| cell(v.as_ref()).0))
                .max()
                .unwrap_or(0)
                .max(cell(c).0)
        })
        .collect();
    // Every drawn line is at most this long (a cut cell ends in a 3-byte `…`).
    let line_bytes: usize = widths.iter().map(|w| 4 * w + 6).sum::<usize>() + 2;
    let shown = sample
        .len()
        .min(MAX_DRAWN_BYTES / line_bytes.max(1))
        .max(1)
        .min(rows.len());
    // Sized once for the whole drawing: growing it would leave copies of
    // row data in freed memory.
    let mut out = String::with_capacity(line_bytes * (shown + 2) + 96);
    let pad = |out: &mut String, n: usize| out.extend(core::iter::repeat_n(' ', n));
    let draw = |out: &mut String, v: &str| {
        let (_, shown) = cell(v);
        out.push_str(shown);
        if shown.len() < v.len() {
            out.push('…');
        }
    };
    out.push(' ');
    for (i, (c, &w)) in columns.iter().zip(&widths).enumerate() {
        if i > 0 {
            out.push_str(" | ");
        }
        let gap = w - cell(c).0;
        pad(&mut out, gap / 2);
        draw(&mut out, c);
        if i + 1 < columns.len() {
            pad(&mut out, gap - gap / 2);
        }
    }
    out.push('\n');
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            out.push('+');
        }
        out.extend(core::iter::repeat_n('-', w + 2));
    }
    out.push('\n');
    for row in &rows[..shown] {
        let mut text = Zeroizing::new(String::with_capacity(line_bytes));
        let line = &mut *text;
        line.push(' ');
        for (i, &w) in widths.iter().enumerate() {
            if i > 0 {
                line.push_str(" | ");
            }
            let v = row.get(i).map_or("", AsRef::as_ref);
            let gap = w - cell(v).0;
            if numeric(v) {
                pad(line, gap);
                draw(line, v);
            } else {
                draw(line, v);
                pad(line, gap);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if shown < rows.len() {
        out.push_str(&format!("… {} more rows not drawn\n", rows.len() - shown));
    }
    out.push_str(&format!(
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    SecretString::new(out)
}

/// A row's values as stored (before encryption): for each value, its
/// length as a big-endian `u32`, then its UTF-8 bytes. Written into a buffer
/// of the exact size, which is zeroized when dropped.
pub fn encode_row(values: &[String]) -> Zeroizing<Vec<u8>> {
    let size = values.iter().map(|v| 4 + v.len()).sum();
    let mut out = Zeroizing::new(Vec::with_capacity(size));
    for v in values {
        out.extend_from_slice(&(v.len() as u32).to_be_bytes());
        out.extend_from_slice(v.as_bytes());
    }
    out
}

/// The values of a stored row, or `None` if the bytes are not a row.
pub fn decode_row(mut bytes: &[u8]) -> Option<Vec<SecretString>> {
    let mut values = Vec::new();
    while !bytes.is_empty() {
        let (len, rest) = bytes.split_first_chunk::<4>()?;
        let len = u32::from_be_bytes(*len) as usize;
        let value = rest.get(..len)?;
        values.push(SecretString::new(String::from(
            core::str::from_utf8(value).ok()?,
        )));
        bytes = &rest[len..];
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn parses_the_subset() {
        assert_eq!(
            parse("CREATE TABLE users (id integer, name varchar(40));").unwrap(),
            Statement::CreateTable {
                table: "users".into(),
                columns: vec!["id".into(), "name".into()]
            }
        );
        assert_eq!(
            parse("insert into Users values (1, 'Alice'), (2, 'O''Brien')").unwrap(),
            Statement::Insert {
                table: "users".into(),
                columns: None,
                rows: vec![
                    vec!["1".into(), "Alice".into()],
                    vec!["2".into(), "O'Brien".into()]
                ]
            }
        );
        assert_eq!(
            parse("SELECT * FROM users;").unwrap(),
            Statement::SelectAll {
                table: "users".into()
            }
        );
        for bad in [
            "DROP TABLE users",
            "SELECT name FROM users",
            "INSERT INTO users VALUES (1, 'x'",
            "SELECT * FROM users extra",
            "insert into t values ('open",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn renders_like_psql() {
        let rows: Vec<Vec<String>> = vec![
            vec!["1".into(), "Alice".into()],
            vec!["10".into(), "Bob".into()],
        ];
        assert_eq!(
            psql_table(&["id".into(), "name".into()], &rows).expose(),
            " id | name\n----+-------\n  1 | Alice\n 10 | Bob\n(2 rows)"
        );
        let none: &[Vec<String>] = &[];
        assert_eq!(
            psql_table(&["id".into()], none).expose(),
            " id\n----\n(0 rows)"
        );
    }

    #[test]
    fn drawing_is_bounded_whatever_the_data() {
        // One 100,000-character value and 100,000 short numeric rows: psql
        // would pad every row to the widest value (gigabytes).
        let mut rows: Vec<Vec<String>> = (0..100_000).map(|i| vec![i.to_string()]).collect();
        rows.push(vec!["x".repeat(100_000)]);
        let drawn = psql_table(&["v".into()], &rows);
        let out = drawn.expose();
        assert!(out.len() <= MAX_DRAWN_BYTES + 200, "{} bytes", out.len());
        assert!(out.ends_with("(100001 rows)"), "{}", &out[out.len() - 40..]);
        assert!(out.contains("more rows not drawn"));
        let wide = psql_table(&["v".into()], &[vec!["é".repeat(500)]]);
        // The cut value and its `…` take MAX_CELL_WIDTH columns.
        let drawn_cell = format!(" {}…", "é".repeat(MAX_CELL_WIDTH - 1));
        assert!(wide.expose().contains(&drawn_cell), "{}", wide.expose());
        assert!(!wide.expose().contains(&"é".repeat(MAX_CELL_WIDTH)));
        let columns = (0..=MAX_COLUMNS)
            .map(|i| format!("c{i} text"))
            .collect::<Vec<_>>();
        let e = parse(&format!("CREATE TABLE t ({})", columns.join(", "))).unwrap_err();
        assert!(e.contains("at most 1600 columns"), "{e}");
    }
}
