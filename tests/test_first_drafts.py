"""The verifier on the offline renderer's first drafts (``evaluation.first_drafts``)."""

from __future__ import annotations

from pathlib import Path

from translator.evaluation.corpus import ChiaDoc
from translator.evaluation.first_drafts import Drafts, check_first_drafts, markdown_lines, to_json


def _doc(name: str, text: str) -> ChiaDoc:
    return ChiaDoc(name, Path(f"{name}.txt"), text)


def test_a_faithful_draft_passes_and_is_counted() -> None:
    drafts = check_first_drafts([_doc("NCT00000001_inc", "Age 18 to 65 years\nECOG performance status 0-1\n")])
    assert drafts == Drafts(1, ())
    assert to_json(drafts) == {"documents": 1, "flagged": 0, "flagged_documents": []}
    assert markdown_lines(drafts)[0].startswith("The verifier flags 0 of the 1 first drafts")


def test_a_flagged_draft_is_listed_with_its_findings() -> None:
    drafts = Drafts(3, (("NCT00000002_exc", ("E1: 'HIV' has no counterpart | in the translation",)),))
    lines = markdown_lines(drafts)
    assert lines[0].startswith("The verifier flags 1 of the 3 first drafts")
    assert lines[1] == "- **NCT00000002_exc**"
    assert lines[2] == "  - E1: 'HIV' has no counterpart \\| in the translation"


def test_no_documents_says_so() -> None:
    assert "not measured" in markdown_lines(check_first_drafts([]))[0]
