//! `alicloud_security_group`: a security group of a VPC and its ingress rules
//! (`CreateSecurityGroup`, one `AuthorizeSecurityGroup` per rule; updates revoke the rules that
//! went and authorize the new ones).

use std::sync::Arc;

use strata_provider_sdk::{Ctx, Model, Plan, ProviderError, Resource, async_trait};

use super::{is_code, settle, token};
use crate::api::ecs::{self as api, Permission};
use crate::api::vpc::Filter;
use crate::client::Client;
use crate::settings::Shared;

/// A security group: a stateful firewall for the instances in it.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct SecurityGroup {
    /// The VPC, `vpc-...`.
    #[strata(required, force_new)]
    pub vpc_id: String,
    /// Name (2 to 128 characters, starting with a letter); changed in place.
    pub name: Option<String>,
    /// Description; changed in place.
    pub description: Option<String>,
    /// An inbound rule (outbound traffic is allowed).
    #[strata(block)]
    pub ingress: Vec<IngressRule>,
    /// The security group id, `sg-...`.
    #[strata(computed)]
    pub id: Option<String>,
}

/// One inbound rule.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct IngressRule {
    /// "tcp", "udp", "icmp", "gre" or "all".
    #[strata(required, allowed = "tcp,udp,icmp,gre,all")]
    pub protocol: String,
    /// Ports "FROM/TO", e.g. "22/22" (tcp and udp); "-1/-1" (the default) for the others.
    pub port_range: Option<String>,
    /// Where traffic may come from, e.g. "10.0.0.0/16" or "0.0.0.0/0".
    #[strata(required)]
    pub cidr_ip: String,
    /// "accept" (the default) or "drop".
    #[strata(optional, allowed = "accept,drop")]
    pub policy: Option<String>,
    /// 1 (evaluated first; the default) to 100.
    pub priority: Option<u32>,
    /// Description.
    pub description: Option<String>,
}

impl IngressRule {
    /// The rule as the API takes it, defaults filled in.
    fn permission(&self) -> Permission {
        Permission {
            ip_protocol: self.protocol.to_ascii_lowercase(),
            port_range: self.port_range.clone().unwrap_or_else(|| "-1/-1".to_owned()),
            source_cidr_ip: self.cidr_ip.clone(),
            policy: self.policy.clone().unwrap_or_else(|| "accept".to_owned()).to_ascii_lowercase(),
            priority: self.priority.unwrap_or(1).to_string(),
            description: self.description.clone().unwrap_or_default(),
            direction: String::new(),
        }
    }

    fn from_permission(permission: &Permission) -> IngressRule {
        IngressRule {
            protocol: permission.ip_protocol.to_ascii_lowercase(),
            port_range: Some(permission.port_range.clone()),
            cidr_ip: permission.source_cidr_ip.clone(),
            policy: Some(permission.policy.to_ascii_lowercase()),
            priority: permission.priority.parse().ok(),
            description: Some(permission.description.clone()).filter(|d| !d.is_empty()),
        }
    }
}

/// A permission as read back, normalized to compare with [`IngressRule::permission`].
fn normalized(permission: &Permission) -> Permission {
    Permission {
        ip_protocol: permission.ip_protocol.to_ascii_lowercase(),
        policy: permission.policy.to_ascii_lowercase(),
        direction: String::new(),
        ..permission.clone()
    }
}

/// The rules now: those of `prior` that still exist kept as written, then any others the group
/// has (added outside Strata), so the plan shows the difference.
fn rules_now(prior: &[IngressRule], actual: &[Permission]) -> Vec<IngressRule> {
    let actual: Vec<Permission> = actual.iter().map(normalized).collect();
    let mut rules: Vec<IngressRule> =
        prior.iter().filter(|rule| actual.contains(&rule.permission())).cloned().collect();
    let known: Vec<Permission> = rules.iter().map(IngressRule::permission).collect();
    rules.extend(actual.iter().filter(|permission| !known.contains(permission)).map(IngressRule::from_permission));
    rules
}

pub struct SecurityGroupResource(pub Arc<Shared>);

impl SecurityGroupResource {
    async fn state(
        client: &Client,
        group: &api::SecurityGroup,
        prior: &[IngressRule],
    ) -> Result<SecurityGroup, ProviderError> {
        let permissions = api::ingress_rules(client, &group.security_group_id).await?;
        Ok(SecurityGroup {
            vpc_id: group.vpc_id.clone(),
            name: Some(group.security_group_name.clone()).filter(|name| !name.is_empty()),
            description: Some(group.description.clone()).filter(|description| !description.is_empty()),
            ingress: rules_now(prior, &permissions),
            id: Some(group.security_group_id.clone()),
        })
    }

    /// Authorizes the `wanted` rules that are not in `have` and revokes the `have` rules not
    /// wanted.
    async fn reconcile(
        client: &Client,
        id: &str,
        have: &[IngressRule],
        wanted: &[IngressRule],
    ) -> Result<(), ProviderError> {
        let have: Vec<Permission> = have.iter().map(IngressRule::permission).collect();
        let wanted: Vec<Permission> = wanted.iter().map(IngressRule::permission).collect();
        for (index, rule) in have.iter().enumerate() {
            if !wanted.contains(rule) {
                api::revoke(client, id, rule).await.map_err(|error| error.at(&format!("ingress.{index}")))?;
            }
        }
        for (index, rule) in wanted.iter().enumerate() {
            if !have.contains(rule) {
                api::authorize(client, id, rule).await.map_err(|error| error.at(&format!("ingress.{index}")))?;
            }
        }
        Ok(())
    }

    async fn found(
        &self,
        ctx: &Ctx,
        filter: Filter<'_>,
        prior: &[IngressRule],
    ) -> Result<Option<SecurityGroup>, ProviderError> {
        let client = self.0.client(ctx)?;
        match api::describe_security_groups(&client, filter).await?.first() {
            Some(group) => Ok(Some(Self::state(&client, group, prior).await?)),
            None => Ok(None),
        }
    }
}

#[async_trait]
impl Resource for SecurityGroupResource {
    type Model = SecurityGroup;
    const TYPE_NAME: &'static str = "alicloud_security_group";

    /// The default plan; a provider that cannot make its client (no credentials, no region)
    /// says so at plan time.
    async fn plan(&self, ctx: &Ctx, _plan: &mut Plan<SecurityGroup>) -> Result<(), ProviderError> {
        self.0.client(ctx).map(drop)
    }

    async fn create(&self, ctx: &Ctx, mut planned: SecurityGroup) -> Result<SecurityGroup, ProviderError> {
        let client = self.0.client(ctx)?;
        let name = planned.name.as_deref().unwrap_or_default();
        let description = planned.description.as_deref().unwrap_or_default();
        let id = api::create_security_group(&client, &planned.vpc_id, name, description, &token(ctx)).await.map_err(
            |error| match error.code() {
                Some(code) if code.starts_with("InvalidVpcId") => error.at("vpc_id"),
                Some(code) if code.starts_with("InvalidSecurityGroupName") => error.at("name"),
                _ => error.into(),
            },
        )?;
        // A retried create finds the rules it already added: authorizing them again is a no-op.
        Self::reconcile(&client, &id, &[], &planned.ingress).await?;
        planned.id = Some(id);
        Ok(planned)
    }

    async fn read(&self, ctx: &Ctx, current: SecurityGroup) -> Result<Option<SecurityGroup>, ProviderError> {
        let Some(id) = current.id.as_deref() else { return Ok(None) };
        self.found(ctx, Filter::Id(id), &current.ingress).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: SecurityGroup,
        mut planned: SecurityGroup,
    ) -> Result<SecurityGroup, ProviderError> {
        let id = prior.id.clone().ok_or_else(|| ProviderError::new("the security group's id is not in state"))?;
        let client = self.0.client(ctx)?;
        if planned.name != prior.name || planned.description != prior.description {
            let name = planned.name.as_deref().unwrap_or_default();
            let description = planned.description.as_deref().unwrap_or_default();
            api::modify_security_group(&client, &id, name, description)
                .await
                .map_err(|error| if planned.name != prior.name { error.at("name") } else { error.at("description") })?;
        }
        Self::reconcile(&client, &id, &prior.ingress, &planned.ingress).await?;
        planned.id = Some(id);
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: SecurityGroup) -> Result<(), ProviderError> {
        let Some(id) = prior.id else { return Ok(()) };
        let client = self.0.client(ctx)?;
        // Instances deleted just before are `Stopping` for a while: wait for them to go.
        match settle(self.0.options.poll, &["DependencyViolation"], || api::delete_security_group(&client, &id)).await {
            Err(error) if is_code(&error, "InvalidSecurityGroupId.NotFound") => Ok(()),
            other => Ok(other?),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<SecurityGroup>, ProviderError> {
        self.found(ctx, Filter::Id(id), &[]).await
    }

    async fn find_by_token(&self, ctx: &Ctx, planned: SecurityGroup) -> Result<Option<SecurityGroup>, ProviderError> {
        self.found(ctx, Filter::Token(ctx.idempotency_token()), &planned.ingress).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(protocol: &str, ports: Option<&str>, cidr: &str) -> IngressRule {
        IngressRule {
            protocol: protocol.into(),
            port_range: ports.map(str::to_owned),
            cidr_ip: cidr.into(),
            policy: None,
            priority: None,
            description: None,
        }
    }

    #[test]
    fn rules_read_back_keep_their_written_form_and_show_drift() {
        let ssh = rule("tcp", Some("22/22"), "0.0.0.0/0");
        let ping = rule("icmp", None, "10.0.0.0/8");
        let api = |protocol: &str, ports: &str, cidr: &str| Permission {
            ip_protocol: protocol.into(),
            port_range: ports.into(),
            source_cidr_ip: cidr.into(),
            policy: "Accept".into(),
            priority: "1".into(),
            description: String::new(),
            direction: "ingress".into(),
        };
        let actual = [api("TCP", "22/22", "0.0.0.0/0"), api("UDP", "53/53", "10.0.0.0/8")];
        let now = rules_now(&[ssh.clone(), ping], &actual);
        assert_eq!(now.len(), 2);
        assert_eq!(now[0], ssh, "kept as written");
        assert_eq!(now[1].protocol, "udp", "added outside Strata");
        assert_eq!(now[1].policy.as_deref(), Some("accept"));
    }
}
