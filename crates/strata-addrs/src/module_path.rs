//! Module paths (`module.a.module.b`, and with instance keys `module.a[0].module.b["x"]`).

use std::fmt;

use crate::InstanceKey;

/// One step of a module path: a module call and, for a call with `count`/`for_each`, the key
/// of one of its instances.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleStep {
    pub name: String,
    pub key: InstanceKey,
}

/// The path of module calls from the root module; empty for the root.
///
/// A path is an *instance* path: each step may carry the [`InstanceKey`] of one instance of a
/// repeated call (`module.web[0]`). A path whose steps carry no keys is *static*: it names the
/// module in the configuration, which is what [`ModulePath::to_static`] gives for config
/// lookups, the dependency graph and `depends_on`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModulePath(Vec<ModuleStep>);

impl ModulePath {
    pub fn root() -> ModulePath {
        ModulePath(Vec::new())
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The path of call `name` (without an instance key) in this module.
    pub fn child(&self, name: &str) -> ModulePath {
        self.child_instance(name, InstanceKey::None)
    }

    /// The path of one instance of call `name` in this module.
    pub fn child_instance(&self, name: &str, key: InstanceKey) -> ModulePath {
        let mut path = self.0.clone();
        path.push(ModuleStep { name: name.to_owned(), key });
        ModulePath(path)
    }

    /// The names of the calls, root first.
    pub fn calls(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.0.iter().map(|step| step.name.as_str())
    }

    pub fn steps(&self) -> &[ModuleStep] {
        &self.0
    }

    /// The module that calls this one and the step from it; `None` for the root.
    pub fn parent(&self) -> Option<(ModulePath, &ModuleStep)> {
        let (last, rest) = self.0.split_last()?;
        Some((ModulePath(rest.to_vec()), last))
    }

    /// The same path without instance keys: the module in the configuration.
    pub fn to_static(&self) -> ModulePath {
        ModulePath(self.0.iter().map(|step| ModuleStep { name: step.name.clone(), key: InstanceKey::None }).collect())
    }

    /// This path with its leading `from` (matched step for step, keys included) replaced by
    /// `to`: `module.a.module.b` with `module.a` → `module.a[0]` is `module.a[0].module.b`.
    /// `None` when the path does not start with `from`.
    pub fn replace_prefix(&self, from: &ModulePath, to: &ModulePath) -> Option<ModulePath> {
        let rest = self.0.strip_prefix(from.0.as_slice())?;
        let mut path = to.0.clone();
        path.extend(rest.iter().cloned());
        Some(ModulePath(path))
    }

    /// Whether no step carries an instance key.
    pub fn is_static(&self) -> bool {
        self.0.iter().all(|step| step.key == InstanceKey::None)
    }

    /// Whether `self` names `other` or a module inside it, where a step of `self` without a
    /// key stands for every instance of its call (`module.web` contains `module.web[1].module.x`).
    pub fn contains(&self, other: &ModulePath) -> bool {
        self.0.len() <= other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|(a, b)| a.name == b.name && (a.key == InstanceKey::None || a.key == b.key))
    }
}

impl fmt::Display for ModulePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "module.{}{}", step.name, step.key)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_paths_print_keys_and_give_their_static_path() {
        let path = ModulePath::root()
            .child_instance("web", InstanceKey::Int(1))
            .child("inner")
            .child_instance("db", InstanceKey::String("eu".into()));
        assert_eq!(path.to_string(), r#"module.web[1].module.inner.module.db["eu"]"#);
        assert_eq!(path.to_static().to_string(), "module.web.module.inner.module.db");
        assert!(!path.is_static());
        assert!(path.to_static().is_static());
        assert_eq!(path.calls().collect::<Vec<_>>(), ["web", "inner", "db"]);
        let (parent, step) = path.parent().unwrap();
        assert_eq!(parent.to_string(), "module.web[1].module.inner");
        assert_eq!(step.key, InstanceKey::String("eu".into()));
        assert!(ModulePath::root().parent().is_none());
    }

    #[test]
    fn prefixes_are_replaced_step_for_step() {
        let a = ModulePath::root().child("a");
        let a0 = ModulePath::root().child_instance("a", InstanceKey::Int(0));
        let inner = a.child("b");
        assert_eq!(inner.replace_prefix(&a, &a0).unwrap().to_string(), "module.a[0].module.b");
        assert_eq!(a.replace_prefix(&a, &a0), Some(a0.clone()));
        // A keyed path does not start with the unkeyed one, nor the reverse.
        assert_eq!(a0.child("b").replace_prefix(&a, &a0), None);
        assert_eq!(inner.replace_prefix(&a0, &a), None);
    }

    #[test]
    fn a_path_without_keys_contains_every_instance() {
        let web = ModulePath::root().child("web");
        let web1 = ModulePath::root().child_instance("web", InstanceKey::Int(1));
        let web1_inner = web1.child("inner");
        assert!(web.contains(&web1));
        assert!(web.contains(&web1_inner));
        assert!(web1.contains(&web1_inner));
        assert!(!web1.contains(&ModulePath::root().child_instance("web", InstanceKey::Int(2))));
        assert!(!web1_inner.contains(&web1));
        assert!(ModulePath::root().contains(&web1));
    }
}
