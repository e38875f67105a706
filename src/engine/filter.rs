//! Where-filters on objects' properties, as a vector database takes them: `foo > 44`,
//! `category = 3`, `title = "Moby Dick"`, combined with AND, OR, NOT and parentheses. A parse
//! error names the column and the token; a filter names only properties the collection has.

use std::fmt;

/// A property's values, one per object.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    Number(Vec<f64>),
    Text(Vec<String>),
}

/// The objects' properties, column by column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Props {
    pub names: Vec<String>,
    pub columns: Vec<Column>,
}

impl Props {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .and_then(|i| self.columns.get(i))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn holds(self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Op::Eq => o == Equal,
            Op::Ne => o != Equal,
            Op::Lt => o == Less,
            Op::Le => o != Greater,
            Op::Gt => o == Greater,
            Op::Ge => o != Less,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// A value compared with.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
}

/// A parsed filter.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    Compare { column: usize, op: Op, value: Value },
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

/// Why a filter was refused: where (a 1-based column of the text), the token, what was wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterError {
    pub column: usize,
    pub token: String,
    pub message: String,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.token.is_empty() {
            write!(f, "column {}: {}", self.column, self.message)
        } else {
            write!(
                f,
                "column {}, at '{}': {}",
                self.column, self.token, self.message
            )
        }
    }
}

impl std::error::Error for FilterError {}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Number(f64),
    Text(String),
    Op(Op),
    And,
    Or,
    Not,
    Open,
    Close,
}

/// Tokens with their 1-based columns and their text.
fn lex(s: &str) -> Result<Vec<(usize, String, Tok)>, FilterError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let tok = match c {
            '(' => {
                i += 1;
                Tok::Open
            }
            ')' => {
                i += 1;
                Tok::Close
            }
            '=' | '!' | '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('=', Some('=')) => (Op::Eq, 2),
                    ('=', _) => (Op::Eq, 1),
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('<', Some('>')) => (Op::Ne, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('>', _) => (Op::Gt, 1),
                    _ => {
                        return Err(FilterError {
                            column: start + 1,
                            token: c.to_string(),
                            message: "'!' must be followed by '=' (not equal)".into(),
                        });
                    }
                };
                i += len;
                Tok::Op(op)
            }
            '"' | '\'' => {
                let quote = c;
                i += 1;
                let from = i;
                while i < chars.len() && chars[i] != quote {
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(FilterError {
                        column: start + 1,
                        token: chars[start..].iter().collect(),
                        message: "this text is not closed by its quote".into(),
                    });
                }
                let text: String = chars[from..i].iter().collect();
                i += 1;
                Tok::Text(text)
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '.' | '-' | '+'))
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                match text.parse::<f64>() {
                    Ok(v) if v.is_finite() => Tok::Number(v),
                    _ => {
                        return Err(FilterError {
                            column: start + 1,
                            token: text,
                            message: "not a number".into(),
                        });
                    }
                }
            }
            c if c.is_alphanumeric() || c == '_' => {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.to_ascii_uppercase().as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Ident(word),
                }
            }
            other => {
                return Err(FilterError {
                    column: start + 1,
                    token: other.to_string(),
                    message: "unexpected character".into(),
                });
            }
        };
        out.push((start + 1, chars[start..i].iter().collect(), tok));
    }
    Ok(out)
}

struct Parser<'a> {
    toks: Vec<(usize, String, Tok)>,
    at: usize,
    props: &'a Props,
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&(usize, String, Tok)> {
        self.toks.get(self.at)
    }

    fn error(&self, message: impl Into<String>) -> FilterError {
        match self.peek() {
            Some((col, text, _)) => FilterError {
                column: *col,
                token: text.clone(),
                message: message.into(),
            },
            None => FilterError {
                column: self.end,
                token: String::new(),
                message: format!("{} (the filter ended)", message.into()),
            },
        }
    }

    fn or(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.and()?;
        while matches!(self.peek(), Some((_, _, Tok::Or))) {
            self.at += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.factor()?;
        while matches!(self.peek(), Some((_, _, Tok::And))) {
            self.at += 1;
            left = Filter::And(Box::new(left), Box::new(self.factor()?));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Filter, FilterError> {
        match self.peek().map(|t| t.2.clone()) {
            Some(Tok::Not) => {
                self.at += 1;
                Ok(Filter::Not(Box::new(self.factor()?)))
            }
            Some(Tok::Open) => {
                self.at += 1;
                let inner = self.or()?;
                if !matches!(self.peek(), Some((_, _, Tok::Close))) {
                    return Err(self.error("expected ')'"));
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Tok::Ident(name)) => {
                let Some(column) = self
                    .props
                    .names
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(&name))
                else {
                    return Err(self.error(format!(
                        "no property '{name}' (the objects have {})",
                        if self.props.names.is_empty() {
                            "none".to_string()
                        } else {
                            self.props.names.join(", ")
                        }
                    )));
                };
                self.at += 1;
                let Some((_, _, Tok::Op(op))) = self.peek().cloned() else {
                    return Err(self.error(format!(
                        "expected a comparison after '{name}' (=, !=, <, <=, >, >=)"
                    )));
                };
                self.at += 1;
                let value = match self.peek().map(|t| t.2.clone()) {
                    Some(Tok::Number(v)) => Value::Number(v),
                    Some(Tok::Text(t)) | Some(Tok::Ident(t)) => Value::Text(t),
                    _ => {
                        return Err(
                            self.error(format!("expected a value after '{name} {}'", op.symbol()))
                        );
                    }
                };
                let numeric = matches!(self.props.columns.get(column), Some(Column::Number(_)));
                if numeric != matches!(value, Value::Number(_)) {
                    return Err(self.error(if numeric {
                        format!("'{name}' holds numbers: compare it with a number")
                    } else {
                        format!("'{name}' holds text: compare it with text (in quotes)")
                    }));
                }
                self.at += 1;
                Ok(Filter::Compare { column, op, value })
            }
            _ => Err(self.error("expected a property, NOT or '('")),
        }
    }
}

impl Filter {
    /// Parses `text` against the properties the objects have.
    pub fn parse(text: &str, props: &Props) -> Result<Filter, FilterError> {
        let toks = lex(text)?;
        let mut p = Parser {
            toks,
            at: 0,
            props,
            end: text.chars().count() + 1,
        };
        let f = p.or()?;
        if p.peek().is_some() {
            return Err(p.error("expected AND, OR or the end"));
        }
        Ok(f)
    }

    /// Whether object `i` matches.
    pub fn matches(&self, props: &Props, i: usize) -> bool {
        match self {
            Filter::Compare { column, op, value } => match (props.columns.get(*column), value) {
                (Some(Column::Number(v)), Value::Number(x)) => v
                    .get(i)
                    .is_some_and(|a| a.partial_cmp(x).is_some_and(|o| op.holds(o))),
                (Some(Column::Text(v)), Value::Text(x)) => v
                    .get(i)
                    .is_some_and(|a| op.holds(a.as_str().cmp(x.as_str()))),
                _ => false,
            },
            Filter::And(a, b) => a.matches(props, i) && b.matches(props, i),
            Filter::Or(a, b) => a.matches(props, i) || b.matches(props, i),
            Filter::Not(a) => !a.matches(props, i),
        }
    }

    /// Which of `n` objects match.
    pub fn mask(&self, props: &Props, n: usize) -> Vec<bool> {
        (0..n).map(|i| self.matches(props, i)).collect()
    }
}
