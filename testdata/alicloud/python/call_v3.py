"""Calls the emulator with Alibaba Cloud's official Python SDK core (alibabacloud-tea-openapi), whose
generic call_api signs with V3 (ACS3-HMAC-SHA256) unless told to use V2.

argv: HOST:PORT ACCESS_KEY_ID ACCESS_KEY_SECRET. CreateVpc as a POST with query parameters and a
form body parameter, then DescribeVpcs as a GET, and DescribeVpcs signed with a wrong secret; prints each answer (or error code) as JSON.
Used by providers/alicloud/tests/python_sdk.rs.
"""
import json
import sys

from alibabacloud_tea_openapi.client import Client
from alibabacloud_tea_openapi import models
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from darabonba.runtime import RuntimeOptions

host, access_key_id, access_key_secret = sys.argv[1:4]
config = models.Config(
    access_key_id=access_key_id,
    access_key_secret=access_key_secret,
    endpoint=host,
    protocol="http",
    region_id="cn-hangzhou",
)
client = Client(config)
wrong = Client(models.Config(
    access_key_id=access_key_id,
    access_key_secret=access_key_secret + "-wrong",
    endpoint=host,
    protocol="http",
    region_id="cn-hangzhou",
))


def call(action, method, query, body, client=client):
    params = models.Params(
        action=action,
        version="2016-04-28",
        protocol="HTTP",
        pathname="/",
        method=method,
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    request = models.OpenApiRequest(query=query, body=body or None)
    try:
        return {"ok": client.call_api(params, request, RuntimeOptions(autoretry=False))["body"]}
    except AlibabaCloudException as error:
        return {"error": error.code, "message": error.message}


results = {
    "create_vpc": call("CreateVpc", "POST", {"RegionId": "cn-hangzhou", "CidrBlock": "10.0.0.0/16"}, {"VpcName": "sdk v3 vpc *~+/é"}),
    "describe_vpcs": call("DescribeVpcs", "GET", {"RegionId": "cn-hangzhou"}, None),
    "wrong_secret": call("DescribeVpcs", "GET", {"RegionId": "cn-hangzhou"}, None, client=wrong),
}
json.dump(results, sys.stdout)
