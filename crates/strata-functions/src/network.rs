//! IP address arithmetic on CIDR prefixes, IPv4 and IPv6: `cidrhost`, `cidrsubnet`,
//! `cidrsubnets`, `cidrnetmask`. Addresses are handled as `u128` numbers of 32 or 128 bits.

use std::net::{Ipv4Addr, Ipv6Addr};

use strata_value::Value;

use crate::FunctionError;
use crate::args::Args;

/// A network: its first address and prefix length.
#[derive(Clone, Copy)]
struct Network {
    address: u128,
    length: u32,
    /// 32 for IPv4, 128 for IPv6.
    bits: u32,
}

impl Network {
    fn all_ones(self) -> u128 {
        if self.bits == 128 { u128::MAX } else { (1 << self.bits) - 1 }
    }

    /// The mask of the network part for a prefix of `length` bits.
    fn mask(self, length: u32) -> u128 {
        let host = if length >= self.bits { 0 } else { self.all_ones() >> length };
        self.all_ones() & !host
    }

    /// The number of addresses in a prefix of `length` bits, if it fits in a u128.
    fn size(self, length: u32) -> Option<u128> {
        1u128.checked_shl(self.bits - length)
    }

    fn show_address(self, address: u128) -> String {
        if self.bits == 32 { Ipv4Addr::from(address as u32).to_string() } else { Ipv6Addr::from(address).to_string() }
    }

    fn show(self) -> String {
        format!("{}/{}", self.show_address(self.address), self.length)
    }
}

/// IPv4 octets are read as decimal even with leading zeros, as Terraform does.
fn parse_ipv4(text: &str) -> Option<u32> {
    let octets: Vec<&str> = text.split('.').collect();
    if octets.len() != 4 {
        return None;
    }
    octets.iter().try_fold(0u32, |address, octet| {
        let valid = !octet.is_empty() && octet.len() <= 3 && octet.bytes().all(|b| b.is_ascii_digit());
        valid.then(|| octet.parse::<u8>().ok()).flatten().map(|byte| (address << 8) | u32::from(byte))
    })
}

fn parse_network(args: &Args, index: usize) -> Result<Network, FunctionError> {
    let text = args.string(index)?;
    let invalid =
        || args.invalid(index, format!("{} is not a CIDR prefix such as \"10.0.0.0/16\"", args.quote(index, &text)));
    let (address, length) = text.split_once('/').ok_or_else(invalid)?;
    let (address, bits) = match parse_ipv4(address) {
        Some(v4) => (u128::from(v4), 32),
        None => (address.parse::<Ipv6Addr>().map_err(|_| invalid())?.into(), 128),
    };
    let length: u32 = length.parse().ok().filter(|&n| n <= bits).ok_or_else(invalid)?;
    let network = Network { address, length, bits };
    Ok(Network { address: address & network.mask(length), ..network })
}

/// Host number `hostnum` in the prefix; negative numbers count back from the last address.
pub(crate) fn cidrhost(args: &Args) -> Result<Value, FunctionError> {
    let network = parse_network(args, 0)?;
    let hostnum = args.integer(1)?;
    let count = network.size(network.length);
    let offset = match (count, hostnum) {
        (Some(count), n) if n >= 0 && (n as u128) < count => Some(n as u128),
        (None, n) if n >= 0 => Some(n as u128),
        (Some(count), n) if n < 0 && n.unsigned_abs() as u128 <= count => Some(count - n.unsigned_abs() as u128),
        (None, n) if n < 0 => Some(0u128.wrapping_sub(n.unsigned_abs() as u128)),
        _ => None,
    };
    let offset = offset.ok_or_else(|| {
        args.invalid(1, format!("a prefix of {} bits does not accommodate a host numbered {hostnum}", network.length))
    })?;
    Ok(Value::String(network.show_address(network.address + offset)))
}

/// Subnet `netnum` of the prefix extended by `newbits` bits.
pub(crate) fn cidrsubnet(args: &Args) -> Result<Value, FunctionError> {
    let network = parse_network(args, 0)?;
    let newbits = args.integer(1)?;
    let netnum = args.integer(2)?;
    if newbits < 0 || network.length as i64 + newbits > network.bits as i64 {
        let message = format!("insufficient address space to extend a prefix of {} bits by {newbits}", network.length);
        return Err(args.invalid(1, message));
    }
    let length = network.length + newbits as u32;
    let fits = netnum >= 0 && 1u128.checked_shl(newbits as u32).is_none_or(|count| (netnum as u128) < count);
    if !fits {
        let message = format!("a prefix extension of {newbits} bits does not accommodate a subnet numbered {netnum}");
        return Err(args.invalid(2, message));
    }
    let subnet = (netnum as u128).checked_shl(network.bits - length).unwrap_or(0);
    Ok(Value::String(Network { address: network.address | subnet, length, ..network }.show()))
}

/// Consecutive subnets, one per `newbits` argument, each as large as its extension says and
/// aligned after the previous one.
pub(crate) fn cidrsubnets(args: &Args) -> Result<Value, FunctionError> {
    let network = parse_network(args, 0)?;
    let full = network.all_ones();
    let mut next_free = network.address;
    let mut out = Vec::new();
    for index in 1..args.len() {
        let newbits = args.integer(index)?;
        if !(1..=32).contains(&newbits) {
            return Err(args.invalid(index, format!("a prefix can be extended by 1 to 32 bits, not {newbits}")));
        }
        let length = network.length + newbits as u32;
        if length > network.bits {
            let message = format!("extending the prefix to {length} bits is too long for this address family");
            return Err(args.invalid(index, message));
        }
        let block = network.size(length).unwrap_or(0);
        // Round up to the next boundary of this subnet size.
        let aligned = next_free.checked_add(block - 1).map(|end| end & network.mask(length)).filter(|&a| a <= full);
        let end = aligned.and_then(|start| start.checked_add(block - 1));
        match (aligned, end) {
            (Some(start), Some(end)) if end & network.mask(network.length) == network.address && end <= full => {
                out.push(Value::String(Network { address: start, length, ..network }.show()));
                next_free = end.wrapping_add(1);
            }
            _ => {
                let message = format!("not enough address space is left for a subnet with a prefix of {length} bits");
                return Err(args.invalid(index, message));
            }
        }
    }
    Ok(Value::List(out))
}

/// The IPv4 netmask of the prefix: `cidrnetmask("172.16.0.0/12")` is "255.240.0.0".
pub(crate) fn cidrnetmask(args: &Args) -> Result<Value, FunctionError> {
    let network = parse_network(args, 0)?;
    if network.bits != 32 {
        return Err(args.invalid(0, "only IPv4 prefixes have a netmask"));
    }
    Ok(Value::String(network.show_address(network.mask(network.length))))
}
