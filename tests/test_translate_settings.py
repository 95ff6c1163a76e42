"""Settings from the environment and flags; usage, prices and cost; readability offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from translator.errors import ConfigError
from translator.translate.readability import flesch_kincaid_grade, readability
from translator.translate.schema import PlainItem, PlainTranslation
from translator.translate.settings import default_mode, load_settings
from translator.translate.usage import PriceTable, Usage, UsageTotal, load_prices, total

KEY = "test-key-123456"


@pytest.mark.parametrize(
    ("env", "flags", "expected"),
    [
        ({}, {}, {"backend": "rules", "mode": "tools"}),
        ({"TRANSLATOR_MODEL": "gpt-4o-mini", "OPENAI_API_KEY": KEY}, {}, {"backend": "openai", "mode": "tools"}),
        ({"OPENAI_API_KEY": KEY}, {"model": "gpt-4.1"}, {"backend": "openai", "model": "gpt-4.1"}),
        (
            {"OPENAI_BASE_URL": "https://a.example/v1", "TRANSLATOR_BASE_URL": "http://localhost:8000/v1"},
            {"model": "qwen"},
            {"base_url": "http://localhost:8000/v1", "mode": "json_schema"},
        ),
        ({"TRANSLATOR_MODE": "tools"}, {"model": "llama3", "base_url": "http://localhost:11434/v1"}, {"mode": "tools"}),
        ({"TRANSLATOR_MODEL": "gpt-4o", "OPENAI_API_KEY": KEY}, {"backend": "rules"}, {"backend": "rules"}),
        ({"TRANSLATOR_TEMPERATURE": "0.3", "TRANSLATOR_SEED": "7"}, {"seed": 9}, {"temperature": 0.3, "seed": 9}),
        ({}, {"repairs": 0, "reasks": 1}, {"repairs": 0, "reasks": 1, "transport_attempts": 5}),
        ({}, {}, {"connect_timeout": 5.0, "read_timeout": 120.0, "max_retry_after": 120.0}),
    ],
)
def test_settings_come_from_the_environment_with_flags_on_top(
    env: dict[str, str], flags: dict[str, Any], expected: dict[str, object]
) -> None:
    settings = load_settings(environ=env, **flags)
    assert {k: getattr(settings, k) for k in expected} == expected


@pytest.mark.parametrize(
    ("env", "flags", "message"),
    [
        ({}, {"backend": "openai"}, "needs a model"),
        ({}, {"model": "gpt-4o-mini"}, "no API key"),
        ({"OPENAI_API_KEY": KEY}, {"model": "m", "mode": "xml"}, "mode"),
        ({"OPENAI_API_KEY": KEY}, {"model": "m", "base_url": "ftp://x/v1"}, "not http"),
        ({"TRANSLATOR_REPAIRS": "many"}, {}, "repairs"),
        ({}, {"backend": "claude"}, "backend"),
    ],
)
def test_bad_settings_are_config_errors(env: dict[str, str], flags: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ=env, **flags)
    assert message in str(caught.value)


def test_the_key_is_secret_everywhere() -> None:
    settings = load_settings(environ={"OPENAI_API_KEY": KEY}, model="gpt-4o-mini")
    assert settings.api_key is not None and settings.api_key.get_secret_value() == KEY
    for shown in (repr(settings), str(settings), settings.model_dump_json(), json.dumps(settings.describe())):
        assert KEY not in shown


@pytest.mark.parametrize(
    ("url", "mode"),
    [
        ("https://api.openai.com/v1", "tools"),
        ("https://my-res.openai.azure.com/openai/v1/", "tools"),
        ("http://localhost:11434/v1", "json_schema"),
        ("http://vllm:8000/v1", "json_schema"),
        ("https://api.openai.com.evil.example/v1", "json_schema"),
    ],
)
def test_the_default_mode_follows_the_endpoint(url: str, mode: str) -> None:
    assert default_mode(url) == mode


def test_usage_without_a_block_makes_the_total_unknown_never_zero() -> None:
    usages = [Usage(prompt_tokens=10, completion_tokens=5, cached_tokens=4), None]
    summed = total(usages)
    assert (summed.calls, summed.prompt_tokens, summed.cached_tokens, summed.complete) == (2, 10, 4, False)
    assert load_prices().cost_json("gpt-4o-mini", summed) == "unknown"
    assert load_prices().cost_json("gpt-4o-mini", UsageTotal()) == {"amount": 0.0, "currency": "USD"}


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gpt-4o-mini", (1000 - 200) * 0.15 + 200 * 0.075 + 500 * 0.60),
        ("gpt-4o-mini-2024-07-18", (1000 - 200) * 0.15 + 200 * 0.075 + 500 * 0.60),
        ("gpt-4o", (1000 - 200) * 2.50 + 200 * 1.25 + 500 * 10.00),
        ("gpt-4o-mini-turbo", None),
        ("llama3.1:8b", None),
    ],
)
def test_cost_comes_from_the_price_table(model: str, expected: float | None) -> None:
    usage = UsageTotal(calls=1, prompt_tokens=1000, completion_tokens=500, cached_tokens=200)
    cost = load_prices().cost(model, usage)
    assert (cost is None) == (expected is None)
    if expected is not None and cost is not None:
        assert cost == pytest.approx(expected / 1e6)


def test_a_price_table_path_replaces_the_packaged_one(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text(
        json.dumps(
            {"currency": "EUR", "per_tokens": 1000, "checked": "here", "models": {"llama3": {"input": 0, "output": 0}}}
        )
    )
    table = load_prices(path)
    assert isinstance(table, PriceTable) and table.cost("llama3", UsageTotal(1, 10, 10, 0)) == 0.0
    path.write_text('{"currency": "EUR", "models": {}, "surprise": 1}')
    with pytest.raises(ConfigError):
        load_prices(path)


def test_readability_works_offline_without_nltk_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("readability tried to download data")

    monkeypatch.setattr("nltk.download", no_download)
    simple = flesch_kincaid_grade("You can join if you are 18 or older. You cannot join if you are pregnant.")
    hard = flesch_kincaid_grade(
        "Pre-existing irreversible nephropathy with creatinine clearance below 30 ml/min precluding participation."
    )
    assert simple is not None and hard is not None and simple < 8 < hard
    translation = PlainTranslation(inclusion=[PlainItem(text="You are 18 or older", covers=["I1"])], exclusion=[])
    grades = readability(translation)
    assert grades["flesch_kincaid_grade"] == grades["hardest_item_grade"]
    assert flesch_kincaid_grade("") is None
