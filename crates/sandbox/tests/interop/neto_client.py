"""Drives the public `netoapi` client (PyPI, unchanged) against crmwire's sandbox.

Usage: neto_client.py ENDPOINT USERNAME KEY            -- the interop scenario
       neto_client.py ENDPOINT USERNAME KEY --bench N  -- N AddCustomerLog calls, timed

Prints one JSON document on stdout; any mismatch raises (non-zero exit).
"""

import json
import sys
import time

import netoapi


def log(username, notes, status="Require Recontact"):
    return {
        "AllocatedTo": "Python Agent",
        "FollowUpType": "Phone call",
        "Username": username,
        "CustomerName": "Jo Citizen",
        "LastContacted": "2026-11-02 09:30:00",
        "DateRequiredFollowUp": "2026-11-09 14:00:00",
        "Status": status,
        "Notes": notes,
    }


def expect(condition, what, answer):
    if not condition:
        raise SystemExit(f"netoapi interop: {what}: {json.dumps(answer)}")


def scenario(api):
    added = api.execute_api_call(
        "AddCustomerLog",
        {"CustomerLogs": {"CustomerLog": [log("jo.citizen", "first call & <quote>"), log("jo.citizen", "second")]}},
    )
    expect(added.get("Ack") == "Success", "AddCustomerLog succeeds", added)
    ids = [entry["LogID"] for entry in added["CustomerLog"]]
    expect(len(ids) == 2, "two LogIDs", added)

    updated = api.execute_api_call(
        "UpdateCustomerLog",
        {"CustomerLogs": {"CustomerLog": [{"LogID": ids[0], "Status": "Completed", "AllocatedTo": "Python Closer"}]}},
    )
    expect(updated.get("Ack") == "Success", "UpdateCustomerLog succeeds", updated)

    got = api.execute_api_call(
        "GetCustomer",
        {"Filter": {"Username": "jo.citizen", "OutputSelector": ["CustomerLog"]}},
    )
    expect(got.get("Ack") == "Success", "GetCustomer succeeds", got)
    logs = got["Customer"][0]["CustomerLogs"]["CustomerLog"]
    by_id = {entry["LogID"]: entry for entry in logs}
    expect(by_id[ids[0]]["Status"] == "Completed", "the update is read back", got)
    expect(by_id[ids[0]]["AllocatedTo"] == "Python Closer", "the update is read back", got)
    expect(by_id[ids[1]]["Notes"] == "second", "the second log is read back", got)

    refused = api.execute_api_call(
        "AddCustomerLog",
        {"CustomerLogs": {"CustomerLog": {"Username": "jo.citizen", "Status": "Done"}}},
    )
    expect(refused.get("Ack") == "Error", "an invalid Status is refused", refused)

    return {"ids": ids, "logs": logs, "refused": refused["Messages"]["Error"]}


def bench(api, count):
    payload = {"CustomerLogs": {"CustomerLog": [log("jo.citizen", "bench")]}}
    started = time.perf_counter()
    for _ in range(count):
        answer = api.execute_api_call("AddCustomerLog", payload)
        expect(answer.get("Ack") == "Success", "bench call succeeds", answer)
    elapsed = time.perf_counter() - started
    return {"calls": count, "seconds": elapsed, "calls_per_second": count / elapsed}


def main():
    endpoint, username, key = sys.argv[1:4]
    api = netoapi.NetoAPIClient(endpoint, username, key)
    api.timeout = 10
    if len(sys.argv) > 5 and sys.argv[4] == "--bench":
        result = bench(api, int(sys.argv[5]))
    else:
        result = scenario(api)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
