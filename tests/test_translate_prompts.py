"""Prompt files, the messages built from them, the cache key and the cache, and the output files."""

from __future__ import annotations

import importlib
import json
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.cassettes.build_openai_cassettes import SCENARIOS, criteria_of, faithful, tool
from tests.vcr_setup import make_llm_vcr, play
from translator.domain import Criterion, Origin, Study
from translator.errors import ConfigError
from translator.translate.cache import Cache, cache_key
from translator.translate.files import OutputDir, output_name
from translator.translate.llm import LLMClient
from translator.translate.pipeline import LLMBackend, Pipeline
from translator.translate.prompts import DEFAULT_PROMPT, Problem, data_json, load_prompt
from translator.translate.schema import PlainTranslation
from translator.translate.usage import load_prices

RECORDER = make_llm_vcr("openai")
apply_template: Callable[[str, dict[str, Any]], str] = importlib.import_module(
    "instructor.v2.core.templating"
).apply_template
"""What instructor 1.17 does to every message when a validation context is given (it is not typed)."""
TRICKY = 'Age {{ 7*7 }} or {% raw %}x{% endraw %} {# note #} \\<5 and "quoted" and </criteria>'


def crit(cid: str, text: str, section: str = "inclusion", parent: str | None = None) -> Criterion:
    return Criterion(cid, section, text, 0, len(text), parent)  # type: ignore[arg-type]


def prompt_copy(tmp_path: Path) -> Path:
    source = resources.files("translator.prompts").joinpath(DEFAULT_PROMPT)
    target = tmp_path / DEFAULT_PROMPT
    target.mkdir()
    for entry in source.iterdir():
        if entry.is_file():
            (target / entry.name).write_bytes(entry.read_bytes())
    return target


def test_the_packaged_prompt_loads_with_an_id_and_a_hash_of_its_files(tmp_path: Path) -> None:
    prompt = load_prompt()
    assert prompt.prompt_id == "translate-v1" and len(prompt.sha256) == 64
    copy = prompt_copy(tmp_path)
    assert load_prompt(folder=copy).sha256 == prompt.sha256
    (copy / "system.md.j2").write_text((copy / "system.md.j2").read_text() + "\nBe brief.\n")
    assert load_prompt(folder=copy).sha256 != prompt.sha256
    (copy / "examples.json").write_text("[]")
    with pytest.raises(ConfigError):
        load_prompt(folder=copy)
    with pytest.raises(ConfigError):
        load_prompt("translate-v99")


def test_criteria_are_sent_as_json_data_that_instructor_cannot_re_template() -> None:
    criteria = [crit("I1", "Adults:"), crit("I1.a", TRICKY, parent="I1"), crit("E1", "HIV", "exclusion")]
    messages = load_prompt().first(criteria, "NCT00000001")
    user = messages[1].content
    data = json.loads(user.split("BEGIN_CRITERIA_JSON\n")[1].split("\nEND_CRITERIA_JSON")[0])
    rows = {row["id"]: row for row in data["criteria"]}
    assert rows["I1.a"]["text"] == TRICKY.replace("\\<", "<")
    assert rows["I1.a"]["part_of"] == "I1" and rows["I1"]["must_cover"] is False and rows["E1"]["must_cover"] is True
    context = {"criterion_ids": ["I1.a", "E1"]}
    for message in messages:
        assert apply_template(message.content, context) == message.content


def test_a_repair_shows_the_previous_answer_and_the_findings_as_data() -> None:
    criteria = [crit("I1", "Age >= 18 years"), crit("E1", "Creatinine clearance below 30 ml/min", "exclusion")]
    previous = PlainTranslation.model_validate(
        {"inclusion": [{"text": "You are 18 {{ or }} older.", "covers": ["I1", "E1"]}], "exclusion": []}
    )
    problem = Problem("E1", "dropped", "blocker", "E1: 'Creatinine clearance below 30 ml/min' has no counterpart")
    messages = load_prompt().repair_messages(criteria, "NCT00000001", previous, [problem])
    text = messages[-1].content
    assert "{{" not in text and "\\u007b\\u007b or \\u007d\\u007d" in text
    findings = json.loads(text.split("BEGIN_FINDINGS_JSON\n")[1].split("\nEND_FINDINGS_JSON")[0])
    assert findings == [{"criterion": "E1", "kind": "dropped", "severity": "blocker", "problem": problem.message}]


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{{ cycler.__init__.__globals__ }}", "is unsafe"),
        ("{{ example_input.__class__.__mro__ }}", "is unsafe"),
        ("{% for c in ''.__class__.__subclasses__() %}{{ c }}{% endfor %}", "is unsafe"),
        ("{{ lipsum.__globals__['os'] }}", "is unsafe"),
        ("{{ not_a_value }}", "'not_a_value' is undefined"),
    ],
)
def test_prompt_templates_render_in_a_sandbox(tmp_path: Path, template: str, problem: str) -> None:
    """A prompt file is code that renders data: it cannot reach Python internals, nor use a value it is not given."""
    folder = prompt_copy(tmp_path)
    (folder / "system.md.j2").write_text(template + "\n", encoding="utf-8")
    prompt = load_prompt(folder=folder)
    with pytest.raises(ConfigError) as caught:
        prompt.first([crit("I1", "Age >= 18 years")], "NCT00000001")
    assert "does not render" in str(caught.value) and problem in str(caught.value)


@pytest.mark.parametrize("value", ["{{x}}", "{%", "a}b{", ["{#", {"k{": "}}"}], "\\{{"])
def test_data_json_keeps_the_value_and_forms_no_jinja_opener(value: object) -> None:
    text = data_json(value)
    assert json.loads(text) == value
    assert not any(opener in text for opener in ("{{", "{%", "{#"))


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({}, True),
        ({"model": "gpt-4o"}, False),
        ({"temperature": 0.5}, False),
        ({"seed": 1}, False),
        ({"max_tokens": 1000}, False),
        ({"repairs": 1}, False),
        ({"base_url": "https://proxy.example/v1"}, False),
        ({"mode": "json_schema"}, False),
        ({"reasks": 1}, False),
    ],
)
def test_the_cache_key_changes_with_everything_that_shapes_the_answer(change: dict[str, Any], same: bool) -> None:
    scenario = SCENARIOS["faithful"]
    criteria = criteria_of("example")
    prompt = load_prompt()
    base = cache_key(criteria, prompt=prompt, settings=scenario.settings())
    assert (cache_key(criteria, prompt=prompt, settings=scenario.settings(**change)) == base) is same
    edited = [*criteria[:-1], crit(criteria[-1].id, criteria[-1].text + " or pregnant", "exclusion")]
    assert cache_key(edited, prompt=prompt, settings=scenario.settings()) != base


class CountingServer:
    """A stub endpoint that counts requests and answers with a faithful translation."""

    def __init__(self) -> None:
        self.requests = 0

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests += 1
        return httpx2.Response(200, json=tool(faithful(criteria_of("example"))).body)


def pipeline(cache: Cache, server: CountingServer | None = None, prompt_folder: Path | None = None) -> Pipeline:
    settings = SCENARIOS["faithful"].settings()
    http = httpx2.Client(transport=httpx2.MockTransport(server)) if server else None
    client = LLMClient(settings, http_client=http, sleep=lambda _: None)
    return Pipeline(settings, LLMBackend(client, load_prompt(folder=prompt_folder)), load_prices(), cache=cache)


def test_a_cache_hit_makes_no_call_and_a_prompt_change_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache" / "t.sqlite3")
    study = SCENARIOS["faithful"].study()
    with play(RECORDER, "faithful.yaml"):
        first = pipeline(cache).run(study)
    assert first.record.cache["hit"] is False and cache.count() == 1
    server = CountingServer()
    again = pipeline(cache, server).run(study)
    assert server.requests == 0 and again.usage.calls == 0
    assert again.record.cache == {"hit": True, "key": first.record.cache["key"]}
    assert again.record.status == "published" and again.record.translation == first.record.translation
    assert again.record.usage == first.record.usage  # what the cached translation cost when it was made
    folder = prompt_copy(tmp_path)
    (folder / "user.md.j2").write_text((folder / "user.md.j2").read_text() + "\nUse short words.\n")
    changed = pipeline(cache, server, folder).run(study)
    assert server.requests == 1 and changed.record.cache["hit"] is False and cache.count() == 2
    assert changed.record.prompt is not None and changed.record.prompt["sha256"] != first.record.prompt["sha256"]  # type: ignore[index]
    cache.close()


def test_the_cache_uses_wal_and_survives_a_garbled_entry(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "t.sqlite3")
    assert cache._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cache._db.execute("INSERT INTO outcomes VALUES ('k', 'p', 'm', 'now', '{\"attempts\": 3}')")
    assert cache.get("k") is None and cache.get("missing") is None
    cache.close()


@pytest.mark.parametrize(
    ("nct_id", "path", "expected"),
    [
        ("NCT06710717", "x.json", "NCT06710717"),
        ("../../etc/passwd", "studies.jsonl", "studies-"),
        ("NCT123", "/tmp/a b/crit eria.txt", "crit-eria-"),
        (None, "..", "study-"),
    ],
)
def test_output_names_come_only_from_valid_nct_ids(nct_id: str | None, path: str, expected: str) -> None:
    name = output_name(Study(nct_id, None, "x", Origin(path, 3, "jsonl")))
    assert name.startswith(expected) and "/" not in name and ".." not in name


def test_output_paths_stay_inside_the_folder(tmp_path: Path) -> None:
    out = OutputDir(tmp_path / "out")
    with pytest.raises(ConfigError):
        out.path("../escape.json")
    assert out.path("NCT06710717.json").parent == (tmp_path / "out").resolve()
    shutil.rmtree(tmp_path / "out")
