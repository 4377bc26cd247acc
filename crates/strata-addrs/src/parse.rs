//! Parsing addresses from the text they print.
//!
//! Each `FromStr` accepts exactly the syntax the matching `Display` writes, so state and plan
//! files can store addresses as strings and read them back as the same typed values. `module`
//! and `data` are reserved words in the first position of a resource address (as in HCL, where
//! no resource type may be named so), which keeps `module.a.x.y` and `data.x.y` unambiguous.

use std::str::FromStr;

use crate::{AbsResourceAddr, InstanceKey, ModulePath, ProviderConfigAddr, ResourceAddr, ResourceInstanceAddr};

/// An address text that does not parse; the message says what was expected where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid address `{input}`: {message}")]
pub struct ParseAddrError {
    pub input: String,
    pub message: String,
}

impl FromStr for ResourceInstanceAddr {
    type Err = ParseAddrError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_all(text, |p| {
            let resource = p.abs_resource()?;
            let key = p.instance_key()?;
            Ok(ResourceInstanceAddr { resource, key })
        })
    }
}

impl FromStr for AbsResourceAddr {
    type Err = ParseAddrError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_all(text, Parser::abs_resource)
    }
}

impl FromStr for ResourceAddr {
    type Err = ParseAddrError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_all(text, Parser::resource)
    }
}

impl FromStr for ModulePath {
    type Err = ParseAddrError;

    /// `module.a[0].module.b`; the empty text is the root module.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.is_empty() {
            return Ok(ModulePath::root());
        }
        parse_all(text, |p| {
            let mut module = p.module_step(ModulePath::root())?;
            while p.eat('.') {
                module = p.module_step(module)?;
            }
            Ok(module)
        })
    }
}

impl FromStr for ProviderConfigAddr {
    type Err = ParseAddrError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_all(text, |p| {
            p.keyword("provider")?;
            p.expect('.')?;
            let name = p.identifier("a provider name")?;
            let alias = if p.eat('.') { Some(p.identifier("a provider alias")?) } else { None };
            Ok(ProviderConfigAddr { name, alias })
        })
    }
}

/// Runs `parse` and requires it to consume the whole text.
fn parse_all<'a, T>(
    text: &'a str,
    parse: impl FnOnce(&mut Parser<'a>) -> Result<T, String>,
) -> Result<T, ParseAddrError> {
    let mut parser = Parser { text, position: 0 };
    let result = parse(&mut parser).and_then(|value| match parser.peek() {
        None => Ok(value),
        Some(c) => Err(format!("unexpected `{c}` at offset {}", parser.position)),
    });
    result.map_err(|message| ParseAddrError { input: text.to_owned(), message })
}

struct Parser<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    position: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.position..].chars().next()
    }

    fn rest(&self) -> &str {
        &self.text[self.position..]
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.position += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.position += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) { Ok(()) } else { Err(format!("expected `{c}` at offset {}", self.position)) }
    }

    fn keyword(&mut self, word: &str) -> Result<(), String> {
        let start = self.position;
        match self.identifier_text() {
            Some(found) if found == word => Ok(()),
            _ => Err(format!("expected `{word}` at offset {start}")),
        }
    }

    /// An HCL identifier: a letter or `_`, then letters, digits, `_` or `-`.
    fn identifier(&mut self, what: &str) -> Result<String, String> {
        let start = self.position;
        match self.identifier_text() {
            Some(found) => Ok(found.to_owned()),
            None => Err(format!("expected {what} at offset {start}")),
        }
    }

    /// The identifier at the current position, borrowed (states are read by parsing every
    /// address they hold: no copy until one is kept).
    fn identifier_text(&mut self) -> Option<&str> {
        let start = self.position;
        match self.peek() {
            Some(c) if c.is_alphabetic() || c == '_' => {}
            _ => return None,
        }
        while matches!(self.peek(), Some(c) if c.is_alphanumeric() || c == '_' || c == '-') {
            self.bump();
        }
        Some(&self.text[start..self.position])
    }

    /// Does the rest start with `word` followed by a `.`? Used to tell reserved prefixes apart.
    fn at_prefix(&self, word: &str) -> bool {
        self.rest().strip_prefix(word).is_some_and(|after| after.starts_with('.'))
    }

    /// `module.NAME` with an optional instance key, appended to `module`.
    fn module_step(&mut self, module: ModulePath) -> Result<ModulePath, String> {
        self.keyword("module")?;
        self.expect('.')?;
        let name = self.identifier("a module call name")?;
        let key = self.instance_key()?;
        Ok(module.child_instance(&name, key))
    }

    /// `module.a[0].module.b.` prefixes, then a resource.
    fn abs_resource(&mut self) -> Result<AbsResourceAddr, String> {
        let mut module = ModulePath::root();
        while self.at_prefix("module") {
            module = self.module_step(module)?;
            self.expect('.')?;
        }
        let resource = self.resource()?;
        Ok(AbsResourceAddr { module, resource })
    }

    fn resource(&mut self) -> Result<ResourceAddr, String> {
        let data = self.at_prefix("data");
        if data {
            self.keyword("data")?;
            self.expect('.')?;
        }
        let type_name = self.identifier("a resource type")?;
        if type_name == "module" {
            return Err("`module` must be followed by `.NAME.` and a resource address".to_owned());
        }
        self.expect('.')?;
        let name = self.identifier("a resource name")?;
        Ok(if data { ResourceAddr::data(type_name, name) } else { ResourceAddr::managed(type_name, name) })
    }

    /// Nothing, `[INTEGER]` or `["STRING"]`.
    fn instance_key(&mut self) -> Result<InstanceKey, String> {
        if !self.eat('[') {
            return Ok(InstanceKey::None);
        }
        let key = if self.peek() == Some('"') { InstanceKey::String(self.string()?) } else { self.integer()? };
        self.expect(']')?;
        Ok(key)
    }

    fn integer(&mut self) -> Result<InstanceKey, String> {
        let start = self.position;
        self.eat('-');
        while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
            self.bump();
        }
        let digits = &self.text[start..self.position];
        digits
            .parse()
            .map(InstanceKey::Int)
            .map_err(|_| format!("expected an integer or a quoted string as instance key at offset {start}"))
    }

    /// A string as Rust's `{:?}` writes it, since that is what `InstanceKey`'s Display uses.
    fn string(&mut self) -> Result<String, String> {
        let start = self.position;
        self.expect('"')?;
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(format!("unterminated string starting at offset {start}")),
                Some('"') => return Ok(out),
                Some('\\') => out.push(self.escape()?),
                Some(c) => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, String> {
        let at = self.position;
        Ok(match self.bump() {
            Some('"') => '"',
            Some('\'') => '\'',
            Some('\\') => '\\',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('0') => '\0',
            Some('u') => {
                self.expect('{')?;
                let digits_start = self.position;
                while matches!(self.peek(), Some(c) if c.is_ascii_hexdigit()) {
                    self.bump();
                }
                let digits = &self.text[digits_start..self.position];
                self.expect('}')?;
                u32::from_str_radix(digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("invalid unicode escape at offset {at}"))?
            }
            _ => return Err(format!("invalid escape at offset {at}")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(module: &[&str], resource: ResourceAddr, key: InstanceKey) -> ResourceInstanceAddr {
        let module = module.iter().fold(ModulePath::root(), |path, name| path.child(name));
        ResourceInstanceAddr { resource: AbsResourceAddr { module, resource }, key }
    }

    fn keyed_instance(
        module: &[(&str, InstanceKey)],
        resource: ResourceAddr,
        key: InstanceKey,
    ) -> ResourceInstanceAddr {
        let module = module.iter().fold(ModulePath::root(), |path, (name, key)| path.child_instance(name, key.clone()));
        ResourceInstanceAddr { resource: AbsResourceAddr { module, resource }, key }
    }

    #[test]
    fn module_paths_round_trip() {
        for text in ["", "module.a", "module.a[0]", r#"module.a["k"].module.b"#, "module.a.module.b[3]"] {
            let path: ModulePath = text.parse().unwrap();
            assert_eq!(path.to_string(), text);
        }
        let cases = [
            ("module", "expected `.` at offset 6"),
            ("module.a.", "expected `module` at offset 9"),
            ("module.a[", "expected an integer or a quoted string as instance key at offset 9"),
            ("module.a.x.y", "expected `module` at offset 9"),
        ];
        for (text, message) in cases {
            assert_eq!(text.parse::<ModulePath>().unwrap_err().message, message, "{text}");
        }
    }

    /// Every address's text, and the value it must parse to; both directions are checked.
    fn instance_cases() -> Vec<(&'static str, ResourceInstanceAddr)> {
        let managed = ResourceAddr::managed;
        let data = ResourceAddr::data;
        vec![
            ("emr_cluster.a", instance(&[], managed("emr_cluster", "a"), InstanceKey::None)),
            ("data.x.y", instance(&[], data("x", "y"), InstanceKey::None)),
            (
                "module.m.module.n.strata_data.x[0]",
                instance(&["m", "n"], managed("strata_data", "x"), InstanceKey::Int(0)),
            ),
            ("module.m.data.local_file.f[-3]", instance(&["m"], data("local_file", "f"), InstanceKey::Int(-3))),
            (
                r#"strata_data.x["key with \"quotes\""]"#,
                instance(&[], managed("strata_data", "x"), InstanceKey::String("key with \"quotes\"".into())),
            ),
            (
                r#"a_b.c-d["tab\there\nnewline \\ back"]"#,
                instance(&[], managed("a_b", "c-d"), InstanceKey::String("tab\there\nnewline \\ back".into())),
            ),
            (r#"x.y["ключ.[]"]"#, instance(&[], managed("x", "y"), InstanceKey::String("ключ.[]".into()))),
            (
                r#"x.y["\u{301}accent \u{7f}"]"#,
                instance(&[], managed("x", "y"), InstanceKey::String("\u{301}accent \u{7f}".into())),
            ),
            (r#"x.y["it's"]"#, instance(&[], managed("x", "y"), InstanceKey::String("it's".into()))),
            (r#"x.y[""]"#, instance(&[], managed("x", "y"), InstanceKey::String(String::new()))),
            ("_x.module_y[9223372036854775807]", instance(&[], managed("_x", "module_y"), InstanceKey::Int(i64::MAX))),
            ("module.data.x.y", instance(&["data"], managed("x", "y"), InstanceKey::None)),
            (
                "module.web[0].strata_data.x",
                keyed_instance(&[("web", InstanceKey::Int(0))], managed("strata_data", "x"), InstanceKey::None),
            ),
            (
                r#"module.db["eu"].module.inner.strata_file.f[2]"#,
                keyed_instance(
                    &[("db", InstanceKey::String("eu".into())), ("inner", InstanceKey::None)],
                    managed("strata_file", "f"),
                    InstanceKey::Int(2),
                ),
            ),
            (
                r#"module.a["x.y[0]"].module.b[-1].data.t.n["k"]"#,
                keyed_instance(
                    &[("a", InstanceKey::String("x.y[0]".into())), ("b", InstanceKey::Int(-1))],
                    data("t", "n"),
                    InstanceKey::String("k".into()),
                ),
            ),
        ]
    }

    #[test]
    fn instance_addresses_round_trip() {
        for (text, expected) in instance_cases() {
            assert_eq!(expected.to_string(), text, "display of {expected:?}");
            assert_eq!(text.parse::<ResourceInstanceAddr>(), Ok(expected), "parse of {text}");
        }
    }

    #[test]
    fn resource_and_provider_addresses_round_trip() {
        for (text, _) in instance_cases() {
            let instance: ResourceInstanceAddr = text.parse().unwrap();
            let abs = instance.resource.to_string();
            assert_eq!(abs.parse::<AbsResourceAddr>(), Ok(instance.resource.clone()), "{abs}");
            let resource = instance.resource.resource.to_string();
            assert_eq!(resource.parse::<ResourceAddr>(), Ok(instance.resource.resource.clone()), "{resource}");
        }
        for provider in [
            ProviderConfigAddr::default_for("local"),
            ProviderConfigAddr { name: "local".into(), alias: Some("second".into()) },
        ] {
            assert_eq!(provider.to_string().parse::<ProviderConfigAddr>(), Ok(provider.clone()));
        }
        assert_eq!("provider.local.second".parse::<ProviderConfigAddr>().unwrap().alias.as_deref(), Some("second"));
    }

    /// Generated addresses from a fixed seed: every combination of the pieces below must print
    /// and parse back to itself.
    #[test]
    fn generated_addresses_round_trip() {
        let modules: [&[&str]; 3] = [&[], &["m"], &["a-b", "_c", "module_d"]];
        let keyed_modules = [
            vec![("m", InstanceKey::Int(7))],
            vec![("a", InstanceKey::String("]\\".into())), ("b", InstanceKey::None), ("c", InstanceKey::Int(0))],
        ];
        let resources = [
            ResourceAddr::managed("emr_cluster", "analytics"),
            ResourceAddr::data("local_file", "data"),
            ResourceAddr::managed("t", "module"),
        ];
        let keys = [
            InstanceKey::None,
            InstanceKey::Int(i64::MIN),
            InstanceKey::Int(42),
            InstanceKey::String("\"]\\[\u{0}\u{1b}\u{200d}é".into()),
            InstanceKey::String("module.x.y".into()),
        ];
        for module in modules {
            for resource in &resources {
                for key in &keys {
                    let addr = instance(module, resource.clone(), key.clone());
                    let text = addr.to_string();
                    assert_eq!(text.parse::<ResourceInstanceAddr>(), Ok(addr), "{text}");
                }
            }
        }
        for module in &keyed_modules {
            for resource in &resources {
                for key in &keys {
                    let addr = keyed_instance(module, resource.clone(), key.clone());
                    let text = addr.to_string();
                    assert_eq!(text.parse::<ResourceInstanceAddr>(), Ok(addr), "{text}");
                }
            }
        }
    }

    #[test]
    fn malformed_addresses_are_errors_with_a_message() {
        let cases = [
            ("", "expected a resource type at offset 0"),
            ("x", "expected `.` at offset 1"),
            ("x.y.z", "unexpected `.` at offset 3"),
            ("module.m", "expected `.` at offset 8"),
            ("module", "`module` must be followed by `.NAME.` and a resource address"),
            ("x.y[", "expected an integer or a quoted string as instance key at offset 4"),
            ("x.y[1", "expected `]` at offset 5"),
            (r#"x.y["a"#, "unterminated string starting at offset 4"),
            (r#"x.y["\q"]"#, "invalid escape at offset 6"),
            ("x.y[99999999999999999999]", "expected an integer or a quoted string as instance key at offset 4"),
            ("1x.y", "expected a resource type at offset 0"),
            ("x.y ", "unexpected ` ` at offset 3"),
            ("module.m[0]", "expected `.` at offset 11"),
            ("module.m[x].a.b", "expected an integer or a quoted string as instance key at offset 9"),
        ];
        for (text, message) in cases {
            let error = text.parse::<ResourceInstanceAddr>().unwrap_err();
            assert_eq!(error.message, message, "{text}");
            assert_eq!(error.to_string(), format!("invalid address `{text}`: {message}"));
        }
        assert!("x.y[0]".parse::<AbsResourceAddr>().is_err());
        assert!("module.m.x.y".parse::<ResourceAddr>().is_err());
        assert_eq!("provider".parse::<ProviderConfigAddr>().unwrap_err().message, "expected `.` at offset 8");
        assert_eq!("local.x".parse::<ProviderConfigAddr>().unwrap_err().message, "expected `provider` at offset 0");
    }
}
