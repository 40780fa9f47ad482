//! The SQL subset a simulated Aurora cluster understands, and psql's table
//! format for answers:
//!
//! - `CREATE TABLE name (column type, ...)`
//! - `INSERT INTO name [(columns)] VALUES (v, ...), (v, ...)`
//! - `SELECT * FROM name`
//!
//! Values are integers or single-quoted strings (`''` escapes a quote).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

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
            Some(Token::Word(w)) => Ok(w.to_lowercase()),
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
        Some(Token::Text(t)) => format!("'{t}'"),
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

/// Renders rows as psql does: centred headers, numbers right-aligned, text
/// left-aligned, and a `(N rows)` footer.
pub fn psql_table(columns: &[String], rows: &[Vec<String>]) -> String {
    let numeric = |v: &str| {
        !v.is_empty()
            && v.trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.')
    };
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |v| v.chars().count()))
                .max()
                .unwrap_or(0)
                .max(c.chars().count())
        })
        .collect();
    let mut out = String::new();
    let header: Vec<String> = columns
        .iter()
        .zip(&widths)
        .map(|(c, &w)| {
            let pad = w - c.chars().count();
            format!("{}{c}{}", " ".repeat(pad / 2), " ".repeat(pad - pad / 2))
        })
        .collect();
    out.push(' ');
    out.push_str(header.join(" | ").trim_end());
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("+"),
    );
    out.push('\n');
    for row in rows {
        let cells: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, &w)| {
                let v = row.get(i).map(String::as_str).unwrap_or("");
                let pad = " ".repeat(w - v.chars().count());
                if numeric(v) {
                    format!("{pad}{v}")
                } else {
                    format!("{v}{pad}")
                }
            })
            .collect();
        out.push(' ');
        out.push_str(cells.join(" | ").trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    out
}

/// A row's values as stored (before encryption): a JSON array of strings.
pub fn encode_row(values: &[String]) -> Vec<u8> {
    serde_json::to_vec(values).unwrap_or_default()
}

/// The values of a stored row.
pub fn decode_row(bytes: &[u8]) -> Option<Vec<String>> {
    serde_json::from_slice(bytes).ok()
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
        let rows = vec![
            vec!["1".into(), "Alice".into()],
            vec!["10".into(), "Bob".into()],
        ];
        assert_eq!(
            psql_table(&["id".into(), "name".into()], &rows),
            " id | name\n----+-------\n  1 | Alice\n 10 | Bob\n(2 rows)"
        );
        assert_eq!(psql_table(&["id".into()], &[]), " id\n----\n(0 rows)");
    }
}
