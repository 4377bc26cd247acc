//! CIDR arithmetic, with the vectors from Terraform's documentation.

use crate::{Case, check_all, n, s, strs};

#[test]
fn cidrhost() {
    let cases: Vec<Case> = vec![
        ("cidrhost", vec![s("10.12.112.0/20"), n(16)], Ok(s("10.12.112.16"))),
        ("cidrhost", vec![s("10.12.112.0/20"), n(268)], Ok(s("10.12.113.12"))),
        ("cidrhost", vec![s("fd00:fd12:3456:7890:00a2::/72"), n(34)], Ok(s("fd00:fd12:3456:7890::22"))),
        ("cidrhost", vec![s("10.0.0.7/24"), n(5)], Ok(s("10.0.0.5"))),
        ("cidrhost", vec![s("10.0.0.0/24"), n(-1)], Ok(s("10.0.0.255"))),
        ("cidrhost", vec![s("10.0.0.0/24"), n(-256)], Ok(s("10.0.0.0"))),
        ("cidrhost", vec![s("10.0.0.0/32"), n(0)], Ok(s("10.0.0.0"))),
        ("cidrhost", vec![s("::/0"), n(-1)], Ok(s("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))),
        (
            "cidrhost",
            vec![s("10.0.0.0/24"), n(256)],
            Err("Invalid value for \"hostnum\": a prefix of 24 bits does not accommodate a host numbered 256."),
        ),
        (
            "cidrhost",
            vec![s("10.0.0.0/24"), n(-257)],
            Err("Invalid value for \"hostnum\": a prefix of 24 bits does not accommodate a host numbered -257."),
        ),
        (
            "cidrhost",
            vec![s("10.0.0.0"), n(1)],
            Err("Invalid value for \"prefix\": \"10.0.0.0\" is not a CIDR prefix such as \"10.0.0.0/16\"."),
        ),
        (
            "cidrhost",
            vec![s("10.0.0.0/33"), n(1)],
            Err("Invalid value for \"prefix\": \"10.0.0.0/33\" is not a CIDR prefix such as \"10.0.0.0/16\"."),
        ),
        (
            "cidrhost",
            vec![s("10.0.0.256/8"), n(1)],
            Err("Invalid value for \"prefix\": \"10.0.0.256/8\" is not a CIDR prefix such as \"10.0.0.0/16\"."),
        ),
    ];
    check_all(cases);
}

#[test]
fn cidrsubnet() {
    let cases: Vec<Case> = vec![
        ("cidrsubnet", vec![s("172.16.0.0/12"), n(4), n(2)], Ok(s("172.18.0.0/16"))),
        ("cidrsubnet", vec![s("10.1.2.0/24"), n(4), n(15)], Ok(s("10.1.2.240/28"))),
        ("cidrsubnet", vec![s("10.0.0.0/8"), n(8), n(2)], Ok(s("10.2.0.0/16"))),
        // Terraform's documentation gives this result; its host bits are masked off first.
        ("cidrsubnet", vec![s("fd00:fd12:3456:7890::/56"), n(16), n(162)], Ok(s("fd00:fd12:3456:7800:a200::/72"))),
        ("cidrsubnet", vec![s("2607:f298:6051:516c::/64"), n(8), n(2)], Ok(s("2607:f298:6051:516c:200::/72"))),
        ("cidrsubnet", vec![s("010.001.0.0/16"), n(0), n(0)], Ok(s("10.1.0.0/16"))),
        ("cidrsubnet", vec![s("::/0"), n(0), n(0)], Ok(s("::/0"))),
        (
            "cidrsubnet",
            vec![s("10.0.0.0/30"), n(3), n(0)],
            Err("Invalid value for \"newbits\": insufficient address space to extend a prefix of 30 bits by 3."),
        ),
        (
            "cidrsubnet",
            vec![s("10.0.0.0/24"), n(2), n(4)],
            Err("Invalid value for \"netnum\": a prefix extension of 2 bits does not accommodate a subnet numbered 4."),
        ),
        (
            "cidrsubnet",
            vec![s("10.0.0.0/24"), n(2), n(-1)],
            Err(
                "Invalid value for \"netnum\": a prefix extension of 2 bits does not accommodate a subnet numbered -1.",
            ),
        ),
    ];
    check_all(cases);
}

#[test]
fn cidrsubnets_and_netmask() {
    let cases: Vec<Case> = vec![
        (
            "cidrsubnets",
            vec![s("10.1.0.0/16"), n(4), n(4), n(8), n(4)],
            Ok(strs(&["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"])),
        ),
        (
            "cidrsubnets",
            vec![s("fd00:fd12:3456:7890::/56"), n(16), n(16), n(16), n(32)],
            Ok(strs(&[
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88",
            ])),
        ),
        ("cidrsubnets", vec![s("10.0.0.0/30"), n(1), n(1)], Ok(strs(&["10.0.0.0/31", "10.0.0.2/31"]))),
        (
            "cidrsubnets",
            vec![s("10.0.0.0/30"), n(1), n(1), n(1)],
            Err(
                "Invalid value for \"newbits\": not enough address space is left for a subnet with a prefix of 31 bits.",
            ),
        ),
        (
            "cidrsubnets",
            vec![s("10.0.0.0/8"), n(0)],
            Err("Invalid value for \"newbits\": a prefix can be extended by 1 to 32 bits, not 0."),
        ),
        ("cidrnetmask", vec![s("172.16.0.0/12")], Ok(s("255.240.0.0"))),
        ("cidrnetmask", vec![s("10.0.0.0/32")], Ok(s("255.255.255.255"))),
        ("cidrnetmask", vec![s("0.0.0.0/0")], Ok(s("0.0.0.0"))),
        ("cidrnetmask", vec![s("fd00::/8")], Err("Invalid value for \"prefix\": only IPv4 prefixes have a netmask.")),
    ];
    check_all(cases);
}
