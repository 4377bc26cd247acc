"""Signs requests with Alibaba Cloud's official Python SDK (aliyun-python-sdk-core).

stdin: a JSON list of {"method", "secret", "params"}; stdout: a JSON list of
{"string_to_sign", "signature"}, computed by the SDK's own RPC signer
(aliyunsdkcore.auth.composer.rpc_signature_composer), which get_signed_url uses for every request.
Used by providers/alicloud/tests/python_sdk.rs.
"""
import json
import sys

from aliyunsdkcore.auth.composer import rpc_signature_composer as composer

# Module-level helpers of the SDK's signer (double underscores, not name-mangled at module level).
compose_string_to_sign = getattr(composer, "__compose_string_to_sign")
get_signature = getattr(composer, "__get_signature")

results = []
for case in json.load(sys.stdin):
    string_to_sign = compose_string_to_sign(case["method"], dict(case["params"]))
    results.append({"string_to_sign": string_to_sign, "signature": get_signature(string_to_sign, case["secret"])})
json.dump(results, sys.stdout)
