"""Calls the emulator with Alibaba Cloud's official Python SDK (aliyun-python-sdk-core).

argv: HOST:PORT ACCESS_KEY_ID ACCESS_KEY_SECRET. Makes real calls through AcsClient (CreateVpc as
a POST with a form body parameter, DescribeVpcs as a GET), and prints them with two URLs the SDK
signed but did not send (for the test to send, replay and tamper with), as JSON on stdout.
Used by providers/alicloud/tests/python_sdk.rs.
"""
import json
import sys

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.auth.composer import rpc_signature_composer as composer
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

host, access_key_id, access_key_secret = sys.argv[1:4]
client = AcsClient(access_key_id, access_key_secret, "cn-hangzhou", auto_retry=False)


def call(version, action, method, query, body):
    request = CommonRequest(domain=host, version=version, action_name=action)
    request.set_protocol_type("http")
    request.set_method(method)
    request.set_accept_format("json")
    for name, value in query.items():
        request.add_query_param(name, value)
    for name, value in body.items():
        request.add_body_params(name, value)
    try:
        return {"ok": json.loads(client.do_action_with_exception(request))}
    except ServerException as error:
        return {"error": error.get_error_code(), "message": error.get_error_msg()}


results = {
    "create_vpc": call(
        "2016-04-28", "CreateVpc", "POST", {"CidrBlock": "10.0.0.0/16"}, {"VpcName": "sdk vpc *~+/é"}
    ),
    "describe_vpcs": call("2016-04-28", "DescribeVpcs", "GET", {"RegionId": "cn-hangzhou"}, {}),
    "signed_urls": [
        composer.get_signed_url(
            {"Action": "DescribeVpcs", "Version": "2016-04-28", "RegionId": "cn-hangzhou"},
            access_key_id,
            access_key_secret,
            "JSON",
            "GET",
            {},
        )[0]
        for _ in range(2)
    ],
}
json.dump(results, sys.stdout)
