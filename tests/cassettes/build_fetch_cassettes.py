"""Build the ClinicalTrials.gov cassettes in tests/cassettes/fetch/ from the four studies in examples/.

Nothing can be recorded here (no network), so these cassettes are written, not recorded: each response body
is an example study (or a page of them) in the exact shape API v2 returns. Run this script again after
changing the examples: ``python tests/cassettes/build_fetch_cassettes.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent.parent / "examples"
API = "https://clinicaltrials.gov/api/v2"
ORDER = ["NCT06710717", "NCT07233642", "NCT07193667", "NCT06010472"]


def _study(nct_id: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES / f"{nct_id}.json").read_text(encoding="utf-8"))
    return loaded


def _interaction(uri: str, status: int, body: object, headers: dict[str, str] | None = None) -> dict[str, Any]:
    reasons = {
        200: "OK",
        404: "Not Found",
        429: "Too Many Requests",
        500: "Internal Server Error",
        503: "Service Unavailable",
    }
    all_headers = {"Content-Type": ["application/json"], **{k: [v] for k, v in (headers or {}).items()}}
    return {
        "request": {"body": "", "headers": {}, "method": "GET", "uri": uri},
        "response": {
            "status": {"code": status, "message": reasons[status]},
            "headers": all_headers,
            "body": {"string": json.dumps(body, ensure_ascii=False)},
        },
    }


def cassettes() -> dict[str, list[dict[str, Any]]]:
    one = f"{API}/studies/NCT06710717?format=json"
    search = f"{API}/studies?format=json&pageSize=2&query.cond=lupus"
    busy = {"message": "busy"}
    return {
        "study.yaml": [_interaction(one, 200, _study("NCT06710717"))],
        "search_paging.yaml": [
            _interaction(search, 200, {"studies": [_study(n) for n in ORDER[:2]], "nextPageToken": "NF0g5JGBlPM"}),
            _interaction(search + "&pageToken=NF0g5JGBlPM", 200, {"studies": [_study(n) for n in ORDER[2:]]}),
        ],
        "not_found_then_found.yaml": [
            _interaction(f"{API}/studies/NCT00000000?format=json", 404, {"message": "Study not found: NCT00000000"}),
            _interaction(f"{API}/studies/NCT06010472?format=json", 200, _study("NCT06010472")),
        ],
        "rate_limited.yaml": [
            _interaction(one, 429, busy, {"Retry-After": "2"}),
            _interaction(one, 200, _study("NCT06710717")),
        ],
        "server_errors.yaml": [
            _interaction(one, 500, busy),
            _interaction(one, 503, busy),
            _interaction(one, 200, _study("NCT06710717")),
        ],
        "retry_after_too_long.yaml": [_interaction(one, 429, busy, {"Retry-After": "3600"})],
    }


def main() -> None:
    for name, interactions in cassettes().items():
        text = yaml.safe_dump({"interactions": interactions, "version": 1}, allow_unicode=True, sort_keys=False)
        (HERE / "fetch" / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
