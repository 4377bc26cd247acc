//! The table of functions: signature (which gives the name, the parameter names and the
//! arity), result type, how unknown arguments are handled, and the implementation.

use strata_value::{Type, Value};

use crate::args::Args;
use crate::{Arity, FunctionError, collections, conversion, crypto, encoding, filesystem, format, impure, lists};
use crate::{network, numeric, pattern, sets, strings};

/// How a function treats arguments that are not wholly known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Unknowns {
    /// Any unknown anywhere in the arguments makes the result unknown (done in `marks.rs`).
    Generic,
    /// The function receives unknowns and returns as much as is known (`length`, `keys`, ...).
    Custom,
}

pub(crate) struct Spec {
    /// `join(separator, list)`; `[name]` is optional, `name...` variadic.
    pub(crate) signature: &'static str,
    /// The type of the result, given the arguments, for unknown results.
    pub(crate) returns: fn(&[Value]) -> Type,
    pub(crate) unknowns: Unknowns,
    pub(crate) run: fn(&Args) -> Result<Value, FunctionError>,
}

impl Spec {
    pub(crate) fn name(&self) -> &'static str {
        self.signature.split_once('(').map_or(self.signature, |(name, _)| name)
    }

    fn params(&self) -> impl Iterator<Item = &'static str> {
        let inner = self.signature.split_once('(').map_or("", |(_, rest)| rest.trim_end_matches(')'));
        inner.split(", ").filter(|p| !p.is_empty())
    }

    /// The name of the parameter receiving argument `index` (variadic ones repeat).
    pub(crate) fn param(&self, index: usize) -> &'static str {
        let params: Vec<&str> = self.params().collect();
        let raw = params.get(index).or(params.last()).copied().unwrap_or("");
        raw.trim_start_matches('[').trim_end_matches(']').trim_end_matches("...")
    }

    pub(crate) fn arity(&self) -> Arity {
        let (mut required, mut optional, mut variadic) = (0, 0, false);
        for param in self.params() {
            if param.ends_with("...") {
                variadic = true;
            } else if param.starts_with('[') {
                optional += 1;
            } else {
                required += 1;
            }
        }
        match (variadic, optional) {
            // A variadic parameter takes at least one argument when it is the only one.
            (true, _) => Arity::AtLeast(required.max(1)),
            (false, 0) => Arity::Exact(required),
            (false, optional) => Arity::Range(required, required + optional),
        }
    }
}

pub(crate) fn find(name: &str) -> Option<&'static Spec> {
    FUNCTIONS.binary_search_by(|spec| spec.name().cmp(name)).ok().map(|i| &FUNCTIONS[i])
}

fn string(_: &[Value]) -> Type {
    Type::String
}
fn number(_: &[Value]) -> Type {
    Type::Number
}
fn bool(_: &[Value]) -> Type {
    Type::Bool
}
fn any(_: &[Value]) -> Type {
    Type::Any
}
fn list_of_string(_: &[Value]) -> Type {
    Type::list(Type::String)
}
fn list_of_number(_: &[Value]) -> Type {
    Type::list(Type::Number)
}
fn list_of_any(_: &[Value]) -> Type {
    Type::list(Type::Any)
}
fn set_of_any(_: &[Value]) -> Type {
    Type::set(Type::Any)
}
fn map_of_any(_: &[Value]) -> Type {
    Type::map(Type::Any)
}
fn map_of_list_of_string(_: &[Value]) -> Type {
    Type::map(Type::list(Type::String))
}
/// The type of the first argument (`reverse`, `slice`, ...).
fn first(args: &[Value]) -> Type {
    args.first().map_or(Type::Any, Type::of)
}

use Unknowns::{Custom, Generic};

const fn f(
    signature: &'static str,
    returns: fn(&[Value]) -> Type,
    unknowns: Unknowns,
    run: fn(&Args) -> Result<Value, FunctionError>,
) -> Spec {
    Spec { signature, returns, unknowns, run }
}

/// Every function, sorted by name.
#[rustfmt::skip]
pub(crate) static FUNCTIONS: &[Spec] = &[
    f("abs(number)", number, Generic, numeric::abs),
    f("abspath(path)", string, Generic, filesystem::abspath),
    f("alltrue(list)", bool, Generic, lists::alltrue),
    f("anytrue(list)", bool, Generic, lists::anytrue),
    f("base64decode(string)", string, Generic, encoding::base64decode),
    f("base64encode(string)", string, Generic, encoding::base64encode),
    f("base64sha256(string)", string, Generic, crypto::base64sha256),
    f("base64sha512(string)", string, Generic, crypto::base64sha512),
    f("basename(path)", string, Generic, filesystem::basename),
    f("ceil(number)", number, Generic, numeric::ceil),
    f("chomp(string)", string, Generic, strings::chomp),
    f("chunklist(list, size)", list_of_any, Generic, lists::chunklist),
    f("cidrhost(prefix, hostnum)", string, Generic, network::cidrhost),
    f("cidrnetmask(prefix)", string, Generic, network::cidrnetmask),
    f("cidrsubnet(prefix, newbits, netnum)", string, Generic, network::cidrsubnet),
    f("cidrsubnets(prefix, newbits...)", list_of_string, Generic, network::cidrsubnets),
    f("coalesce(values...)", any, Custom, collections::coalesce),
    f("coalescelist(lists...)", any, Generic, collections::coalescelist),
    f("compact(list)", list_of_string, Generic, lists::compact),
    f("concat(lists...)", list_of_any, Custom, lists::concat),
    f("contains(list, value)", bool, Custom, collections::contains),
    f("dirname(path)", string, Generic, filesystem::dirname),
    f("distinct(list)", first, Generic, lists::distinct),
    f("element(list, index)", any, Custom, collections::element),
    f("endswith(string, suffix)", bool, Generic, strings::endswith),
    f("file(path)", string, Generic, filesystem::file),
    f("filebase64(path)", string, Generic, filesystem::filebase64),
    f("fileexists(path)", bool, Generic, filesystem::fileexists),
    f("flatten(list)", list_of_any, Generic, lists::flatten),
    f("floor(number)", number, Generic, numeric::floor),
    f("format(spec, values...)", string, Generic, format::format),
    f("formatlist(spec, values...)", list_of_string, Generic, format::formatlist),
    f("indent(spaces, string)", string, Generic, strings::indent),
    f("index(list, value)", number, Generic, collections::index),
    f("join(separator, list)", string, Generic, strings::join),
    f("jsondecode(string)", any, Generic, encoding::jsondecode),
    f("jsonencode(value)", string, Generic, encoding::jsonencode),
    f("keys(map)", list_of_string, Custom, collections::keys),
    f("length(value)", number, Custom, collections::length),
    f("log(number, base)", number, Generic, numeric::log),
    f("lookup(map, key, [default])", any, Custom, collections::lookup),
    f("lower(string)", string, Generic, strings::lower),
    f("max(numbers...)", number, Generic, numeric::max),
    f("md5(string)", string, Generic, crypto::md5),
    f("merge(maps...)", map_of_any, Custom, collections::merge),
    f("min(numbers...)", number, Generic, numeric::min),
    f("one(list)", any, Generic, lists::one),
    f("parseint(number, base)", number, Generic, numeric::parseint),
    f("pow(number, power)", number, Generic, numeric::pow),
    f("range(start_or_limit, [limit], [step])", list_of_number, Generic, lists::range),
    f("regex(pattern, string)", any, Generic, pattern::regex),
    f("regexall(pattern, string)", list_of_any, Generic, pattern::regexall),
    f("replace(string, substring, replacement)", string, Generic, strings::replace),
    f("reverse(list)", first, Generic, lists::reverse),
    f("setintersection(sets...)", set_of_any, Generic, sets::setintersection),
    f("setsubtract(a, b)", set_of_any, Generic, sets::setsubtract),
    f("setunion(sets...)", set_of_any, Generic, sets::setunion),
    f("sha1(string)", string, Generic, crypto::sha1),
    f("sha256(string)", string, Generic, crypto::sha256),
    f("sha512(string)", string, Generic, crypto::sha512),
    f("signum(number)", number, Generic, numeric::signum),
    f("slice(list, start_index, end_index)", first, Generic, lists::slice),
    f("sort(list)", list_of_string, Generic, lists::sort),
    f("split(separator, string)", list_of_string, Generic, strings::split),
    f("startswith(string, prefix)", bool, Generic, strings::startswith),
    f("strrev(string)", string, Generic, strings::strrev),
    f("substr(string, offset, length)", string, Generic, strings::substr),
    f("sum(list)", number, Generic, numeric::sum),
    f("timestamp()", string, Generic, impure::timestamp),
    f("title(string)", string, Generic, strings::title),
    f("tobool(value)", bool, Generic, conversion::tobool),
    f("tolist(value)", list_of_any, Custom, conversion::tolist),
    f("tomap(value)", map_of_any, Custom, conversion::tomap),
    f("tonumber(value)", number, Generic, conversion::tonumber),
    f("toset(value)", set_of_any, Generic, conversion::toset),
    f("tostring(value)", string, Generic, conversion::tostring),
    f("transpose(map)", map_of_list_of_string, Generic, collections::transpose),
    f("trim(string, str_character_set)", string, Generic, strings::trim),
    f("trimprefix(string, prefix)", string, Generic, strings::trimprefix),
    f("trimspace(string)", string, Generic, strings::trimspace),
    f("trimsuffix(string, suffix)", string, Generic, strings::trimsuffix),
    f("upper(string)", string, Generic, strings::upper),
    f("urlencode(string)", string, Generic, encoding::urlencode),
    f("uuid()", string, Generic, impure::uuid),
    f("values(map)", list_of_any, Custom, collections::values),
    f("yamldecode(string)", any, Generic, encoding::yamldecode),
    f("yamlencode(value)", string, Generic, encoding::yamlencode),
    f("zipmap(keys, values)", map_of_any, Generic, collections::zipmap),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for pair in FUNCTIONS.windows(2) {
            assert!(pair[0].name() < pair[1].name(), "{} must come before {}", pair[1].name(), pair[0].name());
        }
    }

    #[test]
    fn signatures_give_arity_and_parameter_names() {
        let cases = [
            ("join", Arity::Exact(2), 1, "list"),
            ("lookup", Arity::Range(2, 3), 2, "default"),
            ("range", Arity::Range(1, 3), 0, "start_or_limit"),
            ("merge", Arity::AtLeast(1), 4, "maps"),
            ("format", Arity::AtLeast(1), 3, "values"),
            ("uuid", Arity::Exact(0), 0, ""),
        ];
        for (name, arity, index, param) in cases {
            let spec = find(name).unwrap();
            assert_eq!((spec.arity(), spec.param(index)), (arity, param), "{name}");
        }
    }
}
