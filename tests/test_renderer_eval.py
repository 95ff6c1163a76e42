"""``translator eval renderer``: the report on a few studies is written, its counts add up, exceptions are listed,
and figures below the committed thresholds fail the command."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translator.cli.app import app
from translator.evaluation import renderer_eval
from translator.evaluation.corpus import Corpus
from translator.evaluation.first_drafts import Drafts
from translator.evaluation.renderer_eval import Finding, Outcome, RendererThresholds, StudyResult

EASY = RendererThresholds(min_published_share=0.0, max_median_grade=99.0, max_chia_first_drafts_flagged=99)


@pytest.fixture
def one_example(tmp_path: Path, examples_dir: Path) -> Path:
    folder = tmp_path / "examples"
    folder.mkdir()
    shutil.copy(examples_dir / "NCT06710717.json", folder)
    return folder


def _thresholds(tmp_path: Path, **renderer: float) -> Path:
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps({"verifier": {}, "renderer": renderer}), encoding="utf-8")
    return path


def test_the_report_on_a_few_studies_adds_up(tmp_path: Path, corpus: Corpus, one_example: Path) -> None:
    limits = _thresholds(tmp_path, min_published_share=0.0, max_median_grade=99.0, max_chia_first_drafts_flagged=99)
    outcome = renderer_eval.run(corpus, one_example, limits, tmp_path / "reports", limit=3)
    data = json.loads((tmp_path / "reports" / "renderer.json").read_text(encoding="utf-8"))
    markdown = (tmp_path / "reports" / "renderer.md").read_text(encoding="utf-8")
    assert data["studies"] == 4 == len(outcome.results)
    assert data["by_group"] == {
        "corpus": {"studies": 3, "published": sum(r.status == "published" for r in outcome.results[:3])},
        "examples": {"studies": 1, "published": int(outcome.results[3].status == "published")},
    }
    assert data["published"] + len(data["exceptions"]) == data["studies"]
    assert (
        sum(data["methods"].values()) == data["criteria"] == sum(sum(s["methods"].values()) for s in data["per_study"])
    )
    assert set(data["methods"]) == set(renderer_eval.KINDS)
    grades = sorted(s["grade"] for s in data["per_study"])
    assert data["grade"]["min"] == grades[0] and data["grade"]["max"] == grades[-1]
    assert sum(data["grade_histogram"].values()) == 4
    assert f"{data['published']} of 4 studies published" in markdown and "## Method" in markdown
    assert outcome.shortfalls == ()


def _outcome() -> Outcome:
    flagged = StudyResult(
        "NCT00000001",
        "corpus",
        "flagged",
        12.5,
        Counter({"rewritten": 3, "repaired": 1}),
        (Finding("E2", "major", "polarity", "'HIV' is a reason not to join in the source | but not here"),),
    )
    published = StudyResult("NCT00000002", "examples", "published", 7.5, Counter({"template": 2}))
    return Outcome((flagged, published), EASY, ())


def test_exceptions_are_listed_with_study_criterion_and_message() -> None:
    outcome = _outcome()
    markdown = renderer_eval.markdown(outcome)
    data = renderer_eval.to_json(outcome)
    assert "- **NCT00000001** (corpus): flagged" in markdown
    assert "E2 [major, polarity]: 'HIV' is a reason not to join in the source \\| but not here" in markdown
    assert data["exceptions"] == [
        {
            "study": "NCT00000001",
            "group": "corpus",
            "status": "flagged",
            "findings": [
                {
                    "criterion": "E2",
                    "severity": "major",
                    "kind": "polarity",
                    "message": "'HIV' is a reason not to join in the source | but not here",
                }
            ],
        }
    ]
    assert data["methods"] == {"template": 2, "rewritten": 3, "words": 0, "clean": 0, "literal": 0, "repaired": 1}


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        (RendererThresholds(min_published_share=0.4, max_median_grade=10.0, max_chia_first_drafts_flagged=1), []),
        (
            RendererThresholds(min_published_share=0.6, max_median_grade=10.0, max_chia_first_drafts_flagged=1),
            ["published share is 50.00%"],
        ),
        (
            RendererThresholds(min_published_share=0.4, max_median_grade=9.0, max_chia_first_drafts_flagged=1),
            ["median grade is 10.0"],
        ),
    ],
)
def test_figures_are_checked_against_the_thresholds(limits: RendererThresholds, expected: list[str]) -> None:
    shortfalls = renderer_eval.check(_outcome().results, limits)
    assert [s.split(",")[0] for s in shortfalls] == expected


def test_flagged_first_drafts_are_checked_where_there_are_documents() -> None:
    limits = RendererThresholds(min_published_share=0.4, max_median_grade=10.0, max_chia_first_drafts_flagged=1)
    two = Drafts(5, (("A_inc", ()), ("B_exc", ())))
    assert renderer_eval.check(_outcome().results, limits, two) == ["2 Chia first drafts flagged, above the maximum 1"]
    assert renderer_eval.check(_outcome().results, limits, Drafts(5, two.flagged[:1])) == []
    assert renderer_eval.check(_outcome().results, limits, Drafts(0, ())) == []


def test_the_command_fails_below_its_thresholds(tmp_path: Path, corpus: Corpus, one_example: Path) -> None:
    limits = _thresholds(tmp_path, min_published_share=1.0, max_median_grade=0.0, max_chia_first_drafts_flagged=99)
    args = ["eval", "renderer", "--limit", "1", "--examples", str(one_example), "--thresholds", str(limits)]
    result = CliRunner().invoke(app, [*args, "--reports", str(tmp_path / "reports")])
    assert result.exit_code == 1
    assert "below threshold: median grade is" in result.stderr
    assert "renderer: " in result.stdout and (tmp_path / "reports" / "renderer.md").exists()


def test_a_thresholds_file_without_a_renderer_key_is_bad_input(tmp_path: Path, corpus: Corpus) -> None:
    path = tmp_path / "thresholds.json"
    path.write_text('{"verifier": {}}', encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "renderer", "--thresholds", str(path), "--limit", "1"])
    assert result.exit_code == 2 and 'no "renderer" section' in result.stderr
