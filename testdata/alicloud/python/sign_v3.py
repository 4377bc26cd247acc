"""Signs requests with Alibaba Cloud's official Python SDK core's V3 signer (alibabacloud-tea-openapi).

stdin: a JSON list of {"method", "path", "query", "headers" ([name, value] pairs), "hashed_payload",
"access_key_id", "secret"}; stdout: a JSON list of {"authorization"}, computed by
alibabacloud_tea_openapi.utils.Utils.get_authorization, the function the SDK's clients sign every
V3 request with (it signs every header it is given: only the signed ones are passed).
Used by providers/alicloud/tests/python_sdk.rs.
"""
import json
import sys

from alibabacloud_tea_openapi.utils import Utils
from darabonba.request import DaraRequest

results = []
for case in json.load(sys.stdin):
    request = DaraRequest()
    request.method = case["method"]
    request.pathname = case["path"]
    request.query = dict(case["query"])
    request.headers = {name: value for name, value in case["headers"]}
    authorization = Utils.get_authorization(
        request, "ACS3-HMAC-SHA256", case["hashed_payload"], case["access_key_id"], case["secret"]
    )
    results.append({"authorization": authorization})
json.dump(results, sys.stdout)
